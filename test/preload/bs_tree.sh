#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Process trees under the seccomp backstop, with real programs: a direct
# exec (env PROGRAM, sh -c 'exec PROGRAM'), a parent that exits while its
# child still works, a tree several levels deep, a pipeline.  Each runs
# natively and under the shim with backstop.policy (every read, write,
# openat... caught by the filter); the output must be the same, with
# nothing on stderr (no fallback line, no ENOSYS) and nothing left hanging.

. "${srcdir:-.}/test/lib.sh"
pol=$tl_backstop_policy
[ -f "$shim" ] || { echo "bs_tree: no shim $shim" >&2; exit 99; }
if tl_sanitized; then
	echo "SKIP: runs uninstrumented programs; the shim is built with sanitizers"
	exit 77
fi
tl_tmp syslet-bstree
seq 1 30000 | sed 's/$/ line/' >"$tmp/in"

fail=0
# one NAME COMMAND: the command in $tmp, natively and under the backstop.
one() {
	name=$1 cmd=$2
	for how in native shim; do
		rm -f "$tmp/late.out" "$tmp/late.flag"
		if [ $how = shim ]; then
			(cd "$tmp" && LD_PRELOAD=$shim SYSLET_POLICY=$pol \
				timeout -k 5 300 sh -c "$cmd") >"$tmp/$how.out" \
				2>"$tmp/$how.err"
		else
			(cd "$tmp" && timeout -k 5 300 sh -c "$cmd") \
				>"$tmp/$how.out" 2>"$tmp/$how.err"
		fi
		echo "status $?" >>"$tmp/$how.out"
		# A child left behind finishes on its own: wait for its flag.
		case $cmd in *late.flag*)
			i=0
			while [ ! -f "$tmp/late.flag" ] && [ $i -lt 300 ]; do
				sleep 0.1
				i=$((i + 1))
			done
			cat "$tmp/late.out" >>"$tmp/$how.out" 2>&1 ;;
		esac
	done
	if ! cmp -s "$tmp/native.out" "$tmp/shim.out"; then
		echo "FAIL $name: output differs"
		diff -u "$tmp/native.out" "$tmp/shim.out" | head -20 | sed 's/^/  /'
		fail=1
	elif [ -s "$tmp/shim.err" ] || [ -s "$tmp/native.err" ]; then
		echo "FAIL $name: stderr"
		sed 's/^/  /' "$tmp/native.err" "$tmp/shim.err" | head -10
		fail=1
	else
		echo "PASS $name"
	fi
}

one "env PROGRAM" 'env sort -r in | sha256sum'
one "sh -c exec" "sh -c 'exec sort -n in' | tail -n 3"
one "exec chain" "exec env sh -c 'exec cat in' | wc -l"
one "parent exits first" \
	"(sleep 0.3; sort -r in >late.out; echo >late.flag) & echo parent done"
one "double fork" \
	"sh -c '(sleep 0.2; cat in | wc -c >late.out; echo >late.flag) &' ; echo gone"
one "deep tree" \
	"sh -c \"sh -c 'sh -c \\\"sh -c \\\\\\\"grep -c 7 in\\\\\\\"\\\"'\""
one "pipeline" 'cat in | grep 9 | sort -u | head -n 5 | xargs echo'
one "find and xargs" 'find . -name in | xargs cat | tail -c 100'
one "subshells" '(cat in; (head -n 2 in; (tail -n 2 in))) | sha256sum'
exit $fail
