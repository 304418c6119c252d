#!/bin/sh
# Re-exec of itself from a thread with a read in flight (exec_self.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 4 exec_self
