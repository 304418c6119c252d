#!/bin/sh
# pipe_block.c with its calls caught by the seccomp backstop.
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed 3 pipe_block
