#!/bin/sh
# read() of a socket as recvfrom(), and the hint's number reused (sock_hint.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" sock_hint
