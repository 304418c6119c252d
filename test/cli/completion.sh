#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The bash completion (completion/syslet, installed by 'make install'),
# sourced in bash as bash-completion would: each completion below is
# asked for as bash asks (COMP_LINE, COMP_POINT) and must be exactly the
# list given.  The subcommands and options it offers are the ones --help
# lists (test/cli/man_options.sh ties --help to the man page).
set -u
top=${abs_top_builddir:-$(pwd)}
src=$(cd "${srcdir:-.}" && pwd)
[ -x "$top/syslet" ] || { echo "no launcher $top/syslet (build first)" >&2; exit 99; }
command -v bash >/dev/null || { echo "SKIP: no bash"; exit 77; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/completion.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/dir" && touch "$tmp/dir/a.json" "$tmp/dir/b.txt" "$tmp/dir/p.policy"

PATH="$top:$PATH" COMP_SRC="$src/completion/syslet" DIR="$tmp/dir" bash <<'BASH'
. "$COMP_SRC" || { echo "FAIL: cannot source it"; exit 1; }
complete -p syslet >/dev/null || { echo "FAIL: no completion for syslet"; exit 1; }
fail=0
# want 'LINE' 'WORD WORD...': the replies, sorted, are exactly these
want() {
	COMP_LINE=$1 COMP_POINT=${#1}
	COMPREPLY=()
	_syslet
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
	exp=$(printf '%s\n' $2 | sort | tr '\n' ' ')
	[ "$got" = "$exp" ] || { echo "FAIL: '$1': got '$got', want '$exp'"; fail=1; }
}
want 'syslet ' 'run calls policy report -h --help -V --version'
want 'syslet r' 'run report'
want 'syslet policy ' 'check show suggest export -h --help'
want 'syslet policy export --format ' 'oci systemd'
want 'syslet report -f ' 'table csv json'
want 'syslet report --format j' 'json'
want 'syslet report -S ' 'blocked calls would-block name'
want 'syslet report --per' '--per-process'
want 'syslet run --no' '--no-route --no-stacks'
want 'syslet run -e trace=pread' 'pread64 preadv preadv2'
want 'syslet run -e trace=read,openat,pw' 'read,openat,pwrite64 read,openat,pwritev read,openat,pwritev2'
want 'syslet run -e fsy' 'trace=fsync'
want 'syslet report -e !fdat' 'trace=!fdatasync'
want 'syslet run -- sysl' "$(compgen -c sysl | sort -u | tr '\n' ' ')"
want "syslet run -p $DIR/p" "$DIR/p.policy"
want "syslet run -o - -- true $DIR/b" "$DIR/b.txt"
want "syslet report $DIR/" "$DIR/a.json"
# Every subcommand --help names is offered, and every option of run and report.
for o in $(syslet run --help | grep -o -E '^ +(-[a-zA-Z], )?--?[a-z][-a-z]*' | sed 's/, /\n/' | tr -d ' '); do
	COMP_LINE="syslet run $o" COMP_POINT=${#COMP_LINE}; _syslet
	printf '%s\n' "${COMPREPLY[@]}" | grep -qx -e "$o" || { echo "FAIL: run $o not offered"; fail=1; }
done
for o in $(syslet report --help | grep -o -E '^ +(-[a-zA-Z], )?--?[a-z][-a-z]*' | sed 's/, /\n/' | tr -d ' '); do
	COMP_LINE="syslet report $o" COMP_POINT=${#COMP_LINE}; _syslet
	printf '%s\n' "${COMPREPLY[@]}" | grep -qx -e "$o" || { echo "FAIL: report $o not offered"; fail=1; }
done
[ $fail = 0 ] && echo PASS
exit $fail
BASH
