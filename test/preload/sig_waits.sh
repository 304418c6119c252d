#!/bin/sh
# Waits a signal ends still end, restarted ones restart (sig_waits.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed-min 0 --routed 0 sig_waits
