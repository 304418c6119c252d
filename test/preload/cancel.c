// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pthread_cancel() of a thread blocked in read() on a pipe: its cleanup
 * handler runs, pthread_join() returns PTHREAD_CANCELED, the cancelled
 * read took nothing (the pipe keeps what is written afterwards), and no
 * thread is left behind (the shim's own "syslet/" helpers not counted).
 * With cancellation disabled, the read goes on and returns the data
 * written later; the cancel acts when it is enabled again.
 */
#include "ptest.h"

#include <sys/ioctl.h>

static int p[2];
static pid_t victim_tid;
static volatile int cleaned, returned;

static void cleanup(void *arg)
{
	cleaned = 1;
}

static void *victim(void *arg)
{
	char buf[16];
	long n;

	__atomic_store_n(&victim_tid, pt_tid(), __ATOMIC_RELEASE);
	if (arg)
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, 0);
	pthread_cleanup_push(cleanup, 0);
	n = read(p[0], buf, sizeof(buf));
	returned = 1;
	printf("read returned %ld \"%.*s\"\n", n, (int)(n > 0 ? n : 0), buf);
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, 0);
	pthread_testcancel();
	pthread_cleanup_pop(0);
	return 0;
}

static void one(const char *what, bool disabled)
{
	int before = pt_count_threads(false), avail = -1;
	pthread_t th;
	void *res = 0;
	double end;

	cleaned = returned = 0;
	victim_tid = 0;
	PT_CHECK(pthread_create(&th, 0, victim, disabled ? p : 0) == 0);
	while (!__atomic_load_n(&victim_tid, __ATOMIC_ACQUIRE))
		pt_msleep(1);
	pt_route(victim_tid, p[0], SYS_read, what);
	PT_CHECK(pthread_cancel(th) == 0);
	if (disabled) {
		pt_msleep(50); /* the read must go on waiting */
		PT_CHECK(write(p[1], "data", 4) == 4);
	}
	PT_CHECK(pthread_join(th, &res) == 0);
	printf("%s: join %s, cleanup %s, read %s\n", what,
	       res == PTHREAD_CANCELED ? "PTHREAD_CANCELED" : "not cancelled",
	       cleaned ? "ran" : "did not run",
	       returned ? "returned" : "did not return");
	PT_CHECK(write(p[1], "kept", 4) == 4);
	pt_msleep(50); /* a call still reading would take it now */
	PT_CHECK(ioctl(p[0], FIONREAD, &avail) == 0);
	printf("%s: %d bytes in the pipe after\n", what, avail);
	PT_CHECK(read(p[0], (char[8]){ 0 }, 8) == 4);
	/*
	 * A joined thread can linger in /proc/self/task for a moment (the
	 * kernel clears its TID before it removes the task): wait for it
	 * to go, up to the hang limit, so that only a thread really left
	 * behind shows in the count.
	 */
	end = pt_now() + PT_HELPER_WAIT_S;
	while (pt_count_threads(false) > before && pt_now() < end)
		pt_msleep(2);
	printf("%s: threads before %d, after %d\n", what, before,
	       pt_count_threads(false));
}

int main(void)
{
	pt_init();
	PT_CHECK(pipe(p) == 0);
	one("first cancel", false);
	one("second cancel", false);
	one("cancel disabled", true);
	return pt_exit();
}
