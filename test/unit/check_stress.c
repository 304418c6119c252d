// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Many threads, many chains, one context: every result and every byte is
 * checked.  Then the same load on a context with 4 slots and 2 helpers,
 * where slot exhaustion must make chains run on the submitter, never fail.
 */
#define _GNU_SOURCE
#include "testlib.h"

#define NTHREADS 8
#define NCHAINS 2000
#define BLK 512
#define FILE_BLOCKS 1024 /* 512 KiB */
#define BATCH 8

static struct tl_dir dir;
static char path[PATH_MAX];
static int file_fd = -1;

static void setup(void)
{
	tl_dir_make(&dir);
	tl_make_file(&dir, "data", (size_t)BLK * FILE_BLOCKS, 33, path,
		     sizeof(path));
	file_fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(file_fd, 0);
}

static void teardown(void)
{
	close(file_fd);
	tl_dir_remove(&dir);
}

struct worker {
	int id;
	struct syslet_ctx *shared; /* SUBMIT_WAIT chains */
	struct syslet_ctx *own;	   /* batches, reaped by this thread */
	int pipe[2];		   /* this thread's round trips */
	unsigned int seed;
	/* outcome */
	int errors;
	char what[160];
	long n_done, n_queued;
};

static void note_err(struct worker *w, const char *fmt, long a, long b)
{
	if (!w->errors++)
		snprintf(w->what, sizeof(w->what), fmt, a, b);
}

static unsigned int next_rand(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* One unit of work: a chain in @slot, checked by check_unit(). */
struct unit {
	int kind;
	long off;
	struct syslet_atom a[2];
	long r[2];
	char out[BLK];
	char in[BLK];
};

enum { K_INLINE, K_ASYNC, K_PIPE, K_KINDS };

static void build_unit(struct worker *w, struct unit *u, int kind)
{
	u->kind = kind;
	u->r[0] = u->r[1] = TL_UNSET;
	memset(u->in, 0, sizeof(u->in));
	switch (kind) {
	case K_INLINE:
	case K_ASYNC:
		/* A distinct block per thread and call, known content. */
		u->off = (long)((next_rand(&w->seed) % FILE_BLOCKS) * BLK);
		syslet_atom_init(&u->a[0], SYS_pread64, &u->r[0],
				 kind == K_ASYNC ? SYSLET_ASYNC : 0, file_fd,
				 (long)u->in, BLK, u->off, 0, 0);
		break;
	default:
		/* write(pipe, out) -> read(pipe, in): a round trip. */
		u->off = (long)next_rand(&w->seed);
		tl_fill(u->out, BLK, (uint64_t)u->off, 44);
		syslet_atom_init(&u->a[0], SYS_write, &u->r[0],
				 SYSLET_STOP_ON_NON_POSITIVE, w->pipe[1],
				 (long)u->out, BLK, 0, 0, 0);
		syslet_atom_init(&u->a[1], SYS_read, &u->r[1], 0, w->pipe[0],
				 (long)u->in, BLK, 0, 0, 0);
		u->a[0].next = &u->a[1];
		/* Half of them forced through a helper. */
		if (next_rand(&w->seed) & 1)
			u->a[1].flags |= SYSLET_ASYNC;
		break;
	}
	u->a[0].user_data = u;
}

static void check_unit(struct worker *w, struct unit *u)
{
	long bad;

	if (u->kind != K_PIPE) {
		if (u->r[0] != BLK)
			note_err(w, "pread at %ld gave %ld", u->off, u->r[0]);
		bad = tl_check_pat(u->in, BLK, (uint64_t)u->off, 33);
		if (bad >= 0)
			note_err(w, "pread at %ld: byte %ld wrong", u->off,
				 bad);
	} else {
		if (u->r[0] != BLK || u->r[1] != BLK)
			note_err(w, "pipe round trip gave %ld, %ld", u->r[0],
				 u->r[1]);
		bad = tl_check_pat(u->in, BLK, (uint64_t)u->off, 44);
		if (bad >= 0)
			note_err(w, "pipe round trip %ld: byte %ld wrong",
				 u->off, bad);
	}
}

/*
 * Even chains: one at a time on the shared context with SUBMIT_WAIT.
 * Odd ones: batches of BATCH on this thread's own context, taken back with
 * syslet_wait() (the completions are this thread's alone).
 */
static void *work(void *arg)
{
	struct worker *w = arg;
	struct unit *u = calloc(BATCH, sizeof(*u));
	struct syslet_completion cq[BATCH];
	struct timespec to = { TL_HANG_S, 0 };
	int i = 0;

	if (!u) {
		note_err(w, "calloc", 0, 0);
		return NULL;
	}
	while (i < NCHAINS && w->errors == 0) {
		if ((i / BATCH) % 2 == 0) {
			int kind = (int)(next_rand(&w->seed) % K_KINDS);
			int rc;

			build_unit(w, &u[0], kind);
			rc = syslet_submit(w->shared, &u[0].a[0],
					   SYSLET_SUBMIT_WAIT);
			if (rc != SYSLET_DONE)
				note_err(w, "SUBMIT_WAIT gave %ld (kind %ld)",
					 rc, kind);
			check_unit(w, &u[0]);
			w->n_done++;
			i++;
		} else {
			int k, pending = 0, rc;

			/* Pipe chains in a batch would compete for the pipe
			 * (a blocked read could take another's bytes): the
			 * batch uses file reads only. */
			for (k = 0; k < BATCH; k++) {
				build_unit(w, &u[k],
					   k & 1 ? K_ASYNC : K_INLINE);
				rc = syslet_submit(w->own, &u[k].a[0], 0);
				if (rc == SYSLET_QUEUED) {
					pending++;
					w->n_queued++;
				} else if (rc == SYSLET_DONE) {
					w->n_done++;
				} else {
					note_err(w,
						 "submit gave %ld (slot %ld)",
						 rc, k);
				}
			}
			while (pending > 0) {
				rc = syslet_wait(w->own, cq, BATCH, 1, &to);
				if (rc == -EINTR)
					continue;
				if (rc <= 0) {
					note_err(
						w,
						"syslet_wait gave %ld with %ld "
						"pending",
						rc, pending);
					break;
				}
				for (k = 0; k < rc; k++) {
					struct unit *x = cq[k].user_data;

					if (x < u || x >= u + BATCH ||
					    cq[k].head != &x->a[0] ||
					    cq[k].last != &x->a[0] ||
					    cq[k].result != x->r[0])
						note_err(w,
							 "bad completion %ld",
							 k, 0);
				}
				pending -= rc;
			}
			for (k = 0; k < BATCH; k++)
				check_unit(w, &u[k]);
			i += BATCH;
		}
	}
	free(u);
	return NULL;
}

static void run_load(uint32_t max_helpers, uint32_t depth)
{
	struct syslet_params p;
	struct syslet_ctx *shared;
	static struct worker w[NTHREADS];
	pthread_t t[NTHREADS];
	long queued = 0, done = 0;
	int i;

	syslet_params_init(&p);
	if (max_helpers)
		p.max_helpers = max_helpers;
	if (depth)
		p.queue_depth = depth;
	ck_assert_int_eq(syslet_ctx_create(&p, &shared), 0);
	for (i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].id = i;
		w[i].shared = shared;
		w[i].seed = 1000u + (unsigned int)i;
		ck_assert_int_eq(syslet_ctx_create(&p, &w[i].own), 0);
		tl_pipe(w[i].pipe);
		ck_assert_int_eq(pthread_create(&t[i], NULL, work, &w[i]), 0);
	}
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < NTHREADS; i++) {
		ck_assert_msg(w[i].errors == 0,
			      "thread %d: %d errors, first: %s", i, w[i].errors,
			      w[i].what);
		ck_assert_int_eq(w[i].n_done + w[i].n_queued, NCHAINS);
		queued += w[i].n_queued;
		done += w[i].n_done;
		/* Every pipe drained: nothing lost, nothing left over. */
		ck_assert_int_eq(tl_avail(w[i].pipe[0]), 0);
		tl_assert_ring_empty(w[i].own);
		tl_destroy(w[i].own);
		tl_close_pipe(w[i].pipe);
	}
	tl_assert_ring_empty(shared);
	tl_destroy(shared);
	ck_assert_int_eq(queued + done, (long)NTHREADS * NCHAINS);
}

START_TEST(test_many_threads)
{
	run_load(0, 0);
}
END_TEST

START_TEST(test_small_context)
{
	run_load(2, 4);
}
END_TEST

/*
 * Slot exhaustion with completions: queue_depth 4, 2 helpers, chains that
 * all go to helpers and are only reaped at the end of each burst; those
 * that found no slot ran inline (SYSLET_DONE) with correct results.
 */
START_TEST(test_slot_exhaustion)
{
	struct syslet_ctx *ctx = tl_ctx(2, 4);
	static struct unit u[64];
	struct worker w;
	struct syslet_completion c[64];
	int burst, k, queued, done, got;

	memset(&w, 0, sizeof(w));
	w.seed = 7;
	tl_pipe(w.pipe);
	for (burst = 0; burst < 50; burst++) {
		queued = done = 0;
		for (k = 0; k < 64; k++) {
			int rc;

			build_unit(&w, &u[k], K_ASYNC);
			rc = syslet_submit(ctx, &u[k].a[0], 0);
			ck_assert_msg(rc == SYSLET_QUEUED || rc == SYSLET_DONE,
				      "burst %d chain %d: %d", burst, k, rc);
			if (rc == SYSLET_QUEUED)
				queued++;
			else
				done++;
		}
		/* Slots are held until reaped: at most 4 went to helpers. */
		ck_assert_int_le(queued, 4);
		ck_assert_int_eq(queued + done, 64);
		got = 0;
		while (got < queued) {
			int rc = syslet_wait(ctx, c + got, 64 - got, 1, NULL);

			if (rc == -EINTR)
				continue;
			ck_assert_int_gt(rc, 0);
			got += rc;
		}
		ck_assert_int_eq(got, queued);
		for (k = 0; k < 64; k++)
			check_unit(&w, &u[k]);
		ck_assert_msg(w.errors == 0, "%s", w.what);
		tl_assert_ring_empty(ctx);
	}
	tl_close_pipe(w.pipe);
	tl_destroy(ctx);
}
END_TEST

static Suite *stress_suite(void)
{
	Suite *s = suite_create("stress");
	TCase *tc = tcase_create("stress");

	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_many_threads);
	tcase_add_test(tc, test_small_context);
	tcase_add_test(tc, test_slot_exhaustion);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(stress_suite());
}
