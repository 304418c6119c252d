// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The C library's ways of changing a thread's identity, seen so that
 * helpers act as their callers (src/engine/ident.h, doc/identity.md):
 * after each, the engine re-captures identities (credentials, priority)
 * or keeps the thread's calls at home (an attribute of its own).  Raw
 * system call instructions are seen only by the backstop's filter.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/fsuid.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../engine/engine.h"
#include "shim.h"

/* The call's result: 0 or more is success for all but setfsuid(). */
static long after(long nr, long ret, long a0, long a1)
{
	long args[6] = { a0, a1 };
	int saved = errno;

	if (ret >= 0 || nr == SYS_setfsuid || nr == SYS_setfsgid)
		sl_ident_after(nr, args, false);
	errno = saved;
	return ret;
}

#define REAL(name) SHIM_REAL(real_##name, #name)

#define ID1(name, nr, T)                                                       \
	static int (*real_##name)(T);                                          \
	SHIM_EXPORT int name(T a)                                              \
	{                                                                      \
		return (int)after(nr, REAL(name)(a), 0, 0);                    \
	}
#define ID2(name, nr, T)                                                       \
	static int (*real_##name)(T, T);                                       \
	SHIM_EXPORT int name(T a, T b)                                         \
	{                                                                      \
		return (int)after(nr, REAL(name)(a, b), 0, 0);                 \
	}
#define ID3(name, nr, T)                                                       \
	static int (*real_##name)(T, T, T);                                    \
	SHIM_EXPORT int name(T a, T b, T c)                                    \
	{                                                                      \
		return (int)after(nr, REAL(name)(a, b, c), 0, 0);              \
	}

ID1(setuid, SYS_setuid, uid_t)
ID1(seteuid, SYS_setresuid, uid_t)
ID1(setgid, SYS_setgid, gid_t)
ID1(setegid, SYS_setresgid, gid_t)
ID1(setfsuid, SYS_setfsuid, uid_t)
ID1(setfsgid, SYS_setfsgid, gid_t)
ID2(setreuid, SYS_setreuid, uid_t)
ID2(setregid, SYS_setregid, gid_t)
ID3(setresuid, SYS_setresuid, uid_t)
ID3(setresgid, SYS_setresgid, gid_t)

static int (*real_setgroups)(size_t, const gid_t *);
SHIM_EXPORT int setgroups(size_t n, const gid_t *list)
{
	return (int)after(SYS_setgroups, REAL(setgroups)(n, list), 0, 0);
}

/* glibc's own setgroups() inside it never reaches ours. */
static int (*real_initgroups)(const char *, gid_t);
SHIM_EXPORT int initgroups(const char *user, gid_t group)
{
	return (int)after(SYS_setgroups, REAL(initgroups)(user, group), 0, 0);
}

int capset(void *hdr, const void *data);
static int (*real_capset)(void *, const void *);
SHIM_EXPORT int capset(void *hdr, const void *data)
{
	return (int)after(SYS_capset, REAL(capset)(hdr, data), 0, 0);
}

static int (*real_setpriority)(__priority_which_t, id_t, int);
SHIM_EXPORT int setpriority(__priority_which_t which, id_t who, int prio)
{
	return (int)after(SYS_setpriority, REAL(setpriority)(which, who, prio),
			  0, 0);
}

/* nice() calls glibc's own setpriority(). */
static int (*real_nice)(int);
SHIM_EXPORT int nice(int inc)
{
	int saved = errno, r;

	errno = 0;
	r = REAL(nice)(inc);
	/* -1 is a valid nice value: only errno tells a failure. */
	if (r != -1 || !errno)
		after(SYS_setpriority, 0, 0, 0);
	if (!errno)
		errno = saved;
	return r;
}

static int (*real_unshare)(int);
SHIM_EXPORT int unshare(int flags)
{
	return (int)after(SYS_unshare, REAL(unshare)(flags), flags, 0);
}

static int (*real_setns)(int, int);
SHIM_EXPORT int setns(int fd, int type)
{
	return (int)after(SYS_setns, REAL(setns)(fd, type), fd, type);
}

static int (*real_personality)(unsigned long);
SHIM_EXPORT int personality(unsigned long p)
{
	return (int)after(SYS_personality, REAL(personality)(p), (long)p, 0);
}

static int (*real_prctl)(int, unsigned long, unsigned long, unsigned long,
			 unsigned long);
SHIM_EXPORT int prctl(int option, ...)
{
	unsigned long a[4];
	va_list ap;
	int i;

	va_start(ap, option);
	for (i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	return (int)after(SYS_prctl,
			  REAL(prctl)(option, a[0], a[1], a[2], a[3]), option,
			  (long)a[0]);
}

/*
 * What Samba and libcap use to change one thread: syscall(SYS_...).  It
 * reads six arguments whatever the caller passed, as the C library's
 * does; the sixth comes from the caller's stack, where AddressSanitizer
 * would take it for an overflow.
 */
static long (*real_syscall)(long, ...);
__attribute__((no_sanitize("address"))) SHIM_EXPORT long syscall(long nr, ...)
{
	long a[6], r;
	va_list ap;
	int i, saved;

	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	r = REAL(syscall)(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (r >= 0 || nr == SYS_setfsuid || nr == SYS_setfsgid) {
		saved = errno;
		sl_ident_after(nr, a, true);
		errno = saved;
	}
	return r;
}

/* A thread that a pinned thread creates shares what pinned it. */
struct start {
	void *(*fn)(void *);
	void *arg;
};

static void *pinned_start(void *p)
{
	struct start s = *(struct start *)p;

	free(p);
	sl_ident_pin_child();
	return s.fn(s.arg);
}

static int (*real_pthread_create)(pthread_t *, const pthread_attr_t *,
				  void *(*)(void *), void *);
SHIM_EXPORT int pthread_create(pthread_t *th, const pthread_attr_t *attr,
			       void *(*fn)(void *), void *arg)
{
	struct start *s;
	int rc, saved;

	if (!sl_ident_pinned())
		return REAL(pthread_create)(th, attr, fn, arg);
	saved = errno;
	s = malloc(sizeof(*s));
	errno = saved;
	if (!s) {
		sl_ident_pin_self(); /* cannot say which: at worst, all */
		return EAGAIN;
	}
	s->fn = fn;
	s->arg = arg;
	rc = REAL(pthread_create)(th, attr, pinned_start, s);
	if (rc)
		free(s);
	return rc;
}
