// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * syslet policy export --format oci|systemd REPORT...: the system calls a
 * program was seen to make ('syslet run --observe --report'), as a seccomp
 * profile people already use: an OCI/Docker profile that allows exactly
 * those and fails the rest with EPERM, or systemd's SystemCallFilter=.
 */
#define _GNU_SOURCE
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <syslet.h>

#include "cli.h"
#include "../report/report.h"

static void usage(FILE *f)
{
	fputs("usage: syslet policy export -f|--format oci|systemd REPORT...\n"
	      "  The system calls the reports observed (made with 'syslet run\n"
	      "  --observe --report'; add --no-route there, so that they are the\n"
	      "  program's own calls and not the shim's), as an OCI/Docker\n"
	      "  seccomp profile (JSON, everything else fails with EPERM) or as\n"
	      "  systemd's SystemCallFilter= and SystemCallErrorNumber= lines.\n"
	      "\n"
	      "Options:\n"
	      "  -f, --format FMT  oci or systemd\n"
	      "  -h, --help     this text\n",
	      f);
}

/* The JSON of the file @path, or NULL after one line on stderr. */
static json_object *read_json(const char *path)
{
	json_object *r = 0;
	char why[256], *text;
	size_t len;

	if (rp_read_file(path, &text, &len, why, sizeof(why))) {
		fprintf(stderr, "syslet policy export: %s: %s\n",
			cli_safe(path), why);
		return 0;
	}
	if (len <= RP_MAX_FILE)
		r = json_tokener_parse(text);
	free(text);
	if (!r)
		fprintf(stderr, "syslet policy export: %s: not a JSON file\n",
			cli_safe(path));
	return r;
}

/* Adds the report's observed calls to @seen (by number); 0 or -1. */
static int gather(const char *path, unsigned char *seen)
{
	json_object *r = read_json(path), *s, *obs;
	const char *why = 0;

	if (!r)
		return -1;
	if (!json_object_object_get_ex(r, "schema", &s) ||
	    !json_object_is_type(s, json_type_string) ||
	    strcmp(json_object_get_string(s), RP_SCHEMA))
		why = "not a " RP_SCHEMA " report";
	else if (!json_object_object_get_ex(r, "observed_syscalls", &obs) ||
		 !json_object_is_type(obs, json_type_object))
		why = "no observed_syscalls: make it with 'syslet run --observe "
		      "--report'";
	if (!why) {
		json_object_object_foreach(obs, name, count)
		{
			int nr = syslet_syscall_lookup(name);

			if (nr < 0 || nr >= OBSERVE_NR_MAX ||
			    !json_object_is_type(count, json_type_int)) {
				fprintf(stderr,
					"syslet policy export: %s: bad entry "
					"'%s'\n",
					cli_safe(path), cli_safe(name));
				json_object_put(r);
				return -1;
			}
			seen[nr] = 1;
		}
	}
	json_object_put(r);
	if (why)
		fprintf(stderr, "syslet policy export: %s: %s\n",
			cli_safe(path), why);
	return why ? -1 : 0;
}

static void oci(const unsigned char *seen, FILE *f)
{
	json_object *top = json_object_new_object(), *arch, *names, *rule,
		    *rules;
	int nr;

	arch = json_object_new_array();
	json_object_array_add(arch, json_object_new_string("SCMP_ARCH_X86_64"));
	names = json_object_new_array();
	for (nr = 0; nr < OBSERVE_NR_MAX; nr++)
		if (seen[nr])
			json_object_array_add(names,
					      json_object_new_string(
						      syslet_syscall_name(nr)));
	rule = json_object_new_object();
	json_object_object_add(rule, "names", names);
	json_object_object_add(rule, "action",
			       json_object_new_string("SCMP_ACT_ALLOW"));
	rules = json_object_new_array();
	json_object_array_add(rules, rule);
	json_object_object_add(top, "defaultAction",
			       json_object_new_string("SCMP_ACT_ERRNO"));
	json_object_object_add(top, "defaultErrnoRet", json_object_new_int(1));
	json_object_object_add(top, "architectures", arch);
	json_object_object_add(top, "syscalls", rules);
	fprintf(f, "%s\n",
		json_object_to_json_string_ext(
			top,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
	json_object_put(top);
}

static void systemd(const unsigned char *seen, FILE *f)
{
	const char *sep = "";
	int nr;

	fputs("SystemCallFilter=", f);
	for (nr = 0; nr < OBSERVE_NR_MAX; nr++)
		if (seen[nr]) {
			fprintf(f, "%s%s", sep, syslet_syscall_name(nr));
			sep = " ";
		}
	/* systemd kills with SIGSYS unless told which error to return. */
	fputs("\nSystemCallErrorNumber=EPERM\n", f);
}

int cmd_policy_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, 0, 'f' },
		{ "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	unsigned char seen[OBSERVE_NR_MAX] = { 0 };
	const char *format = 0, *cmd = "syslet policy export";
	int c, i;

	optind = 0;
	while ((c = cli_getopt(cmd, argc, argv, "hf:", opts)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if (c != 'f') {
			usage(stderr);
			return 2;
		}
		format = optarg;
	}
	if (!format)
		return cli_usage_error(cmd, usage,
				       "no --format given (oci or systemd)");
	if (strcmp(format, "oci") && strcmp(format, "systemd"))
		return cli_usage_error(
			cmd, usage, "--format %s: not oci or systemd", format);
	if (optind >= argc)
		return cli_usage_error(cmd, usage, "no report file given");
	for (i = optind; i < argc; i++)
		if (gather(argv[i], seen))
			return 2;
	if (!strcmp(format, "oci"))
		oci(seen, stdout);
	else
		systemd(seen, stdout);
	return fflush(stdout) ? 1 : 0;
}
