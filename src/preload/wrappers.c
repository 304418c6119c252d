// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The interposed functions.  Each takes the program's arguments, turns them
 * into the system call the C library would make, and asks shim_run() to
 * route it.  When the route is native (or the shim is off, or anything of
 * ours fails), the C library's own function is called, so that the
 * program gets exactly what it would get without us.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shim.h"
#include "stats.h"

/* glibc declares these only when fortifying; we define them regardless. */
int __open_2(const char *, int);
int __open64_2(const char *, int);
int __openat_2(int, const char *, int);
int __openat64_2(int, const char *, int);
ssize_t __read_chk(int, void *, size_t, size_t);
ssize_t __pread_chk(int, void *, size_t, off_t, size_t);
ssize_t __pread64_chk(int, void *, size_t, off64_t, size_t);
ssize_t __recv_chk(int, void *, size_t, size_t, int);
ssize_t __recvfrom_chk(int, void *, size_t, size_t, int, struct sockaddr *,
		       socklen_t *);
int __poll_chk(struct pollfd *, nfds_t, int, size_t);
int __ppoll_chk(struct pollfd *, nfds_t, const struct timespec *,
		const sigset_t *, size_t);

#define A1(a)                                                                  \
	{                                                                      \
		(long)(a), 0, 0, 0, 0, 0                                       \
	}
#define A2(a, b)                                                               \
	{                                                                      \
		(long)(a), (long)(b), 0, 0, 0, 0                               \
	}
#define A3(a, b, c)                                                            \
	{                                                                      \
		(long)(a), (long)(b), (long)(c), 0, 0, 0                       \
	}
#define A4(a, b, c, d)                                                         \
	{                                                                      \
		(long)(a), (long)(b), (long)(c), (long)(d), 0, 0               \
	}
#define A5(a, b, c, d, e)                                                      \
	{                                                                      \
		(long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0       \
	}
#define A6(a, b, c, d, e, f)                                                   \
	{                                                                      \
		(long)(a), (long)(b), (long)(c), (long)(d), (long)(e),         \
			(long)(f)                                              \
	}
/* The high half of a 64-bit offset, as glibc passes it to preadv & co. */
#define LO_HI(o) ((long)((uint64_t)(o) >> 32))

/* Pointers to the C library's own functions, found at load time. */
#define X(ret, name, proto, args, nr, raw, restart, cp)                        \
	static ret(*real_##name) proto;
#include "../policy/calls.def"
#undef X

#define X(ret, name, proto, args, nr, raw, restart, cp)                        \
	{ #name, (void **)&real_##name },
static const struct shim_sym gen_syms[] = {
#include "../policy/calls.def"
};
#undef X

#define X(ret, name, proto, args, nr, raw, restart, cp)                        \
	SHIM_EXPORT ret name proto                                             \
	{                                                                      \
		long a_[6] = raw;                                              \
		long r_;                                                       \
                                                                               \
		if (cp)                                                        \
			shim_testcancel();                                     \
		r_ = shim_run(nr, a_, restart);                                \
		if (r_ == SHIM_NATIVE)                                         \
			return SHIM_CALL_NATIVE(                               \
				nr, SHIM_REAL(real_##name, #name) args);       \
		return (ret)shim_ret(r_);                                      \
	}
#include "../policy/calls.def"
#undef X

/* ------------------------------------------------------------------ */
/* Opens: variadic, the mode only there with O_CREAT or O_TMPFILE.      */

static int (*real_open)(const char *, int, ...);
static int (*real_open64)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real___open_2)(const char *, int);
static int (*real___open64_2)(const char *, int);
static int (*real___openat_2)(int, const char *, int);
static int (*real___openat64_2)(int, const char *, int);
static int (*real_creat)(const char *, mode_t);
static int (*real_creat64)(const char *, mode_t);

#define WANTS_MODE(fl) (((fl)&O_CREAT) || ((fl)&O_TMPFILE) == O_TMPFILE)

static int open_common(int dfd, const char *path, int flags, mode_t mode,
		       bool *native)
{
	long a[6] = { dfd, (long)path, flags, mode, 0, 0 };
	long r;

	shim_testcancel();
	r = shim_run(SYS_openat, a, true);
	*native = r == SHIM_NATIVE;
	return *native ? 0 : (int)shim_ret(r);
}

#define OPEN_VARIADIC(name, dfd_param, dfd, call_real)                         \
	SHIM_EXPORT int name(dfd_param const char *path, int flags, ...)       \
	{                                                                      \
		mode_t mode = 0;                                               \
		bool native;                                                   \
		int r;                                                         \
                                                                               \
		if (WANTS_MODE(flags)) {                                       \
			va_list ap;                                            \
			va_start(ap, flags);                                   \
			mode = va_arg(ap, mode_t);                             \
			va_end(ap);                                            \
		}                                                              \
		r = open_common(dfd, path, flags, mode, &native);              \
		if (native)                                                    \
			return SHIM_CALL_NATIVE(SYS_openat, (int)call_real);   \
		return r;                                                      \
	}

OPEN_VARIADIC(open, , AT_FDCWD, SHIM_REAL(real_open, "open")(path, flags, mode))
OPEN_VARIADIC(open64, , AT_FDCWD,
	      SHIM_REAL(real_open64, "open64")(path, flags, mode))
OPEN_VARIADIC(openat, int dfd COMMA, dfd,
	      SHIM_REAL(real_openat, "openat")(dfd, path, flags, mode))
OPEN_VARIADIC(openat64, int dfd COMMA, dfd,
	      SHIM_REAL(real_openat64, "openat64")(dfd, path, flags, mode))

/* The fortified forms abort when O_CREAT comes without a mode: let them. */
#define OPEN_2(name, dfd_param, dfd, real_args)                                \
	SHIM_EXPORT int name(dfd_param const char *path, int flags)            \
	{                                                                      \
		bool native;                                                   \
		int r;                                                         \
                                                                               \
		if (WANTS_MODE(flags))                                         \
			return SHIM_REAL(real_##name, #name) real_args;        \
		r = open_common(dfd, path, flags, 0, &native);                 \
		if (native)                                                    \
			return SHIM_CALL_NATIVE(SYS_openat,                    \
						SHIM_REAL(real_##name, #name)  \
							real_args);            \
		return r;                                                      \
	}

OPEN_2(__open_2, , AT_FDCWD, (path, flags))
OPEN_2(__open64_2, , AT_FDCWD, (path, flags))
OPEN_2(__openat_2, int dfd COMMA, dfd, (dfd, path, flags))
OPEN_2(__openat64_2, int dfd COMMA, dfd, (dfd, path, flags))

#define CREAT(name)                                                            \
	SHIM_EXPORT int name(const char *path, mode_t mode)                    \
	{                                                                      \
		bool native;                                                   \
		int r = open_common(AT_FDCWD, path,                            \
				    O_CREAT | O_WRONLY | O_TRUNC, mode,        \
				    &native);                                  \
		if (native)                                                    \
			return SHIM_CALL_NATIVE(                               \
				SYS_openat,                                    \
				SHIM_REAL(real_##name, #name)(path, mode));    \
		return r;                                                      \
	}
CREAT(creat)
CREAT(creat64)

/* ------------------------------------------------------------------ */
/* fcntl: only the waiting lock commands can block.                     */

static int (*real_fcntl)(int, int, ...);
static int (*real_fcntl64)(int, int, ...);

#define FCNTL(name)                                                            \
	SHIM_EXPORT int name(int fd, int cmd, ...)                             \
	{                                                                      \
		va_list ap;                                                    \
		long arg, a[6] = { fd, cmd, 0, 0, 0, 0 }, r;                   \
                                                                               \
		va_start(ap, cmd);                                             \
		arg = va_arg(ap, long);                                        \
		va_end(ap);                                                    \
		if (cmd != F_SETLKW && cmd != F_OFD_SETLKW)                    \
			return SHIM_REAL(real_##name, #name)(fd, cmd, arg);    \
		shim_testcancel();                                             \
		a[2] = arg;                                                    \
		r = shim_run(SYS_fcntl, a, true);                              \
		if (r == SHIM_NATIVE)                                          \
			return SHIM_CALL_NATIVE(                               \
				SYS_fcntl,                                     \
				SHIM_REAL(real_##name, #name)(fd, cmd, arg));  \
		return (int)shim_ret(r);                                       \
	}
FCNTL(fcntl)
FCNTL(fcntl64)

/* ------------------------------------------------------------------ */
/* Fortified variants: check as glibc does, then the plain wrapper.     */

static ssize_t (*real___read_chk)(int, void *, size_t, size_t);
static ssize_t (*real___pread_chk)(int, void *, size_t, off_t, size_t);
static ssize_t (*real___pread64_chk)(int, void *, size_t, off64_t, size_t);
static ssize_t (*real___recv_chk)(int, void *, size_t, size_t, int);
static ssize_t (*real___recvfrom_chk)(int, void *, size_t, size_t, int,
				      struct sockaddr *, socklen_t *);
static int (*real___poll_chk)(struct pollfd *, nfds_t, int, size_t);
static int (*real___ppoll_chk)(struct pollfd *, nfds_t, const struct timespec *,
			       const sigset_t *, size_t);

SHIM_EXPORT ssize_t __read_chk(int fd, void *b, size_t n, size_t len)
{
	if (n > len) /* glibc's own __chk_fail */
		return SHIM_REAL(real___read_chk, "__read_chk")(fd, b, n, len);
	return read(fd, b, n);
}

SHIM_EXPORT ssize_t __pread_chk(int fd, void *b, size_t n, off_t o, size_t len)
{
	if (n > len)
		return SHIM_REAL(real___pread_chk, "__pread_chk")(fd, b, n, o,
								  len);
	return pread(fd, b, n, o);
}

SHIM_EXPORT ssize_t __pread64_chk(int fd, void *b, size_t n, off64_t o,
				  size_t len)
{
	if (n > len)
		return SHIM_REAL(real___pread64_chk, "__pread64_chk")(fd, b, n,
								      o, len);
	return pread64(fd, b, n, o);
}

SHIM_EXPORT ssize_t __recv_chk(int fd, void *b, size_t n, size_t len, int f)
{
	if (n > len)
		return SHIM_REAL(real___recv_chk, "__recv_chk")(fd, b, n, len,
								f);
	return recv(fd, b, n, f);
}

SHIM_EXPORT ssize_t __recvfrom_chk(int fd, void *b, size_t n, size_t len, int f,
				   struct sockaddr *a, socklen_t *l)
{
	if (n > len)
		return SHIM_REAL(real___recvfrom_chk,
				 "__recvfrom_chk")(fd, b, n, len, f, a, l);
	return recvfrom(fd, b, n, f, a, l);
}

SHIM_EXPORT int __poll_chk(struct pollfd *p, nfds_t n, int t, size_t len)
{
	if (len / sizeof(*p) < n)
		return SHIM_REAL(real___poll_chk, "__poll_chk")(p, n, t, len);
	return poll(p, n, t);
}

/* ------------------------------------------------------------------ */
/* ppoll and pselect take a const timeout that the kernel would update:  */
/* pass a copy, as glibc does.                                           */

static int (*real_ppoll)(struct pollfd *, nfds_t, const struct timespec *,
			 const sigset_t *);
static int (*real_pselect)(int, fd_set *, fd_set *, fd_set *,
			   const struct timespec *, const sigset_t *);

SHIM_EXPORT int ppoll(struct pollfd *p, nfds_t n, const struct timespec *t,
		      const sigset_t *m)
{
	struct timespec copy, *tp = 0;
	long a[6], r;

	shim_testcancel();
	if (t) {
		copy = *t;
		tp = &copy;
	}
	a[0] = (long)p;
	a[1] = (long)n;
	a[2] = (long)tp;
	a[3] = (long)m;
	a[4] = m ? _NSIG / 8 : 0;
	a[5] = 0;
	r = shim_run(SYS_ppoll, a, false);
	if (r == SHIM_NATIVE)
		return SHIM_CALL_NATIVE(
			SYS_ppoll, SHIM_REAL(real_ppoll, "ppoll")(p, n, t, m));
	return (int)shim_ret(r);
}

SHIM_EXPORT int __ppoll_chk(struct pollfd *p, nfds_t n,
			    const struct timespec *t, const sigset_t *m,
			    size_t len)
{
	if (len / sizeof(*p) < n)
		return SHIM_REAL(real___ppoll_chk, "__ppoll_chk")(p, n, t, m,
								  len);
	return ppoll(p, n, t, m);
}

SHIM_EXPORT int pselect(int nfds, fd_set *r, fd_set *w, fd_set *e,
			const struct timespec *t, const sigset_t *m)
{
	struct timespec copy, *tp = 0;
	struct {
		const sigset_t *set;
		size_t size;
	} mask = { m, _NSIG / 8 };
	long a[6], ret;

	shim_testcancel();
	if (t) {
		copy = *t;
		tp = &copy;
	}
	a[0] = nfds;
	a[1] = (long)r;
	a[2] = (long)w;
	a[3] = (long)e;
	a[4] = (long)tp;
	a[5] = m ? (long)&mask : 0;
	ret = shim_run(SYS_pselect6, a, false);
	if (ret == SHIM_NATIVE)
		return SHIM_CALL_NATIVE(SYS_pselect6,
					SHIM_REAL(real_pselect, "pselect")(
						nfds, r, w, e, t, m));
	return (int)shim_ret(ret);
}

/* ------------------------------------------------------------------ */
/* clock_nanosleep returns an error number, not -1 and errno.           */

static int (*real_clock_nanosleep)(clockid_t, int, const struct timespec *,
				   struct timespec *);

SHIM_EXPORT int clock_nanosleep(clockid_t c, int f, const struct timespec *r,
				struct timespec *m)
{
	long a[6] = { c, f, (long)r, (long)m, 0, 0 }, ret;

	shim_testcancel();
	ret = shim_run(SYS_clock_nanosleep, a, false);
	if (ret == SHIM_NATIVE)
		return SHIM_CALL_NATIVE(
			SYS_clock_nanosleep,
			SHIM_REAL(real_clock_nanosleep,
				  "clock_nanosleep")(c, f, r, m));
	return ret < 0 ? (int)-ret : 0;
}

/* ------------------------------------------------------------------ */
/* The stat ABI of binaries built before glibc 2.33.                    */

#define XSTAT(name, type, nr, raw)                                             \
	static int (*real_##name)(int, ARGS_##name);                           \
	SHIM_EXPORT int name(int ver, ARGS_##name)                             \
	{                                                                      \
		long a_[6] = raw, r_;                                          \
                                                                               \
		r_ = shim_run(nr, a_, true);                                   \
		if (r_ == SHIM_NATIVE)                                         \
			return SHIM_CALL_NATIVE(nr,                            \
						SHIM_REAL(real_##name, #name)( \
							ver, CALL_##name));    \
		return (int)shim_ret(r_);                                      \
	}

#define ARGS___xstat const char *p, struct stat *s
#define CALL___xstat p, s
#define ARGS___xstat64 const char *p, struct stat64 *s
#define CALL___xstat64 p, s
#define ARGS___lxstat const char *p, struct stat *s
#define CALL___lxstat p, s
#define ARGS___lxstat64 const char *p, struct stat64 *s
#define CALL___lxstat64 p, s
#define ARGS___fxstat int fd, struct stat *s
#define CALL___fxstat fd, s
#define ARGS___fxstat64 int fd, struct stat64 *s
#define CALL___fxstat64 fd, s
#define ARGS___fxstatat int d, const char *p, struct stat *s, int f
#define CALL___fxstatat d, p, s, f
#define ARGS___fxstatat64 int d, const char *p, struct stat64 *s, int f
#define CALL___fxstatat64 d, p, s, f

int __xstat(int, const char *, struct stat *);
int __xstat64(int, const char *, struct stat64 *);
int __lxstat(int, const char *, struct stat *);
int __lxstat64(int, const char *, struct stat64 *);
int __fxstat(int, int, struct stat *);
int __fxstat64(int, int, struct stat64 *);
int __fxstatat(int, int, const char *, struct stat *, int);
int __fxstatat64(int, int, const char *, struct stat64 *, int);

XSTAT(__xstat, stat, SYS_newfstatat, A4(AT_FDCWD, p, s, 0))
XSTAT(__xstat64, stat64, SYS_newfstatat, A4(AT_FDCWD, p, s, 0))
XSTAT(__lxstat, stat, SYS_newfstatat, A4(AT_FDCWD, p, s, AT_SYMLINK_NOFOLLOW))
XSTAT(__lxstat64, stat64, SYS_newfstatat,
      A4(AT_FDCWD, p, s, AT_SYMLINK_NOFOLLOW))
XSTAT(__fxstat, stat, SYS_fstat, A2(fd, s))
XSTAT(__fxstat64, stat64, SYS_fstat, A2(fd, s))
XSTAT(__fxstatat, stat, SYS_newfstatat, A4(d, p, s, f))
XSTAT(__fxstatat64, stat64, SYS_newfstatat, A4(d, p, s, f))

/* ------------------------------------------------------------------ */

static const struct shim_sym extra_syms[] = {
#define H(name, nr) { #name, (void **)&real_##name },
#include "../policy/calls.def"
#undef H
};

/* Look every real function up once, at load time, before threads exist. */
void shim_resolve_wrappers(void)
{
	shim_resolve(gen_syms, sizeof(gen_syms) / sizeof(gen_syms[0]));
	shim_resolve(extra_syms, sizeof(extra_syms) / sizeof(extra_syms[0]));
}
