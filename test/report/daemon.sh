#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A descendant still running when the program exits (a daemon): the report
# has what it counted so far, and it runs on unharmed, silently, once the
# report's directory is gone.
. "${srcdir:-.}/test/report/lib.sh"

"$syslet" run --report "$tmp/r.json" -- "$workload" daemon 6 \
	>"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; echo "FAIL: status"; exit 1; }
cat "$tmp/out"
daemon=$(sed -n 's/^daemon //p' "$tmp/out")
[ -n "$daemon" ] || { echo "FAIL: no daemon pid"; exit 1; }
alive=0
kill -0 "$daemon" 2>/dev/null && alive=1
kill "$daemon" 2>/dev/null
[ $alive = 1 ] || { echo "FAIL: the daemon did not outlive the program"; exit 1; }
check "$tmp/r.json" "
d = [p for p in procs if p['pid'] == $daemon]
assert len(procs) == 2 and len(d) == 1, procs
rd = d[0]['syscalls']['read']
assert rd['calls'] == 6 and rd['routes']['inline'] == 6 and rd['bytes'] == 48, rd
"
echo "PASS"
