#!/bin/sh
# exec with a trapped read in flight; the new image borrows the listener (exec_self.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed 4 exec_self
