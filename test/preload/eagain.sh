#!/bin/sh
# EAGAIN at once, and no helper, for calls that cannot wait (eagain.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" eagain
