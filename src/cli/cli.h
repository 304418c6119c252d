/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The syslet command: one file per subcommand. */
#ifndef SYSLET_CLI_H
#define SYSLET_CLI_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

struct option;

/* args.c: the same usage errors everywhere.  cli_getopt() is
 * getopt_long() (set optind to 0 before the first call) that, on a bad
 * option, prints one line "CMD: unknown option '--x'" (or "needs an
 * argument", "takes no argument", "ambiguous") and returns '?'.
 * cli_usage_error() prints "CMD: " and the message, then @usage (if not
 * NULL) to stderr, and returns 2; cli_extra() says "unexpected argument
 * '@arg'" so. */
int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *lo);
int cli_usage_error(const char *cmd, void (*usage)(FILE *), const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));
int cli_extra(const char *cmd, void (*usage)(FILE *), const char *arg);
/* @s made fit for a one-line message: control bytes escaped, cut at
 * about CLI_SAFE_MAX bytes; the last four results stay valid. */
#define CLI_SAFE_MAX 256
const char *cli_safe(const char *s);

/* trace.c: -e trace=NAME,... (strace's filter, its trace= part).
 * trace_parse() adds the calls @expr names to @t: 0, or -1 with a reason
 * in @why.  trace_names() writes the set as "read,openat" (what the shim
 * reads in SYSLET_TRACE) and returns its length, snprintf's way. */
#define TRACE_NR_MAX 512 /* x86-64 numbers; the report's SR_NR_MAX */
struct trace_set {
	bool given; /* some -e was given: only the calls in on[] count */
	bool on[TRACE_NR_MAX];
};
int trace_parse(struct trace_set *t, const char *expr, char *why, size_t len);
size_t trace_names(const struct trace_set *t, char *buf, size_t len);

int cmd_run(int argc, char **argv);
int cmd_calls(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_policy_suggest(int argc, char **argv); /* policy_suggest.c */
int cmd_policy_export(int argc, char **argv);  /* policy_export.c */
int cmd_report(int argc, char **argv);	       /* report_cmd.c */

/* report_run.c: syslet run --report */
struct report_opts {
	const char *json, *table; /* output files; json NULL: no report */
	const char *block_us;	  /* --block-us, else the shim's default */
	bool no_stacks;		  /* --no-stacks: no call sites */
	const uint64_t *observed; /* --observe: counts by number, or NULL */
	char *dir;		  /* the shim's directory, while running */
};
int report_prepare(struct report_opts *o);
void report_env(const struct report_opts *o);
int report_finish(struct report_opts *o, char **argv, int status);

/* run_args.c: syslet run's options.  run_parse() fills @a (freeing the
 * policy of an earlier call): 0 to run argv[a->prog], 1 after --help on
 * stdout, 2 after a usage error on stderr. */
#define SHIM_NAME "libsyslet-preload.so"
struct run_args {
	struct report_opts rep;
	const char *shim; /* --shim */
	char *policy;	  /* --policy, made absolute (malloc'd) */
	bool no_route, observe;
	struct trace_set trace;
	int prog; /* argv index of the program */
};
int run_parse(struct run_args *a, int argc, char **argv);

/* report_args.c: syslet report's options.  report_parse() fills @o: 0 to
 * act on the files from argv[o->files], 1 after --help on stdout, 2 after
 * a usage error on stderr. */
struct report_args {
	bool per_process, compare, log;
	bool sites, threads; /* --sites, --threads */
	const char *folded;  /* --folded FILE */
	const char *flame;   /* --flamegraph FILE */
	int sort;	     /* enum rp_sort */
	int format;	     /* enum rp_format */
	size_t top;
	const char *merge, *png;
	struct trace_set trace;
	int files; /* argv index of the first file */
};
int report_parse(struct report_args *o, int argc, char **argv);

/* observe.c: syslet run --observe */
#define OBSERVE_NR_MAX 512
struct observe {
	int fd;
	bool serving;
	pthread_t thread;
	uint64_t counts[OBSERVE_NR_MAX]; /* by system call number */
};
int observe_child_load(void);
int observe_start(struct observe *o, pid_t pid, int failed);
void observe_finish(struct observe *o);

#endif
