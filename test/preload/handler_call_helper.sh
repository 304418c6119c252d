#!/bin/sh
# handler_call.c with its epoll_wait() on a helper (helpers.waits on), as
# the built-in policy had it before pure waits stayed on the caller.
pol=$(cd "${srcdir:-.}/test/preload" && pwd)/waits_helper.policy
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" \
	--env "SYSLET_POLICY=$pol" handler_call
