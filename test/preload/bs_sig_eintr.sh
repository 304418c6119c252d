#!/bin/sh
# A signal without SA_RESTART during a trapped read (sig_eintr.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed 1 sig_eintr
