# shellcheck shell=bash
# Shared by scripts/test, scripts/demo and scripts/bench: install what the
# build needs (Debian 12), then configure and build one tree.

SYSLET_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian packages the build, the tests and the benchmarks need.
SYSLET_PKGS=(build-essential autoconf automake libtool pkg-config clang
	check libseccomp-dev libjson-c-dev libcairo2-dev libdw-dev libelf-dev liburing-dev valgrind git sqlite3 python3 xz-utils rsync make gzip hyperfine
	libclang-rt-14-dev # clang's sanitizer and libFuzzer runtimes (only a Recommends of clang)
	clang-format       # make check-format
	libxml2-utils      # xmllint: the flame graph is well-formed XML
	strace             # counts the engine's own tries (test/preload/nomode_hint.sh)
	chromium)          # the flame graph opened in a browser (test/report/flamegraph_shot.sh)

syslet_log() { printf '== %s\n' "$*" >&2; }

# Install the packages that are missing (SYSLET_PKGS, and a caller's
# SYSLET_EXTRA_PKGS), non-interactively.
SYSLET_EXTRA_PKGS=()
syslet_deps() {
	local missing=() p
	for p in "${SYSLET_PKGS[@]}" "${SYSLET_EXTRA_PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	syslet_log "installing: ${missing[*]}"
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
}

# syslet_progress LABEL LOG CMD...: run CMD with its output in LOG and,
# while it runs, a line on stderr every SYSLET_PROGRESS_SECS seconds (30):
# how long so far and LOG's last line, so that a long make is not minutes
# of silence.  Returns CMD's status.  The ticker looks once a second
# whether CMD is still there, and so ends by itself within a second of it.
syslet_progress() {
	local label=$1 log=$2 every=${SYSLET_PROGRESS_SECS:-30} pid tick rc=0
	shift 2
	"$@" >"$log" 2>&1 &
	pid=$!
	(
		s=0
		while kill -0 "$pid" 2>/dev/null; do
			sleep 1
			s=$((s + 1))
			if [ $((s % every)) -eq 0 ] && kill -0 "$pid" 2>/dev/null; then
				printf '   ... %s: %d s, at: %s\n' "$label" "$s" \
					"$(tail -n 1 "$log" 2>/dev/null | cut -c1-60)" >&2
			fi
		done
	) &
	tick=$!
	wait "$pid" || rc=$?
	wait "$tick" || :
	return $rc
}

# syslet_build DIR [configure args...]: autoreconf once, configure DIR, make.
syslet_build() {
	local dir=$1
	shift
	if [ ! -x "$SYSLET_TOP/configure" ] ||
		[ "$SYSLET_TOP/configure.ac" -nt "$SYSLET_TOP/configure" ] ||
		[ "$SYSLET_TOP/Makefile.am" -nt "$SYSLET_TOP/Makefile.in" ]; then
		syslet_log "autoreconf"
		(cd "$SYSLET_TOP" && syslet_progress autoreconf "$SYSLET_TOP/autoreconf.log" autoreconf -fi)
	fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ "$SYSLET_TOP/configure" -nt "$dir/Makefile" ]; then
		syslet_log "configure $dir $*"
		(cd "$dir" && syslet_progress configure "$dir/configure.log" "$SYSLET_TOP/configure" -q "$@") || {
			tail -n 30 "$dir/configure.log" >&2
			return 1
		}
	fi
	syslet_log "make in $dir (output in $dir/make.log)"
	syslet_progress make "$dir/make.log" make -C "$dir" -j"$(nproc)" || {
		tail -n 30 "$dir/make.log" >&2
		return 1
	}
}
