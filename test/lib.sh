# SPDX-License-Identifier: LGPL-2.1-or-later
# shellcheck shell=sh
#
# Shared by the shell tests, sh and bash alike.  Sourced, first thing:
#
#	. "${srcdir:-.}/test/lib.sh"
#
# It sets $top (the build tree, where automake's harness runs tests),
# $src (the source tree), $syslet (the launcher; not built: exit 99),
# $shim (the preload library) and $tl_backstop_policy (the policy that has
# the seccomp backstop catch the tests' calls), and gives:
#
#   tl_tmp NAME      $tmp: a new directory, removed on exit
#   tl_prog          $prog: test/report/workload, a quiet program built
#                    here, which a sanitizer build's shim can load into
#                    (it cannot load into /bin/true)
#   tl_sanitized     true if the shim is built with sanitizers, whose
#                    runtime only instrumented executables carry: it
#                    cannot be preloaded into /bin/cat
#   tl_run NAME DIR IN SECS CMD...
#                    one run of a differential test (native, shim,
#                    backstop): CMD in DIR with stdin IN, killed after SECS;
#                    its stdout, stderr and status in NAME.out, NAME.err,
#                    NAME.rc
#   tl_timed_out NAME   true if that run hit its time limit
set -u
top=${abs_top_builddir:-$(pwd)}
src=$(cd "${srcdir:-.}" && pwd)
syslet=${SYSLET:-$top/syslet}
shim=${SYSLET_SHIM:-$top/.libs/libsyslet-preload.so}
# shellcheck disable=SC2034 # for the scripts that source this
tl_backstop_policy=$src/test/preload/backstop.policy
[ -x "$syslet" ] || { echo "no launcher $syslet (build first)" >&2; exit 99; }

tl_tmp() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 99
	trap 'rm -rf "$tmp"' EXIT
	trap 'exit 99' HUP INT TERM
}

tl_prog() {
	prog=$top/test/report/workload
	[ -x "$prog" ] || { echo "no program $prog (make check builds it)" >&2; exit 99; }
}

# grep without -q reads all of nm's output: under pipefail, an early exit
# would kill nm with SIGPIPE and fail the test.
tl_sanitized() {
	nm -D --undefined-only "$shim" 2>/dev/null | grep ' __[at]san_' >/dev/null
}

# Written for set -e callers too: a failing CMD is a result, not an exit.
tl_run() {
	_tl_name=$1 _tl_dir=$2 _tl_in=$3 _tl_secs=$4
	shift 4
	_tl_rc=0
	(cd "$_tl_dir" && exec timeout -k 5 "$_tl_secs" "$@") <"$_tl_in" \
		>"$_tl_name.out" 2>"$_tl_name.err" || _tl_rc=$?
	echo "$_tl_rc" >"$_tl_name.rc"
}

tl_timed_out() {
	case $(cat "$1.rc") in
	124 | 137) return 0 ;;
	*) return 1 ;;
	esac
}
