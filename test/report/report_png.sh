#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet report --png OUT: a valid PNG (signature, IHDR first) of one
# 520x270 chart per system call drawn, two a row under a 44-pixel title.
. "${srcdir:-.}/test/report/lib.sh"
# Under the sanitizers: fontconfig's lifetime data is not ours to free.
LSAN_OPTIONS=${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=${srcdir:-.}/test/report/lsan.supp
export LSAN_OPTIONS

make_reports
"$syslet" report --png "$tmp/all.png" "$tmp/a.json" "$tmp/b.json" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: status"; exit 1; }
"$syslet" report --png "$tmp/one.png" --top 1 --log "$tmp/b.json" ||
	{ echo "FAIL: --top 1 --log"; exit 1; }
python3 - "$tmp" <<'PY' || { echo "FAIL: png"; exit 1; }
import struct, sys, zlib
tmp = sys.argv[1]
def ihdr(path):
    d = open(path, "rb").read()
    assert d[:8] == b"\x89PNG\r\n\x1a\n", d[:8]
    n, kind = struct.unpack(">I4s", d[8:16])
    assert kind == b"IHDR" and n == 13, (n, kind)
    w, h = struct.unpack(">II", d[16:24])
    assert struct.unpack(">I", d[29:33])[0] == zlib.crc32(d[12:29]), "IHDR crc"
    assert d[-12:] == b"\x00\x00\x00\x00IEND\xaeB`\x82", "no IEND"
    return w, h
# read and wait4: two charts, one row.
assert ihdr(tmp + "/all.png") == (1040, 44 + 270), ihdr(tmp + "/all.png")
assert ihdr(tmp + "/one.png") == (520, 44 + 270), ihdr(tmp + "/one.png")
PY
# Never through a symbolic link.
ln -s "$tmp/target" "$tmp/link"
"$syslet" report --png "$tmp/link" "$tmp/a.json" 2>/dev/null
[ $? = 2 ] && [ ! -e "$tmp/target" ] || { echo "FAIL: through a link"; exit 1; }
echo "PASS"
