#!/bin/sh
# fork() then work in the child; a child's call may reach the parent's listener, which lets it run natively (fork_io.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed-min 1 --routed 2 fork_io
