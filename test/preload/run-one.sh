#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# run-one.sh [options] PROG [ARGS...]
#
# Runs one preload test program three times: natively (no LD_PRELOAD),
# under the shim (LD_PRELOAD of the build tree's libsyslet-preload.so) and
# under the shim with SYSLET_ROUTE=off.  Passes when all three exit with the
# same status (the native one as expected), print the same stdout byte for
# byte once the shim run's "routed ..." lines are taken out, and the same
# stderr but for lines starting "info:" and a sanitizer's "==PID==" lines,
# and the shim run printed exactly the expected number of "routed" lines
# (the program saw its call on a helper) while the other two printed none.
#
# Options:
#   --routed N       "routed" lines expected under the shim (default 0)
#   --routed-min M   accept M to N of them: with the seccomp backstop, a
#                    child process's call may reach its parent's listener,
#                    which lets it run natively there (doc/backstop.md)
#   --status S       exit status expected of every run (default 0)
#   --env VAR=VAL    set in the shim run only (repeatable)
#   --prefix CMD     run every run through CMD (word-split), e.g. setpriv
#   --init-fail      the shim run's stderr must be exactly one line, which
#                    starts "syslet:"; the other runs' stderr empty
#   --no-off         skip the SYSLET_ROUTE=off run
#   --foreign        the program starts other binaries (/bin/sh) with the
#                    shim preloaded: skipped (77) when the shim is built
#                    with sanitizers, whose runtime only instrumented
#                    executables carry
#
# The automake harness runs tests from the top build directory; PROG is
# looked up in $abs_top_builddir/test/preload/ (abs_top_builddir defaults to
# the current directory).  Exit: 0 pass, 1 fail, 77 skip, 99 error.

. "${srcdir:-.}/test/lib.sh"

routed=0 routed_min= status=0 prefix= init_fail=0 off=1 shim_env= foreign=0
while [ $# -gt 0 ]; do
	case $1 in
	--routed) routed=$2; shift 2 ;;
	--routed-min) routed_min=$2; shift 2 ;;
	--status) status=$2; shift 2 ;;
	--env) shim_env="$shim_env $2"; shift 2 ;;
	--prefix) prefix=$2; shift 2 ;;
	--init-fail) init_fail=1; shift ;;
	--no-off) off=0; shift ;;
	--foreign) foreign=1; shift ;;
	--) shift; break ;;
	-*) echo "run-one.sh: unknown option $1" >&2; exit 99 ;;
	*) break ;;
	esac
done
[ $# -ge 1 ] || { echo "usage: run-one.sh [options] PROG [ARGS...]" >&2; exit 99; }

prog=$1
shift
case $prog in
/*) ;;
*) prog=$top/test/preload/$prog ;;
esac
[ -x "$prog" ] || { echo "run-one.sh: no program $prog" >&2; exit 99; }
[ -f "$shim" ] || { echo "run-one.sh: no shim $shim (build first)" >&2; exit 99; }
if [ $foreign = 1 ] && tl_sanitized; then
	echo "SKIP: $prog starts uninstrumented programs; the shim is built with sanitizers"
	exit 77
fi

tl_tmp syslet-preload
chmod 755 "$tmp" # the program may run as another user

# run NAME ENV... -- ARGS...: the program, its stdout, stderr and status
# in $tmp.
run() {
	name=$1
	shift
	envs=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		envs="$envs $1"
		shift
	done
	shift
	# shellcheck disable=SC2086 # prefix and envs are word lists
	tl_run "$tmp/$name" "$tmp" /dev/null 300 $prefix env -u LD_PRELOAD \
		-u SYSLET_ROUTE -u SYSLET_CANCEL_SIGNAL $envs "$prog" "$@"
}

fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}
show() {
	for f in "$tmp/$1.out" "$tmp/$1.err"; do
		echo "--- $1 ${f##*.} (status $(cat "$tmp/$1.rc"))"
		cat "$f"
	done
}

echo "program: $prog $*"
echo "shim:    $shim"
run native -- "$@"
run shim "LD_PRELOAD=$shim" $shim_env -- "$@"
runs="native shim"
if [ $off = 1 ]; then
	run off "LD_PRELOAD=$shim" SYSLET_ROUTE=off $shim_env -- "$@"
	runs="$runs off"
fi
for r in $runs; do
	show "$r"
done
echo "---"

rc=$(cat "$tmp/native.rc")
tl_timed_out "$tmp/native" && bad "native run timed out"
[ "$rc" = "$status" ] || bad "native run: status $rc, expected $status"
grep -aq '^routed' "$tmp/native.out" && bad "native run printed routed lines"
grep -av '^routed' "$tmp/shim.out" >"$tmp/shim.stripped"
n=$(grep -ac '^routed' "$tmp/shim.out")
if [ -n "$routed_min" ]; then
	[ "$n" -ge "$routed_min" ] && [ "$n" -le "$routed" ] ||
		bad "shim run: $n routed lines, expected $routed_min to $routed"
else
	[ "$n" = "$routed" ] || bad "shim run: $n routed lines, expected $routed"
fi
for r in $runs; do
	[ "$r" = native ] && continue
	r_rc=$(cat "$tmp/$r.rc")
	[ "$r_rc" = "$rc" ] || bad "$r run: status $r_rc, native $rc"
	out=$tmp/$r.out
	[ "$r" = shim ] && out=$tmp/shim.stripped
	if ! cmp -s "$tmp/native.out" "$out"; then
		bad "$r run: stdout differs from native (routed lines removed)"
		diff -u "$tmp/native.out" "$out" | sed 's/^/  /'
	fi
done
[ $off = 1 ] && grep -aq '^routed' "$tmp/off.out" &&
	bad "SYSLET_ROUTE=off run printed routed lines: a helper was used"

# Programs may add "info: ..." lines to stderr (timings, counts): not compared.
# Nor are a sanitizer runtime's "==PID==..." lines (LeakSanitizer in a forked
# child reports threads it could not suspend, as many as each run had).
for r in $runs; do
	grep -av -e '^info:' -e '^==[0-9][0-9]*==' "$tmp/$r.err" >"$tmp/$r.err2"
done
if [ $init_fail = 1 ]; then
	[ -s "$tmp/native.err2" ] && bad "native run wrote to stderr"
	lines=$(wc -l <"$tmp/shim.err2")
	first=$(head -n 1 "$tmp/shim.err2")
	[ "$lines" = 1 ] || bad "shim run: $lines lines on stderr, expected 1"
	case $first in
	syslet:*) ;;
	*) bad "shim run: stderr does not start with 'syslet:'" ;;
	esac
else
	for r in $runs; do
		[ "$r" = native ] && continue
		cmp -s "$tmp/native.err2" "$tmp/$r.err2" ||
			bad "$r run: stderr differs from native"
	done
fi

[ $fail = 0 ] && echo "PASS: same status ($rc) and stdout natively," \
	"under the shim ($n routed) and with SYSLET_ROUTE=off"
exit $fail
