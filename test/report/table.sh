#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The strace -c style table: on stderr (or --report-table FILE), rows
# sorted by time blocked, a total that adds up.
. "${srcdir:-.}/test/report/lib.sh"

"$syslet" run --report "$tmp/r.json" -- "$workload" tree 2 3 \
	>/dev/null 2>"$tmp/err" || { cat "$tmp/err"; echo "FAIL: status"; exit 1; }
cat "$tmp/err"
"$syslet" run --report "$tmp/r2.json" --report-table "$tmp/table" -- \
	"$workload" tree 1 1 >/dev/null 2>"$tmp/err2" || { echo "FAIL: status"; exit 1; }
[ -s "$tmp/err2" ] && { echo "FAIL: table on stderr with --report-table"; cat "$tmp/err2"; exit 1; }
for t in "$tmp/err" "$tmp/table"; do
	python3 - "$t" <<'PY' || { echo "FAIL: table $t"; exit 1; }
import sys
lines = open(sys.argv[1]).read().splitlines()
head = lines.index(next(l for l in lines if l.startswith("% block")))
assert lines[head].split()[-8:] == ["seconds", "calls", "would-block", "inline", "helper", "native", "trapped", "syscall"], lines[head]
rows, total = [], None
for l in lines[head + 2:]:
    if l.startswith("-"):
        continue
    f = l.split()
    if len(f) != 9:
        continue
    if f[8] == "total":
        total = f
        break
    rows.append(f)
names = [f[8] for f in rows]
assert "read" in names and "wait4" in names, names
secs = [float(f[1]) for f in rows]
assert secs == sorted(secs, reverse=True), secs
for i in range(2, 8):
    assert total and int(total[i]) == sum(int(f[i]) for f in rows), (i, total)
for f in rows:
    assert int(f[2]) == int(f[4]) + int(f[5]) + int(f[6]) + int(f[7]), f
PY
done
echo "PASS"
