#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# creds-run.sh [--root] POLICY PROG [ARGS...]: run-one.sh with
# SYSLET_POLICY=test/preload/POLICY in the shim's runs, for the tests of
# issue 12 (helpers act with their caller's credentials, cwd, umask and
# descriptor table).  With --root the test is skipped (77, saying so on
# stderr) unless it runs as root and may take another uid (PROG --probe).
root=0
if [ "${1:-}" = --root ]; then
	root=1
	shift
fi
pol=$(cd "${srcdir:-.}/test/preload" && pwd)/$1
prog=$2
shift 2
top=${abs_top_builddir:-$(pwd)}
if [ $root = 1 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: $prog needs root (it takes other uids)" >&2
		exit 77
	fi
	"$top/test/preload/$prog" --probe || exit 77
fi
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" \
	--env "SYSLET_POLICY=$pol" "$prog" "$@"
