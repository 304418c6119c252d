/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The JSON report reader's checked look-ups (parse.c), shared with the
 * reader of call sites and threads (parse_sites.c).  Each returns -1 (or
 * NULL) with the reason in the context, named by the field's path.
 */
#ifndef RP_PARSE_H
#define RP_PARSE_H

#include <json-c/json.h>

#include "report.h"

struct rpj_ctx {
	char *why;
	size_t len;
};

int rpj_fail(struct rpj_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* @o's member @key, of type @t. */
json_object *rpj_member(struct rpj_ctx *c, json_object *o, const char *path,
			const char *key, json_type t);
/* An integer in [0, max]: @v itself, or @o's member @key. */
int rpj_uint_of(struct rpj_ctx *c, json_object *v, const char *path,
		const char *key, uint64_t max, uint64_t *out);
int rpj_get_uint(struct rpj_ctx *c, json_object *o, const char *path,
		 const char *key, uint64_t max, uint64_t *out);
/* parse_sites.c: @o's optional "thread_list", "sites" and "sites_lost"
 * into @p (@path is the process's, "processes[N]."). */
int rpj_sites(struct rpj_ctx *c, struct rp_proc *p, json_object *o,
	      const char *path);

#endif
