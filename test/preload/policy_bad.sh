#!/bin/sh
# A policy file with errors: one "syslet:" line on stderr, then the
# built-in policy (pipe_block's reads still go to helpers).
pol=$(cd "${srcdir:-.}/test/preload" && pwd)/bad.policy
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --init-fail \
	--routed 3 --env "SYSLET_POLICY=$pol" pipe_block
