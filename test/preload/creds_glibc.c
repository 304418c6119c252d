// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Issue 12, through the C library: glibc's seteuid(), setegid(),
 * setgroups(), setresgid() and setresuid() change every thread of the
 * process, helpers included.  The main thread first makes every probe as
 * root (starting a helper under creds.policy), then takes euid 1000, egid
 * 1000, and groups {3000} with egid and euid 1000 in turn, and probes
 * (creds.h); a thread made before the change opens and creates too, as
 * the new identity.
 */
#include "creds.h"

struct variant {
	const char *name;
	void (*on)(void);
	void (*off)(void);
};

static void euid_on(void)
{
	PT_CHECK(seteuid(CT_USER) == 0);
}

static void euid_off(void)
{
	PT_CHECK(seteuid(0) == 0);
}

static void egid_on(void)
{
	PT_CHECK(setegid(CT_USER) == 0);
}

static void egid_off(void)
{
	PT_CHECK(setegid(0) == 0);
}

static void groups_on(void)
{
	gid_t g = CT_GROUP;

	PT_CHECK(setgroups(1, &g) == 0);
	PT_CHECK(setresgid(-1, CT_USER, -1) == 0);
	PT_CHECK(setresuid(-1, CT_USER, -1) == 0);
}

static void groups_off(void)
{
	PT_CHECK(setresuid(-1, 0, -1) == 0);
	PT_CHECK(setresgid(-1, 0, -1) == 0);
	PT_CHECK(setgroups(0, 0) == 0);
}

static const struct variant variants[] = {
	{ "seteuid(1000)", euid_on, euid_off },
	{ "setegid(1000)", egid_on, egid_off },
	{ "setgroups({3000}), setresgid, setresuid to 1000", groups_on,
	  groups_off },
};

#define NV (sizeof(variants) / sizeof(variants[0]))

static pthread_barrier_t bar;

/* Made while root: the C library changes it along with main. */
static void *other(void *arg)
{
	size_t i;

	for (i = 0; i < NV; i++) {
		pthread_barrier_wait(&bar);
		printf("-- another thread meanwhile\n");
		ct_probes_open();
		pthread_barrier_wait(&bar);
	}
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t th;
	size_t i;

	ct_need_root(argc, argv);
	pt_init();
	ct_setup();
	printf("== main thread, root\n");
	ct_probes();
	ct_restore();
	PT_CHECK(pthread_barrier_init(&bar, 0, 2) == 0);
	PT_CHECK(pthread_create(&th, 0, other, 0) == 0);
	for (i = 0; i < NV; i++) {
		printf("== every thread: %s\n", variants[i].name);
		variants[i].on();
		ct_probes();
		pthread_barrier_wait(&bar);
		pthread_barrier_wait(&bar);
		variants[i].off();
		ct_restore();
	}
	pthread_join(th, 0);
	printf("== main thread back to root\n");
	ct_probes();
	ct_restore();
	ct_cleanup();
	return pt_exit();
}
