// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * --contend: the engine measured when it has to share every CPU.  One
 * CPU-bound child process ("hog") per CPU this process may run on, each
 * pinned to its CPU and spinning in a plain loop at the benchmark's own
 * nice value, from before the first section to after the last.
 *
 * A hog never outlives the run:
 *   - bench_contend_stop() kills (SIGKILL) and reaps every hog; main calls
 *     it after the last section, its atexit handler on every other exit
 *     (bench_die included);
 *   - SIGINT, SIGTERM, SIGHUP and SIGQUIT run a handler that does the same
 *     (it uses only async-signal-safe calls), then die of the signal; one
 *     that was ignored when the benchmark started (nohup, a background
 *     job's SIGINT) stays ignored;
 *   - a hog has the kernel send it SIGKILL when the thread that forked it,
 *     the benchmark's main thread, ends (PR_SET_PDEATHSIG): a SIGKILL of
 *     the benchmark or a crash.
 * A hog claimed by the normal path and by the handler at once is stopped
 * by one of them only: each takes its pid with an atomic exchange.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define HOG_MAX CPU_SETSIZE

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
#define NSTOP ((int)(sizeof(stop_signals) / sizeof(stop_signals[0])))

static int hog_pid[HOG_MAX]; /* 0: none, or stopped */
static int hog_cpu[HOG_MAX];
int bench_hogs;

static void on_stop_signal(int sig);

static __attribute__((noreturn)) void hog(int cpu, pid_t parent,
					  const sigset_t *mask)
{
	volatile unsigned long spin = 0;
	struct sigaction sa;
	cpu_set_t set;
	int i;

	/* The benchmark's handlers are not for a hog; ignored stays ignored. */
	for (i = 0; i < NSTOP; i++)
		if (sigaction(stop_signals[i], NULL, &sa) == 0 &&
		    sa.sa_handler == on_stop_signal)
			signal(stop_signals[i], SIG_DFL);
	/* The parent may have died between fork() and prctl(). */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(1);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		_exit(1);
	sigprocmask(SIG_SETMASK, mask, NULL);
	for (;;)
		spin++;
}

void bench_contend_stop(void)
{
	pid_t pids[HOG_MAX];
	int i, n = 0, err = errno;

	for (i = 0; i < bench_hogs; i++) {
		pid_t pid =
			__atomic_exchange_n(&hog_pid[i], 0, __ATOMIC_SEQ_CST);

		if (pid > 0 && kill(pid, SIGKILL) == 0)
			pids[n++] = pid;
	}
	for (i = 0; i < n; i++)
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
			;
	errno = err;
}

static void on_stop_signal(int sig)
{
	bench_contend_stop();
	signal(sig, SIG_DFL);
	raise(sig); /* blocked in here: delivered, fatal, on return */
}

void bench_contend_start(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal };
	sigset_t block, old;
	pid_t parent = getpid();
	int i, cpu, nice_value;

	sigemptyset(&block);
	for (i = 0; i < NSTOP; i++)
		sigaddset(&block, stop_signals[i]);
	sa.sa_mask = block;
	for (i = 0; i < NSTOP; i++) {
		struct sigaction was;

		BENCH_CHECK(sigaction(stop_signals[i], NULL, &was) == 0,
			    "sigaction");
		if (was.sa_handler != SIG_IGN)
			BENCH_CHECK(sigaction(stop_signals[i], &sa, NULL) == 0,
				    "sigaction");
	}
	/* No stop signal between a fork() and the note of its pid. */
	BENCH_CHECK(sigprocmask(SIG_BLOCK, &block, &old) == 0, "sigprocmask");
	fflush(NULL);
	for (i = 0; i < HOG_MAX && (cpu = bench_allowed_cpu(i)) >= 0; i++) {
		pid_t pid = fork();

		BENCH_CHECK(pid >= 0, "fork (CPU hog for CPU %d)", cpu);
		if (pid == 0)
			hog(cpu, parent, &old);
		hog_cpu[i] = cpu;
		__atomic_store_n(&hog_pid[i], pid, __ATOMIC_SEQ_CST);
		bench_hogs = i + 1;
	}
	BENCH_CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0, "sigprocmask");

	errno = 0;
	nice_value = getpriority(PRIO_PROCESS, 0);
	BENCH_CHECK(errno == 0, "getpriority");
	printf("  contend:  %d CPU-bound processes (\"CPU hogs\"), one pinned "
	       "to each CPU this\n            process may use, at nice %d "
	       "like the benchmark; pids",
	       bench_hogs, nice_value);
	for (i = 0; i < bench_hogs; i++)
		printf(" %d", hog_pid[i]);
	printf("\n");
}

unsigned long long bench_contend_ticks(void)
{
	unsigned long long sum = 0, t;
	char path[64];
	int i;

	for (i = 0; i < bench_hogs; i++) {
		pid_t pid = __atomic_load_n(&hog_pid[i], __ATOMIC_SEQ_CST);

		if (pid <= 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		if (bench_proc_ticks(path, &t) == 'Z')
			bench_die("the CPU hog on CPU %d (pid %d) has exited",
				  hog_cpu[i], pid);
		sum += t;
	}
	return sum;
}
