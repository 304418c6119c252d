#!/bin/sh
# vfork()+exec and posix_spawn() under the backstop (vfork_spawn.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed-min 2 --routed 5 vfork_spawn
