#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A FIFO, a directory or a device given where syslet reads a file (policy
# check|show|suggest|export, report, run --policy, run --shim, and the
# shim's $SYSLET_POLICY) is refused at once with one line naming it, never
# waited for: a FIFO without a writer used to hang in open(), /dev/zero
# to be read for ever.  Every run is under timeout: 124 is a hang.
. "${srcdir:-.}/test/lib.sh"
tl_prog
tl_tmp cli-nonregular
mkfifo "$tmp/fifo" && mkdir "$tmp/dir" || exit 99
fail=0
# expect STATUS WHAT CMD...: CMD exits STATUS with nothing on stdout and
# exactly one line on stderr that contains WHAT.
expect() {
	want=$1 what=$2
	shift 2
	timeout -k 5 10 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ "$rc" != "$want" ] || [ -s "$tmp/out" ] ||
		[ "$(wc -l <"$tmp/err")" != 1 ] || ! grep -qF -- "$what" "$tmp/err"; then
		echo "FAIL: $*: status $rc (expected $want, one line with '$what')"
		cat "$tmp/out" "$tmp/err"
		fail=1
	fi
}

for f in "$tmp/fifo" "$tmp/dir" /dev/zero; do
	case $f in
	*/dir) why="$f: is a directory" ;;
	*) why="$f: not a regular file" ;;
	esac
	expect 2 "$f: error: ${why#"$f": }" "$syslet" policy check "$f"
	expect 2 "$f: error: ${why#"$f": }" "$syslet" policy show "$f"
	expect 2 "syslet policy suggest: $why" "$syslet" policy suggest "$f"
	expect 2 "syslet policy export: $why" "$syslet" policy export --format oci "$f"
	expect 2 "syslet report: $why" "$syslet" report "$f"
	expect 2 "syslet report: $why" "$syslet" report --compare "$f" "$f"
	expect 2 "syslet run: $why" "$syslet" run --policy "$f" -- true
	expect 2 "syslet run: --shim $why" "$syslet" run --shim "$f" -- true
	# The shim falls back to the built-in policy after one line.
	expect 0 "syslet: policy $why; using the built-in policy" \
		env SYSLET_POLICY="$f" "$syslet" run -- "$prog" pipe 0 1
done

# "-" is standard input for 'policy check', a file name for the shim:
# here standard input is a FIFO whose writer (the program itself) never
# writes, which the shim would wait on for ever.
expect 0 "syslet: policy -: cannot open" sh -c \
	'exec env SYSLET_POLICY=- "$1" run -- "$3" pipe 0 1 <>"$2"' sh "$syslet" "$tmp/fifo" "$prog"
printf 'read inline\n' | "$syslet" policy check - >"$tmp/out" 2>&1 ||
	{ echo "FAIL: policy check - from a pipe"; cat "$tmp/out"; fail=1; }

[ $fail = 0 ] && echo "PASS: non-regular files refused at once"
exit $fail
