#!/bin/sh
# A policy file that cannot be read: one "syslet:" line on stderr, then
# the built-in policy.
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --init-fail \
	--routed 3 --env SYSLET_POLICY=/nonexistent/syslet.policy pipe_block
