#!/bin/sh
# A handler's call while its thread is in the shim (handler_call.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" handler_call
