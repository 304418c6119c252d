#!/bin/sh
# A child that closes every inherited descriptor and execs lists what it
# lists natively, under the shim and the backstop (close_fds_exec.c), and
# the same from Python's subprocess with close_fds=True.
d=$(cd "${srcdir:-.}/test/preload" && pwd)
"${SHELL:-/bin/sh}" "$d/run-one.sh" --foreign close_fds_exec || exit $?
for pol in backstop bs_read; do
	"${SHELL:-/bin/sh}" "$d/run-one.sh" --foreign --no-off \
		--env "SYSLET_POLICY=$d/$pol.policy" close_fds_exec || exit $?
done
command -v python3 >/dev/null || exit 0
py=$(command -v python3)
for pol in "" backstop bs_read; do
	"${SHELL:-/bin/sh}" "$d/run-one.sh" --foreign --no-off \
		${pol:+--env "SYSLET_POLICY=$d/$pol.policy"} "$py" -c '
import os, subprocess
os.dup2(1, 500)
for i in range(3):
    r = subprocess.run(["ls", "/proc/self/fd"], close_fds=True,
                       capture_output=True, text=True)
    print(sorted(r.stdout.split(), key=int), repr(r.stderr))' || exit $?
done
