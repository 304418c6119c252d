#!/bin/sh
# helper_reuse.c with its opens caught by the seccomp backstop, which
# gives them to its one helper.  Needs root.
sh=${SHELL:-/bin/sh}
run="${srcdir:-.}/test/preload/creds-run.sh"
"$sh" "$run" --root creds_bs_max1.policy helper_reuse user-first
a=$?
"$sh" "$run" --root creds_bs_max1.policy helper_reuse root-first
b=$?
[ $a = 77 ] && [ $b = 77 ] && exit 77
[ $a = 99 ] || [ $b = 99 ] && exit 99
[ $a = 0 ] && [ $b = 0 ]
