/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Policy: which route each system call takes.  Read by the preload shim
 * (to route) and by the command-line tool (to show and, later, to write
 * policies).  Prefix sp_.
 */
#ifndef SP_POLICY_H
#define SP_POLICY_H

/* Routes: the values of the engine's enum sl_route. */
#define SP_NATIVE 0
#define SP_NOWAIT 1
#define SP_HELPER 2

/* The built-in default route of @nr (SP_NATIVE for unknown numbers). */
int sp_default_route(int nr);
/* "native", "nowait", "helper" */
const char *sp_route_name(int route);

#endif
