/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Policy: which route each system call takes, and the settings of the
 * helper pool.  Read by the preload shim (to route) and by the command-line
 * tool (to check and show policy files).  Only libc, no allocation: the
 * shim parses its policy file in its load-time constructor.  Prefix sp_.
 *
 * A policy file (doc/policy.md, syslet-policy(5)) changes the built-in
 * policy: one rule or setting per line, "read nowait", "set helpers.max 16".
 */
#ifndef SP_POLICY_H
#define SP_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../engine/systab.h"

/* Routes: the first three are the values of the engine's enum sl_route. */
#define SP_NATIVE 0 /* "inline": the calling thread makes the call */
#define SP_NOWAIT 1 /* try without blocking, else a helper */
#define SP_HELPER 2 /* always a helper */
/*
 * Left to the seccomp backstop (src/backstop/): the shim lets the C
 * library make the call, and the filter catches it, also where the shim
 * does not see it.  Without the backstop, routed as SP_NOWAIT.
 */
#define SP_TRAP 3
#define SP_NROUTES 4

/* Settings (settings.c has their names, ranges and defaults). */
enum sp_setting {
	SP_HELPERS_MIN,	    /* helpers.min: kept alive while idle */
	SP_HELPERS_MAX,	    /* helpers.max: most at once */
	SP_HELPERS_IDLE_MS, /* helpers.idle_ms: idle helper above min exits */
	SP_HELPERS_SPIN_US, /* helpers.spin_us: poll before sleeping */
	SP_HELPERS_PIN,	    /* helpers.pin: give each helper a home CPU */
	SP_QUEUE_DEPTH,	    /* queue.depth: chains in flight on helpers */
	SP_BACKSTOP,	    /* backstop: the seccomp backstop on or off */
	SP_BLOCK_US,	    /* report.block_us: slower counts as blocked */
	SP_HELPERS_WAITS,   /* helpers.waits: pure waits may go to helpers */
	SP_NSETTINGS
};

struct sp_policy {
	uint8_t route[SL_SYSTAB_MAX]; /* SP_NATIVE .. SP_TRAP per number */
	uint32_t value[SP_NSETTINGS]; /* by enum sp_setting */
	unsigned int rules, settings; /* lines of each kind read */
};

/*
 * Called once per error.  @line and @col count from 1; @line 0 is about
 * the file as a whole (it could not be read).  @reason is one line.
 */
typedef void sp_error_fn(void *arg, const char *file, unsigned int line,
			 unsigned int col, const char *reason);

/* default.c */
/* The built-in default route of @nr (SP_NATIVE for unknown numbers). */
int sp_default_route(int nr);
/* "native", "nowait", "helper", "trap" (as `syslet calls` prints them) */
const char *sp_route_name(int route);
/* The built-in policy: default routes and settings. */
void sp_policy_default(struct sp_policy *p);
/* May the backstop trap @nr?  Not a call of class caller, nor one the
 * shim itself needs (mmap...). */
bool sp_trappable(int nr);

/* parse.c */
/*
 * Apply the policy text @text (@len bytes, need not end in a newline or
 * NUL) to @p, which holds the policy it starts from (usually the default).
 * Every error goes to @err (may be NULL) with @file as its file name.
 * Returns the number of errors; on errors @p is partly changed.
 */
unsigned int sp_parse(struct sp_policy *p, const char *text, size_t len,
		      const char *file, sp_error_fn *err, void *arg);

/* load.c */
/* Most bytes a policy file may have. */
#define SP_MAX_FILE (256 * 1024)
/*
 * sp_parse() of the file @path ("-": standard input).  A path must name a
 * regular file (else one error: "is a directory", "not a regular file");
 * it is never waited for.  sp_load_file() never reads standard input: "-"
 * is a file name there (the shim, whose standard input is the program's).
 */
unsigned int sp_load(struct sp_policy *p, const char *path, sp_error_fn *err,
		     void *arg);
unsigned int sp_load_file(struct sp_policy *p, const char *path,
			  sp_error_fn *err, void *arg);

/* settings.c */
const char *sp_setting_name(int s);
/* The index of the setting @name (@len bytes), or -1. */
int sp_setting_lookup(const char *name, size_t len);
/* Write the value of @s as a policy file spells it ("16", "on"). */
int sp_setting_format(int s, uint32_t v, char *buf, size_t size);
/* Parse @len bytes at @s as a value of setting @k: 0 and *@v, or -1. */
int sp_setting_parse(int k, const char *s, size_t len, uint32_t *v);
/* What a value of @s must be ("an integer from 1 to 4096", "on or off"). */
const char *sp_setting_expected(int s);
uint32_t sp_setting_default(int s);
struct syslet_params;
/* The engine's parameters the policy sets (after syslet_params_init()). */
void sp_policy_params(const struct sp_policy *p, struct syslet_params *par);

/* names.c */
/* The number of the kernel's system call @name (@len bytes), or -1. */
int sp_syscall_lookup(const char *name, size_t len);
/* The system call the shim's C library function @name makes, or -1. */
int sp_libc_syscall(const char *name, size_t len);
/* The policy keyword of a route ("inline" for SP_NATIVE). */
const char *sp_route_keyword(int route);
/* The route named @name (@len bytes), or -1. */
int sp_route_lookup(const char *name, size_t len);

/* write.c */
/*
 * @p in the policy file format: every setting, and a rule for each call
 * that is not inline or whose built-in route is not inline, so that the
 * output parses back to @p.  Returns 0, or -1 on a write error.
 */
int sp_policy_write(const struct sp_policy *p, FILE *f);

#endif
