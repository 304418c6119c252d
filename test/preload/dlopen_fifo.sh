#!/bin/sh
# dlopen() of a FIFO: the loader blocks in openat() holding its TLS lock (dlopen_fifo.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" dlopen_fifo
