#!/bin/sh
# fork_thread.py (Python forks from a thread, the child returns) natively,
# under the shim and under the backstop with each trap set.
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
d=$(cd "${srcdir:-.}/test/preload" && pwd)
py=$(command -v python3)
"${SHELL:-/bin/sh}" "$d/run-one.sh" --foreign "$py" "$d/fork_thread.py" 200 || exit $?
for pol in backstop bs_read bs_write; do
	"${SHELL:-/bin/sh}" "$d/run-one.sh" --foreign --no-off \
		--env "SYSLET_POLICY=$d/$pol.policy" "$py" "$d/fork_thread.py" 200 || exit $?
done
