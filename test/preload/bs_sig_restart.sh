#!/bin/sh
# A signal with SA_RESTART during a trapped read (sig_restart.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed 1 sig_restart
