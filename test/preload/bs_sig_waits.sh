#!/bin/sh
# The same under the backstop, which installs handlers with SA_RESTART
# and answers for the program's flags itself (sig_waits.c).
exec "${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/backstop-run.sh" sig_waits
