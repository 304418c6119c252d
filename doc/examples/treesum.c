// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * treesum: checksum the head of every file in a tree twice, natively and
 * with libsyslet chains (openat -> pread -> close, the descriptor fed from
 * one atom to the next by address), and check that both agree.
 *
 *   treesum [-j DEPTH] [-n MAX_FILES] [DIR]
 *
 * Exit status: 0 when both passes agree, 1 when they differ, 2 on usage or
 * setup errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <syslet.h>

#define HEAD (64 * 1024)

static char **paths;
static size_t npaths, max_paths = 20000;

static int collect(const char *path, const struct stat *st, int type,
		   struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type != FTW_F || !S_ISREG(st->st_mode))
		return 0;
	if (npaths == max_paths)
		return 1;
	paths[npaths] = strdup(path);
	if (!paths[npaths])
		return -1;
	npaths++;
	return 0;
}

/* Per-file digest; summed, so the order files finish in does not matter. */
static uint64_t digest(size_t idx, long fd, long n, const char *buf)
{
	uint64_t h = 1469598103934665603ull ^ (idx * 0x9E3779B97F4A7C15ull);
	long i;

	if (fd < 0)
		return h ^ (uint64_t)-fd;
	if (n < 0)
		return h ^ ((uint64_t)-n << 32);
	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)buf[i]) * 1099511628211ull;
	return h ^ (uint64_t)n;
}

struct totals {
	uint64_t sum, bytes;
	size_t errors;
	double secs;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void native(struct totals *t, char *buf)
{
	double t0 = now();
	size_t i;

	for (i = 0; i < npaths; i++) {
		long fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		long n = 0;

		if (fd < 0) {
			fd = -errno;
			t->errors++;
		} else {
			n = pread((int)fd, buf, HEAD, 0);
			if (n < 0) {
				n = -errno;
				t->errors++;
			} else {
				t->bytes += (uint64_t)n;
			}
			close((int)fd);
		}
		t->sum += digest(i, fd, n, buf);
	}
	t->secs = now() - t0;
}

/* One file in flight: its chain, its results, its buffer. */
struct slot {
	struct syslet_atom at[3];
	long fd, n, closed;
	size_t idx;
	char buf[HEAD];
};

static void finish(struct totals *t, struct slot *s)
{
	if (s->fd < 0 || s->n < 0)
		t->errors++;
	else
		t->bytes += (uint64_t)s->n;
	t->sum += digest(s->idx, s->fd, s->n, s->buf);
}

static int start(struct syslet_ctx *ctx, struct slot *s, size_t idx)
{
	s->idx = idx;
	s->fd = s->n = s->closed = -1;
	syslet_atom_init(&s->at[0], SYS_openat, &s->fd, SYSLET_STOP_ON_NEGATIVE,
			 AT_FDCWD, (long)paths[idx], O_RDONLY | O_CLOEXEC, 0, 0,
			 0);
	syslet_atom_init(&s->at[1], SYS_pread64, &s->n, SYSLET_ARG_REF(0),
			 (long)&s->fd, (long)s->buf, HEAD, 0, 0, 0);
	syslet_atom_init(&s->at[2], SYS_close, &s->closed, SYSLET_ARG_REF(0),
			 (long)&s->fd, 0, 0, 0, 0, 0);
	s->at[0].next = &s->at[1];
	s->at[1].next = &s->at[2];
	s->at[0].user_data = s;
	return syslet_submit(ctx, &s->at[0], 0);
}

static int with_syslet(struct totals *t, unsigned int depth, size_t *queued)
{
	struct syslet_completion cqe[64];
	struct syslet_ctx *ctx;
	struct slot *slots, **free_slots;
	size_t next = 0, inflight = 0, nfree = depth, i;
	double t0;
	int rc;

	rc = syslet_ctx_create(NULL, &ctx);
	if (rc < 0) {
		fprintf(stderr, "treesum: syslet_ctx_create: %s\n",
			strerror(-rc));
		return -1;
	}
	slots = calloc(depth, sizeof(*slots));
	free_slots = calloc(depth, sizeof(*free_slots));
	if (!slots || !free_slots)
		return -1;
	for (i = 0; i < depth; i++)
		free_slots[i] = &slots[i];

	t0 = now();
	while (next < npaths || inflight) {
		while (next < npaths && nfree) {
			struct slot *s = free_slots[--nfree];

			rc = start(ctx, s, next++);
			if (rc == SYSLET_DONE) {
				finish(t, s);
				free_slots[nfree++] = s;
			} else if (rc == SYSLET_QUEUED) {
				inflight++;
				(*queued)++;
			} else {
				fprintf(stderr, "treesum: submit: %s\n",
					strerror(-rc));
				return -1;
			}
		}
		if (!inflight)
			continue;
		rc = syslet_wait(ctx, cqe, 64, 1, NULL);
		if (rc < 0) {
			if (rc == -EINTR)
				continue;
			fprintf(stderr, "treesum: wait: %s\n", strerror(-rc));
			return -1;
		}
		for (i = 0; i < (size_t)rc; i++) {
			struct slot *s = cqe[i].user_data;

			finish(t, s);
			free_slots[nfree++] = s;
			inflight--;
		}
	}
	t->secs = now() - t0;
	syslet_ctx_destroy(ctx);
	free(slots);
	free(free_slots);
	return 0;
}

int main(int argc, char **argv)
{
	struct totals a = { 0 }, b = { 0 };
	unsigned int depth = 32;
	const char *dir = "/usr/share";
	char *buf;
	size_t queued = 0;
	int c;

	while ((c = getopt(argc, argv, "j:n:h")) != -1) {
		switch (c) {
		case 'j':
			depth = (unsigned int)atoi(optarg);
			break;
		case 'n':
			max_paths = (size_t)atol(optarg);
			break;
		default:
			fprintf(stderr,
				"usage: treesum [-j DEPTH] [-n MAX_FILES] [DIR]\n"
				"Checksums the first 64 KiB of each file under DIR\n"
				"(default /usr/share) natively and with libsyslet\n"
				"chains, and checks that both agree.\n");
			return c == 'h' ? 0 : 2;
		}
	}
	if (optind < argc)
		dir = argv[optind];
	if (!depth || depth > 4096 || !max_paths) {
		fprintf(stderr, "treesum: bad -j or -n\n");
		return 2;
	}
	paths = calloc(max_paths, sizeof(*paths));
	buf = malloc(HEAD);
	if (!paths || !buf || nftw(dir, collect, 64, FTW_PHYS) < 0) {
		fprintf(stderr, "treesum: cannot walk %s: %s\n", dir,
			strerror(errno));
		return 2;
	}
	/* libsyslet first: it meets the colder cache, so helpers get work. */
	if (with_syslet(&b, depth, &queued))
		return 2;
	native(&a, buf);

	printf("treesum %s: %zu files, first %d KiB of each\n", dir, npaths,
	       HEAD / 1024);
	printf("  %-9s %12s %8s %18s %9s\n", "pass", "bytes", "errors",
	       "checksum", "seconds");
	printf("  %-9s %12llu %8zu %018llx %9.3f  (ran first)\n", "libsyslet",
	       (unsigned long long)b.bytes, b.errors, (unsigned long long)b.sum,
	       b.secs);
	printf("  %-9s %12llu %8zu %018llx %9.3f\n", "native",
	       (unsigned long long)a.bytes, a.errors, (unsigned long long)a.sum,
	       a.secs);
	printf("  chains: %zu completed on the caller, %zu went to helpers\n",
	       npaths - queued, queued);
	if (a.sum != b.sum || a.bytes != b.bytes || a.errors != b.errors) {
		printf("MISMATCH: libsyslet and native disagree\n");
		return 1;
	}
	printf("OK: identical results\n");
	return 0;
}
