#!/bin/sh
# One helper (helpers.max 1) used in turn by threads acting as uid 1000
# and as root, in both orders: each call acts as its caller
# (helper_reuse.c; issue 12).  Needs root.
sh=${SHELL:-/bin/sh}
run="${srcdir:-.}/test/preload/creds-run.sh"
"$sh" "$run" --root creds_max1.policy helper_reuse user-first
a=$?
"$sh" "$run" --root creds_max1.policy helper_reuse root-first
b=$?
[ $a = 77 ] && [ $b = 77 ] && exit 77
[ $a = 99 ] || [ $b = 99 ] && exit 99
[ $a = 0 ] && [ $b = 0 ]
