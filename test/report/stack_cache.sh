#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The shim's cache of stacks (src/preload/sites.c) records exactly the
# stacks the unwinder would: test/report/stack_cache makes calls whose
# stacks a cache could mistake (recursion deeper than the 16 frames kept,
# a frame of variable size under callers at different depths, a signal
# handler, threads) and one call over and over from the same stack (the
# cache's case).  With SYSLET_STACKS=check every recorded stack is
# unwound as well and compared with the cache's: none differs, and the
# cache had most of them (not asked of a sanitizer build, whose
# instrumentation makes its own frames).  A report made with the cache has
# the same sites, counts and frames as one made without it
# (SYSLET_STACKS=full).
. "${srcdir:-.}/test/report/lib.sh"
prog=$top/test/report/stack_cache
[ -x "$prog" ] || { echo "no program $prog (make check builds it)"; exit 99; }

# run MODE OUT: the program under a report of every call (--block-us 0).
run() {
	SYSLET_STACKS=$1 "$syslet" run --report "$2" --report-table /dev/null \
		--block-us 0 -- "$prog" >"$tmp/out" 2>"$tmp/err" ||
		{ cat "$tmp/err"; echo "FAIL: run ($1)"; exit 1; }
}

run check "$tmp/check.json"
made=$(cat "$tmp/out")
said=$(grep '^syslet: stack cache check: ' "$tmp/err") ||
	{ cat "$tmp/err"; echo "FAIL: no line of SYSLET_STACKS=check"; exit 1; }
# shellcheck disable=SC2046 # three numbers
set -- $(echo "$said" | sed 's/^syslet: stack cache check: \([0-9]*\) of \([0-9]*\) stacks cached, \([0-9]*\) differed.*/\1 \2 \3/')
[ $# -eq 3 ] || { echo "$said"; echo "FAIL: the line"; exit 1; }
hits=$1 stacks=$2 differed=$3
echo "$made calls; $said"
[ "$differed" -eq 0 ] || { echo "FAIL: cached stacks differ"; exit 1; }
[ "$stacks" -ge "$made" ] || { echo "FAIL: fewer stacks than calls"; exit 1; }
if case ${SAN_FLAGS:-} in *sanitize*) true ;; *) false ;; esac then
	echo "(a sanitizer build: not asked how many were cached)"
elif [ $((hits * 2)) -lt "$stacks" ]; then
	echo "FAIL: the cache had under half the stacks"
	exit 1
fi

# The same sites, counts and frames with the cache and without.
run "" "$tmp/cache.json"
run full "$tmp/full.json"
python3 - "$tmp/cache.json" "$tmp/full.json" <<'PY' || { echo "FAIL: the reports differ"; exit 1; }
import json, os, sys
def sites(path):
    p = json.load(open(path))["processes"]
    assert len(p) == 1, len(p)
    out = {}
    for s in p[0]["sites"]:
        key = (s["syscall"], tuple((os.path.basename(f.get("module", "?")), f.get("offset")) for f in s["frames"]))
        assert key not in out, key
        out[key] = (s["calls"], s["would_block"])
    return out
a, b = sites(sys.argv[1]), sites(sys.argv[2])
only_a = sorted(set(a) - set(b))[:3]
only_b = sorted(set(b) - set(a))[:3]
assert not only_a and not only_b, (only_a, only_b)
diff = [(k, a[k], b[k]) for k in a if a[k] != b[k]][:3]
assert not diff, diff
deep = [k for k in a if len(k[1]) == 16]
assert deep, "no site of 16 frames"
print(len(a), "sites alike,", len(deep), "of 16 frames")
PY
echo "PASS"
