// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The backstop's filter (src/backstop/filter.c): calls in the trap set
 * reach the listener, the same calls made from a gate do not, calls
 * outside the set never do.  seccomp cannot be undone, so every test
 * loads its filter in a child process of its own.  And the board
 * (src/backstop/board.c): entries and marks.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"
#include "../../src/backstop/board.h"
#include "../../src/backstop/filter.h"

/* A gate: one syscall instruction at a known address (after it: gate_end). */
long test_gate(long nr, long a, long b, long c);
extern char test_gate_end[];
__asm__(".text\n"
	".globl test_gate\n"
	".type test_gate, @function\n"
	"test_gate:\n"
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	syscall\n"
	".globl test_gate_end\n"
	"test_gate_end:\n"
	"	ret\n"
	".size test_gate, .-test_gate\n");

#define FAKE_PPID 424242

static int listener_fd;
static long trapped;

/* Answers every notification: getppid with a made-up value. */
static void *listener(void *arg)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;

	(void)arg;
	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_RECV, &req)) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		if (req.data.nr == SYS_getppid)
			resp.val = FAKE_PPID;
		else
			resp.error = -ENOSYS;
		__atomic_add_fetch(&trapped, 1, __ATOMIC_SEQ_CST);
		ioctl(listener_fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

/* The child's checks; its exit status is the first one that failed. */
static int child(unsigned int flags)
{
	static const int trap[] = { SYS_getppid, SYS_getuid };
	uintptr_t gate = (uintptr_t)test_gate_end;
	pid_t real = getppid();
	struct ss_filter f;
	pthread_t t;

	if (ss_filter_build(trap, 2, &gate, 1, &f))
		return 10;
	listener_fd = ss_filter_load(&f, flags);
	ss_filter_free(&f);
	if (listener_fd < 0)
		return 11;
	if (ss_listener_sync_wakeup(listener_fd))
		return 12;
	if (pthread_create(&t, 0, listener, 0))
		return 13;
	if (syscall(SYS_getppid) != FAKE_PPID) /* trapped */
		return 14;
	if (test_gate(SYS_getppid, 0, 0, 0) != real) /* from the gate */
		return 15;
	if (syscall(SYS_getpid) != getpid() || trapped != 1) /* not in set */
		return 16;
	if (syscall(SYS_getuid) != -1 || errno != ENOSYS || trapped != 2)
		return 17;
	/* A second listener on the same task is refused. */
	if (ss_filter_build(trap, 1, 0, 0, &f))
		return 18;
	if (ss_filter_load(&f, 0) != -EBUSY)
		return 19;
	ss_filter_free(&f);
	return 0;
}

static void run_child(unsigned int flags)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (!pid)
		_exit(child(flags));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		      "child check failed: status %d (see child())",
		      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

START_TEST(test_trap_gate_and_rest)
{
	run_child(SS_LOAD_NNP);
}
END_TEST

START_TEST(test_wait_killable)
{
	run_child(SS_LOAD_NNP | SS_LOAD_WAIT_KILLABLE);
}
END_TEST

START_TEST(test_build_errors)
{
	static const int bad[] = { -1 };
	static const int ok[] = { SYS_read };
	uintptr_t gates[SS_GATES_MAX + 1] = { 0 };
	struct ss_filter f;

	ck_assert_int_eq(ss_filter_build(bad, 1, 0, 0, &f), -EINVAL);
	ck_assert_int_eq(ss_filter_build(ok, 0, 0, 0, &f), -EINVAL);
	ck_assert_int_eq(ss_filter_build(0, 1, 0, 0, &f), -EINVAL);
	ck_assert_int_eq(ss_filter_build(ok, 1, gates, SS_GATES_MAX + 1, &f),
			 -EINVAL);
	ck_assert_int_eq(ss_filter_build(ok, 1, 0, 1, &f), -EINVAL);
	ck_assert_int_eq(ss_filter_load(0, 0), -EINVAL);
	ck_assert_int_eq(ss_filter_build(ok, 1, gates, SS_GATES_MAX, &f), 0);
	ck_assert_int_eq(ss_filter_load(&f, 0x80), -EINVAL);
	ss_filter_free(&f);
	ck_assert_ptr_null(f.insns);
}
END_TEST

/* A process that no longer exists. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, 0, 0), pid);
	return pid;
}

START_TEST(test_board_join)
{
	pid_t me = getpid(), tid = (pid_t)syscall(SYS_gettid),
	      dead = dead_pid();
	struct ss_board *b;
	int fd = ss_board_create(&b);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ss_board_join(b, me, tid), 0);
	ck_assert_int_eq(ss_board_join(b, me, tid), 1); /* 0 lives */
	/* A dead listener's entry is taken over. */
	b->e[2].pid = dead;
	b->e[2].tid = dead;
	b->e[2].held[0] = 99;
	ck_assert_int_eq(ss_board_join(b, me, tid), 2);
	ck_assert_int_eq(b->e[2].pid, me);
	ck_assert_int_eq(b->e[2].tid, tid);
	ck_assert(b->e[2].held[0] == 0);
	/* A claim in progress is skipped while its process lives... */
	b->e[3].pid = -getppid();
	ck_assert_int_eq(ss_board_join(b, me, tid), 4);
	/* ...and taken over once it has died. */
	b->e[5].pid = -dead;
	ck_assert_int_eq(ss_board_join(b, me, tid), 5);
	ck_assert_int_eq(b->e[3].pid, -getppid());
	close(fd);
}
END_TEST

START_TEST(test_board_marks)
{
	struct ss_board *b;
	int fd = ss_board_create(&b);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ss_marks_take(&b->marks, 1234), -1);
	ss_marks_set(&b->marks, 1234, 7);
	ss_marks_set(&b->marks, 1235, 8);
	ck_assert_uint_eq(b->marks.n, 2);
	ck_assert_int_eq(ss_marks_take(&b->marks, 1234 + SS_BOARD_MARKS), -1);
	ck_assert_int_eq(ss_marks_take(&b->marks, 1234), 7);
	ck_assert_int_eq(ss_marks_take(&b->marks, 1234), -1);
	/* A thread at the same place takes the place over. */
	ss_marks_set(&b->marks, 1235 + SS_BOARD_MARKS, 9);
	ck_assert_int_eq(ss_marks_take(&b->marks, 1235), -1);
	ck_assert_int_eq(ss_marks_take(&b->marks, 1235 + SS_BOARD_MARKS), 9);
	ck_assert_uint_eq(b->marks.n, 0);
	close(fd);
}
END_TEST

static Suite *seccomp_suite(void)
{
	Suite *s = suite_create("seccomp");
	TCase *tc = tcase_create("filter");
	TCase *tb = tcase_create("board");

	/*
	 * valgrind has no seccomp(2), which libseccomp itself probes: the
	 * whole suite is tagged, and check-valgrind excludes the tag.
	 */
	tcase_set_tags(tc, "kernel-seccomp");
	tcase_add_test(tc, test_build_errors);
	tcase_add_test(tc, test_trap_gate_and_rest);
	tcase_add_test(tc, test_wait_killable);
	suite_add_tcase(s, tc);
	tcase_add_test(tb, test_board_join);
	tcase_add_test(tb, test_board_marks);
	suite_add_tcase(s, tb);
	return s;
}

int main(void)
{
	return tl_run(seccomp_suite());
}
