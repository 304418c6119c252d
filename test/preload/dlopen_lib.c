// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A library loaded at run time: zlib, dlopen()ed and used through dlsym().
 * Its read() and write() calls bind to the shim like the program's own:
 * gzread() of a gzip stream on a pipe, which another thread writes with
 * gzwrite() once the reader is seen waiting, is routed and inflates to
 * what was written.  A read() found with dlsym(RTLD_DEFAULT) is routed too.
 */
#include "ptest.h"

#include <dlfcn.h>

static void *(*z_gzdopen)(int, const char *);
static int (*z_gzread)(void *, void *, unsigned int);
static int (*z_gzwrite)(void *, const void *, unsigned int);
static int (*z_gzclose)(void *);

static const char msg[] = "inflated from a pipe by a dlopen()ed zlib";
static int p[2];
static pid_t reader;

static void *writer(void *arg)
{
	void *gz;

	pt_route(reader, p[0], SYS_read, "gzread");
	PT_CHECK((gz = z_gzdopen(p[1], "wb")));
	PT_CHECK(z_gzwrite(gz, msg, sizeof(msg)) == (int)sizeof(msg));
	PT_CHECK(z_gzclose(gz) == 0); /* closes p[1]: the reader sees EOF */
	return 0;
}

int main(void)
{
	ssize_t (*rd)(int, void *, size_t);
	struct pt_feeder f = { 0 };
	char buf[128] = { 0 };
	pthread_t th;
	void *z, *gz;
	int n;

	pt_init();
	z = dlopen("libz.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!z)
		PT_FAIL("dlopen: %s", dlerror());
	PT_CHECK((*(void **)&z_gzdopen = dlsym(z, "gzdopen")));
	PT_CHECK((*(void **)&z_gzread = dlsym(z, "gzread")));
	PT_CHECK((*(void **)&z_gzwrite = dlsym(z, "gzwrite")));
	PT_CHECK((*(void **)&z_gzclose = dlsym(z, "gzclose")));

	PT_CHECK(pipe(p) == 0);
	reader = pt_tid();
	PT_CHECK((gz = z_gzdopen(p[0], "rb")));
	PT_CHECK(pthread_create(&th, 0, writer, 0) == 0);
	n = z_gzread(gz, buf, sizeof(buf));
	pthread_join(th, 0);
	printf("gzread: %d bytes \"%s\"\n", n, buf);
	PT_CHECK(n == (int)sizeof(msg) && !strcmp(buf, msg));
	PT_CHECK(z_gzclose(gz) == 0);
	PT_CHECK(dlclose(z) == 0);

	PT_CHECK((*(void **)&rd = dlsym(RTLD_DEFAULT, "read")));
	PT_CHECK(pipe(p) == 0);
	f.tid = pt_tid();
	f.fd = p[0];
	f.native_nr = SYS_read;
	f.what = "read from dlsym";
	f.wfd = p[1];
	f.data = "via dlsym";
	f.len = 9;
	pt_feeder_start(&f);
	memset(buf, 0, sizeof(buf));
	n = (int)rd(p[0], buf, sizeof(buf) - 1);
	pt_feeder_join(&f);
	printf("dlsym read: %d bytes \"%s\"\n", n, buf);
	PT_CHECK(n == 9);
	return pt_exit();
}
