#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Statements of the documentation that the code can check: every field a
# report is written with is in doc/report-schema.md (observed_syscalls
# was not); a count of what 'syslet calls' lists, where the README gives
# one, is its count (it said 104, long after); no page says the backstop
# is not built (syslet-policy(5) did, long after it was).
. "${srcdir:-.}/test/lib.sh"
fail=0

# The names json.c writes (keys, routes) against the schema's `name`s
# (or "name"s, in its examples), sites and threads (sites_json.c) too.
for f in json.c sites_json.c; do
	for key in $(grep -o '"[a-z_0-9]\{2,\}"' "$src/src/report/$f" | tr -d '"' | sort -u); do
		grep -q -e "\`$key\`" -e "\"$key\"" "$src/doc/report-schema.md" ||
			{ echo "FAIL: doc/report-schema.md does not document '$key' (src/report/$f)"; fail=1; }
	done
done

n=$("$syslet" calls | tail -n +2 | wc -l)
[ "$n" -gt 50 ] || { echo "FAIL: syslet calls lists $n calls"; fail=1; }
said=$(grep -o 'syslet calls` lists all [0-9]*' "$src/README.md" | grep -o '[0-9]*$')
for s in $said; do
	[ "$s" = "$n" ] || { echo "FAIL: README says syslet calls lists $s, it lists $n"; fail=1; }
done

if grep -n -i 'not built yet' "$src/README.md" "$src"/doc/*.md "$src"/doc/man/*/*; then
	echo "FAIL: a page says something is not built yet"
	fail=1
fi

[ $fail = 0 ] && echo "PASS: the docs agree with the code"
exit $fail
