// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The policy file parser (src/policy/): every rule kind, every setting,
 * every error with its line and column, comments and whitespace, the
 * `syslet policy show` output parsing back, reading files, and the inputs
 * the fuzzer found troublesome (test/unit/policy-regress/).
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <syslet.h>

#include "testlib.h"
#include "../../src/policy/policy.h"

#define MAXERR 32

struct errs {
	unsigned int n;
	struct {
		unsigned int line, col;
		char reason[256];
	} e[MAXERR];
};

static void collect(void *arg, const char *file, unsigned int line,
		    unsigned int col, const char *reason)
{
	struct errs *es = arg;

	ck_assert_str_eq(file, "t.policy");
	if (es->n < MAXERR) {
		es->e[es->n].line = line;
		es->e[es->n].col = col;
		snprintf(es->e[es->n].reason, sizeof(es->e[0].reason), "%s",
			 reason);
	}
	es->n++;
}

static unsigned int parse(struct sp_policy *p, const char *text,
			  struct errs *es)
{
	unsigned int n;

	memset(es, 0, sizeof(*es));
	sp_policy_default(p);
	n = sp_parse(p, text, strlen(text), "t.policy", collect, es);
	ck_assert_uint_eq(n, es->n);
	return n;
}

static void assert_default(const struct sp_policy *p)
{
	struct sp_policy d;

	sp_policy_default(&d);
	ck_assert(!memcmp(p->route, d.route, sizeof(d.route)));
	ck_assert(!memcmp(p->value, d.value, sizeof(d.value)));
}

/* The default policy's table is the per-call default, call by call. */
START_TEST(test_default_table)
{
	struct sp_policy d;
	int nr;

	sp_policy_default(&d);
	for (nr = 0; nr < SL_SYSTAB_MAX; nr++)
		ck_assert_int_eq(d.route[nr], sp_default_route(nr));
	ck_assert_int_eq(d.route[SYS_read], SP_NOWAIT);
	ck_assert_int_eq(d.route[SYS_getpid], SP_NATIVE);
}
END_TEST

START_TEST(test_empty)
{
	static const char *const texts[] = {
		"",
		"\n",
		"\n\n\n",
		"# only a comment",
		"   \t \n\t\n",
		"#\n# set helpers.max 0\n   # read bogus\n",
		"\r\n\r\n",
	};
	struct sp_policy p;
	struct errs es;
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		ck_assert_uint_eq(parse(&p, texts[i], &es), 0);
		ck_assert_uint_eq(p.rules, 0);
		ck_assert_uint_eq(p.settings, 0);
		assert_default(&p);
	}
}
END_TEST

START_TEST(test_routes)
{
	struct sp_policy p;
	struct errs es;

	ck_assert_uint_eq(parse(&p,
				"read inline\n"
				"write native\n"
				"newfstatat nowait\n"
				"unlinkat helper\n"
				"set backstop on\n"
				"openat trap\n"
				"rt_sigprocmask inline\n",
				&es),
			  0);
	ck_assert_uint_eq(p.route[SYS_read], SP_NATIVE);
	ck_assert_uint_eq(p.route[SYS_write], SP_NATIVE);
	ck_assert_uint_eq(p.route[SYS_newfstatat], SP_NOWAIT);
	ck_assert_uint_eq(p.route[SYS_unlinkat], SP_HELPER);
	ck_assert_uint_eq(p.route[SYS_openat], SP_TRAP);
	ck_assert_uint_eq(p.route[SYS_rt_sigprocmask], SP_NATIVE);
	/* Calls not named keep the built-in route. */
	ck_assert_uint_eq(p.route[SYS_fsync], SP_HELPER);
	ck_assert_uint_eq(p.route[SYS_pread64], SP_NOWAIT);
	ck_assert_uint_eq(p.route[SYS_close], SP_NATIVE);
	ck_assert_uint_eq(p.rules, 6);
	ck_assert_uint_eq(p.settings, 1);
	ck_assert_str_eq(sp_route_keyword(SP_NATIVE), "inline");
	ck_assert_str_eq(sp_route_keyword(SP_TRAP), "trap");
	ck_assert_str_eq(sp_route_name(SP_TRAP), "trap");
}
END_TEST

static const struct {
	const char *line;
	int setting;
	uint32_t value;
} good_settings[] = {
	{ "set helpers.min 0", SP_HELPERS_MIN, 0 },
	{ "set helpers.min 64", SP_HELPERS_MIN, 64 },
	{ "set helpers.max 1", SP_HELPERS_MAX, 1 },
	{ "set helpers.max 4096", SP_HELPERS_MAX, 4096 },
	{ "set helpers.idle_ms 1", SP_HELPERS_IDLE_MS, 1 },
	{ "set helpers.idle_ms 86400000", SP_HELPERS_IDLE_MS, 86400000 },
	{ "set helpers.spin_us 0", SP_HELPERS_SPIN_US, 0 },
	{ "set helpers.spin_us 100000", SP_HELPERS_SPIN_US, 100000 },
	{ "set helpers.pin off", SP_HELPERS_PIN, 0 },
	{ "set helpers.pin on", SP_HELPERS_PIN, 1 },
	{ "set queue.depth 1", SP_QUEUE_DEPTH, 1 },
	{ "set queue.depth 65536", SP_QUEUE_DEPTH, 65536 },
	{ "set backstop on", SP_BACKSTOP, 1 },
	{ "set backstop off", SP_BACKSTOP, 0 },
	{ "set report.block_us 0", SP_BLOCK_US, 0 },
	{ "set report.block_us 0000250", SP_BLOCK_US, 250 },
	{ "set report.block_us 60000000", SP_BLOCK_US, 60000000 },
	{ "set helpers.waits on", SP_HELPERS_WAITS, 1 },
	{ "set helpers.waits off", SP_HELPERS_WAITS, 0 },
};

START_TEST(test_settings)
{
	struct sp_policy p;
	struct errs es;
	size_t i;
	int s;

	for (i = 0; i < sizeof(good_settings) / sizeof(good_settings[0]); i++) {
		ck_assert_msg(!parse(&p, good_settings[i].line, &es), "%s: %s",
			      good_settings[i].line, es.e[0].reason);
		ck_assert_uint_eq(p.value[good_settings[i].setting],
				  good_settings[i].value);
		ck_assert_uint_eq(p.settings, 1);
	}
	/* Every setting has a name the table finds again. */
	for (s = 0; s < SP_NSETTINGS; s++) {
		const char *name = sp_setting_name(s);

		ck_assert_ptr_nonnull(name);
		ck_assert_int_eq(sp_setting_lookup(name, strlen(name)), s);
	}
	ck_assert_ptr_null(sp_setting_name(SP_NSETTINGS));
	ck_assert_uint_eq(sp_setting_default(SP_BLOCK_US), 1000);
	ck_assert_uint_eq(sp_setting_default(SP_BACKSTOP), 0);
}
END_TEST

START_TEST(test_params)
{
	struct syslet_params engine, pol;
	struct sp_policy p;
	struct errs es;

	/* The built-in policy's settings are the engine's defaults. */
	syslet_params_init(&engine);
	syslet_params_init(&pol);
	sp_policy_default(&p);
	sp_policy_params(&p, &pol);
	ck_assert(!memcmp(&engine, &pol, sizeof(pol)));

	ck_assert_uint_eq(parse(&p,
				"set helpers.min 2\nset helpers.max 8\n"
				"set helpers.idle_ms 500\n"
				"set helpers.spin_us 7\n"
				"set helpers.pin off\nset queue.depth 32\n",
				&es),
			  0);
	syslet_params_init(&pol);
	sp_policy_params(&p, &pol);
	ck_assert_uint_eq(pol.min_helpers, 2);
	ck_assert_uint_eq(pol.max_helpers, 8);
	ck_assert_uint_eq(pol.idle_timeout_ms, 500);
	ck_assert_uint_eq(pol.spin_us, 7);
	ck_assert_uint_eq(pol.queue_depth, 32);
	ck_assert_uint_eq(pol.flags, SYSLET_CTX_NO_PIN);
}
END_TEST

START_TEST(test_whitespace)
{
	struct sp_policy p;
	struct errs es;

	ck_assert_uint_eq(parse(&p,
				"  read\t\tinline   # why: a comment\r\n"
				"#set helpers.max 0\n"
				"\tset   helpers.max\t3#no space\n"
				"\n"
				"write helper#",
				&es),
			  0);
	ck_assert_uint_eq(p.route[SYS_read], SP_NATIVE);
	ck_assert_uint_eq(p.route[SYS_write], SP_HELPER);
	ck_assert_uint_eq(p.value[SP_HELPERS_MAX], 3);
	ck_assert_uint_eq(p.rules, 2);
	ck_assert_uint_eq(p.settings, 1);
}
END_TEST

/* Each a file with exactly one error: where, and what the reason says. */
static const struct {
	const char *text;
	unsigned int line, col;
	const char *reason;
} one_error[] = {
	/* unknown system call */
	{ "foo nowait", 1, 1, "unknown system call 'foo'" },
	{ "  pread helper", 1, 3,
	  "unknown system call 'pread' (the C library's pread() makes pread64)" },
	{ "\n\nREAD nowait", 3, 1, "unknown system call 'READ'" },
	{ "sys_read nowait", 1, 1, "unknown system call 'sys_read'" },
	/* unknown setting */
	{ "set nope 1", 1, 5, "unknown setting 'nope'" },
	{ "set helpers 1", 1, 5, "unknown setting 'helpers'" },
	/* bad values */
	{ "set helpers.max 0", 1, 17,
	  "bad value '0' for helpers.max: expected an integer from 1 to 4096" },
	{ "set helpers.max 4097", 1, 17, "bad value '4097'" },
	{ "set helpers.max -1", 1, 17, "bad value '-1'" },
	{ "set helpers.max 0x10", 1, 17, "bad value '0x10'" },
	{ "set helpers.max 99999999999", 1, 17, "bad value '99999999999'" },
	{ "set helpers.min 4097", 1, 17, "bad value '4097'" },
	{ "set helpers.idle_ms 0", 1, 21, "bad value '0' for helpers.idle_ms" },
	{ "set helpers.spin_us 100001", 1, 21, "bad value '100001'" },
	{ "set helpers.pin yes", 1, 17,
	  "bad value 'yes' for helpers.pin: expected on or off" },
	{ "set queue.depth 65537", 1, 17, "bad value '65537'" },
	{ "set backstop ON", 1, 14, "bad value 'ON' for backstop" },
	{ "set report.block_us 60000001", 1, 21, "bad value '60000001'" },
	{ "read fast", 1, 6,
	  "unknown route 'fast': expected inline, nowait, helper or trap" },
	/* missing words, extra words */
	{ "set", 1, 4, "missing setting name after 'set'" },
	{ "set helpers.max", 1, 16, "missing value for helpers.max" },
	{ "set helpers.max # 4", 1, 16, "missing value for helpers.max" },
	{ "read", 1, 5, "missing route after 'read'" },
	{ "read nowait now", 1, 13, "unexpected 'now' after the route" },
	{ "set backstop on off", 1, 17, "unexpected 'off' after the value" },
	/* contradictions */
	{ "rt_sigprocmask helper", 1, 16,
	  "contradiction: rt_sigprocmask never leaves the calling thread (class caller)" },
	{ "\tgettid nowait", 1, 9,
	  "contradiction: gettid never leaves the calling thread (class emulated)" },
	{ "set helpers.min 8\nset helpers.max 4", 2, 5,
	  "contradiction: helpers.min 8 is above helpers.max 4" },
	{ "set helpers.max 4\n# x\nset helpers.min 8", 3, 5,
	  "contradiction: helpers.min 8 is above helpers.max 4" },
	{ "set helpers.min 100", 1, 5,
	  "contradiction: helpers.min 100 is above helpers.max 64" },
	{ "openat trap", 1, 8,
	  "contradiction: trap for openat needs 'set backstop on'" },
	{ "set backstop off\n  openat   trap", 2, 12,
	  "contradiction: trap for openat needs 'set backstop on'" },
	/* duplicates */
	{ "read nowait\n\nread helper", 3, 1,
	  "duplicate rule for read (first at line 1)" },
	{ "read nowait\nread nowait", 2, 1, "duplicate rule for read" },
	{ "set queue.depth 1\nset  queue.depth 2", 2, 6,
	  "duplicate setting queue.depth (first set at line 1)" },
	/* what an error message quotes stays printable */
	{ "re\x01"
	  "d nowait",
	  1, 1, "unknown system call 're?d'" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa nowait", 1, 1,
	  "unknown system call 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'" },
};

START_TEST(test_one_error)
{
	struct sp_policy p;
	struct errs es;
	size_t i;

	for (i = 0; i < sizeof(one_error) / sizeof(one_error[0]); i++) {
		unsigned int n = parse(&p, one_error[i].text, &es);

		ck_assert_msg(n == 1, "'%s': %u errors, first %u:%u %s",
			      one_error[i].text, n, es.e[0].line, es.e[0].col,
			      es.e[0].reason);
		ck_assert_msg(es.e[0].line == one_error[i].line &&
				      es.e[0].col == one_error[i].col,
			      "'%s': error at %u:%u, expected %u:%u (%s)",
			      one_error[i].text, es.e[0].line, es.e[0].col,
			      one_error[i].line, one_error[i].col,
			      es.e[0].reason);
		ck_assert_msg(!strncmp(es.e[0].reason, one_error[i].reason,
				       strlen(one_error[i].reason)),
			      "'%s': reason '%s', expected '%s...'",
			      one_error[i].text, es.e[0].reason,
			      one_error[i].reason);
	}
}
END_TEST

/* Every error of a file, not only the first; nothing wrong goes in. */
START_TEST(test_every_error)
{
	static const struct {
		unsigned int line, col;
	} where[] = { { 1, 1 },	 { 2, 17 }, { 3, 5 }, { 4, 6 },
		      { 4, 11 }, { 5, 1 },  { 5, 8 }, { 7, 1 } };
	struct sp_policy p;
	struct errs es;
	size_t i;

	ck_assert_uint_eq(parse(&p,
				"pread helper\n"
				"set helpers.max x\n"
				"set nothing 1\n"
				"read fast extra\n"
				"nosuch fast\n"
				"fsync inline\n"
				"fsync helper\n",
				&es),
			  sizeof(where) / sizeof(where[0]));
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		ck_assert_msg(es.e[i].line == where[i].line &&
				      es.e[i].col == where[i].col,
			      "error %zu at %u:%u, expected %u:%u (%s)", i,
			      es.e[i].line, es.e[i].col, where[i].line,
			      where[i].col, es.e[i].reason);
	ck_assert_uint_eq(p.value[SP_HELPERS_MAX], 64);
	ck_assert_uint_eq(p.route[SYS_read], SP_NOWAIT);
	ck_assert_uint_eq(p.route[SYS_fsync], SP_NATIVE);
	ck_assert_uint_eq(p.rules, 1);
	/* A setting given twice is a duplicate even if its first value was
	 * bad, as a rule is. */
	ck_assert_uint_eq(
		parse(&p, "set queue.depth 0\nset queue.depth 2\n", &es), 2);
	ck_assert_uint_eq(es.e[1].line, 2);
	ck_assert_uint_eq(es.e[1].col, 5);
	ck_assert_uint_eq(p.value[SP_QUEUE_DEPTH], 256);
	/* And without a callback, the count alone. */
	sp_policy_default(&p);
	ck_assert_uint_eq(sp_parse(&p, "a b\nc d\n", 8, "x", 0, 0), 4);
}
END_TEST

static char *write_policy(const struct sp_policy *p, size_t *len)
{
	char *text = 0;
	FILE *f = open_memstream(&text, len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(sp_policy_write(p, f), 0);
	fclose(f);
	return text;
}

/* `syslet policy show` prints what parses back to the same policy. */
START_TEST(test_round_trip)
{
	struct sp_policy p, q;
	struct errs es;
	size_t len;
	char *text;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		if (pass == 0)
			sp_policy_default(&p);
		else
			ck_assert_uint_eq(
				parse(&p,
				      "read inline\nset backstop on\n"
				      "openat trap\nset helpers.max 3\n"
				      "set helpers.pin off\n"
				      "newfstatat helper\n",
				      &es),
				0);
		text = write_policy(&p, &len);
		ck_assert(strstr(text, pass ? "read                 inline\n"
					    : "read                 nowait\n"));
		sp_policy_default(&q);
		memset(&es, 0, sizeof(es));
		ck_assert_uint_eq(
			sp_parse(&q, text, len, "t.policy", collect, &es), 0);
		ck_assert(!memcmp(p.route, q.route, sizeof(p.route)));
		ck_assert(!memcmp(p.value, q.value, sizeof(p.value)));
		ck_assert_uint_eq(q.settings, SP_NSETTINGS);
		free(text);
	}
}
END_TEST

static const char *temp_file(char *path, const char *text, size_t len)
{
	int fd;

	strcpy(path, "/tmp/check_policy.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

struct file_errs {
	unsigned int n, line;
	char reason[256];
};

static void file_collect(void *arg, const char *file, unsigned int line,
			 unsigned int col, const char *reason)
{
	struct file_errs *fe = arg;

	(void)file;
	(void)col;
	if (!fe->n++) {
		fe->line = line;
		snprintf(fe->reason, sizeof(fe->reason), "%s", reason);
	}
}

START_TEST(test_load)
{
	struct file_errs fe = { 0 };
	struct sp_policy p;
	char path[64], *big;

	sp_policy_default(&p);
	temp_file(path, "read helper\nset helpers.max 5\n", 30);
	ck_assert_uint_eq(sp_load(&p, path, file_collect, &fe), 0);
	ck_assert_uint_eq(p.route[SYS_read], SP_HELPER);
	ck_assert_uint_eq(p.value[SP_HELPERS_MAX], 5);
	unlink(path);

	/* Unreadable: one error about the whole file (line 0). */
	errno = 1234;
	ck_assert_uint_eq(sp_load(&p, "/nonexistent/p", file_collect, &fe), 1);
	ck_assert_int_eq(errno, 1234);
	ck_assert_uint_eq(fe.line, 0);
	ck_assert_str_eq(fe.reason, "cannot open: No such file or directory");
	memset(&fe, 0, sizeof(fe));
	ck_assert_uint_eq(sp_load(&p, "/", file_collect, &fe), 1);
	ck_assert_str_eq(fe.reason, "is a directory");
	memset(&fe, 0, sizeof(fe));
	ck_assert_uint_eq(sp_load(&p, "/dev/null", file_collect, &fe), 1);
	ck_assert_str_eq(fe.reason, "not a regular file");
	/* A FIFO without a writer: refused, not waited for. */
	snprintf(path, sizeof(path), "/tmp/check-policy-fifo.%d", getpid());
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	memset(&fe, 0, sizeof(fe));
	ck_assert_uint_eq(sp_load(&p, path, file_collect, &fe), 1);
	ck_assert_str_eq(fe.reason, "not a regular file");
	unlink(path);
	/* The shim's loader takes "-" as a name, never standard input. */
	memset(&fe, 0, sizeof(fe));
	ck_assert_uint_eq(sp_load_file(&p, "-", file_collect, &fe), 1);
	ck_assert_str_eq(fe.reason, "cannot open: No such file or directory");

	/* Too large: refused whole, not cut. */
	big = malloc(SP_MAX_FILE + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, '\n', SP_MAX_FILE + 1);
	temp_file(path, big, SP_MAX_FILE);
	memset(&fe, 0, sizeof(fe));
	ck_assert_uint_eq(sp_load(&p, path, file_collect, &fe), 0);
	unlink(path);
	temp_file(path, big, SP_MAX_FILE + 1);
	ck_assert_uint_eq(sp_load(&p, path, file_collect, &fe), 1);
	ck_assert_str_eq(fe.reason, "larger than 256 KiB");
	unlink(path);
	free(big);
}
END_TEST

/*
 * Inputs that once crashed or misled the parser (the fuzzer's finds and
 * hand-made edge cases): each must parse without crashing, report as many
 * errors as its first line "# errors: N" says, and every error inside the
 * file.
 */
START_TEST(test_regress)
{
	DIR *d = opendir(POLICY_REGRESS_DIR);
	struct file_errs fe;
	struct sp_policy p;
	struct dirent *de;
	char path[4096];
	unsigned int want, files = 0;
	FILE *f;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		if (!strstr(de->d_name, ".policy"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", POLICY_REGRESS_DIR,
			 de->d_name);
		f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		ck_assert_msg(fscanf(f, "# errors: %u", &want) == 1,
			      "%s: no '# errors: N' first line", path);
		fclose(f);
		memset(&fe, 0, sizeof(fe));
		sp_policy_default(&p);
		ck_assert_msg(sp_load(&p, path, file_collect, &fe) == want,
			      "%s: %u errors, expected %u (first: %s)", path,
			      fe.n, want, fe.reason);
		files++;
	}
	closedir(d);
	ck_assert_uint_gt(files, 0);
}
END_TEST

static Suite *policy_suite(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, test_default_table);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_routes);
	tcase_add_test(tc, test_settings);
	tcase_add_test(tc, test_params);
	tcase_add_test(tc, test_whitespace);
	tcase_add_test(tc, test_one_error);
	tcase_add_test(tc, test_every_error);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_load);
	tcase_add_test(tc, test_regress);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tl_run(policy_suite());
}
