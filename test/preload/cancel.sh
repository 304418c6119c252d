#!/bin/sh
# pthread_cancel of a thread in a routed read (cancel.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 3 cancel
