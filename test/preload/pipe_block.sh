#!/bin/sh
# A blocking read waits on a helper for data written later (pipe_block.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 3 pipe_block
