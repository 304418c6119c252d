#!/bin/sh
# A double-fork daemon whose parent exits while the grandchild works (daemon.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed-min 0 --routed 4 daemon
