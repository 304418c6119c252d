#!/bin/sh
# alarm() ends a trapped read and an fread() from a pipe (alarm_eintr.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" --routed 2 alarm_eintr
