#!/bin/sh
# system(), popen() "r" and "w": routed pipe reads and writes (system_popen.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --foreign --routed 3 system_popen
