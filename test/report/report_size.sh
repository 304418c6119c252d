#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Report readers are bounded: a file over 256 MiB is refused from its
# size, and a NUL byte (never JSON) ends the reading where it is found, so
# a large file of NULs costs one buffer, not its size.  The files are
# sparse (no disk used), and every reader runs with little address space
# (120 MB; not in sanitizer builds, which reserve terabytes): before the
# bound, a 200 MB file was read whole first.  Each is refused with exit 2
# and one line "syslet ...: FILE: reason".
. "${srcdir:-.}/test/lib.sh"
tl_tmp report-size
limit="ulimit -v 120000"
if nm "$syslet" 2>/dev/null | grep -q ' __asan_init'; then
	limit=:
fi
mib=1048576
truncate -s $((200 * mib)) "$tmp/nul" &&
	printf '{\n"schema":\n' >"$tmp/nul3" && truncate -s $((200 * mib)) "$tmp/nul3" &&
	truncate -s $((256 * mib)) "$tmp/max" &&
	truncate -s $((256 * mib + 1)) "$tmp/over" &&
	truncate -s $((300 * mib)) "$tmp/big" || exit 99
fail=0
# refused FILE REASON: every reader says "FILE: REASON" in one line, status 2
refused() {
	f=$1 why=$2
	for cmd in "report" "report --per-process" "report --merge $tmp/m.json" \
		"report --png $tmp/m.png" "report --compare $f" \
		"policy suggest" "policy export --format oci"; do
		case $cmd in
		report*) who="syslet report" ;;
		*) who="syslet $(echo "$cmd" | cut -d' ' -f1-2)" ;;
		esac
		# shellcheck disable=SC2086 # $cmd is words
		(eval "$limit" && exec timeout -k 5 60 "$syslet" $cmd "$f") \
			>"$tmp/out" 2>"$tmp/err" </dev/null
		rc=$?
		if [ $rc != 2 ] || [ -s "$tmp/out" ] || [ "$(wc -l <"$tmp/err")" != 1 ] ||
			[ "$(cat "$tmp/err")" != "$who: $f: $why" ] ||
			[ -e "$tmp/m.json" ] || [ -e "$tmp/m.png" ]; then
			echo "FAIL: $cmd $f: status $rc, expected 2 and '$who: $f: $why'"
			cat "$tmp/out" "$tmp/err"
			fail=1
		fi
		rm -f "$tmp/m.json" "$tmp/m.png"
	done
}
refused "$tmp/nul" "not JSON: line 1: a NUL byte"
refused "$tmp/nul3" "not JSON: line 3: a NUL byte"
refused "$tmp/max" "not JSON: line 1: a NUL byte"
refused "$tmp/over" "larger than 256 MiB"
refused "$tmp/big" "larger than 256 MiB"
[ $fail = 0 ] && echo "PASS: report readers bounded"
exit $fail
