#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# fork + exec: one entry per process, with the right pids and parent, the
# child's counts in the child's entry, its images listed.
. "${srcdir:-.}/test/report/lib.sh"

"$syslet" run --report "$tmp/r.json" -- "$workload" tree 2 3 \
	>"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err"; echo "FAIL: status"; exit 1; }
cat "$tmp/out"
child=$(sed -n 's/^child //p' "$tmp/out")
check "$tmp/r.json" "
child = $child
assert len(procs) == 2, [(p['pid'], p['images']) for p in procs]
parent = [p for p in procs if p['pid'] != child]
kid = [p for p in procs if p['pid'] == child]
assert len(parent) == 1 and len(kid) == 1, procs
parent, kid = parent[0], kid[0]
assert kid['ppid'] == parent['pid'], (kid['ppid'], parent['pid'])
assert kid['images'] == [parent['command'], kid['command']], kid['images']
rd = kid['syscalls']['read']
assert rd['calls'] == 5 and rd['routes']['helper'] == 2 and rd['routes']['inline'] == 3, rd
assert 'read' not in parent['syscalls'], parent['syscalls']
assert parent['syscalls']['wait4']['calls'] == 1, parent['syscalls']
"
echo "PASS"
