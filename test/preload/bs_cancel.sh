#!/bin/sh
# pthread_cancel() of a thread in a trapped read (cancel.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed 3 cancel
