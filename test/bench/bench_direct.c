// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Section 3: 4 KiB random reads with O_DIRECT, `depth` in flight, over a
 * file of real data (every 8-byte word says where it is, so that each read
 * is checked).  Rows: a synchronous pread loop (queue depth 1, for scale);
 * libsyslet with `depth` pread atoms in flight, submitted without flags
 * (the library tries the read without blocking first); the same forced
 * onto helpers (SYSLET_SUBMIT_ASYNC); io_uring at the same depth.
 * All rows of run r read the same sequence of blocks.
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
#include <sys/vfs.h>
#include <unistd.h>

#include "syslet.h"
#include "bench.h"

#define DIO_MAXDEPTH 256
#define DIO_SENTINEL (-999999L)
#define TMPFS_MAGIC_ 0x01021994

struct dio {
	int fd;
	uint64_t blocks;
	char *bufs; /* depth aligned 4 KiB buffers */
	int depth;
	uint64_t rnd;
	struct syslet_ctx *ctx;
	struct syslet_atom atoms[DIO_MAXDEPTH];
	long rets[DIO_MAXDEPTH];
	uint64_t blk[DIO_MAXDEPTH];
	long queued, total; /* libsyslet: submits that went to a helper */
	struct io_uring ring;
};

static uint64_t next_block(struct dio *d)
{
	/* xorshift64* */
	d->rnd ^= d->rnd >> 12;
	d->rnd ^= d->rnd << 25;
	d->rnd ^= d->rnd >> 27;
	return (d->rnd * 0x2545f4914f6cdd1dull >> 11) % d->blocks;
}

static char *buf_of(struct dio *d, int slot)
{
	return d->bufs + (size_t)slot * BENCH_PAGE;
}

/* Every read: its result, and the first and last word of the block; the
 * first read of each run: the whole block. */
static void check_read(struct dio *d, int slot, long ret, long i,
		       const char *mode)
{
	const uint64_t *w = (const uint64_t *)buf_of(d, slot);
	uint64_t off = d->blk[slot] * BENCH_PAGE;

	if (ret != BENCH_PAGE) {
		if (ret < 0) {
			errno = (int)-ret;
			bench_die_errno("%s: O_DIRECT read", mode);
		}
		bench_die("%s: O_DIRECT read returned %ld", mode, ret);
	}
	if (i == 0)
		bench_verify(w, BENCH_PAGE, off, mode);
	else if (w[0] != bench_pattern(off) ||
		 w[BENCH_PAGE / 8 - 1] != bench_pattern(off + BENCH_PAGE - 8))
		bench_die("%s: wrong data at file offset %llu", mode,
			  (unsigned long long)off);
}

static int64_t run_pread(void *arg, long n)
{
	struct dio *d = arg;
	int64_t t0 = bench_now_ns();
	long i;

	for (i = 0; i < n; i++) {
		ssize_t r;

		d->blk[0] = next_block(d);
		memset(buf_of(d, 0), 0xa5, 16);
		r = pread(d->fd, buf_of(d, 0), BENCH_PAGE,
			  (off_t)(d->blk[0] * BENCH_PAGE));
		check_read(d, 0, r < 0 ? -errno : r, i, "pread(O_DIRECT)");
	}
	return bench_now_ns() - t0;
}

static int64_t sl_reads(struct dio *d, long n, unsigned int sflags,
			const char *mode)
{
	struct syslet_completion cq[DIO_MAXDEPTH];
	int freel[DIO_MAXDEPTH];
	int nfree = 0, inflight = 0, i, k, rc;
	long submitted = 0, done = 0;
	int64_t t0;

	for (i = 0; i < d->depth; i++)
		freel[nfree++] = i;
	t0 = bench_now_ns();
	while (done < n) {
		while (nfree && submitted < n) {
			int s = freel[nfree - 1];
			struct syslet_atom *a = &d->atoms[s];

			d->blk[s] = next_block(d);
			a->args[3] = (long)(d->blk[s] * BENCH_PAGE);
			d->rets[s] = DIO_SENTINEL;
			memset(buf_of(d, s), 0xa5, 16);
			rc = syslet_submit(d->ctx, a, sflags);
			d->total++;
			if (rc == SYSLET_DONE) {
				check_read(d, s, d->rets[s], submitted, mode);
				done++;
			} else if (rc == SYSLET_QUEUED) {
				d->queued++;
				nfree--;
				inflight++;
				/* the first read of the run is checked whole */
				a->user_data = (void *)(long)(submitted == 0);
			} else {
				bench_check_rc(rc, "syslet_submit(pread)");
				bench_die("syslet_submit returned %d", rc);
			}
			submitted++;
		}
		if (!inflight)
			continue;
		k = syslet_wait(d->ctx, cq, (unsigned int)d->depth, 1, NULL);
		if (k < 1) {
			bench_check_rc(k, "syslet_wait");
			bench_die("syslet_wait(min 1) returned %d", k);
		}
		for (i = 0; i < k; i++) {
			int s = (int)(cq[i].head - d->atoms);

			if (s < 0 || s >= d->depth ||
			    cq[i].last != cq[i].head ||
			    cq[i].result != d->rets[s])
				bench_die("%s: wrong completion", mode);
			check_read(d, s, d->rets[s], cq[i].user_data ? 0 : 1,
				   mode);
			freel[nfree++] = s;
			inflight--;
			done++;
		}
	}
	return bench_now_ns() - t0;
}

static int64_t run_sl(void *arg, long n)
{
	return sl_reads(arg, n, 0, "libsyslet O_DIRECT");
}

static int64_t run_sl_async(void *arg, long n)
{
	return sl_reads(arg, n, SYSLET_SUBMIT_ASYNC,
			"libsyslet O_DIRECT, SUBMIT_ASYNC");
}

static int64_t run_uring(void *arg, long n)
{
	struct dio *d = arg;
	int freel[DIO_MAXDEPTH];
	int nfree = 0, i, rc;
	long submitted = 0, done = 0, first = -1;
	int64_t t0;

	for (i = 0; i < d->depth; i++)
		freel[nfree++] = i;
	t0 = bench_now_ns();
	while (done < n) {
		struct io_uring_cqe *cqe;
		unsigned int head, seen = 0;

		while (nfree && submitted < n) {
			int s = freel[--nfree];
			struct io_uring_sqe *sqe = io_uring_get_sqe(&d->ring);

			if (!sqe)
				bench_die("io_uring_get_sqe: ring full");
			d->blk[s] = next_block(d);
			memset(buf_of(d, s), 0xa5, 16);
			io_uring_prep_read(sqe, d->fd, buf_of(d, s), BENCH_PAGE,
					   d->blk[s] * BENCH_PAGE);
			sqe->user_data = (uint64_t)s;
			if (submitted++ == 0)
				first = s;
		}
		rc = io_uring_submit_and_wait(&d->ring, 1);
		if (rc < 0)
			bench_check_rc(rc, "io_uring_submit_and_wait");
		io_uring_for_each_cqe(&d->ring, head, cqe)
		{
			int s = (int)cqe->user_data;

			if (s < 0 || s >= d->depth)
				bench_die("io_uring: unknown completion");
			check_read(d, s, cqe->res, s == first ? 0 : 1,
				   "io_uring O_DIRECT");
			if (s == first)
				first = -1;
			freel[nfree++] = s;
			done++;
			seen++;
		}
		io_uring_cq_advance(&d->ring, seen);
	}
	return bench_now_ns() - t0;
}

static const char *fs_name(long type)
{
	switch (type) {
	case 0xEF53:
		return "ext2/3/4";
	case 0x58465342:
		return "xfs";
	case 0x9123683E:
		return "btrfs";
	case TMPFS_MAGIC_:
		return "tmpfs";
	case 0x794c7630:
		return "overlayfs";
	default:
		return "other";
	}
}

/*
 * Where the file goes: the temporary directory, unless its filesystem is
 * tmpfs (memory, not a device, even where it accepts O_DIRECT) or refuses
 * O_DIRECT; then /var/tmp; then the current (build) directory.
 */
static int open_direct_file(char *path, size_t size, const char **why)
{
	const char *dirs[3] = { bench_dir, "/var/tmp", "." };
	static char reason[4400];
	const char *skipped = NULL;
	int i, fd;

	for (i = 0; i < 3; i++) {
		struct statfs sf;
		int probe;

		BENCH_CHECK(statfs(dirs[i], &sf) == 0, "statfs %s", dirs[i]);
		if (sf.f_type == TMPFS_MAGIC_) {
			skipped = skipped ? skipped : "is tmpfs";
			continue;
		}
		snprintf(path, size, "%s/direct-XXXXXX", dirs[i]);
		probe = mkostemp(path, O_CLOEXEC);
		BENCH_CHECK(probe >= 0, "mkostemp %s", path);
		BENCH_CHECK(close(probe) == 0, "close %s", path);
		if (i)
			snprintf(bench_extra_file, sizeof(bench_extra_file),
				 "%s", path);
		fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
		if (fd >= 0) {
			BENCH_CHECK(close(fd) == 0, "close %s", path);
			if (i == 0)
				*why = "in the temporary directory;";
			else {
				snprintf(
					reason, sizeof(reason),
					"in %s because the temporary "
					"directory %s;",
					i == 1 ? "/var/tmp"
					       : "the current (build) directory",
					skipped);
				*why = reason;
			}
			return i;
		}
		BENCH_CHECK(errno == EINVAL, "open %s O_DIRECT", path);
		BENCH_CHECK(unlink(path) == 0, "unlink %s", path);
		bench_extra_file[0] = 0;
		skipped = skipped ? skipped : "refuses O_DIRECT";
	}
	bench_die("no directory here can do O_DIRECT (tried %s, /var/tmp, .)",
		  bench_dir);
}

void bench_direct_section(void)
{
	static struct dio d;
	struct syslet_params params;
	struct bench_results *res = &bench_results;
	struct {
		const char *name;
		bench_run_fn run;
		double *result;
		bool sl;
		long n, queued, total;
		struct bench_stat iops;
	} rows[] = {
#define ROW(n, f, r, s) { .name = (n), .run = (f), .result = (r), .sl = (s) }
		ROW("pread(2) loop, queue depth 1", run_pread, NULL, false),
		ROW("libsyslet, flags 0 (inline-first)", run_sl,
		    &res->direct_syslet_iops, true),
		ROW("libsyslet, SUBMIT_ASYNC", run_sl_async,
		    &res->direct_syslet_async_iops, true),
		ROW("io_uring", run_uring, &res->direct_uring_iops, false),
#undef ROW
	};
	int nrows = (int)(sizeof(rows) / sizeof(rows[0]));
	int64_t target = bench_opts.direct_ms * 1000000;
	uint64_t size = (uint64_t)bench_opts.direct_mib << 20;
	char path[4200];
	const char *why;
	struct statfs sf;
	struct bench_busy busy;
	double uring;
	int i, r, k;

	d.depth = bench_opts.depth;
	if (d.depth > DIO_MAXDEPTH)
		bench_die("--depth: at most %d", DIO_MAXDEPTH);
	d.blocks = size / BENCH_PAGE;
	open_direct_file(path, sizeof(path), &why);
	bench_make_file(path, size);
	d.fd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	BENCH_CHECK(d.fd >= 0, "open %s O_DIRECT", path);
	/* O_DIRECT bypasses the page cache anyway; drop it to be plain. */
	bench_check_rc(posix_fadvise(d.fd, 0, 0, POSIX_FADV_DONTNEED),
		       "posix_fadvise(DONTNEED)");
	BENCH_CHECK(fstatfs(d.fd, &sf) == 0, "fstatfs %s", path);
	d.bufs = aligned_alloc(BENCH_PAGE, (size_t)d.depth * BENCH_PAGE);
	if (!d.bufs)
		bench_die("out of memory");

	bench_check_rc(syslet_params_init(&params), "syslet_params_init");
	if (bench_opts.ident_notify)
		params.flags |= SYSLET_CTX_IDENT_NOTIFY;
	params.max_helpers = (uint32_t)(d.depth > 64 ? d.depth : 64);
	params.queue_depth = (uint32_t)(d.depth > 256 ? d.depth : 256);
	bench_check_rc(syslet_ctx_create(&params, &d.ctx), "syslet_ctx_create");
	for (i = 0; i < d.depth; i++)
		syslet_atom_init(&d.atoms[i], SYS_pread64, &d.rets[i], 0, d.fd,
				 (long)buf_of(&d, i), BENCH_PAGE, 0, 0, 0);
	bench_check_rc(io_uring_queue_init((unsigned int)d.depth, &d.ring, 0),
		       "io_uring_queue_init");

	printf("\n3. 4 KiB random reads, O_DIRECT, queue depth %d, over a "
	       "%ld MiB file\n",
	       d.depth, bench_opts.direct_mib);
	printf("   file %s\n   (%s filesystem %s, f_type %#lx)\n", path, why,
	       fs_name((long)sf.f_type), (unsigned long)sf.f_type);
	printf("   libsyslet context: max_helpers %u; IOPS: median of %d "
	       "per-run rates, slowest and fastest run\n",
	       params.max_helpers, bench_opts.runs);

	d.rnd = 0x9e3779b97f4a7c15ull;
	for (k = 0; k < nrows; k++)
		rows[k].n =
			bench_calibrate(rows[k].run, &d, target, 200, 10000000);
	bench_busy_read(&busy);
	for (r = 0; r < bench_opts.runs; r++)
		for (k = 0; k < nrows; k++) {
			long q0 = d.queued, t0 = d.total;
			int64_t ns;

			d.rnd = 0x5eed0000ull + (uint64_t)r * 7919;
			ns = rows[k].run(&d, rows[k].n);
			bench_stat_add(&rows[k].iops,
				       (double)rows[k].n * 1e9 / (double)ns);
			rows[k].queued += d.queued - q0;
			rows[k].total += d.total - t0;
		}

	printf("   %-36s %9s %9s %9s %9s %8s %11s %9s\n", "mode", "ops/run",
	       "IOPS", "min IOPS", "max IOPS", "us/op", "vs io_uring",
	       "to helper");
	printf("   ");
	bench_rule(108);
	uring = bench_stat_median(&rows[nrows - 1].iops);
	for (k = 0; k < nrows; k++) {
		double iops = bench_stat_median(&rows[k].iops);
		char helper[32] = "-";

		if (rows[k].sl)
			snprintf(helper, sizeof(helper), "%.1f%%",
				 rows[k].total
					 ? 100.0 * (double)rows[k].queued /
						   (double)rows[k].total
					 : 0.0);
		printf("   %-36s %9ld %9.0f %9.0f %9.0f %8.2f %10.2fx %9s\n",
		       rows[k].name, rows[k].n, iops,
		       bench_stat_min(&rows[k].iops),
		       bench_stat_max(&rows[k].iops), 1e6 / iops, iops / uring,
		       helper);
		if (rows[k].result)
			*rows[k].result = iops;
	}
	printf("   (us/op = 1/IOPS; \"to helper\": share of submits that "
	       "returned SYSLET_QUEUED,\n    the rest completed on the "
	       "submitting thread)\n");
	bench_busy_report(&busy);
	res->have_direct = true;

	io_uring_queue_exit(&d.ring);
	bench_check_rc(syslet_ctx_destroy(d.ctx), "syslet_ctx_destroy");
	BENCH_CHECK(close(d.fd) == 0, "close %s", path);
	free(d.bufs);
	if (bench_extra_file[0]) {
		BENCH_CHECK(unlink(bench_extra_file) == 0, "unlink %s",
			    bench_extra_file);
		bench_extra_file[0] = 0;
	}
}
