#!/bin/sh
# EINTR without SA_RESTART; the signal/data race (sig_eintr.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 1 sig_eintr
