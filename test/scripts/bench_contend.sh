#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# bench_syslet --contend starts one CPU-bound child per CPU ("CPU hogs");
# none may outlive the benchmark, however it ends: at the end of a run,
# on SIGINT, SIGTERM or SIGHUP (its handler kills and reaps them), and on
# SIGKILL (the kernel kills them: PR_SET_PDEATHSIG).  Nothing here times
# anything: the signals are sent once the benchmark has said which hogs it
# started, while it is in a section of one run of 60 s per row.  About 5 s.
set -u
bench=${BENCH_SYSLET:-./test/bench/bench_syslet}
[ -x "$bench" ] || { echo "SKIP: $bench not built (make test/bench/bench_syslet; needs liburing)"; exit 77; }
if ! env --default-signal true 2>/dev/null; then
	echo "SKIP: env --default-signal (coreutils 8.31) missing"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bench-contend-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# hogs OUT: the hog pids the benchmark printed ("contend: ... pids N M"),
# waiting up to 60 s for the line.
hogs() {
	i=0
	while [ $i -lt 600 ]; do
		p=$(sed -n 's/.*like the benchmark; pids //p' "$1" 2>/dev/null)
		[ -n "$p" ] && { echo "$p"; return 0; }
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# gone PID...: true when every PID has exited (no process, or a zombie
# left to init), waiting up to 10 s for the kernel to kill them.
gone() {
	i=0
	while [ $i -lt 100 ]; do
		left=
		for p in "$@"; do
			s=$(ps -o stat= -p "$p" 2>/dev/null) || continue
			case $s in Z*) ;; *) left="$left $p" ;; esac
		done
		[ -z "$left" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	echo "still running:$left"
	return 1
}

# A whole run, short: its hogs are reaped by the time it exits.
"$bench" --contend --only 2 --files 20 --runs 3 --tmpdir "$tmp" \
	--summary "$tmp/sum" >"$tmp/out" 2>&1
rc=$?
pids=$(sed -n 's/.*like the benchmark; pids //p' "$tmp/out")
if [ $rc != 0 ] || [ -z "$pids" ]; then
	echo "FAIL: a short --contend run: status $rc"
	cat "$tmp/out"
	fail=1
else
	for p in $pids; do
		ps -o pid=,ppid=,args= -p "$p" | grep bench_syslet &&
			{ echo "FAIL: hog $p outlived a normal exit"; fail=1; }
	done
	if ! grep -q '^pass	contended$' "$tmp/sum" ||
		! grep -q '^hogs	[1-9]' "$tmp/sum"; then
		echo "FAIL: summary:"
		cat "$tmp/sum"
		fail=1
	fi
	grep -q 'our [0-9]* CPU hogs, not counted above' "$tmp/out" ||
		{ echo "FAIL: no line for the hogs under the section's table"; fail=1; }
fi

# ended PID: true once PID has exited, within 30 s; else kills it.
ended() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 300 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -0 "$1" 2>/dev/null || return 0
	kill -KILL "$1"
	return 1
}

# A signal in the middle of a run (section 1, 60 s per row).  A
# background job starts with SIGINT ignored, and one under nohup with
# SIGHUP ignored, which the benchmark keeps: env gives every signal back
# its default.
for sig in INT TERM HUP KILL; do
	env --default-signal "$bench" --contend --only 1 --ms 60000 \
		--tmpdir "$tmp" >"$tmp/out.$sig" 2>&1 &
	pid=$!
	if ! pids=$(hogs "$tmp/out.$sig"); then
		echo "FAIL: $sig: no hogs reported in 60 s"
		kill -KILL $pid
		wait $pid
		fail=1
		continue
	fi
	kill -s $sig $pid
	ended $pid || { echo "FAIL: $sig: the benchmark still ran 30 s later"; fail=1; }
	wait $pid
	rc=$?
	case $sig in INT) want=130 ;; TERM) want=143 ;; HUP) want=129 ;; KILL) want=137 ;; esac
	[ "$rc" = "$want" ] || { echo "FAIL: $sig: status $rc, want $want"; fail=1; }
	# shellcheck disable=SC2086 # one argument per pid
	gone $pids || { echo "FAIL: $sig: hogs left running"; fail=1; }
done

[ $fail = 0 ] && echo "PASS: no CPU hog outlives bench_syslet --contend"
exit $fail
