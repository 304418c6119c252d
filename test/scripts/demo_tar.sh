#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# scripts/demo-tar (the demo's tar comparison) judges the shim only on a
# tree that stayed the same (issue 16, defect 9).  A fake 'tar' first in
# PATH plays each case, so that no timing decides the result:
#   stable   the same archive every time        -> 0, "OK"
#   drift    a different archive every run      -> 3, "UNSTABLE", differ
#   changed  "file changed as we read it", 1    -> 3, "UNSTABLE", tar's line
#   shim     another archive under the shim     -> 1, "MISMATCH"
set -u
top=${abs_top_builddir:-$(pwd)}
src=$(cd "${srcdir:-.}" && pwd)
[ -x "$top/syslet" ] || { echo "no $top/syslet (build first)" >&2; exit 99; }
command -v bash >/dev/null || { echo "SKIP: no bash"; exit 77; }
# The fake tar is a shell script: a sanitizer build's shim cannot load
# into uninstrumented programs.
if nm -D --undefined-only "$top/.libs/libsyslet-preload.so" 2>/dev/null |
	grep -q ' __[at]san_'; then
	echo "SKIP: runs uninstrumented programs; the shim has sanitizers"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/demo-tar-test.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin" "$tmp/tree"

cat >"$tmp/bin/tar" <<'SH'
#!/bin/sh
n=$(($(cat "$FAKE_DIR/count" 2>/dev/null || echo 0) + 1))
echo "$n" >"$FAKE_DIR/count"
case $FAKE_MODE in
drift) echo "archive $n" ;;
changed)
	echo "archive"
	if [ "$n" = 2 ]; then
		echo "tar: ./log: file changed as we read it" >&2
		exit 1
	fi ;;
shim) case ${LD_PRELOAD:-} in *libsyslet-preload*) echo "other" ;; *) echo "archive" ;; esac ;;
*) echo "archive" ;;
esac
SH
chmod +x "$tmp/bin/tar"

fail=0
# expect MODE STATUS PATTERN
expect() {
	rm -f "$tmp/count"
	FAKE_MODE=$1 FAKE_DIR=$tmp PATH="$tmp/bin:$PATH" \
		timeout 120 "$src/scripts/demo-tar" "$top" "$tmp/tree" >"$tmp/out" 2>&1
	rc=$?
	if [ $rc -ne "$2" ] || ! grep -q "$3" "$tmp/out"; then
		echo "FAIL: $1: exit $rc (want $2), output without '$3':"
		sed 's/^/  /' "$tmp/out"
		fail=1
	else
		echo "ok: $1: exit $rc, $(grep -m1 "$3" "$tmp/out")"
	fi
}
expect stable 0 '^OK: identical archives'
expect drift 3 '^UNSTABLE: .*two native archives of it differ'
expect changed 3 '^UNSTABLE: .*file changed as we read it'
expect shim 1 '^MISMATCH: the archive differs under the shim'
# The shim is never blamed for a tree that moved.
expect drift 3 '^UNSTABLE' && ! grep -q MISMATCH "$tmp/out" || fail=1
exit $fail
