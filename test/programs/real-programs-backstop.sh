#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# real-programs.sh again, with the seccomp backstop catching the programs'
# reads, writes, opens and waits wherever they make them (inside the C
# library too): test/preload/backstop.policy.
. "${srcdir:-.}/test/lib.sh"
export SYSLET_TEST_RUN_ARGS="--policy $tl_backstop_policy"
exec bash "${srcdir:-.}/test/programs/real-programs.sh" "$@"
