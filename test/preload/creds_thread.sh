#!/bin/sh
# Credentials changed by one thread alone reach its calls on helpers
# (creds_thread.c; issue 12).  Needs root.
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/creds-run.sh" --root \
	creds.policy creds_thread
