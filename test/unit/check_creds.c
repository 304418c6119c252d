// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A helper acts with its submitter's credentials (src/engine/ident.h):
 * a thread that changed only its own uid or capabilities with a raw
 * system call gets, from a chain run on a helper, what it would get by
 * making the calls itself.  Needs root: skipped (77) otherwise.
 */
#define _GNU_SOURCE
#include "testlib.h"

#include <linux/capability.h>
#include <sys/stat.h>

#define USER 1000

struct creds_dir {
	struct tl_dir d;
	char secret[128]; /* root's, mode 0600 */
	char theirs[128]; /* USER's, mode 0600 */
	char sub[128];	  /* USER's directory, mode 0700 */
};

static void creds_dir_make(struct creds_dir *c)
{
	int fd;

	tl_dir_make(&c->d);
	ck_assert_int_eq(chmod(c->d.path, 0755), 0);
	snprintf(c->secret, sizeof(c->secret), "%s/secret", c->d.path);
	snprintf(c->theirs, sizeof(c->theirs), "%s/theirs", c->d.path);
	snprintf(c->sub, sizeof(c->sub), "%s/sub", c->d.path);
	fd = open(c->secret, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);
	fd = open(c->theirs, O_CREAT | O_WRONLY, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fchown(fd, USER, USER), 0);
	close(fd);
	ck_assert_int_eq(mkdir(c->sub, 0700), 0);
	ck_assert_int_eq(chown(c->sub, USER, USER), 0);
}

static void creds_dir_remove(struct creds_dir *c)
{
	char p[160];

	snprintf(p, sizeof(p), "%s/new", c->sub);
	unlink(p);
	rmdir(c->sub);
	tl_dir_remove(&c->d);
}

/* openat(path, flags) on a helper (SUBMIT_ASYNC), waited for. */
static long open_on_helper(struct syslet_ctx *ctx, const char *path, int flags)
{
	struct syslet_atom a;
	long r = TL_UNSET;

	syslet_atom_init(&a, SYS_openat, &r, 0, AT_FDCWD, (long)path, flags,
			 0600, 0, 0);
	ck_assert_int_eq(
		syslet_submit(ctx, &a,
			      SYSLET_SUBMIT_ASYNC | SYSLET_SUBMIT_WAIT),
		SYSLET_DONE);
	return r;
}

static void close_if(long fd)
{
	if (fd >= 0)
		close((int)fd);
}

struct as_user {
	struct syslet_ctx *ctx;
	struct creds_dir *c;
	long secret, created;
	struct stat st;
};

/* Only this thread becomes USER, as Samba's threads do. */
static void *user_thread(void *arg)
{
	struct as_user *u = arg;
	char p[160];

	ck_assert_int_eq(syscall(SYS_setresuid, -1, USER, -1), 0);
	u->secret = open_on_helper(u->ctx, u->c->secret, O_RDONLY);
	snprintf(p, sizeof(p), "%s/new", u->c->sub);
	u->created = open_on_helper(u->ctx, p, O_CREAT | O_WRONLY);
	if (u->created >= 0)
		fstat((int)u->created, &u->st);
	ck_assert_int_eq(syscall(SYS_setresuid, -1, 0, -1), 0);
	return NULL;
}

static void run_as_user(struct syslet_ctx *ctx, struct creds_dir *c)
{
	struct as_user u = { .ctx = ctx, .c = c };
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, user_thread, &u), 0);
	pthread_join(t, NULL);
	ck_assert_msg(u.secret == -EACCES, "root's file opened as %d: %ld",
		      USER, u.secret);
	ck_assert_msg(u.created >= 0, "create as %d: %ld", USER, u.created);
	ck_assert_int_eq(u.st.st_uid, USER);
	close_if(u.secret);
	close_if(u.created);
}

START_TEST(test_helper_takes_thread_uid)
{
	struct syslet_ctx *ctx = tl_ctx(4, 0);
	struct creds_dir c;
	long fd;

	creds_dir_make(&c);
	/* A helper that root started is there to be reused. */
	fd = open_on_helper(ctx, c.secret, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	close_if(fd);
	run_as_user(ctx, &c);
	creds_dir_remove(&c);
	tl_destroy(ctx);
}
END_TEST

/* One helper, used by root, then by USER, then by root again. */
START_TEST(test_one_helper_both_ways)
{
	struct syslet_ctx *ctx = tl_ctx(1, 0);
	struct creds_dir c;
	long fd;

	creds_dir_make(&c);
	run_as_user(ctx, &c); /* the helper is started by USER's thread */
	fd = open_on_helper(ctx, c.secret, O_RDONLY);
	ck_assert_msg(fd >= 0, "root after %d: %ld", USER, fd);
	close_if(fd);
	run_as_user(ctx, &c);
	fd = open_on_helper(ctx, c.secret, O_RDONLY);
	ck_assert_msg(fd >= 0, "root after %d, twice: %ld", USER, fd);
	close_if(fd);
	creds_dir_remove(&c);
	tl_destroy(ctx);
}
END_TEST

struct no_dac {
	struct syslet_ctx *ctx;
	struct creds_dir *c;
	long theirs;
};

/* Root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, this thread only. */
static void *no_dac_thread(void *arg)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2] = { 0 }, saved[2];
	struct no_dac *n = arg;

	ck_assert_int_eq(syscall(SYS_capget, &h, d), 0);
	memcpy(saved, d, sizeof(d));
	d[0].effective &=
		~((1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH));
	ck_assert_int_eq(syscall(SYS_capset, &h, d), 0);
	n->theirs = open_on_helper(n->ctx, n->c->theirs, O_RDONLY);
	ck_assert_int_eq(syscall(SYS_capset, &h, saved), 0);
	return NULL;
}

START_TEST(test_helper_takes_thread_caps)
{
	struct syslet_ctx *ctx = tl_ctx(4, 0);
	struct no_dac n = { .ctx = ctx };
	struct creds_dir c;
	pthread_t t;
	long fd;

	creds_dir_make(&c);
	n.c = &c;
	fd = open_on_helper(ctx, c.theirs, O_RDONLY);
	ck_assert_msg(fd >= 0, "root opens %d's file: %ld", USER, fd);
	close_if(fd);
	ck_assert_int_eq(pthread_create(&t, NULL, no_dac_thread, &n), 0);
	pthread_join(t, NULL);
	ck_assert_msg(n.theirs == -EACCES,
		      "opened without CAP_DAC_OVERRIDE: %ld", n.theirs);
	close_if(n.theirs);
	creds_dir_remove(&c);
	tl_destroy(ctx);
}
END_TEST

struct dropped {
	struct syslet_ctx *ctx;
	const char *path;
	long r;
};

/* For good: real, effective and saved uid, so no capability is left. */
static void *dropped_thread(void *arg)
{
	struct dropped *d = arg;

	ck_assert_int_eq(syscall(SYS_setresuid, USER, USER, USER), 0);
	d->r = open_on_helper(d->ctx, d->path, O_RDONLY);
	return NULL;
}

/*
 * The only helper was started by a thread that dropped root for good, so
 * it cannot act as root: it refuses, and root's chain, waited for, runs
 * on root's thread with root's rights.
 */
START_TEST(test_refused_runs_on_caller)
{
	struct syslet_ctx *ctx = tl_ctx(1, 0);
	struct creds_dir c;
	struct dropped d = { .ctx = ctx };
	pthread_t t;
	long fd;

	creds_dir_make(&c);
	d.path = c.theirs;
	ck_assert_int_eq(pthread_create(&t, NULL, dropped_thread, &d), 0);
	pthread_join(t, NULL);
	ck_assert_msg(d.r >= 0, "%d opens its own file: %ld", USER, d.r);
	close_if(d.r);
	fd = open_on_helper(ctx, c.secret, O_RDONLY);
	ck_assert_msg(fd >= 0, "root, refused by the helper: %ld", fd);
	close_if(fd);
	creds_dir_remove(&c);
	tl_destroy(ctx);
}
END_TEST

static Suite *creds_suite(void)
{
	Suite *s = suite_create("creds");
	TCase *tc = tcase_create("creds");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_helper_takes_thread_uid);
	tcase_add_test(tc, test_one_helper_both_ways);
	tcase_add_test(tc, test_helper_takes_thread_caps);
	tcase_add_test(tc, test_refused_runs_on_caller);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "check_creds: skipped: needs root to change a "
				"thread's credentials\n");
		return 77;
	}
	return tl_run(creds_suite());
}
