#!/bin/sh
# rw_errno.c with its calls caught by the seccomp backstop.
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed 1 rw_errno
