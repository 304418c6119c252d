#!/bin/sh
# creds_thread.c with its calls caught by the seccomp backstop.  Needs root.
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/creds-run.sh" --root \
	creds_bs.policy creds_thread
