// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Waits that a signal ends natively still end, and restarted ones still
 * restart.  Under the seccomp backstop the shim installs every handler
 * with SA_RESTART and gives an interrupted call, in the handler, the
 * answer the program's flags ask for: here for waits the filter does not
 * catch (a futex in sem_wait(), flock(), fcntl(F_SETLKW) on a lock a
 * child holds) and for ones it does (nanosleep(), a wait4(), a read()
 * and a splice() that would block).  Each wait is interrupted once, 50 ms
 * after it is seen waiting, by a handler without SA_RESTART: it must fail with EINTR, nanosleep()
 * leaving the time that remains.  Then the lock waits again with an
 * SA_RESTART handler: they must go on until the child lets go; and again
 * after siginterrupt() has turned SA_RESTART off, and on.  Last, sigset()
 * holds the signal and lets it in again.
 */
#include "ptest.h"

#include <semaphore.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>

static volatile sig_atomic_t handled;
static pthread_t victim;
static pid_t victim_tid;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
}

/* @arg ms after the victim is seen waiting: never before its wait,
 * however late the machine lets it get there. */
static void *poke(void *arg)
{
	pt_wait_blocked(victim_tid);
	pt_msleep((long)arg);
	pthread_kill(victim, SIGUSR1);
	return 0;
}

static pthread_t poke_in(long ms)
{
	pthread_t th;

	PT_CHECK(pthread_create(&th, 0, poke, (void *)ms) == 0);
	return th;
}

static void reads_back(int flags)
{
	struct sigaction cur;

	PT_CHECK(sigaction(SIGUSR1, 0, &cur) == 0);
	if (cur.sa_handler != on_usr1 ||
	    (cur.sa_flags & SA_RESTART) != (flags & SA_RESTART))
		PT_FAIL("sigaction reads back %p, flags %#x",
			(void *)cur.sa_handler, (unsigned int)cur.sa_flags);
}

/* Installed, and read back as installed: the program's flags. */
static void handler(int flags)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = flags };

	PT_CHECK(sigaction(SIGUSR1, &sa, 0) == 0);
	reads_back(flags);
}

static const char *outcome(int rc)
{
	return rc == 0		? "done"
	       : errno == EINTR ? "EINTR"
				: strerrorname_np(errno);
}

/* A child that holds both locks on @fd for @ms, then exits. */
static pid_t holder(int fd, long ms, int *ready)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char path[64];
	pid_t pid = fork();

	PT_CHECK(pid >= 0);
	if (pid == 0) {
		/* flock() locks an open file, not a process: a new one. */
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		fd = open(path, O_RDWR);
		if (fd < 0 || flock(fd, LOCK_EX) || fcntl(fd, F_SETLK, &fl))
			_exit(1);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		pt_msleep(ms);
		_exit(0);
	}
	return pid;
}

/*
 * Both lock waits, interrupted 50 ms in, with a handler installed with
 * @flags and then, unless @si is -1, changed by siginterrupt(@si).
 */
static void locks(int fd, int flags, int si, const char *what)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int ready[2], st, rc, restart = si < 0 ? flags : si ? 0 : SA_RESTART;
	pthread_t th;
	pid_t pid;
	char c;

	PT_CHECK(pipe(ready) == 0);
	/* Without a restart the wait must end by the signal alone: the
	 * holder outlives any delay (it is killed below). */
	pid = holder(fd, restart ? 300 : 600000, ready);
	PT_CHECK(read(ready[0], &c, 1) == 1);
	handler(flags);
	if (si >= 0) {
		/* Deprecated, but programs still call it (Twisted). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
		PT_CHECK(siginterrupt(SIGUSR1, si) == 0);
#pragma GCC diagnostic pop
		reads_back(restart);
	}
	th = poke_in(50);
	rc = flock(fd, LOCK_EX);
	printf("flock, %s: %s\n", what, outcome(rc));
	pthread_join(th, 0);
	if (!rc)
		flock(fd, LOCK_UN);
	th = poke_in(50);
	rc = fcntl(fd, F_SETLKW, &fl);
	printf("fcntl(F_SETLKW), %s: %s\n", what, outcome(rc));
	pthread_join(th, 0);
	fl.l_type = F_UNLCK;
	if (!rc)
		PT_CHECK(fcntl(fd, F_SETLK, &fl) == 0);
	kill(pid, SIGKILL);
	PT_CHECK(waitpid(pid, &st, 0) == pid);
	close(ready[0]);
	close(ready[1]);
}

int main(void)
{
	struct timespec ts = { 5, 0 };
	char path[] = "/tmp/syslet-waits.XXXXXX", c;
	int fd, p[2], q[2], rc, st;
	pthread_t th;
	pid_t pid;
	sem_t sem;

	pt_init();
	alarm(60); /* a wait that no longer ends fails the test, not make */
	victim = pthread_self();
	victim_tid = pt_tid();
	handler(0);

	PT_CHECK(sem_init(&sem, 0, 0) == 0);
	th = poke_in(50);
	rc = sem_wait(&sem);
	printf("sem_wait: %s\n", outcome(rc));
	pthread_join(th, 0);

	th = poke_in(50);
	rc = nanosleep(&ts, &ts);
	printf("nanosleep: %s, %s of 5 s left\n", outcome(rc),
	       ts.tv_sec >= 4 && ts.tv_sec < 5 ? "most" : "not most");
	pthread_join(th, 0);

	PT_CHECK((pid = fork()) >= 0);
	if (pid == 0) {
		pt_msleep(2000);
		_exit(0);
	}
	th = poke_in(50);
	rc = waitpid(pid, &st, 0) == pid ? 0 : -1;
	printf("waitpid: %s\n", outcome(rc));
	pthread_join(th, 0);
	kill(pid, SIGKILL);
	PT_CHECK(waitpid(pid, &st, 0) == pid);

	PT_CHECK(pipe(p) == 0);
	th = poke_in(50);
	rc = read(p[0], &c, 1) == 1 ? 0 : -1;
	printf("read of an empty pipe: %s\n", outcome(rc));
	pthread_join(th, 0);

	/* A wait the shim cannot judge without making the call. */
	PT_CHECK(pipe(q) == 0);
	th = poke_in(50);
	rc = splice(p[0], 0, q[1], 0, 1, 0) == 1 ? 0 : -1;
	printf("splice from an empty pipe: %s\n", outcome(rc));
	pthread_join(th, 0);

	/*
	 * The same in a child at once, before it has a listener of its own
	 * under the backstop: its parent's lets it make the call itself.
	 */
	PT_CHECK((pid = fork()) >= 0);
	if (pid == 0) {
		struct sigaction sa = { .sa_handler = on_usr1 };

		sigaction(SIGALRM, &sa, 0);
		/* Again every 50 ms: one that came before the call is not
		 * the last. */
		ualarm(50000, 50000);
		_exit(splice(p[0], 0, q[1], 0, 1, 0) < 0 && errno == EINTR ? 0
									   : 1);
	}
	PT_CHECK(waitpid(pid, &st, 0) == pid);
	printf("splice in a child just forked: %s\n",
	       WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "EINTR" : "not EINTR");

	PT_CHECK((fd = mkstemp(path)) >= 0);
	unlink(path);
	locks(fd, 0, -1, "no SA_RESTART");
	locks(fd, SA_RESTART, -1, "SA_RESTART");
	locks(fd, SA_RESTART, 1, "SA_RESTART, then siginterrupt(1)");
	locks(fd, 0, 0, "no SA_RESTART, then siginterrupt(0)");
	/* sigset(): the C library's changes the action behind sigaction(). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	printf("sigset(SIG_HOLD) gives back the handler: %s\n",
	       sigset(SIGUSR1, SIG_HOLD) == on_usr1 ? "yes" : "no");
	raise(SIGUSR1); /* held */
	printf("sigset(handler) gives back SIG_HOLD: %s\n",
	       sigset(SIGUSR1, on_usr1) == SIG_HOLD ? "yes" : "no");
#pragma GCC diagnostic pop
	reads_back(0);
	printf("handlers ran: %d\n", (int)handled);
	return pt_exit();
}
