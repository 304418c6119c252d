#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Calls the seccomp backstop traps, in reports: raw syscall(SYS_read)s and
# fread()s (reads inside the C library), which the shim's wrappers never
# see, run under a policy that traps read.  Each is counted once, as
# "trapped", in the JSON, in the table of 'syslet run' and of 'syslet
# report', and through --merge; 'syslet policy suggest' keeps read trapped
# with the backstop on, its figures beside it, the policy checks clean,
# and a run under it traps the reads again.
. "${srcdir:-.}/test/report/lib.sh"

printf 'set backstop on\nread trap\n' >"$tmp/bs.policy"
# --block-us: none of these reads waits, and a busy machine must not
# stall one past the threshold (the "would block" columns are asserted).
"$syslet" run --policy "$tmp/bs.policy" --report "$tmp/r.json" \
	--block-us 1000000 --report-table "$tmp/table" -- "$workload" raw 30 10 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: status"; exit 1; }
cat "$tmp/err"
# A kernel without what the backstop needs (5.19+) says so, once.
if grep -q '^syslet: .*\(seccomp\|backstop\)' "$tmp/err"; then
	echo "SKIP: the backstop is not available here"
	exit 77
fi
check "$tmp/r.json" '
assert len(procs) == 1, procs
rd = procs[0]["syscalls"]["read"]
assert rd["routes"] == {"inline": 0, "helper": 0, "native": 0, "trapped": 40}, rd["routes"]
assert rd["calls"] == 40 and rd["bytes"] == 320, rd
assert sum(rd["hist_log2_ns"]) == 40, rd["hist_log2_ns"]
'

# The table, as 'syslet run' printed it and as 'syslet report' reads the
# file back; and a merge with a report without the backstop.
"$syslet" report "$tmp/r.json" >"$tmp/back" || { echo "FAIL: syslet report"; exit 1; }
"$syslet" run --report "$tmp/plain.json" --block-us 1000000 --report-table "$tmp/plain-table" -- \
	"$workload" pipe 0 5 2>/dev/null || { echo "FAIL: plain run"; exit 1; }
"$syslet" report --merge "$tmp/m.json" "$tmp/r.json" "$tmp/plain.json" ||
	{ echo "FAIL: merge"; exit 1; }
"$syslet" report "$tmp/m.json" >"$tmp/merged" || { echo "FAIL: reading the merge"; exit 1; }
cat "$tmp/table" "$tmp/merged"
python3 - "$tmp" <<PY || { echo "FAIL: tables"; exit 1; }
import json, sys
tmp = sys.argv[1]
$TABLE_PY
procs = json.load(open(tmp + "/r.json"))["processes"]
run, back = tables(tmp + "/table"), tables(tmp + "/back")
assert len(run) == 1 and run == back, (run, back)
rows = {r[0]: r for r in run[0]}
s = sums(procs)
for n, t in s.items():
    assert rows[n] == expect_row(n, t), (rows[n], t)
# name, seconds, calls, would-block, inline, helper, native, trapped
assert rows["read"][2:] == (40, 0, 0, 0, 0, 40), rows["read"]
assert rows["total"][7] == 40, rows["total"]
m = json.load(open(tmp + "/m.json"))["processes"]
assert [p["syscalls"]["read"]["routes"]["trapped"] for p in m] == [40, 0], m
rd = {r[0]: r for r in tables(tmp + "/merged")[0]}["read"]
assert rd[2:] == (45, 0, 5, 0, 0, 40), rd
PY

# The suggested policy: read trapped, the backstop on, the figures given;
# however few the calls, what the backstop caught stays trapped.
suggest() { # suggest ARGS...: into $tmp/p, which must check clean
	"$syslet" policy suggest "$@" >"$tmp/p" || { echo "FAIL: suggest $*"; exit 1; }
	"$syslet" policy check "$tmp/p" >/dev/null ||
		{ echo "FAIL: the suggested policy does not check:"; cat "$tmp/p"; exit 1; }
}
for min in 20 1000; do
	suggest --min-calls $min "$tmp/r.json"
	grep -q '^set backstop  *on$' "$tmp/p" &&
		grep -q '^read  *trap  *# 40 calls, 40 trapped by the backstop, 0 would block' "$tmp/p" ||
		{ echo "FAIL: --min-calls $min: read not trapped, or no backstop"; cat "$tmp/p"; exit 1; }
done
cat "$tmp/p"
# Without trapped calls, no trap rule and the backstop stays off.
"$syslet" policy suggest "$tmp/plain.json" >"$tmp/plain.policy" || { echo "FAIL: suggest plain"; exit 1; }
grep -q '^set backstop  *off$' "$tmp/plain.policy" && ! grep -q ' trap ' "$tmp/plain.policy" ||
	{ echo "FAIL: a trap without trapped calls"; cat "$tmp/plain.policy"; exit 1; }

# The suggestion at work: the reads are trapped again.
suggest "$tmp/r.json"
"$syslet" run --policy "$tmp/p" --report "$tmp/again.json" -- \
	"$workload" raw 3 2 2>/dev/null || { echo "FAIL: run with it"; exit 1; }
check "$tmp/again.json" '
rd = procs[0]["syscalls"]["read"]
assert rd["routes"]["trapped"] == rd["calls"] == 5, rd
'
echo "PASS"
