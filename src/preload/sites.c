// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Call sites for the report (layout.h, struct sr_site): the stack of a
 * counted call, unwound and kept in the stats file's table of sites.
 *
 * The unwinder is libgcc_s's _Unwind_Backtrace, found with dlopen() once,
 * at load time, when statistics are on, and run once there so that its
 * lazy set-up (symbol binding, the first look-up of the unwind tables) is
 * done before any call can come from a signal handler or a forked child.
 * Frame pointers would be cheaper but are absent from most distributions'
 * code; glibc's backtrace() is the same unwinder behind a dlopen() and a
 * malloc() on its first use, which we must not make inside someone's
 * signal handler.  With glibc >= 2.35 and GCC >= 12 the unwinder finds a
 * PC's tables with _dl_find_object(), which takes no lock and allocates
 * nothing.  (Older libgcc takes a mutex for frames registered by a JIT
 * with __register_frame; a signal handler that interrupts that and makes
 * a counted call that blocks could wait on it: a known limit.)
 *
 * No lock, no allocation here: the table is claimed entry by entry with a
 * compare-and-swap, and a thread re-entering (a handler's call while we
 * unwind) records nothing.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <unwind.h>

#include "shim.h"
#include "stats.h"

typedef _Unwind_Reason_Code (*backtrace_fn)(_Unwind_Trace_Fn, void *);
typedef _Unwind_Ptr (*getip_fn)(struct _Unwind_Context *);

static backtrace_fn unwind;
static getip_fn get_ip;
static uintptr_t shim_lo, shim_hi; /* our own text: frames left out */
static __thread bool unwinding;

struct walk {
	uint64_t pc[SR_FRAMES];
	unsigned int n;
};

static _Unwind_Reason_Code one_frame(struct _Unwind_Context *ctx, void *arg)
{
	struct walk *w = arg;
	uintptr_t pc = (uintptr_t)get_ip(ctx);

	if (!pc)
		return _URC_END_OF_STACK;
	/* The shim's frames (this file, stats.c, the wrapper) are ours:
	 * the site is where the program called. */
	if (pc >= shim_lo && pc < shim_hi && !w->n)
		return _URC_NO_REASON;
	w->pc[w->n++] = pc;
	return w->n < SR_FRAMES ? _URC_NO_REASON : _URC_END_OF_STACK;
}

static int find_self(struct dl_phdr_info *info, size_t size, void *base)
{
	int i;

	if (info->dlpi_addr != (uintptr_t)base)
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		if (!shim_lo || lo < shim_lo)
			shim_lo = lo;
		if (lo + ph->p_memsz > shim_hi)
			shim_hi = lo + ph->p_memsz;
	}
	return 1;
}

void shim_sites_init(void)
{
	struct walk w = { .n = 0 };
	Dl_info self;
	void *gcc;

	if (!dladdr((void *)shim_sites_init, &self) || !self.dli_fbase)
		return;
	dl_iterate_phdr(find_self, self.dli_fbase);
	/* RTLD_NODELETE: the unwinder stays for the life of the process. */
	gcc = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!gcc || !shim_hi)
		return;
	get_ip = (getip_fn)dlsym(gcc, "_Unwind_GetIP");
	unwind = (backtrace_fn)dlsym(gcc, "_Unwind_Backtrace");
	if (!get_ip)
		unwind = 0;
	if (unwind)
		unwind(one_frame, &w); /* its first use, here */
}

static uint64_t hash(int nr, const struct walk *w)
{
	uint64_t h = 0xcbf29ce484222325ull ^ (uint64_t)nr;
	unsigned int i;

	for (i = 0; i < w->n; i++)
		h = (h ^ w->pc[i]) * 0x100000001b3ull;
	return h ? h : 1;
}

/* The entry of @key, claimed if new (*@fresh); NULL if the table is full
 * along the probe. */
static struct sr_site *site_of(struct sr_file *f, uint64_t key, bool *fresh)
{
	unsigned int i, at = (unsigned int)(key ^ (key >> 32)) % SR_SITES;

	*fresh = false;
	for (i = 0; i < 32; i++, at = (at + 1) % SR_SITES) {
		struct sr_site *s = &f->site[at];
		uint64_t k = __atomic_load_n(&s->key, __ATOMIC_RELAXED);

		if (!k && __atomic_compare_exchange_n(&s->key, &k, key, false,
						      __ATOMIC_RELAXED,
						      __ATOMIC_RELAXED)) {
			*fresh = true;
			return s;
		}
		if (k == key)
			return s;
	}
	return 0;
}

void shim_sites_record(struct sr_file *f, unsigned int slot, int nr,
		       bool blocked, uint64_t ns, bool loop)
{
	struct sr_site *s;
	struct walk w;
	bool fresh;
	unsigned int i;
	int saved = errno; /* the unwinder's, on the program's call */

	if (!unwind || unwinding)
		return;
	unwinding = true;
	w.n = 0;
	unwind(one_frame, &w);
	s = w.n ? site_of(f, hash(nr, &w), &fresh) : 0;
	if (!s) {
		if (w.n)
			__atomic_fetch_add(&f->h.sites_lost, 1,
					   __ATOMIC_RELAXED);
		unwinding = false;
		errno = saved;
		return;
	}
	if (fresh) {
		s->nr = (uint32_t)nr;
		s->nframes = w.n;
		for (i = 0; i < w.n; i++)
			s->pc[i] = w.pc[i];
		__atomic_store_n(&s->ready, 1, __ATOMIC_RELEASE);
		shim_maps_cover(f, w.pc, w.n);
	}
	__atomic_fetch_or(&s->slots, 1u << slot, __ATOMIC_RELAXED);
	__atomic_fetch_add(&s->calls, 1, __ATOMIC_RELAXED);
	if (blocked) {
		__atomic_fetch_add(&s->would_block, 1, __ATOMIC_RELAXED);
		__atomic_fetch_add(&s->blocked_ns, ns, __ATOMIC_RELAXED);
		if (loop)
			__atomic_fetch_add(&s->loop_blocked_ns, ns,
					   __ATOMIC_RELAXED);
	}
	unwinding = false;
	errno = saved;
}
