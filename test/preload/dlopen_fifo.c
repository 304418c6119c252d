// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * dlopen() of a FIFO: the loader's openat() blocks, until another thread
 * opens the FIFO to write, while the loader holds its TLS lock, which
 * pthread_create() waits for.  Under the seccomp backstop both opens are
 * caught and want a helper: one made by the listener itself waited for
 * that lock for ever, and no call of the process was answered again.
 * Now a helper is made aside, and a call queued behind a spawner that
 * waits for a lock goes back to its caller (spawner.c, watch.c).  The
 * loader then reads bytes that are not ELF, and says so.
 */
#include "ptest.h"

#include <dlfcn.h>
#include <sys/stat.h>

static char path[64];

static void *writer(void *arg)
{
	static const char junk[64] = "not an ELF file, just bytes in a FIFO";
	int fd;

	(void)arg;
	PT_CHECK((fd = open(path, O_WRONLY | O_CLOEXEC)) >= 0);
	PT_CHECK(write(fd, junk, sizeof(junk)) == (ssize_t)sizeof(junk));
	PT_CHECK(close(fd) == 0);
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/syslet-dlfifo.XXXXXX";
	pthread_t t;
	void *h;

	PT_CHECK(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/lib.so", dir);
	PT_CHECK(mkfifo(path, 0600) == 0);
	PT_CHECK(pthread_create(&t, 0, writer, 0) == 0);
	h = dlopen(path, RTLD_NOW);
	printf("dlopen of a FIFO: %s\n", h ? "loaded"
					 : strstr(dlerror(), "invalid ELF")
						 ? "invalid ELF header"
						 : "other error");
	PT_CHECK(pthread_join(t, 0) == 0);
	PT_CHECK(unlink(path) == 0);
	PT_CHECK(rmdir(dir) == 0);
	return 0;
}
