#!/bin/sh
# No helper pool (a cancel signal the engine refuses): native, one warning.
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --init-fail \
	--env SYSLET_CANCEL_SIGNAL=9 init_fail signal
