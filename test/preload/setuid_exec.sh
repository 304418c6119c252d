#!/bin/sh
# A child that becomes nobody and execs: as natively, and nothing of ours
# on its stderr, under the shim and under the backstop (setuid_exec.c).
top=${abs_top_builddir:-$(pwd)}
d=$(cd "${srcdir:-.}/test/preload" && pwd)
"$top/test/preload/setuid_exec" --probe ||
	{ echo "SKIP: needs root to change user"; exit 77; }
"${SHELL:-/bin/sh}" "$d/run-one.sh" --foreign setuid_exec || exit $?
for pol in backstop bs_read bs_write; do
	"${SHELL:-/bin/sh}" "$d/run-one.sh" --foreign --no-off \
		--env "SYSLET_POLICY=$d/$pol.policy" setuid_exec || exit $?
done
# The same from Python: subprocess.run(user=...), whose child's stderr is
# captured and printed.
command -v python3 >/dev/null || exit 0
py=$(command -v python3)
for pol in "" backstop bs_read; do
	"${SHELL:-/bin/sh}" "$d/run-one.sh" --foreign --no-off \
		${pol:+--env "SYSLET_POLICY=$d/$pol.policy"} "$py" -c '
import subprocess
r = subprocess.run(["sh", "-c", "id -u; cat /etc/hostname | wc -c"],
                   user=65534, group=65534, extra_groups=[],
                   capture_output=True, text=True)
print(r.returncode, r.stdout.split(), repr(r.stderr))' || exit $?
done
