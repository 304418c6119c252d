#!/bin/sh
# A FIFO as the policy file (no writer: opening it would wait for one):
# one "syslet:" line on stderr at once, then the built-in policy.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/policy-fifo.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
mkfifo "$tmp/p.policy" || exit 99
"${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --init-fail \
	--routed 3 --env "SYSLET_POLICY=$tmp/p.policy" pipe_block
