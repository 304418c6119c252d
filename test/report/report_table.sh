#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet report A B: the table of both files, every process merged, each
# row and the total exactly the sums of the JSON; --sort, --top and
# --per-process.
. "${srcdir:-.}/test/report/lib.sh"

make_reports
"$syslet" report "$tmp/a.json" "$tmp/b.json" >"$tmp/t" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: status $?"; exit 1; }
cat "$tmp/t"
[ -s "$tmp/err" ] && { echo "FAIL: stderr"; cat "$tmp/err"; exit 1; }
for o in "" calls would-block name; do
	"$syslet" report ${o:+--sort $o} "$tmp/a.json" "$tmp/b.json" >"$tmp/t-$o" ||
		{ echo "FAIL: --sort $o"; exit 1; }
done
"$syslet" report --top 1 "$tmp/a.json" "$tmp/b.json" >"$tmp/top" || { echo "FAIL: --top"; exit 1; }
"$syslet" report --per-process "$tmp/a.json" "$tmp/b.json" >"$tmp/pp" || { echo "FAIL: --per-process"; exit 1; }
cat "$tmp/pp"
python3 - "$tmp" <<PY || { echo "FAIL: table"; exit 1; }
import json, sys
tmp = sys.argv[1]
$TABLE_PY
procs = [p for f in ("a", "b") for p in json.load(open("%s/%s.json" % (tmp, f)))["processes"]]
s = sums(procs)
rows = sorted((expect_row(n, t) for n, t in s.items()),
              key=lambda r: (-float(r[1]), -r[2], r[0]))
total = [sum(t[i] for t in s.values()) for i in range(7)]
t = tables(tmp + "/t")
assert len(t) == 1, t
assert t[0] == rows + [expect_row("total", total)], (t[0], rows)
assert open(tmp + "/t").read().splitlines()[-1] == "(3 processes, 2 files)"
assert tables(tmp + "/t-") == t
keys = {"calls": lambda r: (-r[2], -float(r[1]), r[0]),
        "would-block": lambda r: (-r[3], -float(r[1]), r[0]),
        "name": lambda r: r[0]}
for k, f in keys.items():
    assert tables(tmp + "/t-" + k)[0] == sorted(rows, key=f) + [t[0][-1]], k
# --top 1: one row, the total still of all.
assert tables(tmp + "/top")[0] == [rows[0], t[0][-1]], tables(tmp + "/top")
assert "(1 more system call in the total)" in open(tmp + "/top").read()
# --per-process: a heading and a table each, in file order.
pp = open(tmp + "/pp").read()
heads = [l for l in pp.splitlines() if l.startswith("pid ")]
assert heads == ["pid %d: %s" % (p["pid"], p["images"][-1]) for p in procs], heads
pt = tables(tmp + "/pp")
assert len(pt) == len(procs)
for p, tab in zip(procs, pt):
    one = sums([p])
    exp = sorted((expect_row(n, v) for n, v in one.items()), key=lambda r: (-float(r[1]), -r[2], r[0]))
    assert tab[:-1] == exp, (tab, exp)
PY
echo "PASS"
