#!/bin/sh
# Caught writes to a file without a non-blocking mode (nomode_hint.c): the
# same output as natively, and made by their caller, as under the shim,
# not handed to a helper: strace -f -Y shows no write of a syslet/N thread.
. "${srcdir:-.}/test/lib.sh"
sh "$src/test/preload/backstop-run.sh" nomode_hint || exit $?
command -v strace >/dev/null ||
	{ echo "SKIP: strace missing: who made the writes cannot be told"; exit 77; }
tl_tmp bs_nomode_hint
cd "$tmp" || exit 99
prog=$top/test/preload/nomode_hint
if ! "$prog" | grep -q '^refuses nowait writes: yes'; then
	echo "SKIP: this file system takes non-blocking writes: nothing to hand over"
	exit 77
fi
# The shim for the program alone, not timeout or strace (a sanitized
# shim needs the sanitizer's runtime, which only our programs carry);
# LeakSanitizer refuses to run under ptrace.
timeout -k 5 120 strace -E "LD_PRELOAD=$shim" \
	-E "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	-E "SYSLET_POLICY=$tl_backstop_policy" -f -Y -qq \
	-e trace=write,pwrite64,pwritev2 -o st.log "$prog" >out.txt ||
	{ echo "FAIL: under strace"; cat out.txt st.log; exit 1; }
n=$(grep -c '<syslet/[^>]*> \(write\|pwrite64\|pwritev2\)(' st.log)
echo "writes made by helpers: $n (of the program's 643)"
[ "$n" -eq 0 ] || { echo "FAIL: caught writes went to helpers"; grep '<syslet/' st.log | head; exit 1; }
grep -q '^[0-9]*<nomode_hint> write(' st.log ||
	{ echo "FAIL: no write of the program's own in the trace"; head st.log; exit 1; }
exit 0
