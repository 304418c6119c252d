// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Helpers act as their callers: see ident.h and doc/identity.md.
 *
 * Credentials are per thread in the kernel.  glibc's setuid() family
 * changes every thread, but a raw setresuid(2) changes only its caller,
 * and servers (Samba as root serving users) switch a thread's uid, gids
 * and groups around each file operation.  A helper that made such a
 * thread's open() with its own credentials would open what the thread may
 * not.  So each request carries the caller's identity, and the helper
 * takes it with the same raw calls before the call is made.
 *
 * Every system call here goes through the engine's gate (sl_sys*): the
 * backstop's filter lets those through, on helpers and the listener alike.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>

#include "ident.h"
#include "internal.h"

#define SL_TLS __thread __attribute__((tls_model("initial-exec")))
#define IOPRIO_WHO_PROCESS 1

bool sl_ident_tracked;
uint32_t sl_ident_epoch = 1;
static bool pin_all; /* the pinned-thread list overflowed */

/* ------------------------------------------------------------------ */
/* Interned identities: immutable once ready, never freed.              */

#define TABLE 256
enum { SLOT_EMPTY, SLOT_WRITING, SLOT_READY };
static struct {
	uint32_t state;
	struct sl_ident id;
} table[TABLE];

static uint32_t hash_of(const struct sl_ident *id)
{
	const uint32_t *w = (const uint32_t *)id;
	size_t i, n = offsetof(struct sl_ident, hash) / sizeof(uint32_t);
	uint32_t h = 2166136261u;

	for (i = 0; i < n; i++)
		h = (h ^ w[i]) * 16777619u;
	return h;
}

/* Lock-free: a slot being written is passed over (at worst an identity
 * is interned twice, and a helper switches where it need not). */
const struct sl_ident *sl_ident_intern(struct sl_ident *id)
{
	uint32_t i, h;

	id->hash = h = hash_of(id);
	for (i = 0; i < TABLE; i++) {
		typeof(&table[0]) s = &table[(h + i) % TABLE];
		uint32_t st = __atomic_load_n(&s->state, __ATOMIC_ACQUIRE);

		if (st == SLOT_READY) {
			if (s->id.hash == h && !memcmp(&s->id, id, sizeof(*id)))
				return &s->id;
			continue;
		}
		if (st == SLOT_WRITING)
			continue;
		if (!__atomic_compare_exchange_n(&s->state, &st, SLOT_WRITING,
						 false, __ATOMIC_ACQUIRE,
						 __ATOMIC_RELAXED))
			continue;
		s->id = *id;
		__atomic_store_n(&s->state, SLOT_READY, __ATOMIC_RELEASE);
		return &s->id;
	}
	return 0; /* full: the call stays on its caller */
}

/* ------------------------------------------------------------------ */
/* Capturing an identity.                                               */

int sl_ident_caps_get(long tid, struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = (int)tid,
	};

	/* valgrind takes capget(2) to write only the first of the two. */
	memset(d, 0, 2 * sizeof(*d));
	return (int)sl_sys2(SYS_capget, &h, d);
}

int sl_ident_caps_set(struct __user_cap_data_struct *d)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};

	return (int)sl_sys2(SYS_capset, &h, d);
}

/* Scheduling attributes, readable for any thread of ours. */
static int sched_of(long tid, struct sl_ident *o)
{
	long prio = sl_sys2(SYS_getpriority, PRIO_PROCESS, tid);
	long io = sl_sys2(SYS_ioprio_get, IOPRIO_WHO_PROCESS, tid);

	if (prio < 0 || io < 0)
		return -1;
	o->prio = (int32_t)prio;
	o->ioprio = (int32_t)io;
	return 0;
}

int sl_ident_capture_self(struct sl_ident *o)
{
	struct __user_cap_data_struct d[2];
	long n;

	memset(o, 0, sizeof(*o));
	if (sl_sys3(SYS_getresuid, &o->uid[0], &o->uid[1], &o->uid[2]) ||
	    sl_sys3(SYS_getresgid, &o->gid[0], &o->gid[1], &o->gid[2]))
		return -1;
	/* An invalid id changes nothing and returns the current one. */
	o->uid[3] = (uint32_t)sl_sys1(SYS_setfsuid, -1);
	o->gid[3] = (uint32_t)sl_sys1(SYS_setfsgid, -1);
	n = sl_sys2(SYS_getgroups, SL_IDENT_GROUPS, o->groups);
	if (n < 0 || sl_ident_caps_get(0, d) || sched_of(0, o))
		return -1;
	o->ngroups = (uint32_t)n;
	o->cap_eff[0] = d[0].effective;
	o->cap_eff[1] = d[1].effective;
	o->cap_prm[0] = d[0].permitted;
	o->cap_prm[1] = d[1].permitted;
	return 0;
}

/* "Uid:\t0\t1000\t0\t1000": up to @max numbers after @key, in @base. */
static int field(const char *buf, const char *key, uint32_t *out, int max,
		 int base)
{
	const char *p = strstr(buf, key);
	int n = 0;

	if (!p)
		return -1;
	p += strlen(key);
	while (n <= max) {
		unsigned long long v = 0;
		bool any = false;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\n' || !*p)
			break;
		for (;; p++) {
			int c = *p, d;

			if (c >= '0' && c <= '9')
				d = c - '0';
			else if (base == 16 && c >= 'a' && c <= 'f')
				d = c - 'a' + 10;
			else
				break;
			v = v * (unsigned int)base + (unsigned int)d;
			any = true;
		}
		if (!any || n == max)
			return -1; /* junk, or more than fits */
		if (base == 16) {
			out[n++] = (uint32_t)v;
			out[n++] = (uint32_t)(v >> 32);
		} else {
			out[n++] = (uint32_t)v;
		}
	}
	return n;
}

/* Thread @tid's identity, from /proc: it is stopped in a caught call. */
static int capture_task(pid_t tid, struct sl_ident *o)
{
	char path[64], buf[8192];
	uint32_t cap[2];
	long fd, len;
	int n;

	memset(o, 0, sizeof(*o));
	snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)tid);
	fd = sl_sys4(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	len = sl_sys3(SYS_read, fd, buf, sizeof(buf) - 1);
	sl_sys1(SYS_close, fd);
	if (len <= 0 || len == sizeof(buf) - 1)
		return -1;
	buf[len] = 0;
	if (field(buf, "\nUid:", o->uid, 4, 10) != 4 ||
	    field(buf, "\nGid:", o->gid, 4, 10) != 4)
		return -1;
	n = field(buf, "\nGroups:", o->groups, SL_IDENT_GROUPS, 10);
	if (n < 0)
		return -1;
	o->ngroups = (uint32_t)n;
	if (field(buf, "\nCapEff:", cap, 2, 16) != 2)
		return -1;
	o->cap_eff[0] = cap[0];
	o->cap_eff[1] = cap[1];
	if (field(buf, "\nCapPrm:", cap, 2, 16) != 2)
		return -1;
	o->cap_prm[0] = cap[0];
	o->cap_prm[1] = cap[1];
	return sched_of(tid, o);
}

/* ------------------------------------------------------------------ */
/* The calling thread's identity.                                       */

/* Threads that pinned themselves, for the listener (sl_ident_of()). */
#define PINNED 256
static pid_t pinned_tids[PINNED];

static SL_TLS struct {
	const struct sl_ident *id;
	uint32_t epoch;
	bool pinned;
} me;

void sl_ident_changed(void)
{
	__atomic_add_fetch(&sl_ident_epoch, 1, __ATOMIC_SEQ_CST);
}

static void cache_forget(pid_t tid);

void sl_ident_changed_self(void)
{
	me.id = 0;
	cache_forget((pid_t)sl_sys0(SYS_gettid));
}

static bool pinned_tid(pid_t tid)
{
	unsigned int i;

	if (__atomic_load_n(&pin_all, __ATOMIC_ACQUIRE))
		return true;
	for (i = 0; i < PINNED; i++) {
		pid_t t = __atomic_load_n(&pinned_tids[i], __ATOMIC_ACQUIRE);

		if (!t)
			return false;
		if (t == tid)
			return true;
	}
	return false;
}

void sl_ident_pin_self(void)
{
	if (me.pinned)
		return;
	me.pinned = true;
	sl_ident_pin_tid((pid_t)sl_sys0(SYS_gettid));
}

void sl_ident_pin_tid(pid_t tid)
{
	unsigned int i;

	for (i = 0; i < PINNED; i++) {
		pid_t z = 0;

		if (__atomic_compare_exchange_n(&pinned_tids[i], &z, tid, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED) ||
		    z == tid)
			return;
	}
	/* No room to say which threads: none may use a helper. */
	__atomic_store_n(&pin_all, true, __ATOMIC_RELEASE);
}

bool sl_ident_pinned(void)
{
	if (me.pinned)
		return true;
	/* Pinned by the listener, which cannot reach our TLS.  Usually the
	 * list is empty and this costs no gettid(). */
	if (!__atomic_load_n(&pinned_tids[0], __ATOMIC_ACQUIRE) &&
	    !__atomic_load_n(&pin_all, __ATOMIC_ACQUIRE))
		return false;
	if (!pinned_tid((pid_t)sl_sys0(SYS_gettid)))
		return false;
	me.pinned = true;
	return true;
}

void sl_ident_pin_child(void)
{
	me.pinned = false;
	sl_ident_pin_self();
}

SYSLET_API void syslet_ident_changed(void)
{
	sl_ident_changed();
}

const struct sl_ident *sl_ident_self(bool tracked)
{
	uint32_t e = __atomic_load_n(&sl_ident_epoch, __ATOMIC_ACQUIRE);
	struct sl_ident id;

	if (sl_ident_pinned())
		return 0;
	if (sl_likely(me.id && me.epoch == e && tracked))
		return me.id;
	if (sl_ident_capture_self(&id))
		return 0;
	me.id = sl_ident_intern(&id);
	me.epoch = e;
	return me.id;
}

/* ------------------------------------------------------------------ */
/* Other threads' identities, for the backstop's listener alone.        */

/*
 * Cached for CACHE_NS at most: a thread's id is reused only after the
 * kernel has handed out every other one up to pid_max (as listener.c's
 * ours_is() assumes), so a cached entry never speaks for a new thread.
 */
#define CACHE 64
#define CACHE_NS 100000000
static struct {
	pid_t tid;
	uint32_t epoch;
	int64_t until;
	const struct sl_ident *id;
} cache[CACHE];

static int64_t coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The backstop's listener and forwarder both read it. */
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

const struct sl_ident *sl_ident_of(pid_t tid)
{
	typeof(&cache[0]) c = &cache[(unsigned int)tid % CACHE];
	uint32_t e = __atomic_load_n(&sl_ident_epoch, __ATOMIC_ACQUIRE);
	int64_t now = coarse_ns();
	const struct sl_ident *r;
	struct sl_ident id;

	if (pinned_tid(tid))
		return 0;
	pthread_mutex_lock(&cache_lock);
	if (c->tid == tid && c->epoch == e &&
	    now < __atomic_load_n(&c->until, __ATOMIC_ACQUIRE) &&
	    sl_ident_tracked) {
		r = c->id;
		pthread_mutex_unlock(&cache_lock);
		return r;
	}
	if (capture_task(tid, &id)) {
		pthread_mutex_unlock(&cache_lock);
		return 0;
	}
	c->tid = tid;
	c->epoch = e;
	c->id = sl_ident_intern(&id);
	__atomic_store_n(&c->until, now + CACHE_NS, __ATOMIC_RELEASE);
	r = c->id;
	pthread_mutex_unlock(&cache_lock);
	return r;
}

/* The thread @tid changed itself (sl_ident_changed_self()): its entry,
 * written by the listener alone, is stale.  (Under the backstop the
 * listener also sees the change itself and moves the epoch.) */
static void cache_forget(pid_t tid)
{
	typeof(&cache[0]) c = &cache[(unsigned int)tid % CACHE];

	if (__atomic_load_n(&c->tid, __ATOMIC_ACQUIRE) == tid)
		__atomic_store_n(&c->until, 0, __ATOMIC_RELEASE);
}

void sl_ident_atfork_child(void)
{
	pthread_mutex_init(&cache_lock, 0);
	memset(pinned_tids, 0, sizeof(pinned_tids));
	memset(cache, 0, sizeof(cache));
	pin_all = false;
	if (me.pinned) {
		me.pinned = false;
		sl_ident_pin_self();
	}
}
