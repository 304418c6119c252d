/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The preload layer: interposed C library functions (wrappers.c, from the
 * table calls.def) -> shim_run() (run.c), which routes each call by the
 * policy's table through the engine's sl_call(), and makes
 * pthread_cancel() reach a thread waiting on a helper.  init.c sets it up
 * at load time (real.c: the C library's functions, the warning line),
 * run.c makes its route table from the policy (policy.c); signals.c
 * puts the program's signal handlers behind a trampoline that stops a
 * helper's call first where the native call would have been interrupted,
 * and keeps the engine's cancel signal out of the program's sight.
 * Prefix shim_.
 */
#ifndef SHIM_H
#define SHIM_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHIM_EXPORT __attribute__((visibility("default")))
#define COMMA ,

/* shim_run(): "make the C library's own call". */
#define SHIM_NATIVE LONG_MIN

struct shim_sym {
	const char *name;
	void **ptr;
};

/* real.c */
extern bool shim_on; /* routing enabled in this process (set by init.c) */
void shim_resolve(const struct shim_sym *syms, size_t n);
void *shim_dlsym(const char *name);
void shim_warn(const char *what);
/* The C library's function: looked up at load time, or now if called
 * before that (from another library's constructor). */
static inline void *shim_real(void **pp, const char *name)
{
	void *p = __atomic_load_n(pp, __ATOMIC_ACQUIRE);

	if (!p) {
		p = shim_dlsym(name);
		__atomic_store_n(pp, p, __ATOMIC_RELEASE);
	}
	return p;
}
#define SHIM_REAL(ptr, name) ((__typeof__(ptr))shim_real((void **)&(ptr), name))

/* wrappers.c */
void shim_resolve_wrappers(void);

/* run.c */
long shim_run(int nr, long *args, bool restart);
/* shim_run() without statistics; *outcome: enum sl_outcome, unless
 * SHIM_NATIVE is returned. */
long shim_route(int nr, long *args, bool restart, uint8_t *outcome);
void shim_testcancel(void);
/* The route table, from the policy; then the backstop's calls native. */
void shim_routes_init(void);
void shim_routes_trap_native(void);
struct syslet_ctx *shim_get_ctx(void);
/* The thread records pthread_cancel() looks through. */
void shim_pcancel_init(void);

/* An interposed function's return: -1 and errno, as the C library does. */
#include <errno.h>
static inline long shim_ret(long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* signals.c */
void shim_signals_init(void);

/* policy.c */
void shim_policy_init(void);
/* The route of 0 <= @nr < SL_SYSTAB_MAX until the backstop is up. */
unsigned char shim_policy_route(int nr);
/* trace.c: SYSLET_TRACE (syslet run -e trace=...) makes every call it does
 * not name native in @route (a policy's sp_policy.route), and uncounted. */
void shim_trace_narrow(uint8_t *route);
bool shim_traced(int nr);
struct syslet_params;
/* The helper pool's parameters the policy sets. */
void shim_policy_params(struct syslet_params *p);
/* A setting of the policy in force (enum sp_setting, src/policy/policy.h). */
uint32_t shim_policy_value(int setting);
bool shim_policy_traps(int nr);

/* backstop.c */
extern bool shim_backstop_on; /* this process's listener is up */
void shim_backstop_init(void);

#endif
