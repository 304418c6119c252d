#!/bin/sh
# helpers.max reached: a blocking call runs on its caller, never queues
# behind a helper that may block for ever (helpers_max.c).
pol=$(cd "${srcdir:-.}/test/preload" && pwd)/helpers_max1.policy
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 1 \
	--env "SYSLET_POLICY=$pol" helpers_max
