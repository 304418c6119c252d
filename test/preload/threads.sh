#!/bin/sh
# Thread ids, names and signal masks around routed calls (threads.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 4 threads
