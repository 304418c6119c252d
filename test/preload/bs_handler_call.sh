#!/bin/sh
# A caught call of a handler that interrupted the engine's lock holder.
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" handler_call
