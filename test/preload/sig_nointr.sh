#!/bin/sh
# A handler without SA_RESTART never interrupts a file's calls (sig_nointr.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" sig_nointr
