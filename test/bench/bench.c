// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The syslet benchmark (not a test: 'make bench' or scripts/bench).
 *
 * In one run, on the same files and machine, it measures
 *   1. one cached 4 KiB pread issued every way (bench_pread.c),
 *   2. a metadata storm, openat + fstat + close of many files at queue
 *      depth 32 (bench_meta.c),
 *   3. 4 KiB O_DIRECT random reads at queue depth 32 (bench_direct.c),
 * prints a table for each, then the project's targets: ratios of medians
 * measured in this run (bench_targets.c).  Every row is repeated (--runs,
 * interleaved with the other rows of its section); each run reports its
 * mean, each row the median of those means with the fastest and slowest
 * run.  Any unexpected result of any call ends the program with a message.
 *
 * --contend runs it all with one CPU-bound process on each CPU
 * (bench_contend.c); --summary FILE writes the targets for scripts/bench,
 * which runs the benchmark quiet and contended and prints both.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <gnu/libc-version.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bench.h"

#define BENCH_PROG "bench"
#include "num_arg.h"

struct bench_opts bench_opts = {
	.runs = 7,
	.run_ms = 150,
	.meta_files = 10000,
	.direct_mib = 256,
	.direct_ms = 700,
	.depth = 32,
	.tmpdir = NULL,
	.sections = { false, true, true, true },
};
struct bench_results bench_results;
char bench_dir[4096];
char bench_extra_file[4400];

static void usage(FILE *f)
{
	fprintf(f,
		"usage: bench_syslet [options]\n"
		"Measures libsyslet against direct system calls, io_uring, glibc AIO\n"
		"and a plain thread pool; prints tables of medians and the targets.\n"
		"\n"
		"  --quick           fewer, shorter runs, smaller files (under 20 seconds\n"
		"                    on a quiet machine without --contend)\n"
		"  --runs N          repetitions of every row (default 7, quick 5; 3..%d)\n"
		"  --ms N            target ms per run, section 1 (default 150, quick 60)\n"
		"  --files N         metadata storm files (default 10000, quick 3000)\n"
		"  --direct-mib N    O_DIRECT file size in MiB (default 256, quick 64)\n"
		"  --direct-ms N     target ms per run, section 3 (default 700, quick 300)\n"
		"  --depth N         queue depth of sections 2 and 3 (default 32)\n"
		"  --tmpdir DIR      where the temporary directory goes (default $TMPDIR\n"
		"                    or /tmp)\n"
		"  --only LIST       sections to run, e.g. 1 or 2,3 (default 1,2,3)\n"
		"  --ident-notify    contexts with SYSLET_CTX_IDENT_NOTIFY: the caller's\n"
		"                    identity is captured once, not at every hand-off\n"
		"  --contend         under contention: one CPU-bound process pinned to\n"
		"                    each CPU this process may use, at its nice value,\n"
		"                    from before section 1 to after the last section;\n"
		"                    killed and reaped on every exit (SIGINT, SIGTERM,\n"
		"                    SIGHUP, SIGQUIT included) and by the kernel if the\n"
		"                    benchmark is killed; not counted as \"other\" CPU\n"
		"                    use in the DISTURBED lines\n"
		"  --summary FILE    also write the targets to FILE, one tab-separated\n"
		"                    \"key value...\" line each (scripts/bench reads it)\n"
		"  -h, --help        this text\n",
		BENCH_MAX_RUNS);
}

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quick", no_argument, NULL, 'q' },
		{ "ident-notify", no_argument, NULL, 'I' },
		{ "contend", no_argument, NULL, 'C' },
		{ "summary", required_argument, NULL, 'S' },
		{ "runs", required_argument, NULL, 'r' },
		{ "ms", required_argument, NULL, 'm' },
		{ "files", required_argument, NULL, 'f' },
		{ "direct-mib", required_argument, NULL, 'D' },
		{ "direct-ms", required_argument, NULL, 'M' },
		{ "depth", required_argument, NULL, 'd' },
		{ "tmpdir", required_argument, NULL, 't' },
		{ "only", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bench_opts *o = &bench_opts;
	int c, i;

	/* --quick first, so that explicit options override it wherever given.
	 */
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--quick")) {
			o->quick = true;
			o->runs = 5;
			o->run_ms = 60;
			o->meta_files = 3000;
			o->direct_mib = 64;
			o->direct_ms = 300;
		}
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'q':
			break;
		case 'I':
			o->ident_notify = true;
			break;
		case 'C':
			o->contend = true;
			break;
		case 'S':
			o->summary = optarg;
			break;
		case 'r':
			o->runs = (int)num_arg("--runs", optarg, 3,
					       BENCH_MAX_RUNS);
			break;
		case 'm':
			o->run_ms = num_arg("--ms", optarg, 1, 60000);
			break;
		case 'f':
			o->meta_files = num_arg("--files", optarg, 1, 10000000);
			break;
		case 'D':
			o->direct_mib =
				num_arg("--direct-mib", optarg, 1, 1 << 20);
			break;
		case 'M':
			o->direct_ms =
				num_arg("--direct-ms", optarg, 1, 600000);
			break;
		case 'd':
			o->depth = (int)num_arg("--depth", optarg, 1, 256);
			break;
		case 't':
			o->tmpdir = optarg;
			break;
		case 'o': {
			const char *s;

			memset(o->sections, 0, sizeof(o->sections));
			for (s = optarg; *s; s++) {
				if (*s >= '1' && *s <= '3')
					o->sections[*s - '0'] = true;
				else if (*s != ',') {
					fprintf(stderr,
						"bench: --only: sections "
						"are 1, 2 and 3\n");
					exit(1);
				}
			}
			break;
		}
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(1);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "bench: unexpected argument '%s'\n",
			argv[optind]);
		usage(stderr);
		exit(1);
	}
}

static int rm_one(const char *path, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) != 0)
		fprintf(stderr, "bench: warning: cannot remove %s: %s\n", path,
			strerror(errno));
	return 0;
}

static void cleanup(void)
{
	bench_contend_stop();
	if (bench_extra_file[0])
		unlink(bench_extra_file);
	bench_extra_file[0] = 0;
	if (bench_dir[0])
		nftw(bench_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	bench_dir[0] = 0;
}

static void print_machine(void)
{
	struct utsname u;
	struct statfs sf;
	char line[512], model[256] = "unknown";
	FILE *f;
	int allowed = 0;

	BENCH_CHECK(uname(&u) == 0, "uname");
	f = fopen("/proc/cpuinfo", "re");
	BENCH_CHECK(f != NULL, "open /proc/cpuinfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "model name", 10)) {
			char *v = strchr(line, ':');

			if (v) {
				v += 1 + strspn(v + 1, " \t");
				v[strcspn(v, "\n")] = 0;
				snprintf(model, sizeof(model), "%s", v);
			}
			break;
		}
	fclose(f);
	while (bench_allowed_cpu(allowed) >= 0)
		allowed++;
	BENCH_CHECK(statfs(bench_dir, &sf) == 0, "statfs %s", bench_dir);

	printf("syslet benchmark%s%s\n", bench_opts.quick ? " (--quick)" : "",
	       bench_opts.contend ? ", under contention (--contend)" : "");
	printf("  machine:  %ld CPUs online (nproc %d), %s\n",
	       sysconf(_SC_NPROCESSORS_ONLN), allowed, model);
	printf("  kernel:   %s %s %s\n", u.sysname, u.release, u.version);
	printf("  glibc:    %s; compiler: %s %d.%d.%d\n",
	       gnu_get_libc_version(),
#ifdef __clang__
	       "clang", __clang_major__, __clang_minor__, __clang_patchlevel__
#else
	       "gcc", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__
#endif
	);
#if !defined(__OPTIMIZE__)
	printf("  WARNING:  built without optimization: not representative\n");
#endif
#if defined(__SANITIZE_ADDRESS__)
	printf("  WARNING:  built with AddressSanitizer: not representative\n");
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	printf("  WARNING:  built with AddressSanitizer: not representative\n");
#endif
#endif
	printf("  temp dir: %s (f_type %#lx)\n", bench_dir,
	       (unsigned long)sf.f_type);
	printf("  settings: %d runs per row; section 1 ~%ld ms per run; %ld "
	       "files; %ld MiB O_DIRECT file,\n            ~%ld ms per run; "
	       "queue depth %d\n",
	       bench_opts.runs, bench_opts.run_ms, bench_opts.meta_files,
	       bench_opts.direct_mib, bench_opts.direct_ms, bench_opts.depth);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	const char *parent;

	parse_args(argc, argv);
	if (bench_opts.summary)
		bench_summary_open(bench_opts.summary);
	setvbuf(stdout, NULL, _IOLBF, 0);
	parent = bench_opts.tmpdir ? bench_opts.tmpdir : getenv("TMPDIR");
	if (!parent || !*parent)
		parent = "/tmp";
	snprintf(bench_dir, sizeof(bench_dir), "%s/syslet-bench-XXXXXX",
		 parent);
	if (!mkdtemp(bench_dir)) {
		int err = errno;

		bench_dir[0] = 0;
		errno = err;
		bench_die_errno("mkdtemp in %s", parent);
	}
	BENCH_CHECK(atexit(cleanup) == 0, "atexit");
	print_machine();
	if (bench_opts.contend)
		bench_contend_start();

	if (bench_opts.sections[1])
		bench_pread_section();
	if (bench_opts.sections[2])
		bench_meta_section();
	if (bench_opts.sections[3])
		bench_direct_section();
	bench_contend_stop();
	bench_print_targets();
	return 0;
}
