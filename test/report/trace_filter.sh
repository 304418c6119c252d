#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# strace's filter (issue 16): 'syslet run -e trace=NAME,...' interposes
# and reports only the calls named, the others running as without the
# shim; 'syslet report -e' narrows every table and total to them.  Bad
# expressions are one line and status 2, before anything runs.
. "${srcdir:-.}/test/report/lib.sh"
fail=0
no() { echo "FAIL: $*"; fail=1; }
# A helper, once started, stays (helpers.min): its presence afterwards
# says a blocking read went to one, whatever the timing.  How many there
# are is timing: the second read may come before the first read's helper
# is idle again, and then starts another.
printf 'set helpers.min 1\n' >"$tmp/keep.policy"

# trace=read: the reads are interposed (2 blocked on a helper) and counted.
WORKLOAD_HELPERS=1 "$syslet" run -p "$tmp/keep.policy" -e trace=read \
	-o "$tmp/r.json" -- "$workload" pipe 2 3 >"$tmp/out" 2>/dev/null ||
	no "trace=read: status $?"
grep -q '^helpers [1-9][0-9]*$' "$tmp/out" || no "trace=read: $(cat "$tmp/out"), want helpers 1 or more"
check "$tmp/r.json" '
rd = procs[0]["syscalls"]["read"]
assert rd["calls"] == 5 and rd["routes"]["helper"] == 2, rd' || fail=1

# trace=openat (and '!read'): the reads are not interposed, nor counted.
for e in trace=openat '!read' trace=none; do
	WORKLOAD_HELPERS=1 "$syslet" run -p "$tmp/keep.policy" -e "$e" \
		-o "$tmp/n.json" -- "$workload" pipe 2 3 >"$tmp/out" 2>/dev/null ||
		no "$e: status $?"
	grep -q '^helpers 0$' "$tmp/out" || no "-e $e: $(cat "$tmp/out"), want helpers 0"
	check "$tmp/n.json" 'assert "read" not in procs[0]["syscalls"], procs[0]["syscalls"]' || fail=1
done

# Repeated -e add up, as in strace.
"$syslet" run -e trace=openat -e trace=read -o "$tmp/two.json" -- \
	"$workload" pipe 1 1 >/dev/null 2>&1 || no "two -e: status $?"
check "$tmp/two.json" 'assert procs[0]["syscalls"]["read"]["calls"] == 2' || fail=1

# syslet report -e: only the calls named, in rows and total; both forms.
"$syslet" run -o "$tmp/all.json" -- "$workload" tree 1 2 >/dev/null 2>&1
for e in trace=wait4 wait4; do
	"$syslet" report -e "$e" "$tmp/all.json" >"$tmp/t" || no "report -e $e: status $?"
	rows=$(sed -n '3,/^---/p' "$tmp/t" | grep -v '^---' | awk '{print $NF}' | tr '\n' ' ')
	[ "$rows" = "wait4 " ] || { no "report -e $e: rows '$rows'"; cat "$tmp/t"; }
	grep -q ' 1 .* total$' "$tmp/t" || { no "report -e $e: total not of wait4 alone"; cat "$tmp/t"; }
done
"$syslet" report -e '!wait4' -f csv "$tmp/all.json" >"$tmp/c" || no "report -e !wait4"
grep -q '^wait4,' "$tmp/c" && no "report -e !wait4 shows wait4"
grep -q '^read,' "$tmp/c" || no "report -e !wait4 lost read"

# Bad expressions: one line, status 2, the program not run.
for e in trace=bogus signal=all trace=%file 'trace=read,' trace= '/re.*'; do
	for cmd in run report; do
		if [ $cmd = run ]; then
			"$syslet" run -e "$e" -- sh -c 'echo ran' >"$tmp/out" 2>"$tmp/err"
		else
			"$syslet" report -e "$e" "$tmp/all.json" >"$tmp/out" 2>"$tmp/err"
		fi
		rc=$?
		[ $rc = 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" = 1 ] ||
			{ no "$cmd -e '$e': status $rc"; cat "$tmp/out" "$tmp/err"; }
	done
done

[ $fail = 0 ] && echo PASS
exit $fail
