// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Issue 12: a thread that changes only its own credentials with raw
 * system calls (as Samba does, serving users as root) must keep them for
 * its calls on helpers.  The main thread first makes every probe as root
 * (under creds.policy that starts a root helper, to be reused).  Then a
 * second thread takes, one at a time and for itself alone: euid 1000
 * (setresuid), egid 1000 (setresgid), groups {3000} with egid and euid
 * 1000 (setgroups too), fsuid and fsgid 1000 (setfsuid, setfsgid), and
 * uid 0 without CAP_DAC_OVERRIDE in its effective set (capset).  In each
 * it opens files only some may open, creates files (their owner), fchowns
 * and sets a trusted.* attribute on root's file, unlinks another user's
 * file in a sticky directory, signals another user's process and connects
 * to a socket in root's mode 0700 directory (creds.h).  Meanwhile the main
 * thread, still root, opens root's mode 0600 file and creates one.
 * With --asm the thread changes itself with syscall instructions of its
 * own (bs_creds_asm.sh: only the backstop's filter sees those).
 */
#include "creds.h"

struct variant {
	const char *name;
	void (*on)(void);
	void (*off)(void);
};

static void euid_on(void)
{
	ct_raw3(SYS_setresuid, -1, CT_USER, -1);
}

static void euid_off(void)
{
	ct_raw3(SYS_setresuid, -1, 0, -1);
}

static void egid_on(void)
{
	ct_raw3(SYS_setresgid, -1, CT_USER, -1);
}

static void egid_off(void)
{
	ct_raw3(SYS_setresgid, -1, 0, -1);
}

static void groups_on(void)
{
	ct_groups(1, CT_GROUP);
	egid_on();
	euid_on();
}

static void groups_off(void)
{
	euid_off();
	egid_off();
	ct_groups(0, 0);
}

static void fsid_on(void)
{
	ct_fs_ids(CT_USER, CT_USER);
}

static void fsid_off(void)
{
	ct_fs_ids(0, 0);
}

static void cap_on(void)
{
	ct_cap_drop(CAP_DAC_OVERRIDE);
}

static void cap_off(void)
{
	ct_cap_drop(-1);
}

static const struct variant variants[] = {
	{ "setresuid(-1, 1000, -1)", euid_on, euid_off },
	{ "setresgid(-1, 1000, -1)", egid_on, egid_off },
	{ "setgroups({3000}), setresgid, setresuid to 1000", groups_on,
	  groups_off },
	{ "setfsgid(1000), setfsuid(1000)", fsid_on, fsid_off },
	{ "capset: effective set without CAP_DAC_OVERRIDE", cap_on, cap_off },
};

#define NV (sizeof(variants) / sizeof(variants[0]))

static pthread_barrier_t bar;

static void *worker(void *arg)
{
	size_t i;

	for (i = 0; i < NV; i++) {
		printf("== thread alone: %s\n", variants[i].name);
		variants[i].on();
		ct_probes();
		/* The main thread's turn, while this one is switched. */
		pthread_barrier_wait(&bar);
		pthread_barrier_wait(&bar);
		variants[i].off();
		ct_restore();
	}
	printf("== thread back to root\n");
	ct_probes();
	ct_restore();
	return 0;
}

int main(int argc, char **argv)
{
	pthread_t th;
	size_t i;

	ct_need_root(argc, argv);
	ct_asm = argc > 1 && !strcmp(argv[1], "--asm");
	pt_init();
	ct_setup();
	printf("== main thread, root\n");
	ct_probes();
	ct_restore();
	PT_CHECK(pthread_barrier_init(&bar, 0, 2) == 0);
	PT_CHECK(pthread_create(&th, 0, worker, 0) == 0);
	for (i = 0; i < NV; i++) {
		pthread_barrier_wait(&bar);
		printf("-- main thread meanwhile, root\n");
		ct_probes_open();
		pthread_barrier_wait(&bar);
	}
	pthread_join(th, 0);
	ct_cleanup();
	return pt_exit();
}
