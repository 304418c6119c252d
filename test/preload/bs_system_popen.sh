#!/bin/sh
# system() and popen() under the backstop (system_popen.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --foreign --routed-min 1 --routed 3 system_popen
