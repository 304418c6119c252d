#!/bin/sh
# Threads, identity and masks with the backstop (threads.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed 4 threads
