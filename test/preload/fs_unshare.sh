#!/bin/sh
# A thread's own cwd, umask and descriptor table (unshare) reach its calls
# on helpers (fs_unshare.c; issue 12).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/creds-run.sh" \
	creds.policy fs_unshare
