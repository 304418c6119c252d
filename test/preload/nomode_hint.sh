#!/bin/sh
# A file's refused non-blocking writes remembered by number (nomode_hint.c):
# the same output natively and under the shim, and, where the file system
# refuses (ext4, tmpfs), the shim's pwritev2(RWF_NOWAIT) tries counted with
# strace: at most one in 64 of the program's writes, not one each.
. "${srcdir:-.}/test/preload/nomode_trace.sh"
nomode_trace run-one.sh pwritev2
# One refusal is the program's own probe.
n=$(grep -c 'EOPNOTSUPP' st.log)
echo "refused tries under the shim: $n (640 writes; the program's probe is one)"
[ "$n" -ge 2 ] || { echo "FAIL: the shim never tried"; exit 1; }
[ "$n" -le 13 ] || { echo "FAIL: more than one try in 64 writes"; exit 1; }
exit 0
