#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# Every subcommand of syslet on bad input: --help, an unknown option, a
# stray or missing argument, and a FIFO (no writer), a directory,
# /dev/zero, a symbolic link to the FIFO and a dangling one as each file
# it reads or writes.  Each run is under timeout 10 (124: it hung) with
# 1 GB of address space (not in sanitizer builds: they reserve
# terabytes), and must give the documented status (0 for --help, 2 for a
# usage error or a bad file, 126/127 for a program that cannot be run)
# with nothing but exactly one line on stderr before any usage text.
. "${srcdir:-.}/test/lib.sh"
tl_prog
tl_tmp cli-robust
limit="ulimit -v 1000000"
nm "$syslet" 2>/dev/null | grep -q ' __asan_init' && limit=:
mkfifo "$tmp/fifo" && mkdir "$tmp/dir" && ln -s fifo "$tmp/link" &&
	ln -s nowhere "$tmp/dangling" || exit 99
"$syslet" run --report "$tmp/a.json" -- "$prog" pipe 0 1 2>/dev/null ||
	{ echo "FAIL: syslet run --report: status $?"; exit 1; }
fail=0 runs=0

# expect STATUS HOW [VAR=VALUE] ARGS...: syslet ARGS exits STATUS.  HOW:
# help (usage on stdout, stderr empty), usage (one line, then "usage:"
# lines), line:TEXT (stderr exactly one line, containing TEXT).
expect() {
	want=$1 how=$2
	shift 2
	envs=
	case $1 in *=*) envs=$1 && shift ;; esac
	runs=$((runs + 1))
	# shellcheck disable=SC2086 # $envs is a word or none
	(eval "$limit" && cd "$tmp" && exec env $envs timeout -k 5 10 "$syslet" "$@") \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	ok=1
	[ $rc = "$want" ] || ok=0
	lines=$(wc -l <"$tmp/err")
	case $how in
	help)
		[ ! -s "$tmp/err" ] && [ "$(head -c 6 "$tmp/out")" = usage: ] || ok=0 ;;
	usage)
		[ ! -s "$tmp/out" ] && [ "$lines" -ge 2 ] &&
			[ "$(sed -n 1p "$tmp/err" | head -c 6)" != usage: ] &&
			[ "$(sed -n 2p "$tmp/err" | head -c 6)" = usage: ] || ok=0 ;;
	line:*)
		[ "$lines" = 1 ] && grep -qF -- "${how#line:}" "$tmp/err" || ok=0 ;;
	esac
	if [ $ok = 0 ]; then
		echo "FAIL: ${envs:+$envs }syslet $*: status $rc (expected $want, $how)"
		head -n 5 "$tmp/out" "$tmp/err"
		fail=1
	fi
}

for sub in run calls "policy check" "policy show" "policy suggest" \
	"policy export" report; do
	# shellcheck disable=SC2086 # $sub is words
	{
		expect 0 help $sub --help
		expect 2 usage $sub --bogus
		expect 2 usage $sub -Z a.json
	}
done
# Stray or missing arguments (run's are the program's: none is missing).
expect 2 usage run
expect 2 usage run --no-route --
expect 2 usage calls extra
expect 2 usage policy check
expect 2 usage policy show a b
expect 2 usage policy suggest
expect 2 usage policy export --format oci
expect 2 usage policy export --format xml a.json
expect 2 usage report
expect 2 usage report --compare a.json
expect 2 usage report --compare a.json a.json a.json
expect 2 usage policy bogus
# The values of the newer options: one line naming what was wrong.
expect 2 "line:--format xml" report -f xml a.json
expect 2 "line:'bogus': unknown system call" report -e trace=bogus a.json
expect 2 "line:'bogus': unknown system call" run -e bogus -- true
expect 2 "line:the table goes there too" run -o - --report-table /dev/stdout -- true

for f in fifo dir /dev/zero link dangling; do
	p=$f
	case $f in /*) ;; *) p=$tmp/$f ;; esac
	# Files read.
	expect 2 "line:$p" policy check "$p"
	expect 2 "line:$p" policy show "$p"
	expect 2 "line:$p" policy suggest "$p"
	expect 2 "line:$p" policy export --format oci "$p"
	expect 2 "line:$p" policy export --format systemd "$p" a.json
	expect 2 "line:$p" report "$p"
	expect 2 "line:$p" report --per-process a.json "$p"
	expect 2 "line:$p" report --compare a.json "$p"
	expect 2 "line:$p" report -f csv -e trace=read "$p"
	expect 2 "line:$p" report -f json --compare "$p" a.json
	expect 2 "line:$p" run -p "$p" -- true
	expect 2 "line:$p" run --policy "$p" -- true
	expect 2 "line:$p" run --shim "$p" -- true
	expect 2 "line:$p" SYSLET_SHIM="$p" run -- true
	expect 0 "line:syslet: policy $p" SYSLET_POLICY="$p" run -- "$prog" pipe 0 1
	if [ $f = dangling ]; then
		expect 127 "line:$p" run -- "$p"
	else
		expect 126 "line:$p" run -- "$p"
	fi
	# Files written: never through a link, never anything but a regular
	# file (a dangling link is refused too, as a link).
	expect 2 "line:$p" run --report "$p" -- true
	expect 2 "line:$p" run -o "$p" -e trace=read -- true
	expect 2 "line:$p" run --report "$tmp/r.json" --report-table "$p" -- true
	expect 2 "line:$p" report --merge "$p" a.json
	expect 2 "line:$p" report --png "$p" a.json
done
# To the shim, "-" is a file name, not the program's standard input.
expect 0 "line:syslet: policy -: cannot open" SYSLET_POLICY=- run -- "$prog" pipe 0 1

[ $fail = 0 ] && echo "PASS: $runs runs, none hung, each status and stderr as documented"
exit $fail
