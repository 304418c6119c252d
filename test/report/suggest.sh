#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet policy suggest: a call that always blocked long goes to a helper,
# one that never blocked stays inline, one that sometimes did keeps its
# try; too few calls keep the built-in route; the output passes
# 'syslet policy check' and routes a run as it says.
. "${srcdir:-.}/test/report/lib.sh"

# A read counts as blocked if it went to a helper, or took longer than
# --block-us: long enough here that a busy machine cannot stall a read
# that found its data past it.
run() { # run NAME BLOCKING NONBLOCKING
	"$syslet" run --report "$tmp/$1.json" --block-us 1000000 -- \
		"$workload" pipe "$2" "$3" \
		2>/dev/null || { echo "FAIL: workload $1"; exit 1; }
}
rule() { # rule POLICY: the read rule's route
	sed -n 's/^read  *\([a-z]*\).*/\1/p' "$1"
}
expect() { # expect WHAT GOT WANT
	[ "$2" = "$3" ] || { echo "FAIL: $1: read $2, expected $3"; cat "$tmp/p"; exit 1; }
}
suggest() { # suggest [ARGS...] REPORT: into $tmp/p, which must check clean
	"$syslet" policy suggest "$@" >"$tmp/p" || { echo "FAIL: suggest $*"; exit 1; }
	"$syslet" policy check "$tmp/p" >/dev/null ||
		{ echo "FAIL: the suggested policy does not check:"; cat "$tmp/p"; exit 1; }
}

run always 25 0
run never 0 25
run some 2 30
suggest "$tmp/always.json"
expect "always blocked" "$(rule "$tmp/p")" helper
grep -q '^read .*# 25 calls, 25 would block (100.0%)' "$tmp/p" ||
	{ echo "FAIL: the rule does not give its figures"; cat "$tmp/p"; exit 1; }
suggest "$tmp/never.json"
expect "never blocked" "$(rule "$tmp/p")" inline
suggest "$tmp/some.json"
expect "sometimes blocked" "$(rule "$tmp/p")" nowait
suggest --min-calls 1000 "$tmp/always.json"
expect "too few calls" "$(rule "$tmp/p")" nowait
# Several reports are summed: 25 + 0 blocking of 50 calls, long: helper.
suggest "$tmp/always.json" "$tmp/never.json"
grep -q '^read .*# 50 calls, 25 would block' "$tmp/p" ||
	{ echo "FAIL: two reports not summed"; cat "$tmp/p"; exit 1; }

# A call that only waits (poll) stays inline however often it blocked: a
# helper cannot shorten its caller's wait.  The report is the blocking
# one with its read entry renamed.
python3 - "$tmp/always.json" "$tmp/poll.json" <<'PY' || exit 99
import json, sys
r = json.load(open(sys.argv[1]))
for p in r["processes"]:
    e = p["syscalls"].pop("read")
    e["nr"] = 7
    p["syscalls"]["poll"] = e
json.dump(r, open(sys.argv[2], "w"))
PY
suggest "$tmp/poll.json"
[ "$(sed -n 's/^poll  *\([a-z]*\).*wait by nature.*/\1/p' "$tmp/p")" = inline ] ||
	{ echo "FAIL: poll that blocked is not inline"; cat "$tmp/p"; exit 1; }

# The suggested policy is the one a run uses: inline reads leave no helper.
suggest "$tmp/never.json"
"$syslet" run --policy "$tmp/p" --report "$tmp/again.json" -- \
	"$workload" pipe 0 10 2>/dev/null || { echo "FAIL: run with it"; exit 1; }
check "$tmp/again.json" '
rd = procs[0]["syscalls"]["read"]
assert rd["routes"]["helper"] == 0 and rd["routes"]["inline"] == 0, rd["routes"]
assert rd["routes"]["native"] == 10, rd["routes"]
'

# Not a report: a clear error and status 2.
echo '{"schema": "nope"}' >"$tmp/bad.json"
"$syslet" policy suggest "$tmp/bad.json" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && grep -q "^syslet policy suggest: $tmp/bad.json: " "$tmp/err" ||
	{ echo "FAIL: bad report: status $rc"; cat "$tmp/err"; exit 1; }
echo "PASS"
