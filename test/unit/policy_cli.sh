#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet policy check/show and syslet run --policy, through the command:
# exit statuses, the FILE:LINE:COL lines, show's output checking clean.
. "${srcdir:-.}/test/lib.sh"
tl_tmp policy-cli
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
# expect STATUS CMD...: run CMD, its output in $tmp/out and $tmp/err
expect() {
	want=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" = "$want" ] || { bad "$*: status $rc, expected $want"; cat "$tmp/out" "$tmp/err"; }
}

expect 0 "$syslet" policy show
cp "$tmp/out" "$tmp/show.policy"
expect 0 "$syslet" policy check "$tmp/show.policy"
[ "$(cat "$tmp/out")" = "1 file, 40 rules, 9 settings: no errors" ] ||
	bad "check of show's output: $(cat "$tmp/out")"
[ -s "$tmp/err" ] && bad "check of show's output wrote to stderr"
expect 0 sh -c "'$syslet' policy show | '$syslet' policy check -"

expect 2 "$syslet" policy check "$src/test/preload/bad.policy" "$tmp/show.policy"
f=$src/test/preload/bad.policy
printf '%s\n' "$f:3:9: error: unknown route 'sometimes': expected inline, nowait, helper or trap" \
	"$f:4:17: error: bad value '0' for helpers.max: expected an integer from 1 to 4096" \
	"$f:5:1: error: unknown system call 'pread' (the C library's pread() makes pread64)" \
	"syslet policy: 3 errors" >"$tmp/want"
cmp -s "$tmp/want" "$tmp/err" || { bad "check of bad.policy"; diff -u "$tmp/want" "$tmp/err"; }

expect 2 "$syslet" policy check /nonexistent/p
[ "$(cat "$tmp/err" | head -n 1)" = "/nonexistent/p: error: cannot open: No such file or directory" ] ||
	bad "missing file: $(cat "$tmp/err")"

expect 0 "$syslet" policy show "$src/test/preload/read_inline.policy"
grep -q '^read  *inline$' "$tmp/out" || bad "show FILE: no 'read inline'"
grep -q '^set helpers.max  *2$' "$tmp/out" || bad "show FILE: no 'helpers.max 2'"
expect 2 "$syslet" policy show "$f"
expect 2 "$syslet" policy
expect 2 "$syslet" policy check
expect 0 "$syslet" policy --help
expect 0 "$syslet" --help
grep -q 'policy check' "$tmp/out" || bad "syslet --help does not name policy check"

# syslet run --policy: a missing file is refused before the program runs;
# a good one routes by it, a bad one warns once and routes by default.
expect 2 "$syslet" run --policy /nonexistent/p -- "$top/test/preload/pipe_block"
prog=$top/test/preload/pipe_block
if [ -x "$prog" ]; then
	# A relative path: the launcher makes it absolute for the shim.
	expect 0 sh -c "cd '$src/test/preload' && exec '$syslet' run --policy read_inline.policy -- '$prog'"
	grep -q '^routed' "$tmp/out" && bad "run --policy read_inline.policy: routed"
	expect 0 "$syslet" run --policy "$f" -- "$prog"
	[ "$(grep -c '^routed' "$tmp/out")" = 3 ] || bad "run --policy bad.policy: not 3 routed"
	[ "$(grep -vc -e '^info:' -e '^==[0-9]*==' "$tmp/err")" = 1 ] &&
		grep -q '^syslet: policy ' "$tmp/err" || bad "run --policy bad.policy: stderr $(cat "$tmp/err")"
fi
[ $fail = 0 ] && echo "PASS: syslet policy check/show, run --policy"
exit $fail
