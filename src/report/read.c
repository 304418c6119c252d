// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Gathering the stats files into processes.  A process that exec()s
 * leaves one file per image; they share pid and /proc starttime, and are
 * summed into one process (its images listed).  Processes still running
 * (daemons) are read as they are: counters are read atomically one by one.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

#define U64S(type) (sizeof(type) / sizeof(uint64_t))

void rp_entry_add(struct sr_entry *dst, const struct sr_entry *src)
{
	uint64_t *d = (uint64_t *)dst;
	const uint64_t *s = (const uint64_t *)src;
	size_t i;

	for (i = 0; i < U64S(struct sr_entry); i++)
		d[i] += __atomic_load_n(&s[i], __ATOMIC_RELAXED);
}

static bool header_ok(const struct sr_header *h)
{
	return __atomic_load_n(&h->magic, __ATOMIC_ACQUIRE) == SR_MAGIC &&
	       h->version == SR_VERSION && h->header_size == sizeof(*h) &&
	       h->nr_max == SR_NR_MAX && h->slots == SR_SLOTS &&
	       h->hist == SR_HIST && h->entry_size == sizeof(struct sr_entry) &&
	       h->frames == SR_FRAMES && h->sites == SR_SITES &&
	       h->maps == SR_MAPS;
}

static struct rp_proc *proc_of(struct rp_report *r, const struct sr_header *h)
{
	struct rp_proc *p, *procs;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->procs[i].pid == h->pid &&
		    r->procs[i].proc_start == h->proc_start)
			return &r->procs[i];
	procs = realloc(r->procs, (r->n + 1) * sizeof(*procs));
	if (!procs)
		return 0;
	r->procs = procs;
	p = &procs[r->n];
	memset(p, 0, sizeof(*p));
	p->e = calloc(SR_NR_MAX, sizeof(*p->e));
	if (!p->e)
		return 0;
	r->n++;
	p->pid = h->pid;
	p->ppid = h->ppid;
	p->proc_start = h->proc_start;
	p->start_ns = h->start_ns;
	p->start_real_ns = h->start_real_ns;
	return p;
}

/* Add one valid file (already checked) to its process. */
int rp_add_file(struct rp_report *r, const struct sr_file *f)
{
	const struct sr_header *h = &f->h;
	struct rp_proc *p;
	uint32_t used;
	size_t s, nr;

	if (!header_ok(h))
		return h->magic == SR_MAGIC && h->version != SR_VERSION
			       ? -EPROTO
			       : -EINVAL;
	p = proc_of(r, h);
	if (!p)
		return -ENOMEM;
	/* Images in seq order; files may come in any order. */
	if (p->nimages < 8 && h->seq < 8) {
		memcpy(p->images[h->seq], h->argv0, SR_NAME_MAX);
		p->images[h->seq][SR_NAME_MAX - 1] = 0;
		if (h->seq + 1 > p->nimages)
			p->nimages = h->seq + 1;
	}
	/* An image that ran its caught calls natively taints the process. */
	if (h->backstop == SR_BS_OFF || (h->backstop && !p->backstop)) {
		p->backstop = h->backstop;
		p->backstop_err = h->backstop_err;
	}
	if (h->start_ns < p->start_ns) {
		p->start_ns = h->start_ns;
		p->start_real_ns = h->start_real_ns;
	}
	if (h->seq + 1 >= p->nimages) {
		memcpy(p->comm, h->comm, sizeof(p->comm));
		p->comm[sizeof(p->comm) - 1] = 0;
		p->block_ns = h->block_ns;
	}
	used = __atomic_load_n(&h->slots_used, __ATOMIC_RELAXED);
	p->threads += used;
	for (s = 0; s < SR_SLOTS; s++) {
		uint64_t last =
			__atomic_load_n(&f->slot[s].last_ns, __ATOMIC_RELAXED);

		if (last > p->last_ns)
			p->last_ns = last;
		if (s >= used)
			break; /* never claimed: its pages are holes */
		for (nr = 0; nr < SR_NR_MAX; nr++)
			rp_entry_add(&p->e[nr], &f->slot[s].e[nr]);
	}
	return rp_sites_add_file(p, f);
}

/* A stats file of another layout version (a shim of another build): its
 * header's first fields are the same in every version. */
static bool other_version(int fd)
{
	struct {
		uint64_t magic;
		uint32_t version;
	} h;

	return pread(fd, &h, sizeof(h), 0) == (ssize_t)sizeof(h) &&
	       h.magic == SR_MAGIC && h.version != SR_VERSION;
}

static int read_one(struct rp_report *r, int dfd, const char *name)
{
	struct stat st;
	void *m;
	int fd, rc;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    st.st_size != (off_t)sizeof(struct sr_file)) {
		rc = S_ISREG(st.st_mode) && other_version(fd) ? -EPROTO
							      : -EINVAL;
		close(fd);
		return rc;
	}
	m = mmap(0, sizeof(struct sr_file), PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return -errno;
	rc = rp_add_file(r, m);
	munmap(m, sizeof(struct sr_file));
	return rc;
}

static int by_start(const void *a, const void *b)
{
	const struct rp_proc *x = a, *y = b;

	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return x->pid - y->pid;
}

int rp_read_dir(struct rp_report *r, const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (len < 6 || strcmp(de->d_name + len - 6, ".stats"))
			continue;
		rc = read_one(r, dirfd(d), de->d_name);
		if (rc == -ENOMEM)
			break;
		if (rc)
			r->skipped++;
		if (rc == -EPROTO)
			r->other_version++;
		rc = 0;
	}
	closedir(d);
	if (r->n)
		qsort(r->procs, r->n, sizeof(*r->procs), by_start);
	return rc;
}

void rp_free(struct rp_report *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->procs[i].e);
		rp_proc_free_sites(&r->procs[i]);
	}
	free(r->procs);
	r->procs = 0;
	r->n = 0;
}
