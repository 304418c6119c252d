// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Thread identity: gettid answered as the submitter, getpid/getppid the
 * same on a helper, SYSLET_CLASS_CALLER calls kept on the submitter, and
 * what the helper threads look like (name, signal mask).
 */
#define _GNU_SOURCE
#include "testlib.h"

#include <sched.h>

/* ------------------------------------------------------------------ */
/* gettid                                                                */

struct tid_probe {
	struct syslet_ctx *ctx;
	pid_t self;
	long async_tid;	       /* gettid with SYSLET_ASYNC */
	long submit_async_tid; /* gettid with SYSLET_SUBMIT_ASYNC */
	long inline_tid;       /* gettid inline */
	long after_block_tid;  /* gettid after a read that blocked */
	long block_ret;
	int rc[4];
	int pipe_fd;
	char byte;
};

static void *probe_tids(void *arg)
{
	struct tid_probe *t = arg;
	struct syslet_atom a, rd[2];
	struct syslet_completion c;

	t->self = tl_gettid();
	syslet_atom_init(&a, SYS_gettid, &t->async_tid, SYSLET_ASYNC, 0, 0, 0,
			 0, 0, 0);
	t->rc[0] = syslet_submit(t->ctx, &a, SYSLET_SUBMIT_WAIT);
	syslet_atom_init(&a, SYS_gettid, &t->submit_async_tid, 0, 0, 0, 0, 0, 0,
			 0);
	t->rc[1] = syslet_submit(t->ctx, &a,
				 SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT);
	syslet_atom_init(&a, SYS_gettid, &t->inline_tid, 0, 0, 0, 0, 0, 0, 0);
	t->rc[2] = syslet_submit(t->ctx, &a, 0);
	/* read (blocks until the main thread writes) -> gettid */
	if (t->pipe_fd >= 0) {
		syslet_atom_init(&rd[0], SYS_read, &t->block_ret, 0, t->pipe_fd,
				 (long)&t->byte, 1, 0, 0, 0);
		syslet_atom_init(&rd[1], SYS_gettid, &t->after_block_tid, 0, 0,
				 0, 0, 0, 0, 0);
		rd[0].next = &rd[1];
		t->rc[3] = syslet_submit(t->ctx, &rd[0], SYSLET_SUBMIT_WAIT);
	}
	(void)c;
	return NULL;
}

#define NPROBES 6

START_TEST(test_gettid_as_submitter)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	static struct tid_probe t[NPROBES];
	pthread_t th[NPROBES];
	int p[2], i, j;

	tl_pipe(p);
	for (i = 0; i < NPROBES; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].ctx = ctx;
		t[i].async_tid = t[i].submit_async_tid = TL_UNSET;
		t[i].inline_tid = t[i].after_block_tid = TL_UNSET;
		t[i].pipe_fd = p[0];
		ck_assert_int_eq(
			pthread_create(&th[i], NULL, probe_tids, &t[i]), 0);
	}
	/* One byte per thread, once each sits in its blocking chain. */
	for (i = 0; i < NPROBES; i++) {
		tl_wait_blocked(SYS_read, p[0]);
		tl_write1(p[1], 'a' + i);
	}
	for (i = 0; i < NPROBES; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < NPROBES; i++) {
		for (j = 0; j < 4; j++)
			ck_assert_int_eq(t[i].rc[j], SYSLET_DONE);
		ck_assert_int_gt(t[i].self, 0);
		ck_assert_int_eq(t[i].async_tid, t[i].self);
		ck_assert_int_eq(t[i].submit_async_tid, t[i].self);
		ck_assert_int_eq(t[i].inline_tid, t[i].self);
		ck_assert_int_eq(t[i].block_ret, 1);
		ck_assert_int_eq(t[i].after_block_tid, t[i].self);
		for (j = 0; j < i; j++)
			ck_assert_int_ne(t[i].self, t[j].self);
	}
	/* And from this thread, with a completion instead of a wait. */
	{
		struct syslet_atom a;
		struct syslet_completion c;
		long tid = TL_UNSET;

		syslet_atom_init(&a, SYS_gettid, &tid, SYSLET_ASYNC, 0, 0, 0, 0,
				 0, 0);
		ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_QUEUED);
		tl_wait1(ctx, &c);
		ck_assert_int_eq(c.result, tl_gettid());
		ck_assert_int_eq(tid, tl_gettid());
	}
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

START_TEST(test_getpid_getppid_on_helper)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	struct syslet_atom a[2];
	long r[2] = { TL_UNSET, TL_UNSET };

	syslet_atom_init(&a[0], SYS_getpid, &r[0], SYSLET_ASYNC, 0, 0, 0, 0, 0,
			 0);
	syslet_atom_init(&a[1], SYS_getppid, &r[1], 0, 0, 0, 0, 0, 0, 0);
	a[0].next = &a[1];
	ck_assert_int_eq(syslet_submit(ctx, &a[0], SYSLET_SUBMIT_WAIT),
			 SYSLET_DONE);
	ck_assert_int_eq(r[0], getpid());
	ck_assert_int_eq(r[1], getppid());
	tl_destroy(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* CALLER calls stay home.                                               */

START_TEST(test_caller_class_refuses_async)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	static unsigned char mask[128];
	struct syslet_atom a, b[2];
	long r = TL_UNSET, rb[2] = { TL_UNSET, TL_UNSET };
	int p[2];

	tl_pipe(p);
	ck_assert_int_eq(syslet_syscall_class(SYS_rt_sigprocmask),
			 SYSLET_CLASS_CALLER);
	ck_assert_int_eq(syslet_syscall_class(SYS_sched_getaffinity),
			 SYSLET_CLASS_CALLER);

	/* rt_sigprocmask(SIG_BLOCK, NULL, NULL, 8): harmless if it ran. */
	syslet_atom_init(&a, SYS_rt_sigprocmask, &r, SYSLET_ASYNC, SIG_BLOCK, 0,
			 0, 8, 0, 0);
	ck_assert_int_eq(syslet_submit(ctx, &a, 0), -EINVAL);
	a.flags = 0;
	ck_assert_int_eq(syslet_submit(ctx, &a, SYSLET_SUBMIT_ASYNC), -EINVAL);
	ck_assert_int_eq(
		syslet_submit(ctx, &a,
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
		-EINVAL);
	ck_assert_int_eq(r, TL_UNSET);

	/* ASYNC elsewhere in a chain holding a CALLER call: refused, and the
	 * write before it did not run. */
	syslet_atom_init(&b[0], SYS_write, &rb[0], SYSLET_ASYNC, p[1],
			 (long)"w", 1, 0, 0, 0);
	syslet_atom_init(&b[1], SYS_sched_getaffinity, &rb[1], 0, 0,
			 sizeof(mask), (long)mask, 0, 0, 0);
	b[0].next = &b[1];
	ck_assert_int_eq(syslet_submit(ctx, &b[0], 0), -EINVAL);
	b[0].flags = 0;
	ck_assert_int_eq(syslet_submit(ctx, &b[0], SYSLET_SUBMIT_ASYNC),
			 -EINVAL);
	ck_assert_int_eq(tl_avail(p[0]), 0);
	ck_assert_int_eq(rb[0], TL_UNSET);
	ck_assert_int_eq(rb[1], TL_UNSET);

	/* Without ASYNC it runs, here. */
	ck_assert_int_eq(syslet_submit(ctx, &a, 0), SYSLET_DONE);
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(syslet_submit(ctx, &b[0], 0), SYSLET_DONE);
	ck_assert_int_eq(rb[0], 1);
	ck_assert_int_gt(rb[1], 0);
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

struct late {
	int fd;
	pid_t watch; /* write once this thread blocks in read, or 0 */
	int ok;
};

static void *write_when_blocked(void *arg)
{
	struct late *l = arg;
	int64_t end = tl_now_ns() + (int64_t)TL_HANG_S * 1000000000;
	char path[64], buf[256];
	long nr = -1;

	/* Wait until the submitter itself sits in read(2), then feed it. */
	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall",
		 (int)l->watch);
	while (tl_now_ns() < end) {
		if (tl_read_small(path, buf, sizeof(buf)) > 0 &&
		    sscanf(buf, "%ld", &nr) == 1 && nr == SYS_read)
			break;
		tl_sleep_ms(1);
	}
	l->ok = nr == SYS_read;
	if (write(l->fd, "d", 1) != 1)
		l->ok = 0;
	return NULL;
}

/*
 * [read on an empty pipe, sched_getaffinity(0)]: the chain must stay home,
 * so the submitter itself blocks in the read until the data comes, and the
 * affinity answered is the submitter's.
 */
START_TEST(test_caller_chain_blocks_submitter)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	static unsigned char mask[128], native[128];
	struct syslet_atom a[2];
	long r[2] = { TL_UNSET, TL_UNSET };
	struct late l;
	cpu_set_t one, saved;
	pthread_t t;
	char b = 0;
	int p[2], cpu, n;

	tl_pipe(p);
	/* Give this thread a mask the helpers do not have. */
	ck_assert_int_eq(sched_getaffinity(0, sizeof(saved), &saved), 0);
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &saved); cpu++)
		;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(one), &one), 0);
	n = (int)syscall(SYS_sched_getaffinity, 0, sizeof(native), native);
	ck_assert_int_gt(n, 0);

	syslet_atom_init(&a[0], SYS_read, &r[0], 0, p[0], (long)&b, 1, 0, 0, 0);
	syslet_atom_init(&a[1], SYS_sched_getaffinity, &r[1], 0, 0,
			 sizeof(mask), (long)mask, 0, 0, 0);
	a[0].next = &a[1];
	l.fd = p[1];
	l.watch = tl_gettid();
	l.ok = 0;
	ck_assert_int_eq(pthread_create(&t, NULL, write_when_blocked, &l), 0);
	ck_assert_int_eq(syslet_submit(ctx, &a[0], 0), SYSLET_DONE);
	pthread_join(t, NULL);
	ck_assert_msg(l.ok == 1, "the submitting thread never blocked in read");
	ck_assert_int_eq(r[0], 1);
	ck_assert_int_eq(b, 'd');
	ck_assert_int_eq(r[1], n);
	ck_assert_mem_eq(mask, native, (size_t)n);
	tl_assert_ring_empty(ctx);
	ck_assert_int_eq(sched_setaffinity(0, sizeof(saved), &saved), 0);

	/* SYSLET_SYNC keeps a chain home the same way. */
	{
		struct syslet_atom s;
		long rs = TL_UNSET;

		syslet_atom_init(&s, SYS_read, &rs, SYSLET_SYNC, p[0], (long)&b,
				 1, 0, 0, 0);
		l.ok = 0;
		ck_assert_int_eq(
			pthread_create(&t, NULL, write_when_blocked, &l), 0);
		ck_assert_int_eq(syslet_submit(ctx, &s, 0), SYSLET_DONE);
		pthread_join(t, NULL);
		ck_assert_int_eq(l.ok, 1);
		ck_assert_int_eq(rs, 1);
	}
	tl_close_pipe(p);
	tl_destroy(ctx);
}
END_TEST

/* ------------------------------------------------------------------ */
/* What a helper looks like from /proc.                                  */

static unsigned long long sigblk_of(pid_t tid)
{
	char path[64], buf[4096], *s;
	unsigned long long m = 0;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)tid);
	ck_assert_int_gt(tl_read_small(path, buf, sizeof(buf)), 0);
	s = strstr(buf, "SigBlk:");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(sscanf(s, "SigBlk: %llx", &m), 1);
	return m;
}

static void check_helper(pid_t tid, int cancel_sig)
{
	char path[64], comm[32];
	unsigned long long blk = sigblk_of(tid);
	int sig;

	snprintf(path, sizeof(path), "/proc/self/task/%d/comm", (int)tid);
	ck_assert_int_gt(tl_read_small(path, comm, sizeof(comm)), 0);
	ck_assert_msg(!strncmp(comm, "syslet/", 7), "helper %d is named \"%s\"",
		      (int)tid, comm);
	for (sig = 1; sig <= 64; sig++) {
		int blocked = (blk >> (sig - 1)) & 1;

		if (sig == SIGKILL || sig == SIGSTOP)
			continue; /* cannot be blocked */
		if (sig == 32)
			continue; /* glibc's own cancellation signal */
		if (sig == 33) {
			/* glibc's set*id broadcast: blocking it would hang
			 * every setuid() of the program. */
			ck_assert_msg(!blocked, "helper blocks signal 33");
			continue;
		}
		if (!tl_signal_usable(sig))
			continue; /* valgrind's own */
		if (sig == cancel_sig)
			ck_assert_msg(!blocked,
				      "helper blocks the cancel "
				      "signal %d",
				      sig);
		else
			ck_assert_msg(blocked,
				      "helper does not block signal "
				      "%d (SigBlk %016llx)",
				      sig, blk);
	}
}

START_TEST(test_helper_name_and_mask)
{
	struct syslet_params prm;
	struct syslet_ctx *ctx;
	struct syslet_atom rd;
	struct syslet_completion c;
	long ret = TL_UNSET;
	char b;
	int p[2], k;
	sigset_t none, old;

	/* Whatever this thread's mask, the helper's is its own. */
	sigemptyset(&none);
	ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &none, &old), 0);
	tl_pipe(p);
	for (k = 0; k < 2; k++) {
		int sig = k == 0 ? SIGRTMAX - 2 : SIGUSR2;
		pid_t tid;

		syslet_params_init(&prm);
		prm.cancel_signal = k == 0 ? 0 : SIGUSR2;
		ck_assert_int_eq(syslet_ctx_create(&prm, &ctx), 0);
		syslet_atom_init(&rd, SYS_read, &ret, 0, p[0], (long)&b, 1, 0,
				 0, 0);
		ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
		tid = tl_wait_blocked(SYS_read, p[0]);
		ck_assert_int_ne(tid, tl_gettid());
		check_helper(tid, sig);
		tl_write1(p[1], 'h');
		tl_wait1(ctx, &c);
		ck_assert_int_eq(c.result, 1);
		tl_destroy(ctx);
	}
	tl_close_pipe(p);
	ck_assert_int_eq(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
}
END_TEST

/*
 * By default a helper is bound to one CPU, one the submitter may run on;
 * with SYSLET_CTX_NO_PIN it keeps the submitter's whole set.
 */
START_TEST(test_helper_pinning)
{
	struct syslet_params prm;
	struct syslet_ctx *ctx;
	struct syslet_atom rd;
	struct syslet_completion c;
	cpu_set_t mine, its;
	long ret = TL_UNSET;
	char b;
	int p[2], k, cpu;

	ck_assert_int_eq(sched_getaffinity(0, sizeof(mine), &mine), 0);
	tl_pipe(p);
	for (k = 0; k < 2; k++) {
		pid_t tid;

		syslet_params_init(&prm);
		prm.flags = k ? SYSLET_CTX_NO_PIN : 0;
		ck_assert_int_eq(syslet_ctx_create(&prm, &ctx), 0);
		syslet_atom_init(&rd, SYS_read, &ret, 0, p[0], (long)&b, 1, 0,
				 0, 0);
		ck_assert_int_eq(syslet_submit(ctx, &rd, 0), SYSLET_QUEUED);
		tid = tl_wait_blocked(SYS_read, p[0]);
		ck_assert_int_eq(sched_getaffinity(tid, sizeof(its), &its), 0);
		if (k) {
			ck_assert(CPU_EQUAL(&its, &mine));
		} else {
			ck_assert_int_eq(CPU_COUNT(&its), 1);
			for (cpu = 0; !CPU_ISSET(cpu, &its); cpu++)
				;
			ck_assert(CPU_ISSET(cpu, &mine));
		}
		tl_write1(p[1], 'x');
		tl_wait1(ctx, &c);
		ck_assert_int_eq(c.result, 1);
		tl_destroy(ctx);
	}
	tl_close_pipe(p);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The table: every CALLER number is refused with ASYNC, before running. */

/*
 * A chain that could never execute its CALLER atom even if the library
 * accepted it: getpid is never 0, so STOP_ON_NONZERO always takes the
 * stopped path (atom + 1, a harmless getppid) and ->next, the CALLER
 * atom, is reachable for the check but never run.
 */
static int submit_unreachable(struct syslet_ctx *ctx, int nr,
			      unsigned int aflags, unsigned int sflags)
{
	struct syslet_atom br[2], caller;
	long r0 = TL_UNSET, r1 = TL_UNSET, rc2 = TL_UNSET;
	int rc;

	syslet_atom_init(&br[0], SYS_getpid, &r0,
			 SYSLET_STOP_ON_NONZERO | SYSLET_SKIP_TO_NEXT_ON_STOP |
				 aflags,
			 0, 0, 0, 0, 0, 0);
	syslet_atom_init(&br[1], SYS_getppid, &r1, 0, 0, 0, 0, 0, 0, 0);
	syslet_atom_init(&caller, nr, &rc2, 0, -1, -1, -1, -1, -1, -1);
	br[0].next = &caller;
	rc = syslet_submit(ctx, &br[0], sflags);
	if (rc == SYSLET_QUEUED) {
		struct syslet_completion c;

		tl_wait1(ctx, &c);
	}
	ck_assert_msg(rc2 == TL_UNSET, "%d ran", nr);
	return rc;
}

START_TEST(test_table_caller_refused)
{
	struct syslet_ctx *ctx = tl_ctx(0, 0);
	int max = syslet_syscall_max(), nr, ncaller = 0;

	ck_assert_int_gt(max, 0);
	/* First the safe shape: the CALLER atom cannot run even if accepted. */
	for (nr = 0; nr < max; nr++) {
		if (syslet_syscall_class(nr) != SYSLET_CLASS_CALLER)
			continue;
		ncaller++;
		ck_assert_msg(submit_unreachable(ctx, nr, SYSLET_ASYNC, 0) ==
				      -EINVAL,
			      "%s (%d) with an ASYNC atom accepted",
			      syslet_syscall_name(nr), nr);
		ck_assert_msg(
			submit_unreachable(ctx, nr, 0, SYSLET_SUBMIT_ASYNC) ==
				-EINVAL,
			"%s (%d) with SUBMIT_ASYNC accepted",
			syslet_syscall_name(nr), nr);
	}
	ck_assert_int_gt(ncaller, 50);
	/*
	 * Then the atom itself at the head.  Arguments -1 make the calls that
	 * take any fail, should one run despite the check above.
	 */
	for (nr = 0; nr < max; nr++) {
		struct syslet_atom a;
		long r = TL_UNSET;
		int rc;

		if (syslet_syscall_class(nr) != SYSLET_CLASS_CALLER)
			continue;
		syslet_atom_init(&a, nr, &r, SYSLET_ASYNC, -1, -1, -1, -1, -1,
				 -1);
		rc = syslet_submit(ctx, &a, 0);
		ck_assert_msg(rc == -EINVAL, "%s (%d) ASYNC: %d",
			      syslet_syscall_name(nr), nr, rc);
		a.flags = 0;
		rc = syslet_submit(ctx, &a, SYSLET_SUBMIT_ASYNC);
		ck_assert_msg(rc == -EINVAL, "%s (%d) SUBMIT_ASYNC: %d",
			      syslet_syscall_name(nr), nr, rc);
		rc = syslet_submit(ctx, &a,
				   SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT);
		ck_assert_msg(rc == -EINVAL, "%s (%d) SUBMIT_ASYNC|WAIT: %d",
			      syslet_syscall_name(nr), nr, rc);
		ck_assert_int_eq(r, TL_UNSET);
	}
	tl_assert_ring_empty(ctx);
	tl_destroy(ctx);
}
END_TEST

static Suite *identity_suite(void)
{
	Suite *s = suite_create("identity");
	TCase *tc = tcase_create("identity");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_gettid_as_submitter);
	tcase_add_test(tc, test_getpid_getppid_on_helper);
	tcase_add_test(tc, test_caller_class_refuses_async);
	tcase_add_test(tc, test_caller_chain_blocks_submitter);
	tcase_add_test(tc, test_helper_name_and_mask);
	tcase_add_test(tc, test_helper_pinning);
	tcase_add_test(tc, test_table_caller_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(identity_suite());
}
