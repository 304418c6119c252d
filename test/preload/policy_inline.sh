#!/bin/sh
# A policy file that makes read and recvfrom inline: pipe_block's blocking
# reads then wait on the calling thread, and no helper is used.
pol=$(cd "${srcdir:-.}/test/preload" && pwd)/read_inline.policy
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 0 \
	--env "SYSLET_POLICY=$pol" pipe_block
