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
 * No lock, no allocation here (the cache of stacks below is mapped at load
 * time): the table is claimed entry by entry with a compare-and-swap, and
 * a thread re-entering (a handler's call while we unwind or use its
 * cache) records nothing.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unwind.h>

#include "../engine/engine.h"
#include "shim.h"
#include "stats.h"

typedef _Unwind_Reason_Code (*backtrace_fn)(_Unwind_Trace_Fn, void *);
typedef _Unwind_Ptr (*getip_fn)(struct _Unwind_Context *);
typedef _Unwind_Ptr (*getipinfo_fn)(struct _Unwind_Context *, int *);
typedef _Unwind_Word (*getcfa_fn)(struct _Unwind_Context *);
typedef _Unwind_Word (*getgr_fn)(struct _Unwind_Context *, int);

static backtrace_fn unwind;
static getip_fn get_ip;
static getipinfo_fn get_ip_info;
static getcfa_fn get_cfa;
static getgr_fn get_gr;
static uintptr_t shim_lo, shim_hi; /* our own text: frames left out */
static __thread bool unwinding;

/*
 * The per-thread cache of stacks.  The unwinder costs some 200 ns a frame
 * (finding each PC's FDE and running its CFA program), 3-4 us a stack;
 * an event loop makes the same calls from the same stack over and over.
 * So each thread keeps the last few stacks it unwound, each as the stack
 * slots the unwinder read its return addresses from and what they held,
 * and a stack whose slots all hold the same again is that stack, with no
 * unwinding:
 *
 * x86-64 keeps a frame's return address at its CFA - 8, and the CFA of a
 * frame is the stack pointer of its caller (the unwinder's _Unwind_GetCFA
 * in the callback of frame k is frame k's stack pointer, SP(k)).  Where a
 * function's CFA rule is "stack pointer + offset", as the compiler makes it
 * for every function with a frame of fixed size, SP(k + 1) follows from
 * the PC and SP of frame k alone.  So: if frame 0 (stack_of(), whose CFA we
 * compute from its frame pointer) is where it was, and the slot of frame
 * 1's return address holds the same PC, frame 1 is the same code at the
 * same stack pointer; its caller's slot is then at the same address, and
 * so on outwards.  Every read is of a slot of the live stack, in order,
 * each only after the one before it matched: never of memory that is not
 * the thread's stack.  The stack is the unwinder's, exactly, with no
 * guess: the same PCs, and where the walk ended (a frame with no caller:
 * its PC's tables say so; a zero return address: a slot checked too).
 *
 * A frame whose CFA is reckoned from its frame pointer (alloca,
 * variable-length arrays, a realigned stack, code built with frame
 * pointers, as Debian builds PostgreSQL) can have the same PC and stack
 * pointer below a caller at another address; its CFA follows from its
 * rbp instead.  The compilers make such a frame in two forms, both seen
 * from the frame itself (from_bp()).  For it the cache checks its rbp as
 * well, at the slot it was restored from: where the nearest frame inwards
 * that changed rbp saved it, among the callee-saved registers at the top
 * of that frame (bp_from()), at worst stack_of()'s own saved rbp; a
 * realigned frame's CFA saved at rbp - 8 is checked too.  With the same
 * PCs, stack pointers and rbp, each frame's CFA is the same again.  A
 * stack is not kept, and is unwound every time, if such a slot cannot be
 * told, if it has a signal frame (the interrupted PC is read from the
 * signal context, flagged by _Unwind_GetIPInfo), or a return address that
 * is not at CFA - 8 (checked against the stack itself).  What is left out
 * of the argument: hand-written assembly whose CFA is reckoned from
 * another register, a frame that saves rbp somewhere else than with the
 * other callee-saved registers and uses it for a value equal to its
 * caller's, and libraries unloaded with others loaded at the same
 * address since (dlclose).
 *
 * SYSLET_STACKS=full turns the cache off; SYSLET_STACKS=check unwinds
 * every stack, compares it with the cache's where that has it, and says
 * at exit, on standard error, how many were found and how many differed
 * (tests and benchmarks).
 */
#define STACK_WAYS 16
#define STACK_FRAMES (SR_FRAMES + 8) /* the shim's frames, the program's */
#define STACK_CHECKS (2 * STACK_FRAMES)

struct stack {
	uint8_t nchecks, n;
	int32_t off[STACK_CHECKS];  /* the word at cfa + off[i] ... */
	uint64_t val[STACK_CHECKS]; /* ... holds val[i] */
	uint64_t pc[SR_FRAMES];	    /* the program's frames */
};

/* A thread's cache: one per slot of the stats file (the thread that
 * claimed it, alone; not the shared last slot), in memory of our own
 * rather than in thread-local storage, which glibc takes from every
 * thread's stack. */
struct stacks {
	unsigned int next;	      /* the way to fill next */
	uintptr_t key[STACK_WAYS];    /* stack_of()'s CFA; 0: empty */
	struct stack way[STACK_WAYS]; /* keys apart: 2 cache lines to look up */
};

static struct stacks *caches; /* [SR_SLOTS - 1], mapped at load time */
static int cache_mode = 1;    /* 0: off, 1: on, 2: check */

/* What reads the program's stack words (a sanitizer's redzones among
 * them) reads them uninstrumented. */
#define NO_ASAN __attribute__((no_sanitize_address))

struct walk {
	uint64_t pc[SR_FRAMES];
	unsigned int n;
	/* Every frame, the shim's too: its PC, SP (its callee's CFA) and
	 * rbp, for the cache; @keep while they can be cached. */
	unsigned int nall;
	uint64_t ip[STACK_FRAMES], sp[STACK_FRAMES], bp[STACK_FRAMES];
	bool keep;
};

static _Unwind_Reason_Code one_frame(struct _Unwind_Context *ctx, void *arg)
{
	struct walk *w = arg;
	int sig = 0;
	uintptr_t pc =
		(uintptr_t)(get_ip_info ? get_ip_info(ctx, &sig) : get_ip(ctx));

	if (w->keep && w->nall < STACK_FRAMES && !sig && get_cfa && get_gr) {
		w->ip[w->nall] = pc;
		w->sp[w->nall] = get_cfa(ctx);
		w->bp[w->nall] = get_gr(ctx, 6); /* DWARF register 6: rbp */
		w->nall++;
	} else {
		w->keep = false;
	}
	if (!pc)
		return _URC_END_OF_STACK;
	/* The shim's frames (this file, stats.c, the wrapper) are ours:
	 * the site is where the program called. */
	if (pc >= shim_lo && pc < shim_hi && !w->n)
		return _URC_NO_REASON;
	w->pc[w->n++] = pc;
	return w->n < SR_FRAMES ? _URC_NO_REASON : _URC_END_OF_STACK;
}

/*
 * Whether a frame whose stack pointer is @sp, its CFA @cfa and its rbp @bp
 * may reckon its CFA from rbp, as the compilers' code does in two forms:
 * rbp + 16 (the frame pointer: rbp points at the caller's, saved below the
 * return address) or, for a stack realigned through a register (GCC's
 * DRAP), the CFA saved at rbp - 8.  An rbp that points elsewhere into the
 * frame holds the address of a local.
 */
NO_ASAN static bool from_bp(uint64_t bp, uint64_t sp, uint64_t cfa)
{
	if (bp < sp || bp >= cfa)
		return false;
	return bp + 16 == cfa ||
	       (bp - 8 >= sp && *(const uint64_t *)(bp - 8) == cfa);
}

/*
 * Where frame @k's rbp was restored from: the slot of the nearest frame
 * inwards that saved it and changed it (the compilers save it with the
 * other callee-saved registers at the top of the frame, so in its 8 words
 * below the return address, where it must be the only word of that
 * value); 0 if a frame changed it and we cannot tell where it saved it.
 * Frame 0, stack_of(), saves it at its CFA - 16 (frame pointer).
 */
NO_ASAN static uint64_t bp_from(const struct walk *w, unsigned int k)
{
	uint64_t v = w->bp[k], a, lo, at;
	unsigned int j, found;

	for (j = k; j-- > 1;) {
		lo = w->sp[j + 1] - 72 > w->sp[j] ? w->sp[j + 1] - 72
						  : w->sp[j];
		for (found = 0, at = 0, a = w->sp[j + 1] - 16; a >= lo; a -= 8)
			if (*(const uint64_t *)a == v) {
				found++;
				at = a;
			}
		if (found == 1)
			return at;
		if (found || w->bp[j] != v)
			return 0;
		/* Not saved here, and the same: frame j left it alone. */
	}
	a = w->sp[1] - 16;
	return *(const uint64_t *)a == v ? a : 0;
}

static bool check_add(struct stack *c, uintptr_t cfa, uint64_t at, uint64_t val)
{
	int64_t off = (int64_t)(at - cfa);

	/* At most stack_of()'s saved rbp, below its CFA. */
	if (c->nchecks >= STACK_CHECKS || off < -16 || off > INT32_MAX)
		return false;
	c->off[c->nchecks] = (int32_t)off;
	c->val[c->nchecks++] = val;
	return true;
}

/*
 * The walk @w, made from stack_of() whose CFA is @cfa, into the cache @cs
 * with the checks that make it the unwinder's (above), in the order of
 * the frames, so that each check reads a word of the live stack once the
 * ones before it held: frame k's return address, at SP(k) - 8; for a
 * frame whose CFA comes from rbp, the slot its rbp came from (and for a
 * realigned stack, the CFA saved at rbp - 8).  Not kept if anything is
 * not as that needs.
 */
NO_ASAN static void cache_put(struct stacks *cs, const struct walk *w,
			      uintptr_t cfa)
{
	unsigned int i, k, nall = w->nall;
	struct stack *c;
	uint64_t at;

	if (!w->keep || w->nall < 2 || !w->n || w->sp[1] != cfa)
		return;
	/* A last PC of 0 not read from the stack: the frame before says it
	 * has no caller (its return address undefined, as _start's is). */
	if (!w->ip[nall - 1] && *(const uint64_t *)(w->sp[nall - 1] - 8))
		nall--;
	i = cs->next++ % STACK_WAYS;
	c = &cs->way[i];
	cs->key[i] = 0;
	c->nchecks = 0;
	for (k = 1; k < nall; k++) {
		/* The return address where the next walk will look for it. */
		if (w->sp[k] <= w->sp[k - 1] ||
		    *(const uint64_t *)(w->sp[k] - 8) != w->ip[k] ||
		    !check_add(c, cfa, w->sp[k] - 8, w->ip[k]))
			return;
		/* Frame k's CFA, SP(k + 1), if it comes from rbp. */
		if (k + 1 >= w->nall ||
		    !from_bp(w->bp[k], w->sp[k], w->sp[k + 1]))
			continue;
		at = bp_from(w, k);
		if (!at || !check_add(c, cfa, at, w->bp[k]))
			return;
		if (w->bp[k] + 16 != w->sp[k + 1] &&
		    !check_add(c, cfa, w->bp[k] - 8, w->sp[k + 1]))
			return;
	}
	c->n = (uint8_t)w->n;
	for (k = 0; k < w->n; k++)
		c->pc[k] = w->pc[k];
	cs->key[i] = cfa;
}

/* The cached stack whose slots all hold the same again, or NULL. */
NO_ASAN static const struct stack *cache_get(const struct stacks *cs,
					     uintptr_t cfa)
{
	unsigned int i, k;

	for (i = 0; i < STACK_WAYS; i++) {
		const struct stack *c = &cs->way[i];

		if (cs->key[i] != cfa)
			continue;
		for (k = 0; k < c->nchecks; k++)
			if (*(const volatile uint64_t *)(cfa + c->off[k]) !=
			    c->val[k])
				break;
		if (k == c->nchecks)
			return c;
	}
	return 0;
}

/* SYSLET_STACKS=check: stacks recorded, found in the cache, and of those
 * the ones the unwinder disagreed with; said at exit. */
static uint64_t check_stacks, check_hits, check_diff;

static void check_hit(const struct stack *c, const struct walk *w)
{
	unsigned int i;
	bool same = c->n == w->n;

	for (i = 0; same && i < c->n; i++)
		same = w->pc[i] == c->pc[i];
	__atomic_fetch_add(&check_hits, 1, __ATOMIC_RELAXED);
	if (!same)
		__atomic_fetch_add(&check_diff, 1, __ATOMIC_RELAXED);
}

static char *put_u64(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	while (n)
		*p++ = tmp[--n];
	return p;
}

__attribute__((destructor)) static void check_say(void)
{
	char line[160], *p = line;

	if (cache_mode != 2 || !unwind)
		return;
	p = stpcpy(p, "syslet: stack cache check: ");
	p = put_u64(p, __atomic_load_n(&check_hits, __ATOMIC_RELAXED));
	p = stpcpy(p, " of ");
	p = put_u64(p, __atomic_load_n(&check_stacks, __ATOMIC_RELAXED));
	p = stpcpy(p, " stacks cached, ");
	p = put_u64(p, __atomic_load_n(&check_diff, __ATOMIC_RELAXED));
	p = stpcpy(p, " differed from the unwinder's\n");
	sl_sys3(SYS_write, 2, line, p - line);
}

/* The calling stack into @w, from the cache @cs (NULL: none) or unwound.
 * Not inlined: its frame (its frame pointer, for the CFA) is the anchor. */
static __attribute__((noinline)) void stack_of(struct stacks *cs,
					       struct walk *w)
{
	uintptr_t cfa = (uintptr_t)__builtin_frame_address(0) + 16;
	const struct stack *c = cs ? cache_get(cs, cfa) : 0;
	unsigned int i;

	if (c && cache_mode == 1) {
		w->n = c->n;
		for (i = 0; i < c->n; i++)
			w->pc[i] = c->pc[i];
		return;
	}
	w->n = w->nall = 0;
	w->keep = cs != 0;
	unwind(one_frame, w);
	if (cache_mode == 2)
		__atomic_fetch_add(&check_stacks, 1, __ATOMIC_RELAXED);
	if (c)
		check_hit(c, w); /* and the unwinder's stack is kept */
	else if (cs)
		cache_put(cs, w, cfa);
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

void shim_sites_init(const char *mode)
{
	struct walk w;
	Dl_info self;
	void *gcc;

	if (mode && !strcmp(mode, "full"))
		cache_mode = 0;
	else if (mode && !strcmp(mode, "check"))
		cache_mode = 2;
	if (!dladdr((void *)shim_sites_init, &self) || !self.dli_fbase)
		return;
	dl_iterate_phdr(find_self, self.dli_fbase);
	/* RTLD_NODELETE: the unwinder stays for the life of the process. */
	gcc = dlopen("libgcc_s.so.1", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!gcc || !shim_hi)
		return;
	get_ip = (getip_fn)dlsym(gcc, "_Unwind_GetIP");
	get_ip_info = (getipinfo_fn)dlsym(gcc, "_Unwind_GetIPInfo");
	get_cfa = (getcfa_fn)dlsym(gcc, "_Unwind_GetCFA");
	get_gr = (getgr_fn)dlsym(gcc, "_Unwind_GetGR");
	unwind = (backtrace_fn)dlsym(gcc, "_Unwind_Backtrace");
	if (!get_ip)
		unwind = 0;
	if (!unwind)
		return;
	if (cache_mode && get_cfa && get_gr) {
		void *p = mmap(0, sizeof(*caches) * (SR_SLOTS - 1),
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		caches = p == MAP_FAILED ? 0 : p; /* none: unwind them all */
	}
	/* Its first use, here; and nothing of it kept. */
	w.n = w.nall = 0;
	w.keep = false;
	unwind(one_frame, &w);
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
	stack_of(caches && slot < SR_SLOTS - 1 ? &caches[slot] : 0, &w);
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
