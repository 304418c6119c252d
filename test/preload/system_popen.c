// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * system() and popen() in both modes, while a thread waits in a routed
 * read.  The commands (sh, itself under the shim) wait for a line on an
 * inherited pipe, so the parent is seen blocked: in read() of the popen
 * pipe (routed), and in a 200000-byte write() that fills it (routed, and
 * complete: not returned short).  Exit statuses come back as natively.
 */
#include "ptest.h"

#include <sys/wait.h>

static int a[2], g[2];
static pid_t a_tid;

static void *thread_a(void *arg)
{
	char buf[32] = { 0 };
	long n;

	__atomic_store_n(&a_tid, pt_tid(), __ATOMIC_RELEASE);
	n = read(a[0], buf, sizeof(buf) - 1);
	printf("thread A: read %ld \"%s\"\n", n, buf);
	return 0;
}

static void feed(struct pt_feeder *f, int fd, long nr, const char *what)
{
	memset(f, 0, sizeof(*f));
	f->tid = pt_tid();
	f->fd = fd;
	f->native_nr = nr;
	f->what = what;
	f->wfd = g[1];
	f->data = "go\n";
	f->len = 3;
	pt_feeder_start(f);
}

static void status(const char *what, int st)
{
	printf("%s: status %s %d\n", what, WIFEXITED(st) ? "exit" : "other",
	       WIFEXITED(st) ? WEXITSTATUS(st) : st);
}

int main(void)
{
	static char big[200000];
	char cmd[128], buf[64] = { 0 };
	struct pt_feeder f;
	pthread_t ta;
	FILE *fp;
	long n;

	pt_init();
	PT_CHECK(pipe2(a, O_CLOEXEC) == 0 && pipe(g) == 0);
	PT_CHECK(pthread_create(&ta, 0, thread_a, 0) == 0);
	while (!__atomic_load_n(&a_tid, __ATOMIC_ACQUIRE))
		pt_msleep(1);
	pt_route(a_tid, a[0], SYS_read, "read in flight");

	status("system", system("echo system says hello; exit 3"));
	status("system true", system("true"));

	snprintf(cmd, sizeof(cmd), "read x <&%d; echo \"popen r: $x\"; exit 4",
		 g[0]);
	PT_CHECK((fp = popen(cmd, "r")));
	feed(&f, fileno(fp), SYS_read, "popen read");
	n = read(fileno(fp), buf, sizeof(buf) - 1);
	pt_feeder_join(&f);
	printf("popen r: read %ld \"%s\"\n", n, buf);
	status("popen r", pclose(fp));

	snprintf(cmd, sizeof(cmd), "read x <&%d; wc -c; exit 5", g[0]);
	PT_CHECK((fp = popen(cmd, "w")));
	memset(big, 'x', sizeof(big));
	feed(&f, fileno(fp), SYS_write, "popen write");
	n = write(fileno(fp), big, sizeof(big));
	pt_feeder_join(&f);
	printf("popen w: wrote %ld\n", n);
	status("popen w", pclose(fp));

	PT_CHECK(write(a[1], "for thread A", 12) == 12);
	pthread_join(ta, 0);
	return pt_exit();
}
