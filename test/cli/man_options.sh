#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet(1) and every subcommand's --help list the same options: each
# option word --help prints (-o, --report, ...) is in the man page, and
# each one the man page documents (a .TP item of OPTIONS, or the
# SYNOPSIS) is in some --help, short forms included.  Keeps the two in
# step as options are added (issue 16: short options, -e, --format).
set -u
top=${abs_top_builddir:-$(pwd)}
src=$(cd "${srcdir:-.}" && pwd)
syslet=$top/syslet
man=$src/doc/man/man1/syslet.1
[ -x "$syslet" ] || { echo "no launcher $syslet (build first)" >&2; exit 99; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/man-options.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
fail=0

# Every --help's option words, one a line.
for cmd in "" run calls policy "policy check" "policy show" \
	"policy suggest" "policy export" report; do
	# shellcheck disable=SC2086 # the words of a command line
	"$syslet" $cmd --help
done >"$tmp/help" || { echo "FAIL: a --help failed"; exit 1; }
grep -o -E '(^|[ ,[|])--?[a-zA-Z][-a-zA-Z]*' "$tmp/help" |
	sed 's/^[ ,[|]//' | sort -u >"$tmp/help-opts"

# The man page's, "\-" unescaped, from the SYNOPSIS and OPTIONS (not the
# prose, which names other programs' options: strace -c).
sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p; /^\.SH OPTIONS/,/^\.SH ENVIRONMENT/p' "$man" |
	grep -E '^\.(B|BI|BR|RB|TP)' | sed 's/\\-/-/g' |
	grep -o -E '(^|[ "|])--?[a-zA-Z][-a-zA-Z]*' | sed 's/^[ "|]//' |
	sort -u >"$tmp/man-opts"

while read -r o; do
	grep -qx -e "$o" "$tmp/man-opts" ||
		{ echo "FAIL: '$o' is in --help, not in syslet(1)"; fail=1; }
done <"$tmp/help-opts"
while read -r o; do
	grep -qx -e "$o" "$tmp/help-opts" ||
		{ echo "FAIL: '$o' is in syslet(1), in no --help"; fail=1; }
done <"$tmp/man-opts"
[ $fail = 0 ] && echo "PASS: $(wc -l <"$tmp/help-opts") option words agree"
exit $fail
