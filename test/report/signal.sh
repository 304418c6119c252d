#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A process killed by a signal (no destructor runs) still has its counts;
# the launcher dies of the same signal, after writing the report.
. "${srcdir:-.}/test/report/lib.sh"

for sig in 15 9; do
	"$syslet" run --report "$tmp/r$sig.json" -- "$workload" kill $sig 4 2>"$tmp/err"
	rc=$?
	[ $rc = $((128 + sig)) ] || { cat "$tmp/err"; echo "FAIL: signal $sig: status $rc"; exit 1; }
	check "$tmp/r$sig.json" "
assert r['exit'] == {'signal': $sig}, r['exit']
rd = procs[0]['syscalls']['read']
assert rd['calls'] == 4 and rd['routes']['inline'] == 4 and rd['bytes'] == 32, rd
"
done
echo "PASS"
