#!/bin/sh
# Credentials changed by the C library for every thread reach calls on
# helpers (creds_glibc.c; issue 12).  Needs root.
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/creds-run.sh" --root \
	creds.policy creds_glibc
