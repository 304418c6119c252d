// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * A helper taking its caller's identity for one call, and giving it back
 * before it idles (ident.h, doc/identity.md).  Capturing and interning
 * identities is ident.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "internal.h"

#define SL_TLS __thread __attribute__((tls_model("initial-exec")))
#define IOPRIO_WHO_PROCESS 1

static SL_TLS struct {
	const struct sl_ident *cur;  /* what the thread has now */
	const struct sl_ident *base; /* its own, to go back to */
	uint32_t epoch;
	bool on;
} hl;

static bool same_but_prm(const struct sl_ident *a, const struct sl_ident *b)
{
	return !memcmp(a->uid, b->uid, sizeof(a->uid)) &&
	       !memcmp(a->gid, b->gid, sizeof(a->gid)) &&
	       a->ngroups == b->ngroups &&
	       !memcmp(a->groups, b->groups,
		       a->ngroups * sizeof(a->groups[0])) &&
	       !memcmp(a->cap_eff, b->cap_eff, sizeof(a->cap_eff)) &&
	       a->prio == b->prio && a->ioprio == b->ioprio;
}

/* Effective capabilities: all permitted ones (to switch), or @want's. */
static int caps_raise(const uint32_t *want)
{
	struct __user_cap_data_struct d[2];
	int i;

	if (sl_ident_caps_get(0, d))
		return -1;
	for (i = 0; i < 2; i++) {
		uint32_t eff = want ? want[i] : d[i].permitted;

		if (eff & ~d[i].permitted)
			return -1; /* more than the thread may have */
		d[i].effective = eff;
	}
	return sl_ident_caps_set(d);
}

/*
 * The same raw calls a thread makes to change only itself, with every
 * permitted capability raised while the ids change.  The kernel applies
 * its own rules to the permitted set on the way (capabilities(7)), as it
 * did for the caller.  Checked by reading everything back.
 */
static int take(const struct sl_ident *w)
{
	struct sl_ident now;

	if (caps_raise(0))
		return -1;
	if (sl_sys2(SYS_getpriority, PRIO_PROCESS, 0) != w->prio &&
	    sl_sys3(SYS_setpriority, PRIO_PROCESS, 0, 20 - w->prio))
		return -1;
	if (sl_sys2(SYS_ioprio_get, IOPRIO_WHO_PROCESS, 0) != w->ioprio &&
	    sl_sys3(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, w->ioprio))
		return -1;
	if (sl_sys2(SYS_setgroups, w->ngroups, w->groups) ||
	    sl_sys3(SYS_setresgid, w->gid[0], w->gid[1], w->gid[2]) ||
	    sl_sys3(SYS_setresuid, w->uid[0], w->uid[1], w->uid[2]))
		return -1;
	/* Leaving euid 0 cleared the effective set: raise it once more. */
	caps_raise(0);
	sl_sys1(SYS_setfsgid, w->gid[3]);
	sl_sys1(SYS_setfsuid, w->uid[3]);
	if (caps_raise(w->cap_eff) || sl_ident_capture_self(&now))
		return -1;
	return same_but_prm(&now, w) ? 0 : -1;
}

void sl_ident_helper_start(void)
{
	struct sl_ident id;

	hl.on = true;
	hl.epoch = __atomic_load_n(&sl_ident_epoch, __ATOMIC_ACQUIRE);
	hl.cur = hl.base =
		sl_ident_capture_self(&id) ? 0 : sl_ident_intern(&id);
}

/* The epoch moved: a setuid() broadcast may have changed this thread. */
static void helper_recheck(void)
{
	uint32_t e = __atomic_load_n(&sl_ident_epoch, __ATOMIC_ACQUIRE);
	const struct sl_ident *now;
	struct sl_ident id;

	if (hl.epoch == e)
		return;
	hl.epoch = e;
	now = sl_ident_capture_self(&id) ? 0 : sl_ident_intern(&id);
	if (now != hl.cur) /* changed behind our back: that is ours now */
		hl.base = now;
	hl.cur = now;
}

int sl_ident_enter(const struct sl_ident *want)
{
	if (!hl.on)
		sl_ident_helper_start();
	helper_recheck();
	if (!want || !hl.cur)
		return -EPERM;
	if (want == hl.cur)
		return 0;
	if (!take(want)) {
		hl.cur = want;
		return 0;
	}
	hl.cur = 0; /* unknown until we are back */
	return -EPERM;
}

bool sl_ident_leave(void)
{
	if (!hl.on)
		return true;
	helper_recheck();
	if (hl.cur && hl.cur == hl.base)
		return true;
	if (hl.base && !take(hl.base)) {
		hl.cur = hl.base;
		return true;
	}
	return false;
}
