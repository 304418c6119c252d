#!/bin/sh
# Return values and errno of read/write & co (rw_errno.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 1 rw_errno
