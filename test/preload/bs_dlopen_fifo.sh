#!/bin/sh
# The same under the backstop: no helper made by the listener, which the loader's lock would stop for ever (dlopen_fifo.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" dlopen_fifo
