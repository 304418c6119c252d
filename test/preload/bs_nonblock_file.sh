#!/bin/sh
# The same with the file's calls caught by the filter (nonblock_file.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" nonblock_file
