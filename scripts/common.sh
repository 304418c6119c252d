# shellcheck shell=bash
# Shared by scripts/test, scripts/demo and scripts/bench: install what the
# build needs (Debian 12), then configure and build one tree.

SYSLET_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian packages the build, the tests and the benchmarks need.
SYSLET_PKGS=(build-essential autoconf automake libtool pkg-config clang
	check libseccomp-dev libjson-c-dev libcairo2-dev liburing-dev valgrind git sqlite3 python3 xz-utils rsync make gzip hyperfine
	libclang-rt-14-dev # clang's sanitizer and libFuzzer runtimes (only a Recommends of clang)
	clang-format)      # make check-format

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

# syslet_build DIR [configure args...]: autoreconf once, configure DIR, make.
syslet_build() {
	local dir=$1
	shift
	if [ ! -x "$SYSLET_TOP/configure" ] ||
		[ "$SYSLET_TOP/configure.ac" -nt "$SYSLET_TOP/configure" ] ||
		[ "$SYSLET_TOP/Makefile.am" -nt "$SYSLET_TOP/Makefile.in" ]; then
		syslet_log "autoreconf"
		(cd "$SYSLET_TOP" && autoreconf -fi >/dev/null)
	fi
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ "$SYSLET_TOP/configure" -nt "$dir/Makefile" ]; then
		syslet_log "configure $dir $*"
		(cd "$dir" && "$SYSLET_TOP/configure" -q "$@")
	fi
	syslet_log "make in $dir"
	make -C "$dir" -j"$(nproc)" >/dev/null
}
