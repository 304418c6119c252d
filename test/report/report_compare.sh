#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet report --compare A B: per system call, calls, would-block and
# seconds blocked of each, the ratio B/A of the time blocked, the largest
# change first, and a total line.
. "${srcdir:-.}/test/report/lib.sh"

make_reports
"$syslet" report --compare "$tmp/a.json" "$tmp/b.json" >"$tmp/c" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: status"; exit 1; }
cat "$tmp/c"
python3 - "$tmp" <<PY || { echo "FAIL: compare"; exit 1; }
import json, sys
tmp = sys.argv[1]
$TABLE_PY
sa = sums(json.load(open(tmp + "/a.json"))["processes"])
sb = sums(json.load(open(tmp + "/b.json"))["processes"])
lines = open(tmp + "/c").read().splitlines()
assert lines[0] == "A: %s/a.json (1 process)" % tmp, lines[0]
assert lines[1] == "B: %s/b.json (2 processes)" % tmp, lines[1]
head = [l.split() for l in lines].index(["calls", "A", "calls", "B", "w-block", "A",
                                         "w-block", "B", "seconds", "A", "seconds", "B", "B/A", "syscall"])
rows = [l.split() for l in lines[head + 1:] if not l.startswith("-")]
zero = [0] * 7
def want(name, a, b):
    ratio = "%.2f" % (b[0] / a[0]) if a[0] else "-"
    return [str(a[1]), str(b[1]), str(a[2]), str(b[2]),
            "%.6f" % (a[0] / 1e9), "%.6f" % (b[0] / 1e9), ratio, name]
names = sorted(set(sa) | set(sb), key=lambda n: (-abs(sa.get(n, zero)[0] - sb.get(n, zero)[0]), n))
exp = [want(n, sa.get(n, zero), sb.get(n, zero)) for n in names]
ta = [sum(t[i] for t in sa.values()) for i in range(7)]
tb = [sum(t[i] for t in sb.values()) for i in range(7)]
exp.append(want("total", ta, tb))
assert rows == exp, (rows, exp)
assert "wait4" in names and "read" in names
PY
# Two files exactly.
"$syslet" report --compare "$tmp/a.json" 2>/dev/null
[ $? = 2 ] || { echo "FAIL: --compare with one file"; exit 1; }
echo "PASS"
