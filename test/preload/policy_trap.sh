#!/bin/sh
# trap routes with the backstop on: pipe_block's reads and recvfrom are
# caught by the filter and wait on helpers (3 routed).
pol=$(cd "${srcdir:-.}/test/preload" && pwd)/trap.policy
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 3 \
	--env "SYSLET_POLICY=$pol" pipe_block
