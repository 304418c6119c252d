// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A signal handler's call made while its thread is inside the shim, as
 * tevent's handler writes to its eventfd whenever smbd gets SIGCHLD.
 * Another thread interrupts the main thread some 20,000 times a second;
 * each handler adds 1 to an eventfd.  Meanwhile the main thread first
 * waits in epoll_wait() (a call the shim gives to a helper, taking the
 * engine's lock around it), then forks 300 children (the engine holds
 * its locks across fork()).  Under the backstop the handler's write is
 * caught by the filter: it used to reach a listener that needed the very
 * lock the interrupted thread held in fork(), and both waited for ever
 * (smbd under the backstop).  Every handler's write must count once: the
 * eventfd's total is the number of runs.
 *
 * "handler_call restart" installs the handler with SA_RESTART, as
 * tevent does and the backstop run (bs_handler_call.sh) does; whether a
 * caught call fails with EINTR without it is sig_nointr.c's business.
 */
#include "ptest.h"

#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>

#define SECONDS 1.0
#define FORKS 300

static volatile sig_atomic_t handled, stop;
static pthread_t waiter;
static int efd;

static void on_usr1(int sig)
{
	uint64_t one = 1;
	int saved = errno;

	if (write(efd, &one, sizeof(one)) == sizeof(one))
		handled++;
	errno = saved;
}

static void *interrupter(void *arg)
{
	double end;

	while (!stop) {
		pthread_kill(waiter, SIGUSR1);
		end = pt_now() + 50e-6;
		while (pt_now() < end)
			;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	struct epoll_event ev;
	uint64_t total = 0;
	pthread_t th;
	long waits = 0;
	double end;
	int ep, i, st, bad = 0;
	pid_t pid;

	pt_init();
	if (argc > 1 && !strcmp(argv[1], "restart"))
		sa.sa_flags = SA_RESTART;
	waiter = pthread_self();
	PT_CHECK((efd = eventfd(0, EFD_CLOEXEC)) >= 0);
	PT_CHECK((ep = epoll_create1(EPOLL_CLOEXEC)) >= 0);
	PT_CHECK(sigaction(SIGUSR1, &sa, 0) == 0);
	PT_CHECK(pthread_create(&th, 0, interrupter, 0) == 0);
	end = pt_now() + SECONDS;
	/* Loaded machine: go on (at most 20 s more) until interrupted often. */
	while (pt_now() < end || (handled < 200 && pt_now() < end + 20)) {
		int n = epoll_wait(ep, &ev, 1, 1);

		if (n != 0 && !(n < 0 && errno == EINTR))
			PT_FAIL("epoll_wait: %d (%s)", n,
				strerrorname_np(errno));
		waits++;
	}
	for (i = 0; i < FORKS; i++) {
		pid = fork();
		if (pid == 0)
			_exit(7);
		PT_CHECK(pid > 0);
		while (waitpid(pid, &st, 0) < 0)
			PT_CHECK(errno == EINTR);
		bad += !WIFEXITED(st) || WEXITSTATUS(st) != 7;
	}
	printf("children exited 7: %d of %d\n", FORKS - bad, FORKS);
	stop = 1;
	pthread_join(th, 0);
	PT_CHECK(read(efd, &total, sizeof(total)) == sizeof(total));
	printf("handler writes counted once each: %s\n",
	       total == (uint64_t)handled ? "yes" : "no");
	printf("handlers ran: %s\n", handled > 100 ? "many" : "few");
	fprintf(stderr, "info: %d handlers, %ld waits, eventfd %llu\n",
		(int)handled, waits, (unsigned long long)total);
	return pt_exit();
}
