// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Building and loading the backstop's filter; see filter.h and
 * doc/backstop.md for why it is patched after libseccomp made it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../engine/engine.h"
#include "filter.h"

/* Debian 12's headers predate these. */
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif

#define IP_LO offsetof(struct seccomp_data, instruction_pointer)
#define IP_HI (IP_LO + 4)

/* libseccomp 2.5 exports only to a descriptor: a memfd, read back. */
static int export_bpf(scmp_filter_ctx ctx, struct sock_filter **insns,
		      size_t *n)
{
	struct stat st;
	ssize_t got;
	int fd, rc;

	fd = memfd_create("syslet-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = seccomp_export_bpf(ctx, fd);
	if (!rc && fstat(fd, &st))
		rc = -errno;
	if (!rc && (st.st_size <= 0 || st.st_size % sizeof(**insns)))
		rc = -EINVAL;
	if (!rc) {
		*n = (size_t)st.st_size / sizeof(**insns);
		*insns = calloc(*n + 4 * SS_GATES_MAX + 2, sizeof(**insns));
		if (!*insns)
			rc = -ENOMEM;
	}
	if (!rc) {
		got = pread(fd, *insns, (size_t)st.st_size, 0);
		if (got != st.st_size) {
			rc = got < 0 ? -errno : -EIO;
			free(*insns);
			*insns = 0;
		}
	}
	close(fd);
	return rc;
}

static struct sock_filter stmt(uint16_t code, uint32_t k)
{
	return (struct sock_filter)BPF_STMT(code, k);
}

static struct sock_filter jeq(uint32_t k, uint8_t jt, uint8_t jf)
{
	return (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, k, jt,
					    jf);
}

/*
 * Every "return USER_NOTIF" becomes a jump to a block appended at the end
 * that allows the gates.  The paths that allow a call still load nothing
 * but nr and arch, so the kernel's allow cache keeps working for them.
 */
static size_t patch(struct sock_filter *p, size_t n, const uintptr_t *gates,
		    size_t ngates)
{
	size_t i, g, tail = n, allow = n + 4 * ngates + 1;

	for (i = 0; i < n; i++)
		if (p[i].code == (BPF_RET | BPF_K) &&
		    (p[i].k & SECCOMP_RET_ACTION_FULL) ==
			    SECCOMP_RET_USER_NOTIF) {
			p[i] = stmt(BPF_JMP | BPF_JA, (uint32_t)(tail - i - 1));
		}
	for (g = 0; g < ngates; g++) {
		size_t at = tail + 4 * g;

		p[at] = stmt(BPF_LD | BPF_W | BPF_ABS, IP_LO);
		p[at + 1] = jeq((uint32_t)gates[g], 0, 2);
		p[at + 2] = stmt(BPF_LD | BPF_W | BPF_ABS, IP_HI);
		p[at + 3] = jeq((uint32_t)((uint64_t)gates[g] >> 32),
				(uint8_t)(allow - (at + 3) - 1), 0);
	}
	p[allow - 1] = stmt(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	p[allow] = stmt(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return allow + 1;
}

static bool in_set(const int *trap, size_t ntrap, int nr)
{
	size_t i;

	for (i = 0; i < ntrap; i++)
		if (trap[i] == nr)
			return true;
	return false;
}

static struct scmp_arg_cmp cmp(unsigned int arg, enum scmp_compare op, int fd)
{
	struct scmp_arg_cmp c = { .arg = arg, .op = op };

	c.datum_a = (scmp_datum_t)fd;
	return c;
}

/* The calls that would close or replace descriptor @fd (see filter.h). */
static int guard_rules(scmp_filter_ctx ctx, const int *trap, size_t ntrap,
		       int fd)
{
	static const struct {
		int nr;
		unsigned int n;
		struct {
			unsigned int arg;
			enum scmp_compare op;
		} c[2];
	} rules[] = {
		{ SCMP_SYS(close), 1, { { 0, SCMP_CMP_EQ } } },
		/* first <= fd <= last */
		{ SCMP_SYS(close_range),
		  2,
		  { { 0, SCMP_CMP_LE }, { 1, SCMP_CMP_GE } } },
		{ SCMP_SYS(dup2), 1, { { 1, SCMP_CMP_EQ } } },
		{ SCMP_SYS(dup3), 1, { { 1, SCMP_CMP_EQ } } },
	};
	struct scmp_arg_cmp c[2];
	unsigned int i, j;
	int rc = 0;

	for (i = 0; i < sizeof(rules) / sizeof(rules[0]) && !rc; i++) {
		if (in_set(trap, ntrap, rules[i].nr))
			continue; /* caught whatever its arguments */
		for (j = 0; j < rules[i].n; j++)
			c[j] = cmp(rules[i].c[j].arg, rules[i].c[j].op, fd);
		rc = seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, rules[i].nr,
					    rules[i].n, c);
	}
	return rc;
}

/*
 * The calls that change a thread's identity (src/engine/ident_calls.c):
 * caught whatever the policy says, so that the listener sees those made
 * by raw instruction.  Rare calls: catching them costs nothing else.
 */
static int ident_rules(scmp_filter_ctx ctx)
{
	unsigned int i, b;
	int rc = 0;

	for (i = 0; i < sl_ident_nrules && !rc; i++) {
		const struct sl_ident_rule *r = &sl_ident_rules[i];

		switch (r->arg) {
		case SL_IDENT_ARG_EQ:
			rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, (int)r->nr,
					      1, SCMP_A0(SCMP_CMP_EQ, r->v, 0));
			break;
		case SL_IDENT_ARG_NE:
			rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, (int)r->nr,
					      1, SCMP_A0(SCMP_CMP_NE, r->v, 0));
			break;
		case SL_IDENT_ARG_BITS: /* one rule a bit: any of them */
			for (b = 0; b < 64 && !rc; b++)
				if (r->v & (1ul << b))
					rc = seccomp_rule_add(
						ctx, SCMP_ACT_NOTIFY,
						(int)r->nr, 1,
						SCMP_A0(SCMP_CMP_MASKED_EQ,
							1ul << b, 1ul << b));
			break;
		default:
			rc = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, (int)r->nr,
					      0);
			break;
		}
	}
	return rc;
}

static int build(const int *trap, size_t ntrap, int guard, bool ident,
		 const uintptr_t *gates, size_t ngates, struct ss_filter *out);

int ss_filter_build(const int *trap, size_t ntrap, const uintptr_t *gates,
		    size_t ngates, struct ss_filter *out)
{
	return build(trap, ntrap, -1, false, gates, ngates, out);
}

int ss_filter_build_guarded(const int *trap, size_t ntrap, int guard,
			    const uintptr_t *gates, size_t ngates,
			    struct ss_filter *out)
{
	return build(trap, ntrap, guard, false, gates, ngates, out);
}

int ss_filter_build_backstop(const int *trap, size_t ntrap, int guard,
			     const uintptr_t *gates, size_t ngates,
			     struct ss_filter *out)
{
	return build(trap, ntrap, guard, true, gates, ngates, out);
}

static int build(const int *trap, size_t ntrap, int guard, bool ident,
		 const uintptr_t *gates, size_t ngates, struct ss_filter *out)
{
	struct sock_filter *insns = 0;
	scmp_filter_ctx ctx;
	size_t i, n = 0;
	int rc = 0;

	if (!trap || !ntrap || !out || ngates > SS_GATES_MAX ||
	    (ngates && !gates))
		return -EINVAL;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return -ENOMEM;
	for (i = 0; i < ntrap && !rc; i++) {
		rc = trap[i] < 0 ? -EINVAL
				 : seccomp_rule_add(ctx, SCMP_ACT_NOTIFY,
						    trap[i], 0);
		/* Caught calls first: the filter runs for each of them. */
		if (!rc)
			seccomp_syscall_priority(ctx, trap[i], 255);
	}
	if (!rc && guard >= 0)
		rc = guard_rules(ctx, trap, ntrap, guard);
	if (!rc && ident)
		rc = ident_rules(ctx);
	if (!rc)
		rc = export_bpf(ctx, &insns, &n);
	seccomp_release(ctx);
	if (rc)
		return rc < 0 ? rc : -EINVAL;
	n = patch(insns, n, gates, ngates);
	if (n > BPF_MAXINSNS) {
		free(insns);
		return -EINVAL;
	}
	out->insns = insns;
	out->len = (unsigned short)n;
	return 0;
}

void ss_filter_free(struct ss_filter *f)
{
	if (!f)
		return;
	free(f->insns);
	f->insns = 0;
	f->len = 0;
}

int ss_filter_load(const struct ss_filter *f, unsigned int flags)
{
	struct sock_fprog prog;
	unsigned long sf = SECCOMP_FILTER_FLAG_NEW_LISTENER;
	long fd;

	if (!f || !f->insns || !f->len ||
	    (flags & ~(SS_LOAD_NNP | SS_LOAD_WAIT_KILLABLE)))
		return -EINVAL;
	if ((flags & SS_LOAD_NNP) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	if (flags & SS_LOAD_WAIT_KILLABLE)
		sf |= SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
	prog.len = f->len;
	prog.filter = f->insns;
	/* The engine's raw call: the shim's syscall() would take this
	 * filter for the program's own (ident_calls.c). */
	fd = sl_sys3(SYS_seccomp, SECCOMP_SET_MODE_FILTER, sf, &prog);
	return (int)fd;
}

int ss_listener_sync_wakeup(int fd)
{
	return ioctl(fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS,
		     (unsigned long)SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP)
		       ? -errno
		       : 0;
}
