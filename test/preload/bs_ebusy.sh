#!/bin/sh
# Someone else's seccomp listener is in force (EBUSY): one line on stderr,
# then the preload layer alone routes pipe_block's reads (with_listener.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" \
	--prefix "${abs_top_builddir:-$(pwd)}/test/preload/with_listener" --init-fail \
	--routed 3 pipe_block
