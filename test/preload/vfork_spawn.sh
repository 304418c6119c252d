#!/bin/sh
# vfork()+exec, posix_spawn(), a routed read in flight (vfork_spawn.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 5 vfork_spawn
