#!/bin/sh
# alarm() interrupts blocking reads and fread (alarm_eintr.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" --routed 2 alarm_eintr
