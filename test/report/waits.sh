#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Pure waits under the built-in policy stay on the calling thread: a
# poll() of an empty pipe and the nanosleep() of sleep(1) are counted as
# routed inline, none on a helper (doc/design.md, "What a trial costs").
# With 'set helpers.waits on' the same calls go to helpers, and the
# results are the same.  Routes only: how long they blocked is the
# machine's business.
. "${srcdir:-.}/test/report/lib.sh"
need_foreign # sh, python3, sleep

prog='import os, select
r, w = os.pipe()
p = select.poll()
p.register(r, select.POLLIN)
print(p.poll(20))'
printf 'set helpers.waits on\n' >"$tmp/waits.policy"
for how in caller helper; do
	pol=
	[ $how = helper ] && pol="--policy $tmp/waits.policy"
	# shellcheck disable=SC2086 # pol is empty or two words
	"$syslet" run $pol --report "$tmp/$how.json" -- sh -c \
		"python3 -c '$prog' && sleep 0.01" >"$tmp/$how.out" 2>"$tmp/err" ||
		{ cat "$tmp/err"; echo "FAIL: $how run"; exit 1; }
	[ "$(cat "$tmp/$how.out")" = "[]" ] ||
		{ echo "FAIL: $how run printed $(cat "$tmp/$how.out")"; exit 1; }
	check "$tmp/$how.json" "
helper = '$how' == 'helper'
def tot(name):
    t = {'calls': 0, 'inline': 0, 'helper': 0}
    for p in procs:
        e = one(p, name)
        t['calls'] += e['calls']
        for k in ('inline', 'helper'):
            t[k] += e['routes'].get(k, 0)
    return t
for name in ('poll', 'nanosleep'):
    t = tot(name)
    assert t['calls'] >= 1, (name, t)
    assert t['helper' if helper else 'inline'] == t['calls'], (name, t)
"
done
echo "PASS: waits inline by default, on helpers with helpers.waits on"
