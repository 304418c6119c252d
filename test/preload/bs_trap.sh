#!/bin/sh
# The backstop: raw and libc-internal calls on helpers, identity, 64 threads (bs_trap.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed 2 bs_trap
