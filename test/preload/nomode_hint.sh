#!/bin/sh
# A file's refused non-blocking writes remembered by number (nomode_hint.c):
# the same output natively and under the shim, and, where the file system
# refuses (ext4, tmpfs), the shim's pwritev2(RWF_NOWAIT) tries counted with
# strace: at most one in 64 of the program's writes, not one each.
. "${srcdir:-.}/test/lib.sh"
sh "$src/test/preload/run-one.sh" nomode_hint || exit $?
command -v strace >/dev/null ||
	{ echo "SKIP: strace missing: the tries cannot be counted"; exit 77; }
tl_tmp nomode_hint
cd "$tmp" || exit 99
prog=$top/test/preload/nomode_hint
if ! "$prog" | grep -q '^refuses nowait writes: yes'; then
	echo "SKIP: this file system takes non-blocking writes: no refusals to count"
	exit 77
fi
# The shim for the program alone, not timeout or strace (a sanitized
# shim needs the sanitizer's runtime, which only our programs carry);
# LeakSanitizer refuses to run under ptrace.
timeout -k 5 120 strace -E "LD_PRELOAD=$shim" \
	-E "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	-f -qq -e trace=pwritev2 \
	-o st.log "$prog" >out.txt ||
	{ echo "FAIL: under strace"; cat out.txt st.log; exit 1; }
# One refusal is the program's own probe.
n=$(grep -c 'EOPNOTSUPP' st.log)
echo "refused tries under the shim: $n (640 writes; the program's probe is one)"
[ "$n" -ge 2 ] || { echo "FAIL: the shim never tried"; exit 1; }
[ "$n" -le 13 ] || { echo "FAIL: more than one try in 64 writes"; exit 1; }
exit 0
