// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The stats file of this process: made at load time and again in every
 * forked child (an exec'd image loads the shim afresh and makes its own),
 * in the directory 'syslet run --report' gave in SYSLET_REPORT_DIR.  It is
 * mapped MAP_SHARED and its descriptor closed at once: the shim keeps no
 * descriptors, and the counts outlive the process however it ends.
 *
 * Raw system calls and no stdio here: this runs in fork()'s child, where
 * only async-signal-safe work is allowed, and must not touch errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>

#include "../engine/engine.h"
#include "../policy/policy.h"
#include "shim.h"
#include "stats.h"

struct sr_file *shim_stats_map;
static int bs_state, bs_err; /* shim_stats_backstop(), kept across fork */

void shim_stats_backstop(int state, int err)
{
	bs_state = state;
	bs_err = err;
	if (shim_stats_map) {
		shim_stats_map->h.backstop = state;
		shim_stats_map->h.backstop_err = err;
	}
}
unsigned int shim_stats_gen = 1; /* bumped per fork: slots are reclaimed */
uint64_t shim_stats_block_ns = 1000000;
static char dir[PATH_MAX - 64];

static size_t put_str(char *d, size_t at, size_t max, const char *s)
{
	while (*s && at + 1 < max)
		d[at++] = *s++;
	d[at] = 0;
	return at;
}

static size_t put_uint(char *d, size_t at, size_t max, unsigned long v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < (int)sizeof(tmp));
	while (n && at + 1 < max)
		d[at++] = tmp[--n];
	d[at] = 0;
	return at;
}

/* comm and starttime (field 22) from /proc/self/stat; zeros if absent. */
static void proc_stat(struct sr_header *h)
{
	char buf[1024], *open, *close, *p;
	long fd, n;
	int field;

	fd = sl_sys4(SYS_openat, AT_FDCWD, "/proc/self/stat",
		     O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return;
	n = sl_sys3(SYS_read, fd, buf, sizeof(buf) - 1);
	sl_sys1(SYS_close, fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (!open || !close || close < open)
		return;
	n = close - open - 1;
	memcpy(h->comm, open + 1,
	       (size_t)(n < (long)sizeof(h->comm) ? n
						  : (long)sizeof(h->comm) - 1));
	/* ") S ppid ...": field 3 follows the space after ')'. */
	for (p = close + 1, field = 2; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	h->proc_start = strtoull(p, 0, 10);
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * A new file for this process, mapped at @at (MAP_FIXED over the parent's
 * mapping in a forked child) or anywhere.  0 or -errno.
 */
static long file_make(void *at, struct sr_file **out)
{
	char path[PATH_MAX];
	struct sr_header *h;
	long pid = sl_sys0(SYS_getpid), fd = -EEXIST, m;
	unsigned int seq;
	size_t n;

	n = put_str(path, 0, sizeof(path), dir);
	n = put_str(path, n, sizeof(path), "/");
	n = put_uint(path, n, sizeof(path), (unsigned long)pid);
	n = put_str(path, n, sizeof(path), ".");
	/* seq > 0: an exec'd image, or a pid used again. */
	for (seq = 0; seq < 1000 && fd == -EEXIST; seq++) {
		size_t e = put_uint(path, n, sizeof(path), seq);

		put_str(path, e, sizeof(path), ".stats");
		fd = sl_sys4(SYS_openat, AT_FDCWD, path,
			     O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			     0600);
	}
	if (fd < 0)
		return fd;
	m = sl_sys2(SYS_ftruncate, fd, sizeof(struct sr_file));
	if (!m)
		m = sl_sys6(SYS_mmap, (long)at, sizeof(struct sr_file),
			    PROT_READ | PROT_WRITE,
			    MAP_SHARED | (at ? MAP_FIXED : 0), fd, 0);
	sl_sys1(SYS_close, fd);
	if (m < 0 && m > -4096) {
		sl_sys1(SYS_unlink, path);
		return m;
	}
	h = &((struct sr_file *)m)->h;
	h->version = SR_VERSION;
	h->header_size = sizeof(*h);
	h->nr_max = SR_NR_MAX;
	h->slots = SR_SLOTS;
	h->hist = SR_HIST;
	h->entry_size = sizeof(struct sr_entry);
	h->pid = (int32_t)pid;
	h->ppid = (int32_t)sl_sys0(SYS_getppid);
	h->start_ns = clock_ns(CLOCK_MONOTONIC);
	h->start_real_ns = clock_ns(CLOCK_REALTIME);
	h->block_ns = shim_stats_block_ns;
	h->seq = seq - 1;
	h->backstop = bs_state;
	h->backstop_err = bs_err;
	h->frames = SR_FRAMES;
	h->sites = SR_SITES;
	h->maps = SR_MAPS;
	h->sample = SR_SAMPLE;
	if (program_invocation_name)
		put_str(h->argv0, 0, sizeof(h->argv0), program_invocation_name);
	proc_stat(h);
	shim_maps_refresh((struct sr_file *)m);
	__atomic_store_n(&h->magic, SR_MAGIC, __ATOMIC_RELEASE);
	*out = (struct sr_file *)m;
	return 0;
}

/*
 * The report is over (the launcher removed the directory), or the program
 * became a user who may not write there (the directory is its launcher's,
 * mode 0700) and exec'ed: quietly stop counting, since natively nothing
 * would be said.  Anything else is a failure of ours: one line, native.
 */
static void file_failed(long err)
{
	shim_stats_on = false;
	if (err == -ENOENT || err == -EACCES)
		return;
	shim_warn("cannot make the report's stats file");
	shim_on = false;
}

static void stats_child(void)
{
	struct sr_file *f = shim_stats_map;
	int saved = errno;
	long rc;

	if (!f)
		return;
	__atomic_store_n(&shim_stats_gen, shim_stats_gen + 1, __ATOMIC_RELAXED);
	rc = file_make(f, &f);
	if (rc) {
		/* Never count into the parent's file. */
		shim_stats_map = 0;
		sl_sys2(SYS_munmap, f, sizeof(*f));
		file_failed(rc);
	}
	errno = saved;
}

void shim_stats_init(void)
{
	const char *d = getenv("SYSLET_REPORT_DIR");
	const char *us = getenv("SYSLET_BLOCK_US");
	const char *stacks = getenv("SYSLET_STACKS");
	struct sr_file *f;
	long rc;

	if (!d || !*d)
		return;
	/* syslet run --block-us wins over the policy's report.block_us. */
	if (us && *us)
		shim_stats_block_ns = strtoull(us, 0, 10) * 1000;
	else
		shim_stats_block_ns =
			(uint64_t)shim_policy_value(SP_BLOCK_US) * 1000;
	if (!stacks || strcmp(stacks, "0"))
		shim_sites_init(stacks); /* else no unwinder: no sites */
	if (strlen(d) >= sizeof(dir)) {
		file_failed(-ENAMETOOLONG);
		return;
	}
	strcpy(dir, d);
	rc = file_make(0, &f);
	if (rc) {
		file_failed(rc);
		return;
	}
	shim_stats_map = f;
	if (pthread_atfork(0, 0, stats_child)) {
		sl_sys2(SYS_munmap, f, sizeof(*f));
		shim_stats_map = 0;
		file_failed(-ENOMEM);
		return;
	}
	shim_stats_on = true;
}
