// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Issue 12 with one helper (creds_max1.policy: helpers.max 1): the same
 * helper makes calls for threads of different identities in turn, and
 * each call must act as its own caller.  Each step is a new thread that
 * takes one or two identities with raw system calls (its own alone) and
 * in each opens root's mode 0600 file and creates a file (its owner).
 *
 *   helper_reuse user-first: uid 1000, root, 1000 then root, main (root)
 *   helper_reuse root-first: root, uid 1000, root then 1000, main (root)
 *
 * Nothing before the first step makes a call the shim routes, so under
 * the plain shim the first step's thread is the one that starts the
 * helper.
 */
#include "creds.h"

static void as(int uid)
{
	ct_raw3(SYS_setresuid, -1, uid, -1);
	printf("as euid %d:\n", uid);
	ct_probes_open();
}

static void *step(void *arg)
{
	const int *ids = arg;

	as(ids[0]);
	if (ids[1] >= 0)
		as(ids[1]);
	ct_raw3(SYS_setresuid, -1, 0, -1);
	return 0;
}

static void run_step(int n, int first, int second)
{
	int ids[2] = { first, second };
	pthread_t th;

	printf("== step %d: a new thread\n", n);
	PT_CHECK(pthread_create(&th, 0, step, ids) == 0);
	pthread_join(th, 0);
}

int main(int argc, char **argv)
{
	bool user_first;

	ct_need_root(argc, argv);
	if (argc != 2 ||
	    (strcmp(argv[1], "user-first") && strcmp(argv[1], "root-first"))) {
		fprintf(stderr, "usage: helper_reuse user-first|root-first\n");
		return 2;
	}
	user_first = !strcmp(argv[1], "user-first");
	pt_init();
	ct_setup();
	if (user_first) {
		run_step(1, CT_USER, -1);
		run_step(2, 0, -1);
		run_step(3, CT_USER, 0);
	} else {
		run_step(1, 0, -1);
		run_step(2, CT_USER, -1);
		run_step(3, 0, CT_USER);
	}
	printf("== main thread\n");
	as(0);
	ct_cleanup();
	return pt_exit();
}
