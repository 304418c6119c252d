#!/bin/sh
# The same with the file's calls caught by the filter (sig_nointr.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" sig_nointr
