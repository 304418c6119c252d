// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Where each system call goes.  This is the built-in default policy:
 * calls with a non-blocking form are tried that way first and handed to a
 * helper only if they would block; calls that wait by nature go to a
 * helper; everything else (metadata, and whatever the table does not
 * name) runs natively, because a helper only costs a call that does not
 * block.  Policy files come on top of this (issue "Trial reports").
 */
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "../engine/call.h"
#include "../engine/systab.h"
#include "shim.h"

static unsigned char routes[SL_SYSTAB_MAX];

static const struct {
	int nr;
	unsigned char route;
} defaults[] = {
	/* Tried without blocking first. */
	{ SYS_read, SL_ROUTE_NOWAIT },	     { SYS_pread64, SL_ROUTE_NOWAIT },
	{ SYS_readv, SL_ROUTE_NOWAIT },	     { SYS_preadv, SL_ROUTE_NOWAIT },
	{ SYS_preadv2, SL_ROUTE_NOWAIT },    { SYS_write, SL_ROUTE_NOWAIT },
	{ SYS_pwrite64, SL_ROUTE_NOWAIT },   { SYS_writev, SL_ROUTE_NOWAIT },
	{ SYS_pwritev, SL_ROUTE_NOWAIT },    { SYS_pwritev2, SL_ROUTE_NOWAIT },
	{ SYS_recvfrom, SL_ROUTE_NOWAIT },   { SYS_recvmsg, SL_ROUTE_NOWAIT },
	{ SYS_sendto, SL_ROUTE_NOWAIT },     { SYS_sendmsg, SL_ROUTE_NOWAIT },
	{ SYS_accept, SL_ROUTE_NOWAIT },     { SYS_accept4, SL_ROUTE_NOWAIT },
	{ SYS_openat, SL_ROUTE_NOWAIT },     { SYS_fcntl, SL_ROUTE_NOWAIT },
	{ SYS_poll, SL_ROUTE_NOWAIT },	     { SYS_ppoll, SL_ROUTE_NOWAIT },
	{ SYS_select, SL_ROUTE_NOWAIT },     { SYS_pselect6, SL_ROUTE_NOWAIT },
	{ SYS_epoll_wait, SL_ROUTE_NOWAIT }, { SYS_epoll_pwait, SL_ROUTE_NOWAIT },
	{ SYS_wait4, SL_ROUTE_NOWAIT },	     { SYS_waitid, SL_ROUTE_NOWAIT },
	{ SYS_flock, SL_ROUTE_NOWAIT },
	/* Waiting is what they do. */
	{ SYS_fsync, SL_ROUTE_HELPER },	     { SYS_fdatasync, SL_ROUTE_HELPER },
	{ SYS_syncfs, SL_ROUTE_HELPER },     { SYS_sync_file_range, SL_ROUTE_HELPER },
	{ SYS_nanosleep, SL_ROUTE_HELPER },  { SYS_clock_nanosleep, SL_ROUTE_HELPER },
	{ SYS_connect, SL_ROUTE_HELPER },    { SYS_recvmmsg, SL_ROUTE_HELPER },
	{ SYS_sendmmsg, SL_ROUTE_HELPER },   { SYS_sendfile, SL_ROUTE_HELPER },
	{ SYS_splice, SL_ROUTE_HELPER },     { SYS_tee, SL_ROUTE_HELPER },
	{ SYS_copy_file_range, SL_ROUTE_HELPER },
};

void shim_policy_init(void)
{
	unsigned int i;

	memset(routes, SL_ROUTE_NATIVE, sizeof(routes));
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		routes[defaults[i].nr] = defaults[i].route;
}

unsigned char shim_route_of(int nr)
{
	if (nr < 0 || nr >= SL_SYSTAB_MAX)
		return SL_ROUTE_NATIVE;
	return routes[nr];
}
