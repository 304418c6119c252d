#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# scripts/common.sh's syslet_progress, which scripts/demo and scripts/test
# wrap their long steps in (make, make check, distcheck, the trials): a
# newcomer saw minutes of silence at "== make in ...".  While the command
# runs, a line every SYSLET_PROGRESS_SECS seconds says how long and what
# the log last said; the command's output goes to the log, its status is
# returned, and nothing of it is left running.  No timing decides the
# result: the command itself waits (up to 120 s) until a progress line
# has been printed, then exits.
set -u
src=$(cd "${srcdir:-.}" && pwd)
command -v bash >/dev/null || { echo "SKIP: no bash"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/progress-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

TOP=$src TMPD=$tmp bash <<'BASH'
. "$TOP/scripts/common.sh" || { echo "FAIL: cannot source common.sh"; exit 1; }
fail=0
export TMPD
SYSLET_PROGRESS_SECS=1 syslet_progress "make demo" "$TMPD/log" bash -c '
	echo "CC src/first.o"
	echo "CC src/second.o"
	for i in $(seq 1200); do
		grep -q "make demo: [0-9]* s" "$TMPD/err" 2>/dev/null && exit 3
		sleep 0.1
	done
	exit 4' 2>"$TMPD/err"
rc=$?
[ $rc = 3 ] || { echo "FAIL: status $rc, want the command's 3 (4: no progress line in 120 s)"; fail=1; }
grep -q '^   \.\.\. make demo: [0-9]* s, at: CC src/second\.o$' "$TMPD/err" ||
	{ echo "FAIL: no progress line with the log's last line:"; cat "$TMPD/err"; fail=1; }
[ "$(head -n 1 "$TMPD/log")" = "CC src/first.o" ] || { echo "FAIL: the output is not in the log"; fail=1; }
# A quick command: no line at all, its status passed on, nothing left.
SYSLET_PROGRESS_SECS=30 syslet_progress quick "$TMPD/log2" true 2>"$TMPD/err2" ||
	{ echo "FAIL: true failed"; fail=1; }
[ -s "$TMPD/err2" ] && { echo "FAIL: progress for a quick command"; fail=1; }
syslet_progress quick "$TMPD/log2" false 2>/dev/null && { echo "FAIL: false succeeded"; fail=1; }
[ -z "$(jobs -p)" ] || { echo "FAIL: left running: $(jobs -p)"; fail=1; }
[ $fail = 0 ] && echo PASS
exit $fail
BASH
