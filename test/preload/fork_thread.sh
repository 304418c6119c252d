#!/bin/sh
# fork() from a non-main thread whose child then returns; a child whose main thread leaves first (fork_thread.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" fork_thread
