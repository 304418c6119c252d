#!/bin/sh
# close_range, closefrom, /proc/self/fd loop, dup2 over 0-2 (close_fds.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 7 close_fds
