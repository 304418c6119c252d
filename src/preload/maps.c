// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The executable file mappings of this process, kept in its stats file
 * (layout.h, struct sr_map) so that the launcher can name a site's
 * addresses after the process is gone.  Read from /proc/self/maps at load
 * time (and in a forked child's new file), and again when a new site has
 * an address no entry covers (a library dlopen()ed since).
 *
 * Raw system calls and a buffer on the stack: this runs where a call was
 * counted, in a signal handler or a forked child as well.  One thread
 * adds at a time; another that finds it busy leaves it (the next new
 * site tries again) rather than wait.  Entries are appended and published
 * by maps_used (release), so a reader never sees one half written.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/syscall.h>

#include "../engine/engine.h"
#include "shim.h"
#include "stats.h"

static bool covered(const struct sr_file *f, uint64_t pc)
{
	uint32_t i, n = __atomic_load_n(&f->h.maps_used, __ATOMIC_ACQUIRE);

	for (i = 0; i < n && i < SR_MAPS; i++)
		if (pc >= f->map[i].start && pc < f->map[i].end)
			return true;
	return false;
}

static uint64_t hex(const char **p)
{
	uint64_t v = 0;

	for (;; (*p)++) {
		char c = **p;

		if (c >= '0' && c <= '9')
			v = v * 16 + (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (uint64_t)(c - 'a' + 10);
		else
			return v;
	}
}

/* One line "start-end perms offset dev inode path": kept if r-x, of a
 * file, and new. */
static void line(struct sr_file *f, const char *l, const char *end)
{
	const char *p = l, *path;
	uint64_t start, stop, off;
	uint32_t n = f->h.maps_used, i;
	struct sr_map *m;

	start = hex(&p);
	if (*p++ != '-')
		return;
	stop = hex(&p);
	if (p + 6 > end || p[1] != 'r' || p[3] != 'x')
		return;
	p += 6;
	off = hex(&p);
	for (path = p; path < end && *path != '/'; path++)
		;
	if (path >= end || end - path >= SR_MAP_PATH || n >= SR_MAPS)
		return;
	for (i = 0; i < n; i++)
		if (f->map[i].start == start && f->map[i].end == stop)
			return;
	m = &f->map[n];
	m->start = start;
	m->end = stop;
	m->offset = off;
	for (i = 0; path + i < end; i++)
		m->path[i] = path[i];
	m->path[i] = 0;
	__atomic_store_n(&f->h.maps_used, n + 1, __ATOMIC_RELEASE);
}

void shim_maps_refresh(struct sr_file *f)
{
	char buf[2048];
	size_t have = 0, i, from;
	uint32_t busy = 0;
	long fd, n;

	if (!__atomic_compare_exchange_n(&f->h.maps_busy, &busy, 1, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	fd = sl_sys4(SYS_openat, AT_FDCWD, "/proc/self/maps",
		     O_RDONLY | O_CLOEXEC, 0);
	while (fd >= 0) {
		n = sl_sys3(SYS_read, fd, buf + have, sizeof(buf) - have);
		if (n <= 0)
			break;
		have += (size_t)n;
		for (i = from = 0; i < have; i++)
			if (buf[i] == '\n') {
				line(f, buf + from, buf + i);
				from = i + 1;
			}
		/* A line longer than the buffer (a very long path): dropped. */
		if (!from)
			from = have;
		for (i = from; i < have; i++)
			buf[i - from] = buf[i];
		have -= from;
	}
	if (fd >= 0)
		sl_sys1(SYS_close, fd);
	__atomic_store_n(&f->h.maps_busy, 0, __ATOMIC_RELEASE);
}

void shim_maps_cover(struct sr_file *f, const uint64_t *pc, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!covered(f, pc[i])) {
			shim_maps_refresh(f);
			return;
		}
}
