#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The same usage rules in every subcommand of syslet: --help prints the
# usage on stdout and exits 0; an unknown option, a stray or missing
# argument or a bad value exits 2 with one line saying what was wrong,
# then the usage on stderr.  (policy check --help used to open a file
# named --help; calls --bogus and calls extra exited 0; policy export
# --format xml, policy suggest --min-calls abc and policy bogus printed
# the usage alone.)
. "${srcdir:-.}/test/lib.sh"
tl_tmp cli-usage
cd "$tmp" || exit 99
fail=0
bad() {
	echo "FAIL: syslet $*"
	cat "$tmp/out" "$tmp/err"
	fail=1
}
run() {
	# shellcheck disable=SC2086 # the words of a command line
	timeout -k 5 60 "$syslet" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
}
# help ARGS...: status 0, "usage:" first on stdout, nothing on stderr
help() {
	run "$@"
	rc=$?
	[ $rc = 0 ] && [ "$(head -c 6 "$tmp/out")" = usage: ] && [ ! -s "$tmp/err" ] ||
		bad "$* (status $rc): not the usage on stdout"
}
# usage_error LINE ARGS...: status 2, nothing on stdout, LINE then the usage
usage_error() {
	line=$1
	shift
	run "$@"
	rc=$?
	[ $rc = 2 ] && [ ! -s "$tmp/out" ] && [ "$(head -n 1 "$tmp/err")" = "$line" ] &&
		[ "$(sed -n '2p' "$tmp/err" | head -c 6)" = usage: ] ||
		bad "$* (status $rc): expected '$line' and the usage on stderr"
}

for h in --help -h; do
	help $h
	for cmd in run calls policy "policy check" "policy show" "policy suggest" \
		"policy export" report; do
		# shellcheck disable=SC2086
		help $cmd $h
	done
done
help policy check --help x.policy
help report --per-process x.json --help

usage_error "syslet: no command given"
usage_error "syslet: unknown option '--bogus'" --bogus
usage_error "syslet: unknown command 'bogus'" bogus
usage_error "syslet: unexpected argument 'extra'" --help extra
for cmd in run calls "policy check" "policy show" "policy suggest" \
	"policy export" report; do
	# shellcheck disable=SC2086
	usage_error "syslet $cmd: unknown option '--bogus'" $cmd --bogus x
	# shellcheck disable=SC2086
	usage_error "syslet $cmd: unknown option '-x'" $cmd -x y
done
usage_error "syslet policy: unknown option '--bogus'" policy --bogus
usage_error "syslet run: option '--policy' needs an argument" run --policy
usage_error "syslet run: option '--help' takes no argument" run --help=yes
usage_error "syslet run: ambiguous option '--re'" run --re x -- true
usage_error "syslet report: option '--top' needs an argument" report --top

usage_error "syslet calls: unexpected argument 'extra'" calls extra
usage_error "syslet policy: unexpected argument 'extra'" policy --help extra
usage_error "syslet policy show: unexpected argument 'b'" policy show a b
usage_error "syslet report: unexpected argument 'c'" report --compare a b c

usage_error "syslet run: no program given" run
usage_error "syslet run: no program given" run --no-route --
usage_error "syslet policy: no command given (check, show, suggest or export)" policy
usage_error "syslet policy: unknown command 'bogus'" policy bogus
usage_error "syslet policy check: no policy file given" policy check
usage_error "syslet policy suggest: no report file given" policy suggest
usage_error "syslet policy suggest: --min-calls abc: not a number of calls" \
	policy suggest --min-calls abc x
usage_error "syslet policy suggest: --min-calls 99999999999999999999: not a number of calls" \
	policy suggest --min-calls 99999999999999999999 x
usage_error "syslet policy export: --format xml: not oci or systemd" \
	policy export --format xml x
usage_error "syslet policy export: no --format given (oci or systemd)" policy export x
usage_error "syslet policy export: no report file given" policy export --format oci
usage_error "syslet report: no report file given" report
usage_error "syslet report: --compare takes two files" report --compare a

# After "--", a file may be called --help.
run policy check -- --help
[ $? = 2 ] && [ "$(cat "$tmp/err")" = "--help: error: cannot open: No such file or directory" ] ||
	bad "policy check -- --help"

[ $fail = 0 ] && echo "PASS: usage errors and --help, every subcommand"
exit $fail
