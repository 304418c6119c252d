#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Call sites and threads (issue 17): test/report/sites has an event-loop
# thread "evloop" (it polls) whose reads block in slow_site(), and a
# thread "worker" whose reads block in worker_site(); every one of those
# reads truly blocks (the program feeds a pipe only once its reader
# sleeps in read), so each is recorded with its stack.  --sites names both
# functions, with file:line (the program is built with -g), --threads
# says which thread is the event loop, --folded has both stacks root
# first, and the JSON (schema 2) has them too.  Nothing about how long
# anything took, beyond "more than nothing" for a read that blocked.
. "${srcdir:-.}/test/report/lib.sh"
prog=$top/test/report/sites
[ -x "$prog" ] || { echo "no program $prog (make check builds it)"; exit 99; }

"$syslet" run --report "$tmp/r.json" -- "$prog" >"$tmp/out" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: run"; exit 1; }
loop=$(sed -n 's/^loop //p' "$tmp/out")
worker=$(sed -n 's/^worker //p' "$tmp/out")
[ -n "$loop" ] && [ -n "$worker" ] || { cat "$tmp/out"; echo "FAIL: no tids"; exit 1; }

check "$tmp/r.json" "
assert r['schema'] == 'syslet-report/2', r['schema']
p = procs[0]
thr = {t['tid']: t for t in p['thread_list']}
assert thr[$loop]['name'] == 'evloop' and thr[$loop]['event_loop'], thr
assert thr[$worker]['name'] == 'worker' and not thr[$worker]['event_loop'], thr
assert thr[$loop]['idle_wait_ns'] > 0 and thr[$loop]['blocked_ns'] > 0, thr
assert thr[$worker]['idle_wait_ns'] == 0 and thr[$worker]['blocked_ns'] > 0, thr
for t in (thr[$loop], thr[$worker]):
    assert t['wall_ns'] >= t['idle_wait_ns'] + t['blocked_ns'], t
# The frame of FN and its caller's; a sanitizer build has its read()
# interceptor innermost, so not necessarily the first frame.
def frame(s, fn):
    i = [f.get('function') for f in s['frames']].index(fn)
    return s['frames'][i], s['frames'][i + 1]
def at(fn):
    return [s for s in p['sites'] if any(f.get('function') == fn for f in s['frames'])]
slow, work = at('slow_site'), at('worker_site')
assert slow and work, p['sites']
for s in slow + work:
    assert s['syscall'] == 'read' and s['would_block'] >= 1, s
    f = frame(s, 'slow_site' if s in slow else 'worker_site')[0]
    assert f['module'].endswith('/test/report/sites'), s
    assert f['file'].endswith('sites.c') and f['line'] > 0, s
# 3 reads each, every one blocked (gcc may make three sites of a loop).
assert sum(s['would_block'] for s in slow) == 3, slow
assert sum(s['would_block'] for s in work) == 3, work
assert all(s['tids'] == [$loop] and s['loop_blocked_ns'] > 0 for s in slow), slow
assert all(s['tids'] == [$worker] and s['loop_blocked_ns'] == 0 for s in work), work
assert all(frame(s, 'slow_site')[1]['function'] == 'loop_main' for s in slow), slow
# The gain: slow_site's blocked time on the loop is freed; worker_site is
# blocking but on a thread of its own, so no candidate.
for s in slow:
    g = s['gain']
    assert g['candidate'] and g['freed_ns'] == s['loop_blocked_ns'], g
    assert g['loop_wall_ns'] == thr[$loop]['wall_ns'], g
    assert 0 < g['share'] <= 1 and g['speedup'] >= 1, g
assert all(not s['gain']['candidate'] and 'share' not in s['gain'] for s in work), work
assert all(frame(s, 'worker_site')[1]['function'] == 'worker_main' for s in work), work
assert p['sites_lost'] == 0
"

"$syslet" report --sites "$tmp/r.json" >"$tmp/sites" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: --sites"; exit 1; }
cat "$tmp/sites"
for fn in slow_site worker_site; do
	grep -E "^ +[0-9]+ +[0-9.]+ +[0-9]+ +[0-9]+ read .*$fn \\(sites\\.c:[0-9]+\\)" \
		"$tmp/sites" >/dev/null || { echo "FAIL: --sites has no $fn"; exit 1; }
done
# Ranked by gain: the first row is slow_site's, with a share and a
# speedup; worker_site's rows say "-".
sed -n 2p "$tmp/sites" | grep -E " read +[0-9.]+% x[0-9.]+\\+? .*slow_site " >/dev/null ||
	{ echo "FAIL: --sites: slow_site is not the top candidate with a gain"; exit 1; }
grep "worker_site" "$tmp/sites" | grep -vE " read +- " >/dev/null &&
	{ echo "FAIL: --sites: worker_site has a gain"; exit 1; }
grep "slow_site" "$tmp/sites" | grep "evloop\\[$loop\\]\\*" >/dev/null ||
	{ echo "FAIL: slow_site not on the event loop evloop[$loop]*"; exit 1; }
grep "worker_site" "$tmp/sites" | grep "worker\\[$worker\\] " >/dev/null ||
	{ echo "FAIL: worker_site not on worker[$worker]"; exit 1; }
# A candidate that frees under 0.1% of its loop's time (1 us here) ranks
# with the rest, by time blocked: after worker_site's milliseconds.
python3 - "$tmp/r.json" "$tmp/tiny.json" <<'PY' || { echo "FAIL: making tiny.json"; exit 1; }
import copy, json, sys
r = json.load(open(sys.argv[1]))
p = r['processes'][0]
# slow_site's frame, the first or (a sanitizer's interceptor first) later.
def at(s):
    return [i for i, f in enumerate(s['frames']) if f.get('function') == 'slow_site']
slow = [s for s in p['sites'] if at(s)][0]
tiny = copy.deepcopy(slow)
k = at(tiny)[0]
tiny['frames'][k]['function'] = 'tiny_site'
tiny['frames'][k]['offset'] += 1 # another site, not slow_site's again
tiny['calls'] = tiny['would_block'] = 1
tiny['blocked_ns'] = tiny['loop_blocked_ns'] = 1000
p['sites'].append(tiny)
json.dump(r, open(sys.argv[2], 'w'))
PY
"$syslet" report --sites "$tmp/tiny.json" >"$tmp/sites-tiny" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: --sites of tiny.json"; exit 1; }
cat "$tmp/sites-tiny"
sed -n 2p "$tmp/sites-tiny" | grep slow_site >/dev/null &&
	awk '/worker_site/ { w = NR } /tiny_site/ { t = NR } END { exit !(w && t > w) }' \
		"$tmp/sites-tiny" &&
	grep tiny_site "$tmp/sites-tiny" | grep -E " read +0\.0% x1\.00 " >/dev/null ||
	{ echo "FAIL: --sites: a 0.0% candidate ranks above worker_site, or shows no gain"; exit 1; }

"$syslet" report --threads "$tmp/r.json" >"$tmp/threads" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: --threads"; exit 1; }
cat "$tmp/threads"
grep -E "^ +[0-9]+ +$loop evloop +yes +[0-9.]+ " "$tmp/threads" >/dev/null ||
	{ echo "FAIL: --threads: evloop is not an event loop"; exit 1; }
grep -E "^ +[0-9]+ +$worker worker +no " "$tmp/threads" >/dev/null ||
	{ echo "FAIL: --threads: worker is an event loop"; exit 1; }

"$syslet" report --folded "$tmp/f.txt" "$tmp/r.json" 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: --folded"; exit 1; }
cat "$tmp/f.txt"
grep -E "^sites;(.*;)?start_thread;(.*;)?loop_main;slow_site;(.*;)?read [0-9]+\$" \
	"$tmp/f.txt" >/dev/null || { echo "FAIL: --folded: no slow_site stack"; exit 1; }
grep -E "^sites;(.*;)?start_thread;(.*;)?worker_main;worker_site;(.*;)?read [0-9]+\$" \
	"$tmp/f.txt" >/dev/null || { echo "FAIL: --folded: no worker_site stack"; exit 1; }
# Every line "frame;...;frame VALUE", VALUE a positive integer.
if grep -v -E '^[^ ;]+(;[^;]+)+ [1-9][0-9]*$' "$tmp/f.txt"; then
	echo "FAIL: --folded: a line not folded"
	exit 1
fi

# Merged and read back, the sites and threads stay.
"$syslet" report --merge "$tmp/m.json" "$tmp/r.json" &&
	"$syslet" report --sites "$tmp/m.json" >"$tmp/sites2" ||
	{ echo "FAIL: merge"; exit 1; }
cmp "$tmp/sites" "$tmp/sites2" || { echo "FAIL: merged sites differ"; exit 1; }
# A report of schema 1 (before sites) still reads, and has none.
make_v1 "$tmp/r.json" "$tmp/v1.json"
"$syslet" report "$tmp/v1.json" >/dev/null &&
	"$syslet" report --sites "$tmp/v1.json" >"$tmp/sites1" &&
	"$syslet" report --threads "$tmp/v1.json" >"$tmp/threads1" ||
	{ echo "FAIL: a schema 1 report"; exit 1; }
grep "^(no call sites" "$tmp/sites1" >/dev/null &&
	grep "^(no threads" "$tmp/threads1" >/dev/null ||
	{ cat "$tmp/sites1" "$tmp/threads1"; echo "FAIL: schema 1 sites"; exit 1; }
# --no-stacks: the same threads, no sites at all.
"$syslet" run --report "$tmp/n.json" --no-stacks -- "$prog" >/dev/null 2>"$tmp/err" ||
	{ cat "$tmp/err"; echo "FAIL: run --no-stacks"; exit 1; }
check "$tmp/n.json" "
p = procs[0]
assert p['sites'] == [] and p['sites_lost'] == 0, p['sites']
assert {t['name'] for t in p['thread_list']} >= {'evloop', 'worker'}, p['thread_list']
"
"$syslet" run --no-stacks -- true 2>"$tmp/err" && { echo "FAIL: --no-stacks without --report"; exit 1; }
grep -q "need --report" "$tmp/err" || { cat "$tmp/err"; echo "FAIL: --no-stacks message"; exit 1; }
echo "PASS: sites and threads of slow_site and worker_site"
