#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The README's API example ("The API in one example"), taken from
# README.md as it is, compiles with -Wall -Wextra -Werror against the
# build's libsyslet and runs: it reads /etc/hostname with an openat ->
# read -> close chain and prints each call's result.
set -u
top=${abs_top_builddir:-$(pwd)}
src=$(cd "${srcdir:-.}" && pwd)
cc=${CC:-cc}
lib=$top/.libs
[ -e "$lib/libsyslet.so" ] || { echo "no $lib/libsyslet.so (build first)" >&2; exit 99; }
command -v "${cc%% *}" >/dev/null || { echo "SKIP: no compiler $cc"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/readme-example.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT

# The first ```c block after the heading, without its fences.
awk '/^## The API in one example/ { sec = 1; next }
	sec && /^## / { exit }
	sec && /^```c$/ { code = 1; next }
	code && /^```$/ { exit }
	code { print }' "$src/README.md" >"$tmp/example.c"
[ -s "$tmp/example.c" ] || { echo "FAIL: no example in README.md"; exit 1; }
# shellcheck disable=SC2086 # $cc and the sanitizer flags are words
$cc ${SAN_FLAGS:-} -Wall -Wextra -Werror -I"$src/include" -o "$tmp/example" \
	"$tmp/example.c" -L"$lib" -lsyslet -Wl,-rpath,"$lib" 2>"$tmp/err" ||
	{ echo "FAIL: the README's example does not compile:"; cat "$tmp/err"; exit 1; }
if [ ! -r /etc/hostname ]; then
	echo "SKIP: it compiles; no /etc/hostname here to run it on"
	exit 77
fi
"$tmp/example" >"$tmp/out" 2>&1
rc=$?
want="openat FD, read $(wc -c </etc/hostname), close 0"
[ $rc = 0 ] && [ "$(sed 's/^openat [0-9][0-9]*,/openat FD,/' "$tmp/out")" = "$want" ] ||
	{ echo "FAIL: the example: status $rc, '$(cat "$tmp/out")', expected '$want'"; exit 1; }
echo "PASS: the README's example compiles and runs: $(cat "$tmp/out")"
