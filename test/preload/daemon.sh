#!/bin/sh
# Double-fork daemon doing routed I/O after its parent exits (daemon.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 4 daemon
