#!/bin/sh
# A dlopen()ed zlib's reads are routed (dlopen_lib.c); skipped without zlib.
PATH=$PATH:/sbin:/usr/sbin
ldconfig -p 2>/dev/null | grep -q 'libz\.so\.1 ' || exit 77
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 2 dlopen_lib
