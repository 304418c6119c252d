#!/bin/sh
# Caught writes to a file without a non-blocking mode (nomode_hint.c): the
# same output as natively, and made by their caller, as under the shim,
# not handed to a helper: strace -f -Y shows no write of a syslet/N thread.
. "${srcdir:-.}/test/preload/nomode_trace.sh"
nomode_trace backstop-run.sh write,pwrite64,pwritev2 \
	"SYSLET_POLICY=$tl_backstop_policy"
n=$(grep -c '<syslet/[^>]*> \(write\|pwrite64\|pwritev2\)(' st.log)
echo "writes made by helpers: $n (of the program's 643)"
[ "$n" -eq 0 ] || { echo "FAIL: caught writes went to helpers"; grep '<syslet/' st.log | head; exit 1; }
grep -q '^[0-9]*<nomode_hint> write(' st.log ||
	{ echo "FAIL: no write of the program's own in the trace"; head st.log; exit 1; }
exit 0
