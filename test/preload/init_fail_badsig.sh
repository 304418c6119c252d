#!/bin/sh
# SYSLET_CANCEL_SIGNAL that is not a number: native, one warning naming it.
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --init-fail \
	--env SYSLET_CANCEL_SIGNAL=bad init_fail signal
