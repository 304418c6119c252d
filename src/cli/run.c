// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet run: start a program with the preload shim, the way strace and
 * valgrind start theirs.  The program's exit status is ours; a signal that
 * killed it kills us the same way; signals sent to us are passed on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "cli.h"

static volatile pid_t child;
static struct observe obs = { .fd = -1 };

/* Why @p cannot be the shim (ld.so would wait on a FIFO for ever), or 0. */
static const char *unusable(const char *p)
{
	struct stat st;

	if (stat(p, &st) || access(p, R_OK))
		return strerror(errno);
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? "is a directory"
					   : "not a regular file";
	return 0;
}

/* --shim, $SYSLET_SHIM, the build tree next to us, then the install;
 * NULL after one line on stderr. */
static const char *find_shim(const char *opt, char *buf, size_t len)
{
	/* Beside us (libtool's .libs/), the build tree, the install. */
	static const char *const rel[] = { "/" SHIM_NAME, "/.libs/" SHIM_NAME,
					   "/../lib/syslet/" SHIM_NAME };
	const char *env = getenv("SYSLET_SHIM"), *why;
	char exe[PATH_MAX];
	ssize_t n;
	size_t i;

	if (opt || (env && *env)) {
		why = unusable(opt ? opt : env);
		if (!why)
			return opt ? opt : env;
		fprintf(stderr, "syslet run: %s %s: %s\n",
			opt ? "--shim" : "SYSLET_SHIM", opt ? opt : env, why);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		const char *dir;

		exe[n] = 0;
		dir = dirname(exe); /* may point into exe: computed once */
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(buf, len, "%s%s", dir, rel[i]);
			if (!unusable(buf))
				return buf;
		}
	}
	snprintf(buf, len, "%s/%s", PKGLIBDIR, SHIM_NAME);
	if (!unusable(buf))
		return buf;
	fprintf(stderr, "syslet run: cannot find %s (give --shim PATH)\n",
		SHIM_NAME);
	return 0;
}

/* Pass on what was sent to us; the terminal's signals reach the child's
 * process group by themselves. */
static void forward(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (child > 0 && si->si_code != SI_KERNEL)
		kill(child, sig);
}

static int wait_child(struct report_opts *rep, char **argv)
{
	static const int sigs[] = { SIGHUP,  SIGINT,  SIGQUIT, SIGTERM,
				    SIGUSR1, SIGUSR2, SIGALRM, SIGWINCH };
	struct sigaction sa;
	size_t i;
	int status;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = forward;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, 0);

	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR) {
			perror("syslet: waitpid");
			return 125;
		}
	observe_finish(&obs); /* every process of the tree is gone */
	if (report_finish(rep, argv, status) && WIFEXITED(status) &&
	    !WEXITSTATUS(status))
		return 125; /* the run went well, its report did not */
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status)) {
		struct rlimit none = { 0, 0 };
		int sig = WTERMSIG(status);
		sigset_t one;

		/*
		 * Die of the same signal, so our parent sees what it would,
		 * but dump no core of ours: the program's (SIGSEGV, SIGABRT)
		 * is the one wanted, and ours would be written over it where
		 * core_pattern has no %p.  A process that is not dumpable
		 * dumps nothing, to a file or to a pipe; the zero limit is
		 * also what a piped core_pattern's handler is told (%c).
		 */
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		setrlimit(RLIMIT_CORE, &none);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigaction(sig, &sa, 0);
		sigemptyset(&one);
		sigaddset(&one, sig);
		sigprocmask(SIG_UNBLOCK, &one, 0);
		raise(sig);
		return 128 + sig;
	}
	return 125;
}

int cmd_run(int argc, char **argv)
{
	/* Static: its policy (malloc'd) is still reachable on every return,
	 * no leak to report; its trace set is 512 bytes. */
	static struct run_args a;
	struct report_opts rep;
	const char *shim, *old;
	char buf[PATH_MAX], *preload, *policy;
	int c, failed[2] = { -1, -1 };

	c = run_parse(&a, argc, argv);
	if (c)
		return c == 1 ? 0 : c;
	rep = a.rep;
	policy = a.policy;
	shim = find_shim(a.shim, buf, sizeof(buf));
	if (!shim)
		return 2;
	old = getenv("LD_PRELOAD");
	if (asprintf(&preload, "%s%s%s", shim, old && *old ? ":" : "",
		     old ? old : "") < 0) {
		perror("syslet run");
		return 125;
	}
	if (a.observe && pipe2(failed, O_CLOEXEC | O_NONBLOCK)) {
		perror("syslet run: pipe");
		free(preload);
		return 125;
	}
	c = report_prepare(&rep);
	if (c) {
		free(preload);
		return c;
	}
	fflush(stdout);
	child = fork();
	if (child < 0) {
		perror("syslet run: fork");
		return 125;
	}
	if (child == 0) {
		setenv("LD_PRELOAD", preload, 1);
		if (a.no_route)
			setenv("SYSLET_ROUTE", "off", 1);
		if (policy)
			setenv("SYSLET_POLICY", policy, 1);
		if (a.trace.given) {
			/* Up to every name of the table: some KiB. */
			size_t n = trace_names(&a.trace, 0, 0) + 1;
			char *names = malloc(n);

			if (!names)
				_exit(125);
			trace_names(&a.trace, names, n);
			setenv("SYSLET_TRACE", names, 1);
		}
		report_env(&rep);
		if (a.observe && (c = observe_child_load())) {
			fprintf(stderr,
				"syslet run: --observe: cannot load "
				"the filter (%s); running unobserved\n",
				strerror(-c));
			if (write(failed[1], "x", 1) != 1)
				_exit(125);
		}
		execvp(argv[a.prog], argv + a.prog);
		fprintf(stderr, "syslet run: %s: %s\n", argv[a.prog],
			strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	free(preload);
	free(a.policy);
	a.policy = 0;
	if (a.observe) {
		close(failed[1]);
		if (!observe_start(&obs, child, failed[0]))
			rep.observed = obs.counts;
		close(failed[0]);
	}
	return wait_child(&rep, argv + a.prog);
}
