#!/bin/sh
# fork() with a read in flight; the child's own helper (fork_io.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 2 fork_io
