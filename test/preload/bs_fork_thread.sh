#!/bin/sh
# fork_thread.c under the backstop, with each trap set: all of
# backstop.policy, read alone, write alone.
d=$(cd "${srcdir:-.}/test/preload" && pwd)
for pol in backstop bs_read bs_write; do
	"${SHELL:-/bin/sh}" "$d/run-one.sh" --no-off \
		--env "SYSLET_POLICY=$d/$pol.policy" fork_thread || exit $?
done
