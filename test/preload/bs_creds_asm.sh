#!/bin/sh
# creds_thread.c with the thread's identity changed by syscall
# instructions of the program's own, which neither the C library nor the
# shim's wrappers see: only the backstop's filter catches them.  Needs root.
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/creds-run.sh" --root \
	creds_bs.policy creds_thread --asm
