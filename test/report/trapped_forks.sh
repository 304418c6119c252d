#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Caught calls of forked children run on each child's own listener and
# helpers, and are counted in its report (issue 15): 4 children, each
# making 10,000 raw pread64()s and 100 raw reads of a pipe that a thread
# feeds slowly, under a policy that traps both.  A child's call that
# another process's listener receives is passed on to the child's, so
# each child's entry counts them all as trapped (at least 99%), and
# never more than it made.
. "${srcdir:-.}/test/report/lib.sh"

printf 'set backstop on\npread64 trap\nread trap\n' >"$tmp/bs.policy"
"$syslet" run --policy "$tmp/bs.policy" --report "$tmp/r.json" -- \
	"$workload" forks 4 10000 100 >"$tmp/out" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: status"; exit 1; }
cat "$tmp/err"
if grep -q '^syslet: .*\(seccomp\|backstop\)' "$tmp/err"; then
	echo "SKIP: the backstop is not available here"
	exit 77
fi
grep -q "^syslet:" "$tmp/err" && { echo "FAIL: a line from syslet on stderr"; exit 1; }
kids=$(sed -n 's/^child //p' "$tmp/out" | tr '\n' ',')
check "$tmp/r.json" "
kids = [$kids]
assert len(kids) == 4, kids
byp = {p['pid']: p for p in procs}
for k in kids:
    p = byp[k]
    pr, rd = one(p, 'pread64'), one(p, 'read')
    print('child %d: pread64 %d calls, %d trapped; read %d calls, %d trapped'
          % (k, pr['calls'], pr['routes'].get('trapped', 0),
             rd['calls'], rd['routes'].get('trapped', 0)))
    assert pr['calls'] <= 10000 and rd['calls'] <= 100, (pr, rd)
    assert pr['routes']['trapped'] >= 9900, pr
    assert rd['routes']['trapped'] >= 99, rd
"
echo "PASS"
