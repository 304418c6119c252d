#!/bin/sh
# A set-user-ID copy of secure.c runs without the shim.  AT_SECURE needs
# euid != ruid: as root, a copy owned by nobody with mode 4755 gives that.
# Skipped unless root and on a mount that honours set-user-ID bits.
[ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; exit 77; }
top=${abs_top_builddir:-$(pwd)}
d=$(mktemp -d "${TMPDIR:-/tmp}/syslet-secure.XXXXXX") || exit 99
trap 'rm -rf "$d"' EXIT
cp "$top/test/preload/secure" "$top/.libs/libsyslet-preload.so" "$d/" ||
	exit 99
chmod 755 "$d" && chown nobody "$d/secure" && chmod 4755 "$d/secure" ||
	{ echo "SKIP: cannot make a set-user-ID copy"; exit 77; }
"$d/secure" --probe || { echo "SKIP: no AT_SECURE (nosuid mount?)"; exit 77; }
"${SHELL:-/bin/sh}" "${srcdir:-.}/test/preload/run-one.sh" "$d/secure" \
	"$d/libsyslet-preload.so"
