# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
# Shared by the report tests: 'syslet run --report' on test/report/workload
# (whose calls are known exactly), and python3 to look at the JSON.
# Sourced; sets what test/lib.sh sets, $workload, $tmp (removed on exit)
# and check(), which runs a python3 snippet with the report parsed as r.
. "${srcdir:-.}/test/lib.sh"
tl_prog
workload=$prog
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
tl_tmp syslet-report-test

# check FILE 'python statements using r (the report) and procs': exits 1
# with the failed assertion shown.
check() {
	python3 - "$1" "$2" <<'PY' || { echo "FAIL: $2"; exit 1; }
import json, sys
r = json.load(open(sys.argv[1]))
procs = r["processes"]
def one(p, name):
    return p["syscalls"].get(name, {"calls": 0, "routes": {}, "would_block": 0, "bytes": 0, "blocked_ns": 0})
exec(sys.argv[2])
PY
}

# make_reports: $tmp/a.json (workload pipe 3 5, one process) and
# $tmp/b.json (workload tree 2 4, two processes), for 'syslet report'.
make_reports() {
	"$syslet" run --report "$tmp/a.json" -- "$workload" pipe 3 5 \
		>/dev/null 2>&1 || { echo "FAIL: run a"; exit 1; }
	"$syslet" run --report "$tmp/b.json" -- "$workload" tree 2 4 \
		>/dev/null 2>&1 || { echo "FAIL: run b"; exit 1; }
}

# make_v1 IN OUT: the report IN as schema 1 wrote it, without sites or
# threads, in OUT (sites.sh, flamegraph*.sh).
make_v1() {
	python3 - "$1" "$2" <<'PY' || { echo "FAIL: making a report of schema 1"; exit 1; }
import json, sys
r = json.load(open(sys.argv[1]))
r["schema"] = "syslet-report/1"
for p in r["processes"]:
    for k in ("sites", "thread_list", "sites_lost"):
        p.pop(k)
json.dump(r, open(sys.argv[2], "w"))
PY
}

# tables(FILE): the strace -c style tables in FILE as python lists of
# (name, seconds, calls, would-block, inline, helper, native, trapped),
# one list per table, the total last; sums(procs): per call name
# [blocked_ns, calls, would_block, inline, helper, native, trapped] over
# the processes of a report; expect_row(name, sums): the row they make.
TABLE_PY='
def tables(path):
    out, cur = [], None
    for l in open(path).read().splitlines():
        f = l.split()
        if l.startswith("% block"):
            assert f[-6:] == ["would-block", "inline", "helper", "native", "trapped", "syscall"], l
            cur = []
            out.append(cur)
        elif cur is not None and len(f) == 9 and not l.startswith("-"):
            cur.append((f[8], f[1]) + tuple(int(x) for x in f[2:8]))
    return out
def sums(procs):
    s = {}
    for p in procs:
        for n, c in p["syscalls"].items():
            t = s.setdefault(n, [0] * 7)
            for i, v in enumerate((c["blocked_ns"], c["calls"], c["would_block"],
                                   c["routes"]["inline"], c["routes"]["helper"],
                                   c["routes"]["native"], c["routes"]["trapped"])):
                t[i] += v
    return s
def expect_row(name, t):
    return (name, "%.6f" % (t[0] / 1e9)) + tuple(t[1:7])
'

# need_foreign: the test runs uninstrumented programs (sort, cat) under the
# shim, which a sanitizer build's shim cannot load into: skip (77) there.
need_foreign() {
	if tl_sanitized; then
		echo "SKIP: runs uninstrumented programs; the shim has sanitizers"
		exit 77
	fi
}
