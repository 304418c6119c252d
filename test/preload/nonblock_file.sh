#!/bin/sh
# A regular file opened O_NONBLOCK reads as natively, uncached (nonblock_file.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" nonblock_file
