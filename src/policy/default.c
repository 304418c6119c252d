// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The built-in default policy.  Calls with a non-blocking form are tried
 * that way first and handed to a helper only if they would block; pure
 * waits (the poll family, sleeps, waits for children) are tried the same
 * way, and one that would block is then made by the caller itself unless
 * "set helpers.waits on" (a helper cannot shorten a wait: doc/design.md,
 * "What a trial costs"); calls that do the waiting work themselves (syncs,
 * connect) go to a helper; everything else (metadata, and what the table
 * does not name) runs natively, because a helper only costs a call that
 * does not block.
 */
#include <sys/syscall.h>

#include <syslet.h>

#include "policy.h"

static const struct {
	int nr;
	unsigned char route;
} defaults[] = {
	/* Tried without blocking first. */
	{ SYS_read, SP_NOWAIT },
	{ SYS_pread64, SP_NOWAIT },
	{ SYS_readv, SP_NOWAIT },
	{ SYS_preadv, SP_NOWAIT },
	{ SYS_preadv2, SP_NOWAIT },
	{ SYS_write, SP_NOWAIT },
	{ SYS_pwrite64, SP_NOWAIT },
	{ SYS_writev, SP_NOWAIT },
	{ SYS_pwritev, SP_NOWAIT },
	{ SYS_pwritev2, SP_NOWAIT },
	{ SYS_recvfrom, SP_NOWAIT },
	{ SYS_recvmsg, SP_NOWAIT },
	{ SYS_sendto, SP_NOWAIT },
	{ SYS_sendmsg, SP_NOWAIT },
	{ SYS_accept, SP_NOWAIT },
	{ SYS_accept4, SP_NOWAIT },
	{ SYS_openat, SP_NOWAIT },
	{ SYS_fcntl, SP_NOWAIT },
	{ SYS_poll, SP_NOWAIT },
	{ SYS_ppoll, SP_NOWAIT },
	{ SYS_select, SP_NOWAIT },
	{ SYS_pselect6, SP_NOWAIT },
	{ SYS_epoll_wait, SP_NOWAIT },
	{ SYS_epoll_pwait, SP_NOWAIT },
	{ SYS_wait4, SP_NOWAIT },
	{ SYS_waitid, SP_NOWAIT },
	{ SYS_flock, SP_NOWAIT },
	{ SYS_nanosleep, SP_NOWAIT },
	{ SYS_clock_nanosleep, SP_NOWAIT },
	/* Made here when its output cannot wait and its input is cached. */
	{ SYS_sendfile, SP_NOWAIT },
	/* Waiting is what they do. */
	{ SYS_fsync, SP_HELPER },
	{ SYS_fdatasync, SP_HELPER },
	{ SYS_syncfs, SP_HELPER },
	{ SYS_sync_file_range, SP_HELPER },
	{ SYS_connect, SP_HELPER },
	{ SYS_recvmmsg, SP_HELPER },
	{ SYS_sendmmsg, SP_HELPER },
	{ SYS_splice, SP_HELPER },
	{ SYS_tee, SP_HELPER },
	{ SYS_copy_file_range, SP_HELPER },
};

int sp_default_route(int nr)
{
	unsigned int i;

	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (defaults[i].nr == nr)
			return defaults[i].route;
	return SP_NATIVE;
}

const char *sp_route_name(int route)
{
	switch (route) {
	case SP_NOWAIT:
		return "nowait";
	case SP_HELPER:
		return "helper";
	case SP_TRAP:
		return "trap";
	default:
		return "native";
	}
}

void sp_policy_default(struct sp_policy *p)
{
	unsigned int i;

	/* In every process the shim loads into: one pass over the table
	 * (asking sp_default_route() of each call was a quarter of the
	 * instructions a shimmed /bin/true runs, callgrind). */
	for (i = 0; i < SL_SYSTAB_MAX; i++)
		p->route[i] = SP_NATIVE;
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (defaults[i].nr >= 0 && defaults[i].nr < SL_SYSTAB_MAX)
			p->route[defaults[i].nr] = (uint8_t)defaults[i].route;
	for (i = 0; i < SP_NSETTINGS; i++)
		p->value[i] = sp_setting_default(i);
	p->rules = 0;
	p->settings = 0;
}

/*
 * Never trapped by the backstop: what its listener needs from the C
 * library (threads, memory), which it could not wait for itself.
 */
static const short never_trap[] = {
	SYS_mmap,
	SYS_munmap,
	SYS_mprotect,
	SYS_mremap,
	SYS_madvise,
	SYS_brk,
	SYS_sched_setaffinity,
	SYS_sched_getaffinity,
	SYS_prctl,
	SYS_ioctl,
	SYS_pidfd_open,
	SYS_pidfd_getfd,
	SYS_getrandom,
	SYS_membarrier,
};

bool sp_trappable(int nr)
{
	unsigned int i;

	if (nr < 0 || nr >= SL_SYSTAB_MAX || !sl_sys(nr) ||
	    sl_sys(nr)->cls == SYSLET_CLASS_CALLER)
		return false;
	for (i = 0; i < sizeof(never_trap) / sizeof(never_trap[0]); i++)
		if (never_trap[i] == nr)
			return false;
	return true;
}
