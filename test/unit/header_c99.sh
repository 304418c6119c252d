#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# include/syslet.h compiles clean in strict ISO C (-std=c99 and c11
# -pedantic -Wall -Wextra -Werror: no struct timespec in <time.h> there),
# with POSIX's <time.h> (the same struct timespec), and as C++, with
# every compiler found (gcc, clang, g++, clang++).
set -u
src=$(cd "${srcdir:-.}" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/header-c99.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
flags="-Wall -Wextra -Werror -pedantic -I$src/include -c"
cat >"$tmp/iso.c" <<'C'
#include <syslet.h>
#include <stddef.h>

int wait_one(struct syslet_ctx *ctx, struct syslet_completion *c)
{
	return syslet_wait(ctx, c, 1, 1, NULL);
}
C
cat >"$tmp/posix.c" <<'C'
#define _POSIX_C_SOURCE 200809L
#include <syslet.h>
#include <time.h>

int wait_one(struct syslet_ctx *ctx, struct syslet_completion *c)
{
	struct timespec ts = { 1, 0 };

	return syslet_wait(ctx, c, 1, 1, &ts);
}
C
cp "$tmp/posix.c" "$tmp/posix.cc"
fail=0 ran=0
# try COMPILER STD FILE
try() {
	command -v "$1" >/dev/null || return 0
	ran=$((ran + 1))
	# shellcheck disable=SC2086 # $flags is words
	if ! "$1" -std="$2" $flags "$tmp/$3" -o "$tmp/out.o" 2>"$tmp/err"; then
		echo "FAIL: $1 -std=$2 $flags $3:"
		cat "$tmp/err"
		fail=1
	fi
}
for cc in gcc clang; do
	for std in c99 c11; do
		try $cc $std iso.c
		try $cc $std posix.c
	done
done
for cxx in g++ clang++; do
	try $cxx c++11 posix.cc
done
[ $ran -gt 0 ] || { echo "SKIP: no C compiler"; exit 77; }
[ $fail = 0 ] && echo "PASS: syslet.h in strict C99/C11 and C++ ($ran compiles)"
exit $fail
