#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet report --format table|csv|json (issue 16) for each table it
# prints: the calls (processes merged), --per-process, --compare.  The
# CSV and JSON carry the text table's rows, in its order, with its --top;
# they parse (python's csv and json), and their numbers are the report's.
. "${srcdir:-.}/test/report/lib.sh"
fail=0
no() { echo "FAIL: $*"; fail=1; }
make_reports

# fmt_check NAME 'python using a (report a.json), b, out (the output)'
fmt_check() {
	python3 - "$tmp/a.json" "$tmp/b.json" "$tmp/out" "$2" <<'PY' || no "$1"
import csv, io, json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
out = open(sys.argv[3]).read()
def calls(r, name):
    return sum(p["syscalls"].get(name, {"calls": 0})["calls"] for p in r["processes"])
exec(sys.argv[4])
PY
}

"$syslet" report -f csv "$tmp/a.json" >"$tmp/out" || no "csv: status $?"
fmt_check "csv of the merged table" '
rows = list(csv.DictReader(io.StringIO(out)))
assert [r["syscall"] for r in rows] == ["read"], rows
assert int(rows[0]["calls"]) == calls(a, "read") == 8, rows
assert int(rows[0]["helper"]) == 3 and int(rows[0]["inline"]) == 5, rows
assert int(rows[0]["blocked_ns"]) == a["processes"][0]["syscalls"]["read"]["blocked_ns"]'

"$syslet" report --format json "$tmp/a.json" "$tmp/b.json" >"$tmp/out" || no "json: status $?"
fmt_check "json of the merged table" '
d = json.loads(out)
assert d["files"] == 2 and d["processes"] == 3, d
names = [s["syscall"] for s in d["syscalls"]]
assert set(names) == {"read", "wait4"}, names
bl = [s["blocked_ns"] for s in d["syscalls"]]
assert bl == sorted(bl, reverse=True), bl   # most blocked first
assert d["total"]["calls"] == calls(a, "read") + calls(b, "read") + calls(b, "wait4")'

"$syslet" report -f json -S name --top 1 "$tmp/b.json" >"$tmp/out" || no "json --top: status $?"
fmt_check "json --sort name --top 1" '
d = json.loads(out)
assert [s["syscall"] for s in d["syscalls"]] == ["read"], d["syscalls"]
assert d["total"]["calls"] == calls(b, "read") + calls(b, "wait4")  # of all'

"$syslet" report --per-process -f csv "$tmp/b.json" >"$tmp/out" || no "per-process csv: status $?"
fmt_check "csv per process" '
rows = list(csv.DictReader(io.StringIO(out)))
pids = {p["pid"] for p in b["processes"]}
assert {int(r["pid"]) for r in rows} == pids, rows
for r in rows:
    p = [q for q in b["processes"] if q["pid"] == int(r["pid"])][0]
    assert int(r["calls"]) == p["syscalls"][r["syscall"]]["calls"], r
    assert r["command"].endswith("workload"), r'

"$syslet" report --per-process -f json "$tmp/b.json" >"$tmp/out" || no "per-process json: status $?"
fmt_check "json per process" '
d = json.loads(out)
assert len(d["processes"]) == 2, d
for p in d["processes"]:
    q = [x for x in b["processes"] if x["pid"] == p["pid"]][0]
    assert {s["syscall"] for s in p["syscalls"]} == set(q["syscalls"]), p'

"$syslet" report --compare -f csv "$tmp/a.json" "$tmp/b.json" >"$tmp/out" || no "compare csv: status $?"
fmt_check "csv of the comparison" '
rows = {r["syscall"]: r for r in csv.DictReader(io.StringIO(out))}
assert set(rows) == {"read", "wait4"}, rows
assert int(rows["read"]["calls_a"]) == calls(a, "read"), rows
assert int(rows["wait4"]["calls_a"]) == 0 and rows["wait4"]["ratio"] == "", rows'

"$syslet" report --compare -f json "$tmp/a.json" "$tmp/b.json" >"$tmp/out" || no "compare json: status $?"
fmt_check "json of the comparison" '
d = json.loads(out)
assert d["a"]["processes"] == 1 and d["b"]["processes"] == 2, d
w = [s for s in d["syscalls"] if s["syscall"] == "wait4"][0]
assert w["ratio"] is None and w["b"]["calls"] == calls(b, "wait4"), w'

# --format table is the default's text, byte for byte.
"$syslet" report "$tmp/b.json" >"$tmp/t1"
"$syslet" report -f table "$tmp/b.json" >"$tmp/t2"
cmp -s "$tmp/t1" "$tmp/t2" || no "--format table differs from the default"

# Usage errors: one line, status 2.
for args in "-f xml" "--format" "-f csv --merge $tmp/m.json" "-f json --png $tmp/p.png"; do
	# shellcheck disable=SC2086 # the words of a command line
	"$syslet" report $args "$tmp/a.json" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 2 ] && [ ! -s "$tmp/out" ] && [ "$(head -n 1 "$tmp/err" | grep -c 'syslet report: ')" = 1 ] ||
		{ no "report $args: status $rc"; cat "$tmp/out" "$tmp/err"; }
done

[ $fail = 0 ] && echo PASS
exit $fail
