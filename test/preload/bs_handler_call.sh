#!/bin/sh
# A caught call of a handler that interrupted the engine's lock holder
# (handler_call.c), with SA_RESTART: that one is about the lock.
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" handler_call restart
