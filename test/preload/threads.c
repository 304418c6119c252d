// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Thread identity around routed calls, in the main thread, a thread made
 * before the first routed call and one made after.  Each names itself
 * (pthread_setname_np, prctl(PR_SET_NAME) for main), sets its own signal
 * mask, and makes a routed read during which an SA_RESTART handler runs on
 * it.  Afterwards getpid(), gettid() and syscall(SYS_gettid) answer as
 * before, in the handler too; the name reads back unchanged from
 * pthread_getname_np, prctl(PR_GET_NAME) and /proc; the mask is unchanged.
 */
#include "ptest.h"

#include <signal.h>
#include <sys/prctl.h>

static pid_t pid;
static __thread pid_t h_tid, h_gettid, h_pid;
static int go[2];

static void on_usr1(int sig)
{
	h_tid = pt_tid();
	h_gettid = gettid();
	h_pid = getpid();
}

struct kick {
	pid_t tid;
	pthread_t th;
	int p[2];
	const char *what;
};

/* Report the routed read, run the handler on the reader, then feed it. */
static void *kicker(void *arg)
{
	struct kick *k = arg;

	pt_route(k->tid, k->p[0], SYS_read, k->what);
	PT_CHECK(pthread_kill(k->th, SIGUSR1) == 0);
	pt_msleep(50);
	PT_CHECK(syscall(SYS_write, k->p[1], "data", 4) == 4);
	return 0;
}

static void one(const char *who, const char *name, int extra_sig)
{
	struct kick k = { pt_tid(), pthread_self(), { -1, -1 }, who };
	char pname[16] = { 0 }, cname[16] = { 0 }, comm[32] = { 0 };
	sigset_t set, before, after;
	pthread_t th;
	char buf[8];
	long n;
	int sig, diff = 0;

	if (!strcmp(who, "main"))
		PT_CHECK(prctl(PR_SET_NAME, name) == 0);
	else
		PT_CHECK(pthread_setname_np(pthread_self(), name) == 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, extra_sig);
	PT_CHECK(pthread_sigmask(SIG_BLOCK, &set, 0) == 0);
	PT_CHECK(pthread_sigmask(SIG_BLOCK, 0, &before) == 0);
	h_tid = h_gettid = h_pid = 0;

	PT_CHECK(pipe(k.p) == 0);
	PT_CHECK(pthread_create(&th, 0, kicker, &k) == 0);
	n = read(k.p[0], buf, sizeof(buf));
	pthread_join(th, 0);
	PT_CHECK(pthread_sigmask(SIG_BLOCK, 0, &after) == 0);

	pthread_getname_np(pthread_self(), pname, sizeof(pname));
	prctl(PR_GET_NAME, cname);
	pt_task_file(k.tid, "comm", comm, sizeof(comm));
	comm[strcspn(comm, "\n")] = 0;
	printf("%s: read %ld; tid %s, gettid %s, pid %s; in handler: tid %s, "
	       "gettid %s, pid %s\n",
	       who, n, pt_tid() == k.tid ? "same" : "CHANGED",
	       gettid() == k.tid ? "same" : "CHANGED",
	       getpid() == pid ? "same" : "CHANGED",
	       h_tid == k.tid ? "same" : "WRONG",
	       h_gettid == k.tid ? "same" : "WRONG",
	       h_pid == pid ? "same" : "WRONG");
	printf("%s: names \"%s\" \"%s\" \"%s\"; blocked:", who, pname, cname,
	       comm);
	for (sig = 1; sig < _NSIG; sig++) {
		if (sigismember(&after, sig))
			printf(" %d", sig);
		diff |= sigismember(&before, sig) != sigismember(&after, sig);
	}
	printf("; mask %s\n", diff ? "CHANGED" : "same");
	if (diff || n != 4 || pt_tid() != k.tid || gettid() != k.tid ||
	    getpid() != pid || h_tid != k.tid || h_gettid != k.tid ||
	    h_pid != pid || strcmp(pname, name) || strcmp(cname, name) ||
	    strcmp(comm, name))
		pt_failed = 1;
	close(k.p[0]);
	close(k.p[1]);
}

/* Made before any routed call; waits (raw read) for main's turn to end. */
static void *early(void *arg)
{
	char c;

	PT_CHECK(syscall(SYS_read, go[0], &c, 1) == 1);
	one("early thread", "early-name", SIGRTMIN + 1);
	return 0;
}

static void *late(void *arg)
{
	/* The engine's default cancel signal too: the program may block it. */
	one("late thread", "late-name", SIGRTMAX - 2);
	return 0;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	pthread_t t1, t2;
	int i;

	pt_init();
	pid = getpid();
	PT_CHECK(sigaction(SIGUSR1, &sa, 0) == 0);
	PT_CHECK(pipe(go) == 0);
	PT_CHECK(pthread_create(&t1, 0, early, 0) == 0);
	one("main", "main-name", SIGRTMIN);
	PT_CHECK(syscall(SYS_write, go[1], "g", 1) == 1);
	pthread_join(t1, 0);
	PT_CHECK(pthread_create(&t2, 0, late, 0) == 0);
	pthread_join(t2, 0);
	one("main again", "main-name2", SIGRTMIN);
	/* A joined thread can linger in /proc/self/task for a moment. */
	for (i = 0; i < 500 && pt_count_threads(false) > 1; i++)
		usleep(2000);
	printf("threads other than helpers: %d\n", pt_count_threads(false));
	return pt_exit();
}
