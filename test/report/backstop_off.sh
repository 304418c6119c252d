#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# A process whose caught calls ran natively ("backstop": "off (EPERM)" in
# its entry) is named under the table; "on" and an absent field are not;
# a bad value is refused with one line.
. "${srcdir:-.}/test/report/lib.sh"

make_reports
python3 - "$tmp" <<'PY' || { echo "FAIL: could not edit the report"; exit 1; }
import json, sys
tmp = sys.argv[1]
r = json.load(open(tmp + "/a.json"))
p = r["processes"]
p[0]["backstop"] = "off (EPERM)"
if len(p) > 1:
    p[1]["backstop"] = "on"
json.dump(r, open(tmp + "/off.json", "w"))
p[0]["backstop"] = "sideways"
json.dump(r, open(tmp + "/bad.json", "w"))
PY
pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["processes"][0]["pid"])' "$tmp/off.json")
"$syslet" report "$tmp/off.json" >"$tmp/t" 2>"$tmp/err" || { cat "$tmp/err"; echo "FAIL: status"; exit 1; }
cat "$tmp/t"
n=$(grep -c 'backstop' "$tmp/t")
[ "$n" = 1 ] || { echo "FAIL: $n backstop lines, expected 1"; exit 1; }
grep -q "^pid $pid (.*): backstop off (EPERM) here, so its caught calls ran natively, uncounted$" "$tmp/t" ||
	{ echo "FAIL: no line for pid $pid"; exit 1; }
"$syslet" report "$tmp/a.json" | grep -q backstop && { echo "FAIL: a line without the field"; exit 1; }
"$syslet" report "$tmp/bad.json" >/dev/null 2>"$tmp/err" && { echo "FAIL: bad value accepted"; exit 1; }
[ "$(wc -l <"$tmp/err")" = 1 ] || { echo "FAIL: not one line"; cat "$tmp/err"; exit 1; }
cat "$tmp/err"
echo PASS
