#!/bin/sh
# SA_RESTART handlers during a routed read (sig_restart.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 1 sig_restart
