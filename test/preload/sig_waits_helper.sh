#!/bin/sh
# sig_waits.c with its waits on helpers (helpers.waits on): the helper
# path of waits that the built-in policy now keeps on the caller.
pol=$(cd "${srcdir:-.}/test/preload" && pwd)/waits_helper.policy
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed-min 0 \
	--routed 0 --env "SYSLET_POLICY=$pol" sig_waits
