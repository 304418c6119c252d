// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Section 2: a metadata storm.  openat + fstat + close of every one of
 * N cached files, N per run:
 *
 *   - direct system calls in a loop;
 *   - libsyslet chains openat -> fstat -> close (the descriptor passed on
 *     with SYSLET_ARG_REF), up to `depth` chains in flight: submit, reap,
 *     resubmit; a chain that completes inline is done at once;
 *   - the same with every chain forced onto a helper (SYSLET_SUBMIT_ASYNC);
 *   - io_uring's closest equivalent at the same depth, one linked chain
 *     (IOSQE_IO_LINK) per file:
 *         IORING_OP_OPENAT into a fixed-file slot (openat_direct),
 *         IORING_OP_STATX by path (dirfd + name),
 *         IORING_OP_CLOSE of the slot (close_direct).
 *     The statx is by path because IORING_OP_STATX cannot take a direct
 *     descriptor: checked on this 6.18 kernel, statx with IOSQE_FIXED_FILE
 *     fails with -EBADF (io_statx_prep refuses REQ_F_FIXED_FILE), and a
 *     linked chain cannot pass a normal descriptor from openat to the next
 *     request.  statx(dirfd, name) reports the same inode as fstat of the
 *     opened file; it costs io_uring a second (cached) path walk, and the
 *     kernel always punts IORING_OP_STATX to an io-wq worker (prep sets
 *     REQ_F_FORCE_ASYNC), so that worker hop is part of what is measured.
 *     Ring set-up is the default (no SQPOLL, no DEFER_TASKRUN).
 *
 * Every result is checked: open >= 0 (0 for a direct open), stat 0 with the
 * file's own size (each file has a distinct size), close 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "syslet.h"
#include "bench.h"

#define META_SENTINEL (-999999L)
#define META_MAXDEPTH 256

struct meta {
	int dfd;
	long nfiles;
	char (*names)[24];
	int depth;
	struct syslet_ctx *ctx;
	long queued, total; /* libsyslet inline-first: chains that went async */
	struct io_uring ring;
};

static off_t meta_size(long i)
{
	return (off_t)(i % 251) + 1;
}

/* ---- direct -------------------------------------------------------------- */
static int64_t run_direct(void *arg, long n)
{
	struct meta *m = arg;
	struct stat st;
	int64_t t0 = bench_now_ns();
	long i;
	int fd;

	(void)n;
	for (i = 0; i < m->nfiles; i++) {
		fd = openat(m->dfd, m->names[i], O_RDONLY | O_CLOEXEC);
		BENCH_CHECK(fd >= 0, "openat %s", m->names[i]);
		BENCH_CHECK(fstat(fd, &st) == 0, "fstat %s", m->names[i]);
		if (st.st_size != meta_size(i))
			bench_die("fstat %s: size %lld, expected %lld",
				  m->names[i], (long long)st.st_size,
				  (long long)meta_size(i));
		BENCH_CHECK(close(fd) == 0, "close %s", m->names[i]);
	}
	return bench_now_ns() - t0;
}

/* ---- libsyslet ----------------------------------------------------------- */
struct chain {
	struct syslet_atom a[3]; /* openat, fstat, close */
	long r_open, r_stat, r_close;
	struct stat st;
	long file;
};

static struct chain chains[META_MAXDEPTH];

static void chain_init(struct meta *m, struct chain *c)
{
	syslet_atom_init(&c->a[0], SYS_openat, &c->r_open,
			 SYSLET_STOP_ON_NEGATIVE, m->dfd, 0,
			 O_RDONLY | O_CLOEXEC, 0, 0, 0);
	c->a[0].next = &c->a[1];
	c->a[0].user_data = c;
	syslet_atom_init(&c->a[1], SYS_fstat, &c->r_stat, SYSLET_ARG_REF(0),
			 (long)&c->r_open, (long)&c->st, 0, 0, 0, 0);
	c->a[1].next = &c->a[2];
	syslet_atom_init(&c->a[2], SYS_close, &c->r_close, SYSLET_ARG_REF(0),
			 (long)&c->r_open, 0, 0, 0, 0, 0);
}

static void chain_check(struct meta *m, struct chain *c)
{
	const char *name = m->names[c->file];

	if (c->r_open < 0) {
		errno = (int)-c->r_open;
		bench_die_errno("libsyslet openat %s", name);
	}
	if (c->r_stat != 0) {
		errno = c->r_stat < 0 ? (int)-c->r_stat : 0;
		bench_die_errno("libsyslet fstat %s returned %ld", name,
				c->r_stat);
	}
	if (c->st.st_size != meta_size(c->file))
		bench_die("libsyslet fstat %s: size %lld, expected %lld", name,
			  (long long)c->st.st_size,
			  (long long)meta_size(c->file));
	if (c->r_close != 0) {
		errno = c->r_close < 0 ? (int)-c->r_close : 0;
		bench_die_errno("libsyslet close %s returned %ld", name,
				c->r_close);
	}
}

static int64_t sl_storm(struct meta *m, unsigned int sflags)
{
	struct chain *freel[META_MAXDEPTH];
	struct syslet_completion cq[META_MAXDEPTH];
	long next = 0, done = 0;
	int nfree = 0, inflight = 0, i, k, rc;
	int64_t t0;

	for (i = 0; i < m->depth; i++)
		freel[nfree++] = &chains[i];
	t0 = bench_now_ns();
	while (done < m->nfiles) {
		while (nfree && next < m->nfiles) {
			struct chain *c = freel[nfree - 1];

			c->file = next++;
			c->a[0].args[1] = (long)m->names[c->file];
			c->r_open = c->r_stat = c->r_close = META_SENTINEL;
			rc = syslet_submit(m->ctx, &c->a[0], sflags);
			m->total++;
			if (rc == SYSLET_DONE) {
				chain_check(m, c); /* done inline: reuse */
				done++;
			} else if (rc == SYSLET_QUEUED) {
				nfree--;
				inflight++;
				m->queued++;
			} else {
				bench_check_rc(rc, "syslet_submit(chain)");
				bench_die("syslet_submit returned %d", rc);
			}
		}
		if (!inflight)
			continue;
		k = syslet_wait(m->ctx, cq, (unsigned int)m->depth, 1, NULL);
		if (k < 1) {
			bench_check_rc(k, "syslet_wait");
			bench_die("syslet_wait(min 1) returned %d", k);
		}
		for (i = 0; i < k; i++) {
			struct chain *c = cq[i].user_data;

			if (!c || cq[i].head != &c->a[0] ||
			    cq[i].last != &c->a[2] || cq[i].result != 0)
				bench_die("libsyslet: wrong completion "
					  "(result %ld)",
					  cq[i].result);
			chain_check(m, c);
			freel[nfree++] = c;
			inflight--;
			done++;
		}
	}
	return bench_now_ns() - t0;
}

static int64_t run_sl(void *arg, long n)
{
	(void)n;
	return sl_storm(arg, 0);
}

static int64_t run_sl_async(void *arg, long n)
{
	(void)n;
	return sl_storm(arg, SYSLET_SUBMIT_ASYNC);
}

/* ---- io_uring ------------------------------------------------------------ */
struct uchain {
	struct statx stx;
	long file;
	int seen; /* CQEs seen of the 3 */
};

static struct uchain uchains[META_MAXDEPTH];

static const char *const uop_name[3] = { "IORING_OP_OPENAT (direct)",
					 "IORING_OP_STATX",
					 "IORING_OP_CLOSE (direct)" };

static struct io_uring_sqe *get_sqe(struct meta *m)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&m->ring);

	if (!sqe)
		bench_die("io_uring_get_sqe: submission queue full");
	return sqe;
}

static void uring_prep_chain(struct meta *m, int slot)
{
	struct uchain *u = &uchains[slot];
	const char *name = m->names[u->file];
	struct io_uring_sqe *sqe;

	sqe = get_sqe(m);
	/* No O_CLOEXEC: a direct descriptor has no fd table entry to mark,
	 * and openat_direct refuses the flag with -EINVAL. */
	io_uring_prep_openat_direct(sqe, m->dfd, name, O_RDONLY, 0,
				    (unsigned int)slot);
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = (uint64_t)slot * 4 + 0;
	sqe = get_sqe(m);
	io_uring_prep_statx(sqe, m->dfd, name, 0, STATX_BASIC_STATS, &u->stx);
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = (uint64_t)slot * 4 + 1;
	sqe = get_sqe(m);
	io_uring_prep_close_direct(sqe, (unsigned int)slot);
	sqe->user_data = (uint64_t)slot * 4 + 2;
}

static int64_t run_uring(void *arg, long n)
{
	struct meta *m = arg;
	int freel[META_MAXDEPTH];
	long next = 0, done = 0;
	int nfree = 0, i, rc;
	int64_t t0;

	(void)n;
	for (i = 0; i < m->depth; i++)
		freel[nfree++] = i;
	t0 = bench_now_ns();
	while (done < m->nfiles) {
		struct io_uring_cqe *cqe;
		unsigned int head, seen = 0;

		while (nfree && next < m->nfiles) {
			int slot = freel[--nfree];

			uchains[slot].file = next++;
			uchains[slot].seen = 0;
			memset(&uchains[slot].stx, 0,
			       sizeof(uchains[slot].stx));
			uring_prep_chain(m, slot);
		}
		rc = io_uring_submit_and_wait(&m->ring, 1);
		if (rc < 0)
			bench_check_rc(rc, "io_uring_submit_and_wait");
		io_uring_for_each_cqe(&m->ring, head, cqe)
		{
			int slot = (int)(cqe->user_data / 4);
			int op = (int)(cqe->user_data % 4);
			struct uchain *u;

			if (slot >= m->depth || op > 2)
				bench_die("io_uring: unknown completion %llu",
					  (unsigned long long)cqe->user_data);
			u = &uchains[slot];
			if (cqe->res != 0) {
				errno = cqe->res < 0 ? -cqe->res : 0;
				bench_die_errno("io_uring %s %s returned %d",
						uop_name[op], m->names[u->file],
						cqe->res);
			}
			if (op == 1 &&
			    u->stx.stx_size != (uint64_t)meta_size(u->file))
				bench_die("io_uring statx %s: size %llu, "
					  "expected %lld",
					  m->names[u->file],
					  (unsigned long long)u->stx.stx_size,
					  (long long)meta_size(u->file));
			if (++u->seen == 3) {
				freel[nfree++] = slot;
				done++;
			}
			seen++;
		}
		io_uring_cq_advance(&m->ring, seen);
	}
	return bench_now_ns() - t0;
}

/* ---- the section --------------------------------------------------------- */
void bench_meta_section(void)
{
	static struct meta m;
	struct syslet_params params;
	struct bench_results *res = &bench_results;
	struct {
		const char *name;
		bench_run_fn run;
		double *result;
		struct bench_stat us;
	} rows[] = {
#define ROW(n, f, r) { .name = (n), .run = (f), .result = (r) }
		ROW("direct openat+fstat+close", run_direct, NULL),
		ROW("libsyslet chains, inline-first", run_sl,
		    &res->meta_syslet_ops),
		ROW("libsyslet chains, SUBMIT_ASYNC", run_sl_async,
		    &res->meta_syslet_async_ops),
		ROW("io_uring linked openat/statx/close", run_uring,
		    &res->meta_uring_ops),
#undef ROW
	};
	int nrows = (int)(sizeof(rows) / sizeof(rows[0]));
	char path[4200];
	long i, queued_async = 0, total_async = 0;
	struct bench_busy busy;
	double direct;
	int r, k;

	m.nfiles = bench_opts.meta_files;
	m.depth = bench_opts.depth;
	if (m.depth > META_MAXDEPTH)
		bench_die("--depth: at most %d", META_MAXDEPTH);
	m.names = calloc((size_t)m.nfiles, sizeof(*m.names));
	if (!m.names)
		bench_die("out of memory");
	snprintf(path, sizeof(path), "%s/meta", bench_dir);
	BENCH_CHECK(mkdir(path, 0700) == 0, "mkdir %s", path);
	m.dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	BENCH_CHECK(m.dfd >= 0, "open %s", path);
	for (i = 0; i < m.nfiles; i++) {
		char data[256];
		int fd;

		snprintf(m.names[i], sizeof(m.names[i]), "f%06ld", i);
		fd = openat(m.dfd, m.names[i],
			    O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
		BENCH_CHECK(fd >= 0, "create %s/%s", path, m.names[i]);
		memset(data, 'x', sizeof(data));
		BENCH_CHECK(write(fd, data, (size_t)meta_size(i)) ==
				    meta_size(i),
			    "write %s/%s", path, m.names[i]);
		BENCH_CHECK(close(fd) == 0, "close %s/%s", path, m.names[i]);
	}
	run_direct(&m, 0); /* warm the dentry and inode caches */

	bench_check_rc(syslet_params_init(&params), "syslet_params_init");
	if (bench_opts.ident_notify)
		params.flags |= SYSLET_CTX_IDENT_NOTIFY;
	bench_check_rc(syslet_ctx_create(&params, &m.ctx), "syslet_ctx_create");
	for (i = 0; i < m.depth; i++)
		chain_init(&m, &chains[i]);
	bench_check_rc(
		io_uring_queue_init((unsigned int)m.depth * 4, &m.ring, 0),
		"io_uring_queue_init");
	bench_check_rc(
		io_uring_register_files_sparse(&m.ring, (unsigned int)m.depth),
		"io_uring_register_files_sparse");

	printf("\n2. Metadata storm: openat + fstat + close of %ld cached files "
	       "(%s), queue depth %d\n",
	       m.nfiles, path, m.depth);
	printf("   one run = every file once; median of %d runs, and the "
	       "fastest and slowest run\n",
	       bench_opts.runs);
	/* An untimed pass of each row first: helpers and io-wq workers exist.
	 */
	for (k = 0; k < nrows; k++)
		rows[k].run(&m, 0);
	bench_busy_read(&busy);
	for (r = 0; r < bench_opts.runs; r++)
		for (k = 0; k < nrows; k++) {
			long q0 = m.queued, t0 = m.total;
			int64_t ns = rows[k].run(&m, 0);

			bench_stat_add(&rows[k].us,
				       (double)ns / 1000.0 / (double)m.nfiles);
			if (rows[k].run == run_sl) {
				queued_async += m.queued - q0;
				total_async += m.total - t0;
			}
		}
	printf("   %-38s %12s %9s %9s %9s %10s\n", "mode", "files/s", "us/file",
	       "min us", "max us", "vs direct");
	printf("   ");
	bench_rule(92);
	direct = bench_stat_median(&rows[0].us);
	for (k = 0; k < nrows; k++) {
		double us = bench_stat_median(&rows[k].us);

		printf("   %-38s %12.0f %9.3f %9.3f %9.3f %9.2fx\n",
		       rows[k].name, 1e6 / us, us, bench_stat_min(&rows[k].us),
		       bench_stat_max(&rows[k].us), us / direct);
		if (rows[k].result)
			*rows[k].result = 1e6 / us;
	}
	printf("   (us/file: median of the per-run means; files/s = 1/that; "
	       "min/max: fastest\n    and slowest run, us/file)\n");
	printf("   inline-first chains that went to a helper: %ld of %ld\n",
	       queued_async, total_async);
	bench_busy_report(&busy);
	res->have_meta = true;

	io_uring_queue_exit(&m.ring);
	bench_check_rc(syslet_ctx_destroy(m.ctx), "syslet_ctx_destroy");
	BENCH_CHECK(close(m.dfd) == 0, "close %s", path);
	free(m.names);
}
