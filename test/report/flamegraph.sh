#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet report --flamegraph (issue 17): the off-CPU flame graph of
# test/report/sites (sites.sh has what it does) is well-formed XML
# (xmllint, and python's parser), an SVG 1200 wide whose frames have
# <title> tooltips "function (sites.c:LINE) - N ms, P%", slow_site's and
# worker_site's among them; its times are --folded's, to the microsecond.
# Names of any bytes (markup, bytes that are not UTF-8, longer than a
# report keeps) in the deepest stack a report holds still make valid
# XML; a report without sites makes a picture that says so; '-' is
# standard output, as for --folded.  Nothing about how long anything took.
# flamegraph_shot.sh opens it in a browser.
. "${srcdir:-.}/test/report/lib.sh"
prog=$top/test/report/sites
[ -x "$prog" ] || { echo "no program $prog (make check builds it)"; exit 99; }

# well_formed SVG: xmllint (libxml2-utils, scripts/common.sh) where it is
# installed, and python's XML parser in any case.
well_formed() {
	if command -v xmllint >/dev/null; then
		xmllint --noout "$1" || { echo "FAIL: xmllint: $1"; exit 1; }
	else
		echo "note: no xmllint (apt-get install libxml2-utils); python alone"
	fi
}

# frames SVG 'python statements': svg parsed, with titles (every frame's
# tooltip) and frames (title, x, width, y) in it.
frames() {
	python3 - "$1" "$2" <<'PY' || { echo "FAIL: $2"; exit 1; }
import re, sys, xml.etree.ElementTree as ET
S = "{http://www.w3.org/2000/svg}"
svg = ET.parse(sys.argv[1]).getroot()
assert svg.tag == S + "svg" and svg.get("width") == "1200", svg.attrib
frames = []
for g in svg.iter(S + "g"):
    t, r = g.find(S + "title"), g.find(S + "rect")
    frames.append((t.text, float(r.get("x")), float(r.get("width")), int(r.get("y"))))
    assert 10 <= frames[-1][1] and frames[-1][1] + frames[-1][2] <= 1190.01, frames[-1]
    assert int(svg.get("height")) > frames[-1][3] > 0, frames[-1]
titles = [f[0] for f in frames]
# A frame without debug information (a sanitizer's interceptor, a
# stripped library) has no parenthesis.
TIP = r"(?: \((?:[^()]*:[0-9]+(?:, \.\.\.)?|command|system call|every stack)\))? \u2014 ([0-9]+\.[0-9]{3}) ms, ([0-9]+\.[0-9]{2})%$"
def tips(fn):
    return [t for t in titles if re.match(re.escape(fn) + TIP, t)]
exec(sys.argv[2])
PY
}

"$syslet" run --report "$tmp/r.json" -- "$prog" >/dev/null 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: run"; exit 1; }
"$syslet" report --flamegraph "$tmp/f.svg" "$tmp/r.json" 2>"$tmp/err" &&
	"$syslet" report --folded "$tmp/f.txt" "$tmp/r.json" 2>>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: --flamegraph"; exit 1; }
cat "$tmp/f.txt"
well_formed "$tmp/f.svg"
# Every frame's tooltip of that shape; slow_site's and worker_site's
# time, and all of it, what --folded says of the stacks through them.
frames "$tmp/f.svg" "
folded = [l.rsplit(' ', 1) for l in open('$tmp/f.txt').read().splitlines()]
def ms(fn):
    return '%.3f' % (sum(int(v) for s, v in folded if fn in s.split(';')) / 1000)
for t in titles:
    assert re.match(r'.+' + TIP, t), t
for fn in ('slow_site', 'worker_site'):
    assert len(tips(fn)) == 1 and re.search(r'\(sites\.c:[1-9]', tips(fn)[0]), (fn, titles)
    assert re.match(re.escape(fn) + TIP, tips(fn)[0]).group(1) == ms(fn), (tips(fn), ms(fn))
assert len(tips('all')) == 1, titles
assert re.match('all' + TIP, tips('all')[0]).group(1) == ms('sites'), (tips('all'), folded)
assert tips('sites') and tips('all')[0].endswith(', 100.00%'), titles
assert 'Off-CPU time: sites, ' + ms('sites') + ' ms blocked' in ET.tostring(svg, 'unicode')
"
"$syslet" report --flamegraph - "$tmp/r.json" >"$tmp/stdout.svg" &&
	cmp "$tmp/f.svg" "$tmp/stdout.svg" ||
	{ echo "FAIL: --flamegraph - is not the same picture"; exit 1; }

# The worst names a report can hold, in a stack as deep as one keeps.
python3 - "$tmp/r.json" "$tmp/bad.json" <<'PY' || { echo "FAIL: making bad names"; exit 1; }
import json, sys
r = json.load(open(sys.argv[1]))
s = r["processes"][0]["sites"][0]
f = s["frames"][0]
names = ["<script>alert(\"x&y\")</script>;'", "bad\udcff\udcfe\udced\udca0\udc80 caf\u00e9",
         "L" * 5000, "\u0001\u007f\ufffe"]
s["frames"] = [dict(f, function=names[i % 4]) for i in range(16)]
open(sys.argv[2], "wb").write(json.dumps(r, ensure_ascii=False).encode("utf-8", "surrogateescape"))
PY
"$syslet" report --flamegraph "$tmp/bad.svg" "$tmp/bad.json" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: --flamegraph of bad names"; exit 1; }
well_formed "$tmp/bad.svg"
frames "$tmp/bad.svg" "
assert tips('<script>alert(\"x&y\")</script>:\''), titles
assert tips('bad????? caf\u00e9') and tips('???'), titles
assert tips('L' * 512), titles
assert max(f[3] for f in frames) - min(f[3] for f in frames) == 16 * 18, frames
"

# No sites (a report of schema 1 has none): a picture that says so.
make_v1 "$tmp/r.json" "$tmp/v1.json"
"$syslet" report --flamegraph "$tmp/v1.svg" "$tmp/v1.json" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: --flamegraph of no sites"; exit 1; }
well_formed "$tmp/v1.svg"
frames "$tmp/v1.svg" "
assert not frames
assert 'no blocked time recorded' in ET.tostring(svg, 'unicode')
"

# One output at a time; a symbolic link is not written through.
"$syslet" report --flamegraph "$tmp/x.svg" --folded "$tmp/x.txt" "$tmp/r.json" 2>"$tmp/err"
[ $? = 2 ] && grep -q 'one at a time' "$tmp/err" && [ ! -e "$tmp/x.svg" ] ||
	{ cat "$tmp/err"; echo "FAIL: --flamegraph with --folded"; exit 1; }
ln -s "$tmp/target" "$tmp/link.svg"
"$syslet" report --flamegraph "$tmp/link.svg" "$tmp/r.json" 2>"$tmp/err"
[ $? = 2 ] && grep -q 'symbolic link' "$tmp/err" && [ ! -e "$tmp/target" ] ||
	{ cat "$tmp/err"; echo "FAIL: --flamegraph through a link"; exit 1; }
echo "PASS: the flame graph of slow_site and worker_site, and of bad names"
