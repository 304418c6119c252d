# shellcheck shell=sh
# Sourced by nomode_hint.sh and bs_nomode_hint.sh: after RUNNER (run-one.sh
# or backstop-run.sh) has compared nomode_hint's output with a native
# run, the program once more under the shim and strace -f -Y -e
# trace=TRACE, into $tmp/st.log; skips (77) without strace or where the
# file system takes non-blocking writes.  nomode_trace RUNNER TRACE [VAR=VAL]
. "${srcdir:-.}/test/lib.sh"
nomode_trace() {
	sh "$src/test/preload/$1" nomode_hint || exit $?
	command -v strace >/dev/null ||
		{ echo "SKIP: strace missing: the tries cannot be seen"; exit 77; }
	tl_tmp nomode_trace
	cd "$tmp" || exit 99
	prog=$top/test/preload/nomode_hint
	if ! "$prog" | grep -q '^refuses nowait writes: yes'; then
		echo "SKIP: this file system takes non-blocking writes: nothing to see"
		exit 77
	fi
	# The shim for the program alone, not timeout or strace (a sanitized
	# shim needs the sanitizer's runtime, which only our programs carry);
	# LeakSanitizer refuses to run under ptrace.
	timeout -k 5 120 strace -E "LD_PRELOAD=$shim" \
		-E "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		${3:+-E "$3"} -f -Y -qq -e "trace=$2" -o st.log "$prog" >out.txt ||
		{ echo "FAIL: under strace"; cat out.txt st.log; exit 1; }
}
