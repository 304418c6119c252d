#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet report --merge OUT A B: one report of the same schema, its
# processes A's then B's field by field, its sources the two files; it
# reads back to the same table; OUT is created as 'syslet run --report'
# creates its file (never through a symbolic link).
. "${srcdir:-.}/test/report/lib.sh"

make_reports
"$syslet" report --merge "$tmp/m.json" "$tmp/a.json" "$tmp/b.json" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: status"; exit 1; }
[ -s "$tmp/err" ] && { echo "FAIL: stderr"; cat "$tmp/err"; exit 1; }
check "$tmp/m.json" "
a = json.load(open('$tmp/a.json'))
b = json.load(open('$tmp/b.json'))
assert r['schema'] == 'syslet-report/2' and r['hist_buckets'] == 40
assert r['unreadable_files'] == a['unreadable_files'] + b['unreadable_files']
assert r['sources'] == [dict(file='$tmp/a.json', argv=a['argv'], exit=a['exit']),
                        dict(file='$tmp/b.json', argv=b['argv'], exit=b['exit'])], r['sources']
want = a['processes'] + b['processes']
assert len(procs) == len(want) == 3
for p, q in zip(procs, want):
    assert set(p) == set(q), (set(p), set(q))
    for k in q:
        assert p[k] == q[k], (k, p[k], q[k])
# Sums, field by field, over all processes of both files.
def total(ps):
    t = {}
    for p in ps:
        for n, c in p['syscalls'].items():
            d = t.setdefault(n, {'calls': 0, 'would_block': 0, 'blocked_ns': 0, 'bytes': 0,
                                 'routes': dict(inline=0, helper=0, native=0, trapped=0),
                                 'hist_log2_ns': [0] * 40})
            for k in ('calls', 'would_block', 'blocked_ns', 'bytes'):
                d[k] += c[k]
            for k in d['routes']:
                d['routes'][k] += c['routes'][k]
            d['hist_log2_ns'] = [x + y for x, y in zip(d['hist_log2_ns'], c['hist_log2_ns'])]
    return t
assert total(procs) == total(want)
"
# Read back: the same table as the two files give.
"$syslet" report "$tmp/m.json" >"$tmp/tm" || { echo "FAIL: reading the merge"; exit 1; }
"$syslet" report "$tmp/a.json" "$tmp/b.json" >"$tmp/tab" || exit 1
[ "$(sed '$d' "$tmp/tm")" = "$(sed '$d' "$tmp/tab")" ] ||
	{ echo "FAIL: tables differ"; diff "$tmp/tm" "$tmp/tab"; exit 1; }
# A merge of a merge: processes concatenated again.
"$syslet" report --merge "$tmp/mm.json" "$tmp/m.json" "$tmp/a.json" || { echo "FAIL: merge twice"; exit 1; }
check "$tmp/mm.json" "assert len(procs) == 4 and [s['file'] for s in r['sources']] == ['$tmp/m.json', '$tmp/a.json']"

# Never through a symbolic link; nothing written when an input is bad.
echo precious >"$tmp/target"
ln -s "$tmp/target" "$tmp/link"
"$syslet" report --merge "$tmp/link" "$tmp/a.json" 2>"$tmp/err"
rc=$?
cat "$tmp/err"
[ $rc = 2 ] && grep -q 'symbolic link' "$tmp/err" || { echo "FAIL: symlink: status $rc"; exit 1; }
[ "$(cat "$tmp/target")" = precious ] || { echo "FAIL: written through the link"; exit 1; }
: >"$tmp/empty"
"$syslet" report --merge "$tmp/m2.json" "$tmp/a.json" "$tmp/empty" 2>/dev/null
[ $? = 2 ] && [ ! -e "$tmp/m2.json" ] || { echo "FAIL: merge of a bad file"; exit 1; }
perm=$(stat -c %a "$tmp/m.json")
case $perm in
*[2367]) echo "FAIL: world-writable ($perm)"; exit 1 ;;
esac
echo "PASS"
