#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A known workload's counts, exactly: 3 pipe reads that block (helper) and
# 5 that do not (inline), 8 bytes each; the schema and exit recorded.
. "${srcdir:-.}/test/report/lib.sh"

"$syslet" run --report "$tmp/r.json" --block-us 1000000 -- \
	"$workload" pipe 3 5 2>"$tmp/err" || { cat "$tmp/err"; echo "FAIL: status $?"; exit 1; }
cat "$tmp/err"
check "$tmp/r.json" '
assert r["schema"] == "syslet-report/2", r["schema"]
assert r["exit"] == {"code": 0}, r["exit"]
assert len(procs) == 1, procs
p = procs[0]
assert p["command"].endswith("workload"), p["command"]
assert set(p["syscalls"]) == {"read"}, list(p["syscalls"])
rd = p["syscalls"]["read"]
assert rd["calls"] == 8, rd
assert rd["routes"] == {"inline": 5, "helper": 3, "native": 0, "trapped": 0}, rd["routes"]
assert rd["would_block"] == 3, rd
assert rd["bytes"] == 64, rd
assert rd["blocked_ns"] >= 3 * 50000000, rd
assert len(rd["hist_log2_ns"]) == r["hist_buckets"] == 40
assert sum(rd["hist_log2_ns"]) == 8
assert sum(rd["hist_log2_ns"][25:]) == 3, rd["hist_log2_ns"]  # >= 33.5 ms
assert p["block_threshold_ns"] == 1000000000
'
# The same run with every call native: the counts move to "native", and
# only time tells a read that blocked (50 ms) from one that did not.
"$syslet" run --no-route --block-us 25000 --report "$tmp/n.json" -- \
	"$workload" pipe 2 4 2>/dev/null ||
	{ echo "FAIL: --no-route run"; exit 1; }
check "$tmp/n.json" '
rd = procs[0]["syscalls"]["read"]
assert rd["calls"] == 6 and rd["routes"]["native"] == 6, rd
assert rd["would_block"] == 2 and rd["bytes"] == 48, rd
'
echo "PASS"
