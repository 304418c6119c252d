#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The report file is never written through a symbolic link (the launcher
# refuses before running anything), nor over another kind of file; an
# existing regular file is replaced; the file is not world-writable; the
# shim's directory is gone afterwards.
. "${srcdir:-.}/test/report/lib.sh"

echo precious >"$tmp/target"
ln -s "$tmp/target" "$tmp/link"
TMPDIR=$tmp "$syslet" run --report "$tmp/link" -- "$workload" pipe 0 1 2>"$tmp/err"
rc=$?
cat "$tmp/err"
[ $rc = 2 ] || { echo "FAIL: symlink: status $rc, expected 2"; exit 1; }
grep -q 'symbolic link' "$tmp/err" || { echo "FAIL: no clear error"; exit 1; }
[ "$(cat "$tmp/target")" = precious ] || { echo "FAIL: written through the link"; exit 1; }
[ -L "$tmp/link" ] || { echo "FAIL: link replaced"; exit 1; }

# A report into a directory that is not there: refused before the
# program runs, not lost after it (found by test/cli/one_line.sh).
"$syslet" run --report "$tmp/none/r.json" -- sh -c "echo ran >$tmp/ran" 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ ! -e "$tmp/ran" ] && grep -q 'not running' "$tmp/err" ||
	{ echo "FAIL: missing directory: status $rc"; cat "$tmp/err"; exit 1; }

mkfifo "$tmp/fifo"
"$syslet" run --report "$tmp/fifo" -- "$workload" pipe 0 1 2>/dev/null &&
	{ echo "FAIL: wrote to a fifo"; exit 1; }

echo old >"$tmp/r.json"
TMPDIR=$tmp "$syslet" run --report "$tmp/r.json" -- "$workload" pipe 0 1 2>/dev/null ||
	{ echo "FAIL: existing file"; exit 1; }
check "$tmp/r.json" 'assert procs[0]["syscalls"]["read"]["calls"] == 1'
perm=$(stat -c %a "$tmp/r.json")
case $perm in
*[2367]) echo "FAIL: world-writable ($perm)"; exit 1 ;;
esac
ls -d "$tmp"/syslet-report.* 2>/dev/null && { echo "FAIL: directory left"; exit 1; }
echo "PASS"
