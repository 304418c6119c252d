#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# trapped_forks.sh in the shapes of a real process tree (issue 15): the
# forking program under sh -c, exec'ed, in a double-fork daemon, in a
# posix_spawn() child, four fork+exec levels deep.  In each, every child
# that made the calls counts at least 99% of them as trapped, and never
# more than it made; stdout and the status are as natively.
. "${srcdir:-.}/test/report/lib.sh"
need_foreign

printf 'set backstop on\npread64 trap\nread trap\n' >"$tmp/bs.policy"
w=$workload
N=2000 M=20
fail=0
# shape NAME COMMAND: COMMAND (sh -c) natively, then under the backstop.
shape() {
	name=$1 cmd=$2
	rm -f "$tmp/flag"
	(cd "$tmp" && W=$w N=$N M=$M sh -c "$cmd") >"$tmp/native" 2>&1
	echo "status $?" >>"$tmp/native"
	rm -f "$tmp/flag"
	(cd "$tmp" && W=$w N=$N M=$M "$syslet" run --policy "$tmp/bs.policy" \
		--report "$tmp/r.json" --report-table "$tmp/table" -- \
		sh -c "$cmd") >"$tmp/shim" 2>"$tmp/err"
	echo "status $?" >>"$tmp/shim"
	if grep -q '^syslet:' "$tmp/err"; then
		echo "FAIL $name: stderr"
		cat "$tmp/err"
		fail=1
		return
	fi
	# The children's pids differ from run to run.
	sed 's/^child [0-9]*$/child/' "$tmp/native" >"$tmp/native.s"
	sed 's/^child [0-9]*$/child/' "$tmp/shim" >"$tmp/shim.s"
	if ! cmp -s "$tmp/native.s" "$tmp/shim.s"; then
		echo "FAIL $name: output differs"
		diff -u "$tmp/native.s" "$tmp/shim.s" | head -20
		fail=1
		return
	fi
	kids=$(sed -n 's/^child //p' "$tmp/shim" | tr '\n' ',')
	python3 - "$tmp/r.json" "$name" "$kids" "$N" "$M" <<'PY' || fail=1
import json, sys
procs = json.load(open(sys.argv[1]))["processes"]
name, n, m = sys.argv[2], int(sys.argv[4]), int(sys.argv[5])
kids = [int(k) for k in sys.argv[3].split(",") if k]
byp = {p["pid"]: p for p in procs}
ok = len(kids) > 0 and all(k in byp for k in kids)
for k in kids:
    c = byp.get(k, {"syscalls": {}})["syscalls"]
    pr = c.get("pread64", {"calls": 0, "routes": {"trapped": 0}})
    rd = c.get("read", {"calls": 0, "routes": {"trapped": 0}})
    print("%s: child %d: pread64 %d calls, %d trapped; read %d calls, %d trapped"
          % (name, k, pr["calls"], pr["routes"]["trapped"], rd["calls"],
             rd["routes"]["trapped"]))
    ok = ok and pr["calls"] <= n and rd["calls"] <= m
    ok = ok and pr["routes"]["trapped"] * 100 >= n * 99
    ok = ok and rd["routes"]["trapped"] * 100 >= m * 99
print(("PASS " if ok else "FAIL ") + name + " (%d processes)" % len(procs))
sys.exit(0 if ok else 1)
PY
}

shape "sh -c" '"$W" forks 1 $N $M; echo done'
shape "exec" 'exec "$W" forks 2 $N $M'
shape "double fork" \
	'("$W" forks 1 $N $M >out; echo >flag) & while [ ! -f flag ]; do sleep 0.05; done; cat out'
shape "posix_spawn" '"$W" spawn forks 1 $N $M'
shape "four levels deep" '"$W" deep 3 forks 1 $N $M'
exit $fail
