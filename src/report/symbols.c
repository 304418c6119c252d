// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Naming the frames of call sites, in the command after the run: elfutils'
 * libdwfl reads each file the frames name (symbol tables, and DWARF line
 * tables where the file or a Debian -dbgsym package has them, found by
 * build ID).  The command's alone: the shim saves addresses and mappings,
 * never reads ELF in someone's process.
 *
 * A frame is a module (file) and an offset in it; each module is reported
 * once to one Dwfl, a shared object at its own base (so that modules do
 * not overlap), and the offset turned into an address through the
 * program header that maps it.  A file that cannot be read (gone, not
 * ours to read) leaves its frames unnamed.
 */
#define _GNU_SOURCE
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct module {
	const char *path;
	Dwfl_Module *mod;
};

static const Dwfl_Callbacks callbacks = {
	.find_elf = dwfl_build_id_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
};

/* The modules the sites name, each once. */
static size_t modules(const struct rp_report *r, struct module **out)
{
	struct module *m = 0, *nm;
	size_t n = 0, i, k, j;
	unsigned int f;

	for (i = 0; i < r->n; i++)
		for (k = 0; k < r->procs[i].nsites; k++)
			for (f = 0; f < r->procs[i].sites[k].nframes; f++) {
				const char *path =
					r->procs[i].sites[k].frame[f].module;

				if (!path)
					continue;
				for (j = 0; j < n; j++)
					if (!strcmp(m[j].path, path))
						break;
				if (j < n)
					continue;
				nm = realloc(m, (n + 1) * sizeof(*m));
				if (!nm)
					break;
				m = nm;
				m[n].path = path;
				m[n++].mod = 0;
			}
	*out = m;
	return n;
}

/* The address of file offset @off in @mod, or 0. */
static Dwarf_Addr address(Dwfl_Module *mod, uint64_t off)
{
	Dwarf_Addr bias;
	Elf *elf = dwfl_module_getelf(mod, &bias);
	size_t i, n;

	if (!elf || elf_getphdrnum(elf, &n))
		return 0;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(elf, (int)i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (off >= ph.p_offset && off < ph.p_offset + ph.p_filesz)
			return bias + ph.p_vaddr + (off - ph.p_offset);
	}
	return 0;
}

static char *cut(const char *s)
{
	return s ? strndup(s, RP_STR_MAX) : 0;
}

/*
 * The line of @a by the compile units' own address ranges.  libdw finds a
 * unit by .debug_aranges when the file has one, and a file linked from
 * objects of several compilers (clang emits none, a sanitizer's runtime
 * does) has it for some units only: the others' lines are found here.
 */
static const char *line_by_units(Dwfl_Module *mod, Dwarf_Addr a, int *lineno)
{
	Dwarf_Die *cu = 0;
	Dwarf_Addr bias;

	while ((cu = dwfl_module_nextcu(mod, cu, &bias))) {
		Dwarf_Addr base, lo, hi;
		ptrdiff_t off = 0;
		Dwarf_Line *l;

		while ((off = dwarf_ranges(cu, off, &base, &lo, &hi)) > 0) {
			if (a - bias < lo || a - bias >= hi)
				continue;
			l = dwarf_getsrc_die(cu, a - bias);
			if (!l || dwarf_lineno(l, lineno))
				return 0;
			return dwarf_linesrc(l, 0, 0);
		}
	}
	return 0;
}

static void name_frame(struct rp_frame *fr, Dwfl_Module *mod)
{
	Dwarf_Addr a = address(mod, fr->offset);
	Dwfl_Line *line;
	const char *src;
	int lineno = 0;

	if (!a)
		return;
	a--; /* a return address: the call is the byte before */
	if (!fr->func)
		fr->func = cut(dwfl_module_addrname(mod, a));
	line = dwfl_module_getsrc(mod, a);
	src = line ? dwfl_lineinfo(line, 0, &lineno, 0, 0, 0)
		   : line_by_units(mod, a, &lineno);
	if (src && lineno > 0 && !fr->file) {
		fr->file = cut(src);
		fr->line = (unsigned int)lineno;
	}
}

void rp_symbolise(struct rp_report *r)
{
	struct module *m;
	size_t n = modules(r, &m), i, k, j;
	Dwfl *dwfl = n ? dwfl_begin(&callbacks) : 0;
	unsigned int f;

	if (!dwfl) {
		free(m);
		return;
	}
	dwfl_report_begin(dwfl);
	/* 1 TiB apart, above where a non-PIE executable is linked. */
	for (j = 0; j < n; j++)
		m[j].mod = dwfl_report_elf(dwfl, m[j].path, m[j].path, -1,
					   (GElf_Addr)(j + 1) << 40, true);
	dwfl_report_end(dwfl, 0, 0);
	for (i = 0; i < r->n; i++)
		for (k = 0; k < r->procs[i].nsites; k++)
			for (f = 0; f < r->procs[i].sites[k].nframes; f++) {
				struct rp_frame *fr =
					&r->procs[i].sites[k].frame[f];

				for (j = 0; fr->module && j < n; j++)
					if (!strcmp(m[j].path, fr->module))
						break;
				if (fr->module && j < n && m[j].mod)
					name_frame(fr, m[j].mod);
			}
	dwfl_end(dwfl);
	free(m);
}
