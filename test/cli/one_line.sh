#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# An error is one line even when the word it names is not: a newline, tab
# or escape byte in an option, a value or a file name is shown escaped
# (\n, \t, \xNN), so that the line after the error is the usage or
# nothing, and a terminal is never sent an escape sequence from argv.
# Found by the CLI fuzzer (scripts/fuzz-cli: "-e" with a newline).
set -u
top=${abs_top_builddir:-$(pwd)}
syslet=$top/syslet
[ -x "$syslet" ] || { echo "no launcher $syslet (build first)" >&2; exit 99; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cli-one-line.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 99
fail=0
nl='
'
esc=$(printf '\033[31m')

# try ARGS...: status 2; line 1 without control bytes; line 2 usage or none
try() {
	timeout -k 5 60 "$syslet" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	first=$(head -n 1 "$tmp/err")
	second=$(sed -n 2p "$tmp/err")
	if [ $rc != 2 ] || printf '%s' "$first" | LC_ALL=C grep -q '[[:cntrl:]]' ||
		{ [ -n "$second" ] && [ "${second#usage: }" = "$second" ]; }; then
		echo "FAIL: syslet $* (status $rc):"
		cat "$tmp/err"
		fail=1
	fi
}
try run -e "trace=re${nl}ad" -- true
try run -e "$esc" -- true
try run --policy "no${nl}such" -- true
try run --report "$tmp/x${nl}y/z" -- true
try run --block-us "1${nl}2" --report r.json -- true
try run "--bo${nl}gus" -- true
try run "-${nl}" -- true
try report --sort "na${nl}me" a.json
try report -f "js${nl}on" a.json
try report "no${nl}such.json"
try report --top "$esc" a.json
try policy check "no${nl}such"
try policy export -f oci "no${nl}such"
try policy suggest "no${nl}such"
try "bo${nl}gus"
try calls "ex${nl}tra"
[ $fail = 0 ] && echo PASS
exit $fail
