// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Names from a report into XML text (the flame graph's SVG).  A report's
 * names may hold any byte, but an XML file must be UTF-8 of characters
 * XML 1.0 allows, or a browser shows an error instead of the picture:
 * so each character is decoded, a byte that does not begin a well-formed
 * UTF-8 sequence (overlong, surrogate, past U+10FFFF, cut short) is one
 * '?', as are controls, U+FFFE and U+FFFF; and the five characters of
 * markup are written as references.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>

#include "report.h"

#define BAD UINT32_MAX

/* The character at @s into *@cp (BAD if none), and its length in bytes. */
static size_t next(const unsigned char *s, uint32_t *cp)
{
	/* Per lead byte: the length, and the range of the second byte that
	 * keeps the sequence shortest, off the surrogates, in Unicode. */
	unsigned int n, i, lo = 0x80, hi = 0xbf;

	*cp = BAD;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 1;
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 1;
	for (i = 2; i < n; i++) /* a NUL stops here too */
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 1;
	*cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++)
		*cp = *cp << 6 | (s[i] & 0x3f);
	return n;
}

static bool allowed(uint32_t cp)
{
	return cp != BAD && cp >= 0x20 && cp != 0x7f &&
	       !(cp >= 0x80 && cp < 0xa0) && cp != 0xfffe && cp != 0xffff;
}

size_t rp_xml_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	uint32_t cp;

	while (*p) {
		p += next(p, &cp);
		n++;
	}
	return n;
}

bool rp_xml_put(const char *s, size_t max, FILE *f)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, n;
	uint32_t cp;

	for (n = 0; *p && n < max; n++, p += len) {
		len = next(p, &cp);
		if (!allowed(cp))
			fputc('?', f);
		else if (cp == '&')
			fputs("&amp;", f);
		else if (cp == '<')
			fputs("&lt;", f);
		else if (cp == '>')
			fputs("&gt;", f);
		else if (cp == '"')
			fputs("&quot;", f);
		else if (cp == '\'')
			fputs("&#39;", f);
		else
			fwrite(p, 1, len, f);
	}
	return *p != 0;
}
