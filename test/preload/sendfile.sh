#!/bin/sh
# sendfile() as natively, on the caller or on a helper (sendfile.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" sendfile
