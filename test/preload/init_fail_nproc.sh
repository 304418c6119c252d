#!/bin/sh
# No helper thread can start (RLIMIT_NPROC 0): native, one warning.
# LeakSanitizer needs a thread of its own at exit: off in a sanitizer build.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --init-fail \
	init_fail nproc
