#!/bin/sh
# No helper thread can start once the backstop's threads are up: the
# spawner says so once and hands the queued calls back (spawner.c).
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" \
	--init-fail init_fail nproc
