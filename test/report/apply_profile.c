// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Loads a seccomp profile with libseccomp, as a container runtime would
 * load the OCI profile 'syslet policy export' writes: the names in
 * NAMES_FILE (one per line, taken from the profile's syscalls[].names)
 * are allowed, every other call fails with EPERM (defaultAction
 * SCMP_ACT_ERRNO).  Then:
 *   apply_profile NAMES_FILE exec PROGRAM [ARGS...]   runs PROGRAM under it
 *   apply_profile NAMES_FILE mkdirat DIR              makes one raw call
 *       and prints its errno name ("EPERM": outside the profile)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int load(const char *file)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	char line[128];
	FILE *f = fopen(file, "r");
	int rc = 0, n = 0;

	if (!ctx || !f)
		return -1;
	while (!rc && fgets(line, sizeof(line), f)) {
		int nr;

		line[strcspn(line, "\n")] = 0;
		nr = seccomp_syscall_resolve_name(line);
		if (nr == __NR_SCMP_ERROR) {
			fprintf(stderr, "apply_profile: unknown call %s\n",
				line);
			rc = -1;
			break;
		}
		rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		n++;
	}
	fclose(f);
	if (!rc && n)
		rc = seccomp_load(ctx); /* sets no_new_privs itself */
	seccomp_release(ctx);
	return rc || !n ? -1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: apply_profile NAMES exec PROG... | "
				"NAMES mkdirat DIR\n");
		return 2;
	}
	/* Resolve before the filter: stdio may need calls it forbids. */
	if (load(argv[1])) {
		fprintf(stderr, "apply_profile: cannot load %s\n", argv[1]);
		return 2;
	}
	if (!strcmp(argv[2], "exec")) {
		execvp(argv[3], argv + 3);
		return 127;
	}
	if (!strcmp(argv[2], "mkdirat")) {
		long r = syscall(SYS_mkdirat, AT_FDCWD, argv[3], 0700);
		const char *name = r ? strerrorname_np(errno) : "success";

		/* write(2) is in every profile that ran a program. */
		if (write(1, name, strlen(name)) < 0 || write(1, "\n", 1) < 0)
			return 1;
		return 0;
	}
	return 2;
}
