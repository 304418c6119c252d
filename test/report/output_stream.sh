#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Reports to streams, as strace's and valgrind's users write them (issue
# 16): 'syslet run --report -' writes the JSON to standard output for jq,
# after all the program's own output; the table goes to a named file,
# /dev/stdout or /dev/null (all refused before) and never mixes with the
# program's stderr; JSON and table never share a stream.
. "${srcdir:-.}/test/report/lib.sh"
need_foreign # sh -c, true
fail=0
no() { echo "FAIL: $*"; fail=1; }

# JSON alone on stdout (the program writes nothing there), table on stderr.
"$syslet" run --report - -- "$workload" pipe 2 3 >"$tmp/out" 2>"$tmp/err" ||
	no "--report -: status $?"
check "$tmp/out" 'assert procs[0]["syscalls"]["read"]["calls"] == 5' || fail=1
grep -q '^% block' "$tmp/err" || no "--report -: no table on stderr"
grep -q '% block' "$tmp/out" && no "--report -: the table on stdout"

# The program's own stdout first, the report after it, whole.
"$syslet" run --report - --report-table /dev/null -- sh -c 'echo first; echo second' \
	>"$tmp/out" 2>"$tmp/err" || no "program output: status $?"
[ "$(head -n 2 "$tmp/out")" = "first
second" ] || no "the program's output is not first"
tail -n +3 "$tmp/out" >"$tmp/json"
check "$tmp/json" 'assert r["schema"] == "syslet-report/2"' || fail=1
[ -s "$tmp/err" ] && { no "--report-table /dev/null: stderr not empty"; cat "$tmp/err"; }

# The table to /dev/stdout, the program's stderr left alone on stderr.
"$syslet" run --report "$tmp/r.json" --report-table /dev/stdout -- \
	sh -c 'echo oops >&2' >"$tmp/out" 2>"$tmp/err" || no "table to /dev/stdout: status $?"
grep -q '^% block' "$tmp/out" || no "no table on stdout"
[ "$(cat "$tmp/err")" = oops ] || { no "stderr is not the program's alone:"; cat "$tmp/err"; }
check "$tmp/r.json" 'assert len(procs) == 1' || fail=1

# The table to a named file.
"$syslet" run --report /dev/null --report-table "$tmp/table" -- true \
	>"$tmp/out" 2>"$tmp/err" || no "table to a file: status $?"
grep -q '^% block' "$tmp/table" || no "no table in the named file"
[ -s "$tmp/out" ] || [ -s "$tmp/err" ] && no "table to a file: output elsewhere"

# Both on one stream: refused before running, in one line.
for args in "--report /dev/stderr" "--report - --report-table -" \
	"--report /dev/stdout --report-table /dev/stdout"; do
	# shellcheck disable=SC2086 # the words of a command line
	"$syslet" run $args -- sh -c 'echo ran' >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] && [ ! -s "$tmp/out" ] ||
		{ no "$args: status $rc"; cat "$tmp/out" "$tmp/err"; }
done

# syslet report --merge - writes the merged report to stdout.
"$syslet" run --report "$tmp/a.json" -- true 2>/dev/null
"$syslet" report --merge - "$tmp/a.json" "$tmp/r.json" >"$tmp/out" ||
	no "report --merge -: status $?"
check "$tmp/out" 'assert len(procs) == 2' || fail=1

[ $fail = 0 ] && echo PASS
exit $fail
