// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Run as a set-user-ID copy (secure.sh: owner nobody, run by root, so
 * euid != ruid and the kernel sets AT_SECURE).  glibc drops an LD_PRELOAD
 * path with a slash for such a process, so the shim's own check is reached
 * only by loading it another way: this program dlopen()s the shim given as
 * argv[1] (its constructor runs and must see AT_SECURE) and calls its
 * read() through dlsym().  Blocking reads, both the program's own and the
 * shim's, must leave no helper thread, and stderr must stay empty (but for
 * the "info:" line saying whether ld.so preloaded the shim: it does not).
 *
 * /proc/self/task/N/syscall is not readable by a set-user-ID process (it
 * is not dumpable), so ptest.h's pt_route() cannot be used: the reader's
 * wchan (world-readable) says it sleeps in the pipe, not in a futex wait
 * for a helper, and no "syslet/" thread (comm) exists.
 */
#include "ptest.h"

#include <dlfcn.h>
#include <sys/auxv.h>

static int p[2];
static pid_t reader;

/* Once the reader sleeps in the kernel: where (wchan), then feed it. */
static void *late_writer(void *arg)
{
	char w[64] = { 0 }, last[64] = { 0 };
	int same = 0, i;

	for (i = 0; i < 2000 && same < 5; i++) {
		pt_msleep(1);
		if (pt_task_file(reader, "wchan", w, sizeof(w)) <= 0 ||
		    !strcmp(w, "0") || strcmp(w, last))
			same = 0;
		else
			same++;
		strcpy(last, w);
	}
	printf("%s: reader asleep %s, in a futex %s\n", (char *)arg,
	       same >= 5 ? "yes" : "no", strstr(w, "futex") ? "yes" : "no");
	PT_CHECK(syscall(SYS_write, p[1], arg, strlen(arg)) ==
		 (long)strlen(arg));
	return 0;
}

static void blocking_read(ssize_t (*rd)(int, void *, size_t), const char *what)
{
	char buf[32] = { 0 };
	pthread_t th;
	long n;

	reader = pt_tid();
	PT_CHECK(pthread_create(&th, 0, late_writer, (void *)what) == 0);
	n = rd(p[0], buf, sizeof(buf) - 1);
	pthread_join(th, 0);
	printf("%s: read %ld \"%s\", helpers %d\n", what, n, buf, pt_helpers());
	PT_CHECK(n == (long)strlen(what) && pt_helpers() == 0);
}

/* Whether ld.so preloaded the shim: for the log only (stderr "info:"). */
static void info_preloaded(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	bool found = false;

	while (f && fgets(line, sizeof(line), f))
		found |= strstr(line, "libsyslet-preload") != 0;
	if (f)
		fclose(f);
	fprintf(stderr, "info: LD_PRELOAD=%s, shim mapped at start: %s\n",
		getenv("LD_PRELOAD") ? getenv("LD_PRELOAD") : "(unset)",
		found ? "yes" : "no");
}

int main(int argc, char **argv)
{
	ssize_t (*rd)(int, void *, size_t);
	void *shim;

	pt_init();
	if (argc > 1 && !strcmp(argv[1], "--probe"))
		return getauxval(AT_SECURE) ? 0 : 1;
	printf("AT_SECURE %lu, euid %s ruid\n", getauxval(AT_SECURE),
	       geteuid() != getuid() ? "!=" : "==");
	PT_CHECK(getauxval(AT_SECURE) && argc > 1);
	info_preloaded();
	PT_CHECK(pipe(p) == 0);
	blocking_read(read, "program's read");

	PT_CHECK((shim = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL)));
	PT_CHECK((*(void **)&rd = dlsym(shim, "read")));
	PT_CHECK(rd != read); /* the shim's own wrapper */
	blocking_read(rd, "shim's read");
	return pt_exit();
}
