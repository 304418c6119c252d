#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet report --flamegraph in a browser (issue 17's acceptance): the
# flame graph of test/report/sites opened by a headless Chromium (Debian's
# chromium package), whose screenshot flame_pixels reads with cairo: the
# frames are there, at least five levels of them drawn across the
# picture in the graph's palette.  The picture of a report without sites,
# taken the same way, has none: the checker does tell them apart.
# Skipped (77) where chromium is not installed; flamegraph.sh checks the
# SVG itself, with no browser.
. "${srcdir:-.}/test/report/lib.sh"
prog=$top/test/report/sites
checker=$top/test/report/flame_pixels
[ -x "$prog" ] && [ -x "$checker" ] ||
	{ echo "no $prog or $checker (make check builds them)"; exit 99; }
command -v chromium >/dev/null || {
	echo "SKIP: chromium is not installed (apt-get install chromium):" \
		"the flame graph is not opened in a browser here"
	exit 77
}

# shot SVG PNG: Chromium's screenshot of the SVG, 1200x800, its profile
# and everything else it writes kept in $tmp; no /dev/shm (a container's
# is often too small for it).
shot() {
	HOME=$tmp timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-dev-shm-usage \
		--user-data-dir="$tmp/chromium" --no-first-run \
		--window-size=1200,800 --screenshot="$2" "file://$1" \
		>"$tmp/chromium.log" 2>&1 && [ -s "$2" ] || {
		tail -n 20 "$tmp/chromium.log"
		echo "FAIL: chromium made no screenshot of $1"
		exit 1
	}
}

"$syslet" run --report "$tmp/r.json" -- "$prog" >/dev/null 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: run"; exit 1; }
"$syslet" report --flamegraph "$tmp/f.svg" "$tmp/r.json" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: --flamegraph"; exit 1; }
shot "$tmp/f.svg" "$tmp/f.png"
# Five levels (all, the command, a thread's main, a site, read) of frames
# 15 pixels high, each across the 1180 pixels between the margins; their
# labels and rounded corners aside, 5 * 1180 * 15 is 88,500 pixels.
"$checker" "$tmp/f.png" 60000 60 ||
	{ echo "FAIL: the screenshot of the flame graph has too few frames"; exit 1; }

# No sites: no frames.
make_v1 "$tmp/r.json" "$tmp/none.json"
"$syslet" report --flamegraph "$tmp/none.svg" "$tmp/none.json" ||
	{ echo "FAIL: --flamegraph of no sites"; exit 1; }
shot "$tmp/none.svg" "$tmp/none.png"
"$checker" "$tmp/none.png" 1000 1
[ $? = 1 ] || { echo "FAIL: the checker sees frames where there are none"; exit 1; }
echo "PASS: Chromium drew the flame graph's frames"
