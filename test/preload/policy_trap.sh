#!/bin/sh
# trap routes: until the seccomp backstop exists, the shim treats them as
# nowait, so pipe_block's blocking reads still wait on helpers.
pol=$(cd "${srcdir:-.}/test/preload" && pwd)/trap.policy
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 3 \
	--env "SYSLET_POLICY=$pol" pipe_block
