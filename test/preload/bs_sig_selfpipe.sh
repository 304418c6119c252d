#!/bin/sh
# The self-pipe trick during a trapped read (sig_selfpipe.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed 2 sig_selfpipe
