#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# backstop-run.sh [run-one.sh options] PROG: run-one.sh with the seccomp
# backstop catching the program's calls (backstop.policy traps them, so
# the shim's wrappers leave them to the C library and the filter).
. "${srcdir:-.}/test/lib.sh"
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" \
	--env "SYSLET_POLICY=$tl_backstop_policy" "$@"
