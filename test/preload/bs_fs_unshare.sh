#!/bin/sh
# fs_unshare.c with its calls caught by the seccomp backstop.
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/creds-run.sh" \
	creds_bs.policy fs_unshare
