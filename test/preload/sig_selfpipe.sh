#!/bin/sh
# The self-pipe trick: a handler writing to the pipe being read (sig_selfpipe.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 2 sig_selfpipe
