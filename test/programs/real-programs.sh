#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Real programs, run natively and under 'syslet run': stdout, stderr and the
# exit status must be the same byte for byte, and so must the files they
# write.  Each case runs its workload twice in a fresh temporary directory,
# in n/ (native) and in s/ (under the shim), with the same absolute input
# paths, so nothing in the output may differ.  One line per case:
# "ok NAME", "FAIL NAME" (with the differences), or "skip NAME: ..." when a
# program is not installed; then "N passed, N failed, N skipped".
#
# Environment: abs_top_builddir (set by 'make check') locates the launcher
# $abs_top_builddir/syslet; SYSLET overrides it (test/lib.sh, whose
# tl_run makes each run, as for the other differential tests).
# SYSLET_TEST_RUN_ARGS adds options to 'syslet run' (--policy FILE).
# SYSLET_TEST_KEEP=1 keeps the temporary directory.  Arguments: case
# names, to run only those.
set -euo pipefail

me=real-programs
# $syslet, $shim, tl_run, tl_sanitized (test/lib.sh).
. "${srcdir:-.}/test/lib.sh"
# A "must not hang" limit per run, far above a healthy run (seconds): on a
# shared machine with every CPU busy, git's case alone took over 60 s.
case_timeout=${SYSLET_TEST_TIMEOUT:-300}

export LC_ALL=C TZ=UTC
unset LANGUAGE LANG POSIXLY_CORRECT GREP_OPTIONS GZIP XZ_OPT XZ_DEFAULTS \
	MAKEFLAGS MFLAGS MAKELEVEL GIT_DIR GIT_WORK_TREE PYTHONSTARTUP \
	PYTHONHASHSEED 2>/dev/null || true

TOP=$(mktemp -d "${TMPDIR:-/tmp}/syslet-programs.XXXXXX")
cleanup() {
	if [ "${SYSLET_TEST_KEEP:-}" = 1 ]; then
		echo "# kept $TOP"
	else
		chmod -R u+rwX "$TOP" 2>/dev/null || true
		rm -rf "$TOP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

export HOME=$TOP/home
mkdir -p "$HOME"

# The shim must really be there: a test that never loaded it proves nothing.
if ! maps=$("$syslet" run -- grep -c 'libsyslet-preload' /proc/self/maps 2>&1) ||
	[ "${maps:-0}" -lt 1 ] 2>/dev/null; then
	if tl_sanitized; then
		echo "skip all: the shim is built with sanitizers ($shim)"
		echo "0 passed, 0 failed, 1 skipped"
		exit 77
	fi
	echo "$me: 'syslet run' does not load the shim: $maps" >&2
	exit 99
fi

# --- inputs, generated once, shared read-only by the cases -----------------
IN=$TOP/in
mkdir -p "$IN"

# gen_tree DIR NFILES: a tree of small text files in 23x5 directories, some
# empty, every 97th larger, plus a name with spaces, symlinks (one
# dangling), a hard link, an empty directory, odd modes, fixed mtimes.
gen_tree() {
	local dir=$1 n=$2 a b
	for a in $(seq -w 0 22); do
		for b in 0 1 2 3 4; do
			mkdir -p "$dir/d$a/s$b"
		done
	done
	awk -v root="$dir" -v n="$n" 'BEGIN {
		for (i = 0; i < n; i++) {
			f = sprintf("%s/d%02d/s%d/f%05d.txt", root, i % 23, i % 5, i)
			lines = (i * 7919) % 23
			if (i % 97 == 0)
				lines = 400
			printf "" > f
			for (j = 0; j < lines; j++)
				printf "file %d line %d value %d\n", i, j, (i * 31 + j * 17) % 1000 > f
			close(f)
		}
	}'
	printf 'a name with spaces\n' >"$dir/d00/name with spaces.txt"
	ln -s s0/f00000.txt "$dir/d00/link-to-file"
	ln -s ../nowhere "$dir/d01/dangling"
	ln "$dir/d00/s0/f00000.txt" "$dir/d00/hardlink.txt"
	mkdir "$dir/empty-dir"
	chmod 0600 "$dir/d02/s2/f00002.txt"
	chmod 0755 "$dir/d03/s3/f00003.txt"
	chmod 0700 "$dir/d04"
	find "$dir" -exec touch -h -d @1600000000 {} +
}
gen_tree "$IN/tree" 3000
# About 13 MiB of text; a short text; a sparse file.
seq -f 'line %08g of the big input file' 1 400000 >"$IN/big"
printf 'small one\nsecond line\n' >"$IN/small"
printf 'small two, no newline' >"$IN/small2"
truncate -s 48M "$IN/sparse"
printf 'data in the middle' | dd of="$IN/sparse" bs=1 seek=$((20 << 20)) conv=notrunc status=none
# 200,000 lines from a fixed seed: word, integer, float.
awk 'BEGIN {
	srand(42)
	for (i = 0; i < 200000; i++) {
		w = ""
		for (k = 0; k < 6; k++)
			w = w sprintf("%c", 97 + int(rand() * 26))
		printf "%s %d %.6f\n", w, int(rand() * 1000000), rand() * 1000
	}
}' >"$IN/lines"

# --- the harness ------------------------------------------------------------
passed=0 failed=0 skipped=0
NAME= T= LABELS=() WHY=()

# start NAME: a fresh temporary directory with n/ and s/.
start() {
	NAME=$1
	T=$(mktemp -d "$TOP/$NAME.XXXXXX")
	mkdir "$T/n" "$T/s"
	LABELS=() WHY=()
}

# need PROG...: true if all are installed, else reports the skip.
need() {
	local p
	for p in "$@"; do
		if ! command -v "$p" >/dev/null 2>&1; then
			echo "skip $NAME: $p not installed"
			skipped=$((skipped + 1))
			rm -rf "$T"
			return 1
		fi
	done
}

# pair LABEL CMD...: CMD in $T/n natively, then in $T/s under the shim;
# stdin is $T/stdin if it exists, else /dev/null.
pair() {
	local label=$1 mode in=/dev/null
	shift
	[ -e "$T/stdin" ] && in=$T/stdin
	for mode in n s; do
		local run=()
		# shellcheck disable=SC2206 # options, word-split on purpose
		[ $mode = s ] && run=("$syslet" run ${SYSLET_TEST_RUN_ARGS:-} --)
		tl_run "$T/$mode.$label" "$T/$mode" "$in" "$case_timeout" \
			${run[@]+"${run[@]}"} "$@"
	done
	LABELS+=("$label")
}

# expect_rc LABEL N: the native run must end with N (else the test itself
# is broken, and comparing would prove little).
expect_rc() {
	local got
	got=$(cat "$T/n.$1.rc")
	[ "$got" = "$2" ] || WHY+=("$1: the native run exited $got, expected $2 (test bug?); its stderr: $(head -c 600 "$T/n.$1.err")")
}

# same_tree [-T] WHAT A B: below A and B, the same names, types, modes,
# sizes, link counts, mtimes (not with -T), symlink targets and contents.
listing() {
	local fmt='%p %y %m %s %n %T@ %l\n'
	[ "$1" = -T ] && fmt='%p %y %m %s %n %l\n'
	(cd "$2" && find . -mindepth 1 -printf "$fmt" | sort)
}
same_tree() {
	local t= d
	if [ "$1" = -T ]; then
		t=-T
		shift
	fi
	local what=$1 a=$2 b=$3
	if ! d=$(diff -u --label "$a" --label "$b" <(listing "${t:--}" "$a") \
		<(listing "${t:--}" "$b") 2>&1); then
		WHY+=("$what: metadata differs: $(printf '%s\n' "$d" | head -n 30)")
	fi
	if ! d=$(diff -r --no-dereference "$a" "$b" 2>&1); then
		WHY+=("$what: contents differ: $(printf '%s\n' "$d" | head -n 30)")
	fi
}

# same_file WHAT A B
same_file() {
	cmp "$2" "$3" >/dev/null 2>&1 || WHY+=("$1: $(cmp "$2" "$3" 2>&1 | head -n 3)")
}

show_diff() {
	{ diff -a -u --label "native $2" --label "shim $2" "$T/n.$1.$2" "$T/s.$1.$2" |
		head -n 60 | cat -v; } || true
}

finish() {
	local l k
	for l in ${LABELS[@]+"${LABELS[@]}"}; do
		for k in out err rc; do
			cmp -s "$T/n.$l.$k" "$T/s.$l.$k" || WHY+=("$l: $k differs:
$(show_diff "$l" "$k")")
		done
		if tl_timed_out "$T/s.$l"; then
			WHY+=("$l: the run under the shim timed out after ${case_timeout}s")
		fi
	done
	if [ ${#WHY[@]} -eq 0 ]; then
		echo "ok $NAME"
		passed=$((passed + 1))
		[ "${SYSLET_TEST_KEEP:-}" = 1 ] || rm -rf "$T"
	else
		echo "FAIL $NAME"
		printf '%s\n' "${WHY[@]}" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
}

# script FILE: stdin to FILE (the workloads' bash scripts).
script() { cat >"$1"; }

# --- the cases ------------------------------------------------------------

case_cat() {
	start cat
	pair files cat "$IN/small" "$IN/missing" "$IN/small2" "$IN/big"
	expect_rc files 1
	cp "$IN/small" "$T/stdin"
	pair stdin cat "$IN/small2" - "$IN/small"
	expect_rc stdin 0
	script "$T/pipes.sh" <<EOF
cat "$IN/big" | cat | cat -n | tail -n 2
cat < "$IN/big" | sha256sum
cat "$IN/big" "$IN/big" > twice; echo "rc=\$?"
sha256sum twice
head -c 100000 "$IN/big" | cat - "$IN/small" | wc -c
EOF
	pair pipes bash "$T/pipes.sh"
	expect_rc pipes 0
	same_file "twice" "$T/n/twice" "$T/s/twice"
	finish
}

case_cp() {
	start cp
	script "$T/cp.sh" <<EOF
cp -a "$IN/tree" copy; echo "cp -a rc=\$?"
cp "$IN/big" big.copy; echo "cp rc=\$?"
cp --reflink=never "$IN/big" big.copy2; echo "cp rc=\$?"
cp --sparse=always "$IN/sparse" sparse.copy; echo "cp sparse rc=\$?"
cp -r "$IN/tree/d05" "$IN/tree/d06" ./; echo "cp -r rc=\$?"
cp -a "$IN/no-such" x; echo "cp missing rc=\$?"
cat "$IN/big" | cp /dev/stdin from-pipe; echo "cp pipe rc=\$?"
cmp big.copy "$IN/big" && cmp big.copy2 "$IN/big" && cmp from-pipe "$IN/big" && cmp sparse.copy "$IN/sparse" && echo same
(cd copy && find . -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum
stat -c '%s %b' sparse.copy
EOF
	pair cp bash "$T/cp.sh"
	expect_rc cp 0
	same_tree "cp -a copy vs source (native)" "$IN/tree" "$T/n/copy"
	same_tree "cp -a copy vs source (shim)" "$IN/tree" "$T/s/copy"
	same_tree -T "cp -r d05" "$T/n/d05" "$T/s/d05"
	same_file "big.copy" "$T/n/big.copy" "$T/s/big.copy"
	same_file "sparse.copy" "$T/n/sparse.copy" "$T/s/sparse.copy"
	finish
}

case_dd() {
	start dd
	script "$T/dd.sh" <<EOF
dd if=/dev/zero of=zero.bin bs=4k count=2560 status=none; echo "rc=\$?"
dd if="$IN/big" of=part.bin bs=4k skip=7 count=500 status=none; echo "rc=\$?"
dd if="$IN/big" bs=4k count=300 status=none | sha256sum
dd if="$IN/big" bs=64k status=none | dd of=piped.bin bs=4k status=none; echo "rc=\$?"
dd if="$IN/big" of=fsync.bin bs=1M conv=fsync status=none; echo "rc=\$?"
dd if="$IN/big" of=records.bin bs=4k count=123 status=noxfer; echo "rc=\$?"
dd if="$IN/big" bs=1k count=1 skip=1000 iflag=skip_bytes status=none | od -c | head -n 2
dd if=/dev/zero bs=4k count=256 status=none | dd of=zp.bin bs=4k iflag=fullblock status=none
dd if="$IN/no-such" of=x status=none; echo "rc=\$?"
sha256sum zero.bin part.bin piped.bin fsync.bin records.bin zp.bin
EOF
	pair dd bash "$T/dd.sh"
	expect_rc dd 0
	same_file "piped.bin vs input" "$T/s/piped.bin" "$IN/big"
	same_file "fsync.bin vs input" "$T/s/fsync.bin" "$IN/big"
	finish
}

case_sort() {
	start sort
	pair plain sort "$IN/lines"
	expect_rc plain 0
	script "$T/sort.sh" <<EOF
sort -k2,2n -k1,1 "$IN/lines" | sha256sum
sort -k2,2n -k1,1 "$IN/lines" | head -n 3
sort -u -k1,1 "$IN/lines" | wc -l
sort -S 512K -T . --parallel=2 -k3,3g "$IN/lines" | sha256sum
sort -r -S 1M -T . "$IN/lines" > sorted.txt; echo "rc=\$?"
sort -c "$IN/lines"; echo "sort -c rc=\$?"
sort -m <(sort "$IN/lines" | head -n 1000) <(sort -r "$IN/lines" | head -n 1000 | sort) | sha256sum
ls | sort
EOF
	pair sort bash "$T/sort.sh"
	expect_rc sort 0
	same_file "sorted.txt" "$T/n/sorted.txt" "$T/s/sorted.txt"
	finish
}

case_find() {
	start find
	script "$T/find.sh" <<EOF
find "$IN/tree" | sort | sha256sum
find "$IN/tree" -type f | wc -l
find "$IN/tree" -type f -name 'f*7.txt' -size +1k -printf '%P %s %m\n' | sort
find "$IN/tree" -type l -printf '%P -> %l\n' | sort
find "$IN/tree" -empty -printf '%P %y\n' | sort | head -n 20
find "$IN/tree" -perm -0700 -type f -printf '%P\n' | sort
find "$IN/tree" -type f -exec grep -l 'value 5' {} + | sort | wc -l
find "$IN/tree" -maxdepth 1 -printf '%f %y %m\n' | sort
find -L "$IN/tree/d00" -printf '%P %y\n' | sort
find "$IN/tree" -newermt @1600000001 | wc -l
find "$IN/no-such"; echo "rc=\$?"
EOF
	pair find bash "$T/find.sh"
	expect_rc find 0
	pair direct find "$IN/tree" -name 'f*3.txt' -printf '%P %s\n'
	expect_rc direct 0
	finish
}

case_tar() {
	start tar
	local opts="--sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner"
	script "$T/tar.sh" <<EOF
tar $opts -cf t.tar -C "$IN" tree; echo "create rc=\$?"
sha256sum t.tar
tar -tvf t.tar | sha256sum
tar -tvf t.tar | head -n 5
mkdir x; tar -xf t.tar -C x; echo "extract rc=\$?"
tar -df t.tar -C x; echo "compare rc=\$?"
mkdir x2; tar $opts -cf - -C "$IN" tree | tar -xf - -C x2; echo "pipe rc=\$?"
tar $opts -I 'gzip -n' -cf t.tgz -C "$IN" tree; echo "gz rc=\$?"
sha256sum t.tgz
tar -xzf t.tgz --to-stdout tree/d00/s0/f00000.txt | tail -n 1
tar -xf t.tar -C x tree/no-such; echo "missing member rc=\$?"
EOF
	pair tar bash "$T/tar.sh"
	expect_rc tar 0
	same_file "t.tar" "$T/n/t.tar" "$T/s/t.tar"
	same_tree "extracted tree" "$T/n/x" "$T/s/x"
	same_tree "extracted tree, through a pipe" "$T/n/x2" "$T/s/x2"
	if ! d=$(diff -r --no-dereference "$IN/tree" "$T/s/x/tree" 2>&1); then
		WHY+=("extracted (shim) vs source: $(printf '%s\n' "$d" | head -n 20)")
	fi
	finish
}

case_sha256sum() {
	start sha256sum
	script "$T/sha.sh" <<EOF
find "$IN/tree" -type f -print0 | sort -z | xargs -0 sha256sum > sums; echo "rc=\$?"
wc -l < sums
sha256sum sums
head -n 3 sums
sha256sum -c --quiet sums; echo "check rc=\$?"
sed '5s/^./0/' sums > bad-sums
sha256sum -c --quiet bad-sums; echo "bad check rc=\$?"
find "$IN/tree" -type f -print0 | sort -z | xargs -0 -n 50 -P 2 sha256sum | sort | sha256sum
sha256sum "$IN/big" - < "$IN/small"
sha256sum "$IN/no-such"; echo "rc=\$?"
EOF
	pair sha bash "$T/sha.sh"
	expect_rc sha 0
	pair direct sha256sum "$IN/big" "$IN/lines" "$IN/sparse"
	expect_rc direct 0
	finish
}

case_git() {
	start git
	need git || return 0
	script "$T/git.sh" <<EOF
export GIT_AUTHOR_NAME='A U Thor' GIT_AUTHOR_EMAIL=author@example.com
export GIT_COMMITTER_NAME='C O Mitter' GIT_COMMITTER_EMAIL=committer@example.com
export GIT_AUTHOR_DATE='2005-04-07T22:13:13 +0000' GIT_COMMITTER_DATE='2005-04-07T22:13:13 +0000'
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_TERMINAL_PROMPT=0
git init -q -b main repo; echo "init rc=\$?"
cd repo
git config gc.autoDetach false
git config core.fsync all
cp -a "$IN/tree/." .
git add -A; echo "add rc=\$?"
git commit -q -m 'import the tree'; echo "commit rc=\$?"
git rev-parse HEAD
git checkout -q -b feature
sed -i 's/value 1/VALUE 1/' d01/s1/*.txt d02/s3/*.txt
git rm -q d05/s0/f00005.txt
git commit -q -am 'feature: change values'; echo "commit rc=\$?"
git checkout -q main
printf 'new file\n' > new.txt
git add new.txt
git commit -q -m 'main: add a file'
git merge --no-ff -m 'merge feature' feature; echo "merge rc=\$?"
git log --graph --format='%H %an <%ae> %ad %s' --date=iso
git log --stat -n 1 HEAD^2 | tail -n 4
git diff --stat HEAD~1 HEAD | tail -n 1
git tag -a v1 -m 'tag v1'
git describe
git gc --quiet; echo "gc rc=\$?"
git fsck --full --strict --no-progress; echo "fsck rc=\$?"
git count-objects -v | grep -E '^(count|in-pack|packs|garbage):'
git status --porcelain
git ls-files | wc -l
git rev-list --all --objects | wc -l
git archive --format=tar HEAD | sha256sum
git grep -c 'VALUE 1' HEAD -- d01 | head -n 3
git clone -q --no-local . ../clone; echo "clone rc=\$?"
git -C ../clone log --oneline | wc -l
git -C ../clone fsck --no-progress; echo "clone fsck rc=\$?"
git show --stat HEAD~5 2>&1; echo "bad rev rc=\$?"
EOF
	pair git bash "$T/git.sh"
	expect_rc git 0
	finish
}

case_sqlite3() {
	start sqlite3
	need sqlite3 || return 0
	cat >"$T/stdin" <<'EOF'
PRAGMA journal_mode=WAL;
PRAGMA foreign_keys=ON;
CREATE TABLE customer(id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT);
CREATE TABLE orders(id INTEGER PRIMARY KEY,
	customer_id INTEGER REFERENCES customer(id), amount INTEGER, note TEXT);
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000)
INSERT INTO customer SELECT i, 'cust' || i, 'city' || (i % 37) FROM c;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 6000)
INSERT INTO orders SELECT i, 1 + (i * 7919) % 2000, (i * 104729) % 10007,
	hex(zeroblob(i % 50)) FROM c;
COMMIT;
CREATE INDEX orders_customer ON orders(customer_id);
CREATE INDEX customer_city ON customer(city);
BEGIN;
UPDATE orders SET amount = amount + 1 WHERE id % 3 = 0;
ROLLBACK;
BEGIN;
DELETE FROM orders WHERE amount < 100;
SAVEPOINT sp;
UPDATE customer SET city = 'nowhere';
ROLLBACK TO sp;
RELEASE sp;
COMMIT;
SELECT count(*), sum(amount), min(amount), max(amount) FROM orders;
SELECT c.city, count(o.id), sum(o.amount)
	FROM customer c JOIN orders o ON o.customer_id = c.id
	GROUP BY c.city ORDER BY c.city LIMIT 8;
SELECT c.name, o.amount FROM customer c JOIN orders o ON o.customer_id = c.id
	WHERE c.city = 'city7' ORDER BY o.amount DESC, c.name LIMIT 5;
EXPLAIN QUERY PLAN SELECT * FROM orders WHERE customer_id = 42;
PRAGMA wal_checkpoint(TRUNCATE);
PRAGMA journal_mode=DELETE;
VACUUM;
PRAGMA integrity_check;
PRAGMA foreign_key_check;
.sha3sum
INSERT INTO customer VALUES (1, 'duplicate', 'x');
SELECT 'after the error', count(*) FROM customer;
EOF
	pair script sqlite3 db.sqlite
	expect_rc script 1
	script "$T/concurrent.sh" <<'EOF'
sqlite3 db.sqlite 'PRAGMA journal_mode=DELETE; CREATE TABLE IF NOT EXISTS t(w INTEGER, i INTEGER);' >/dev/null
for w in 1 2 3; do
	sqlite3 -cmd '.timeout 20000' db.sqlite "BEGIN IMMEDIATE;
		WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 1500)
		INSERT INTO t SELECT $w, i FROM c; COMMIT;" &
done
wait
sqlite3 db.sqlite 'SELECT w, count(*), sum(i) FROM t GROUP BY w ORDER BY w; PRAGMA integrity_check;'
EOF
	rm "$T/stdin"
	mkdir "$T/n/c" "$T/s/c"
	pair concurrent bash -c 'cd c && exec bash "$1"' bash "$T/concurrent.sh"
	expect_rc concurrent 0
	finish
}

case_python3() {
	start python3
	local py=
	if [ -x /usr/bin/python3 ]; then
		py=/usr/bin/python3
	else
		need python3 || return 0
		py=python3
	fi
	cat >"$T/io.py" <<'EOF'
import hashlib, multiprocessing, os, selectors, socket, subprocess, sys, threading, time

def digest(b):
    return hashlib.sha256(b).hexdigest()[:16]

results = {}
lock = threading.Lock()

def note(key, value):
    with lock:
        results[key] = value

# 1. Threaded file I/O: each thread writes, fsyncs and reads back its own
# file; all of them pwrite disjoint blocks of one shared file.
shared = os.open("shared.bin", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)

def file_worker(k):
    block = bytes((i * (k + 3) + k) & 0xFF for i in range(65536))
    name = "t%d.bin" % k
    with open(name, "wb") as f:
        for _ in range(24):
            f.write(block)
        f.flush()
        os.fsync(f.fileno())
    h = hashlib.sha256()
    with open(name, "rb", buffering=0) as f:
        while True:
            chunk = f.read(50000)
            if not chunk:
                break
            h.update(chunk)
    fd = os.open(name, os.O_RDONLY)
    tail = os.pread(fd, 100, 24 * 65536 - 100)
    os.close(fd)
    for r in range(8):
        os.pwrite(shared, block[:4096], (r * 8 + k) * 4096)
    note("file%d" % k, (os.path.getsize(name), h.hexdigest()[:16], digest(tail)))

threads = [threading.Thread(target=file_worker, args=(k,)) for k in range(6)]
for t in threads: t.start()
for t in threads: t.join()
os.fsync(shared)
os.close(shared)
with open("shared.bin", "rb") as f:
    note("shared", digest(f.read()))

# 2. A socketpair: one thread streams 4 MiB, the other reads to EOF, then
# they swap roles.
def stream(sock, n, seed):
    data = bytes((i * seed) & 0xFF for i in range(65536))
    sent = 0
    while sent < n:
        sent += sock.send(data[: min(len(data), n - sent)])
    sock.shutdown(socket.SHUT_WR)

def drain(sock, key):
    h = hashlib.sha256()
    total = 0
    while True:
        b = sock.recv(32768)
        if not b:
            break
        total += len(b)
        h.update(b)
    note(key, (total, h.hexdigest()[:16]))

a, b = socket.socketpair()
ts = [threading.Thread(target=stream, args=(a, 4 << 20, 7)),
      threading.Thread(target=drain, args=(b, "pair a->b"))]
for t in ts: t.start()
for t in ts: t.join()
ts = [threading.Thread(target=stream, args=(b, 3 << 20, 11)),
      threading.Thread(target=drain, args=(a, "pair b->a"))]
for t in ts: t.start()
for t in ts: t.join()
a.close(); b.close()

# 3. Loopback TCP on an ephemeral port: a server thread per connection
# answers with the count and digest of what it got; four clients at once.
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(8)
port = srv.getsockname()[1]

def serve_one(conn):
    h = hashlib.sha256()
    total = 0
    while True:
        b = conn.recv(65536)
        if not b:
            break
        total += len(b)
        h.update(b)
    conn.sendall(("%d %s\n" % (total, h.hexdigest()[:16])).encode())
    conn.close()

def server(n):
    workers = []
    for _ in range(n):
        conn, _ = srv.accept()
        t = threading.Thread(target=serve_one, args=(conn,))
        t.start()
        workers.append(t)
    for t in workers: t.join()

def client(k):
    c = socket.create_connection(("127.0.0.1", port))
    data = bytes((i + k) & 0xFF for i in range(100000))
    for _ in range(20 + k):
        c.sendall(data)
    c.shutdown(socket.SHUT_WR)
    reply = b""
    while not reply.endswith(b"\n"):
        b = c.recv(100)
        if not b:
            break
        reply += b
    c.close()
    note("tcp%d" % k, reply.decode().strip())

st = threading.Thread(target=server, args=(4,))
st.start()
cs = [threading.Thread(target=client, args=(k,)) for k in range(4)]
for t in cs: t.start()
for t in cs: t.join()
st.join()
srv.close()

# 4. Loopback UDP, and a selector with a timeout.
u1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u1.bind(("127.0.0.1", 0))
u2.bind(("127.0.0.1", 0))
got = []
for i in range(50):
    u1.sendto(b"datagram %d" % i, u2.getsockname())
    data, addr = u2.recvfrom(100)
    got.append(data)
note("udp", (len(got), digest(b"".join(got))))
sel = selectors.DefaultSelector()
sel.register(u1, selectors.EVENT_READ)
t0 = time.monotonic()
events = sel.select(timeout=0.05)
note("select", (len(events), time.monotonic() - t0 >= 0.045))
sel.close(); u1.close(); u2.close()
time.sleep(0.02)

# 5. Subprocesses: a shell pipeline, a pipe between two children, a child
# fed and drained at once (communicate), an exit status.
r = subprocess.run("seq 1 200000 | sort -nr | head -n 3", shell=True,
                   capture_output=True, text=True)
note("pipeline", (r.returncode, r.stdout.split(), r.stderr))
p1 = subprocess.Popen(["seq", "1", "50000"], stdout=subprocess.PIPE)
p2 = subprocess.Popen(["sha256sum"], stdin=p1.stdout, stdout=subprocess.PIPE)
p1.stdout.close()
out = p2.communicate()[0]
note("popen", (p1.wait(), p2.returncode, out.split()[0][:16].decode()))
big = b"".join(b"line %d of the input\n" % i for i in range(60000))
r = subprocess.run(["tr", "a-z", "A-Z"], input=big, capture_output=True)
note("communicate", (r.returncode, len(r.stdout), digest(r.stdout)))
note("exit", subprocess.run(["sh", "-c", "exit 3"]).returncode)

# 6. A process pool (fork).
def square(x):
    return x * x

if __name__ == "__main__":
    with multiprocessing.get_context("fork").Pool(2) as pool:
        note("pool", sum(pool.map(square, range(2000))))

# 7. A 1 ms interval timer whose handler (CPython installs it without
# SA_RESTART) lands in pipe reads and writes, file writes and a sleep.
import signal
ticks = [0]
def tick(sig, frame):
    ticks[0] += 1
signal.signal(signal.SIGALRM, tick)
signal.setitimer(signal.ITIMER_REAL, 0.001, 0.001)
rp, wp = os.pipe()
def pump():
    for i in range(2000):
        os.write(wp, b"%05d" % i * 100)
    os.close(wp)
th = threading.Thread(target=pump)
th.start()
h = hashlib.sha256()
with open("ticks.bin", "wb") as f:
    while True:
        b = os.read(rp, 4096)
        if not b:
            break
        h.update(b)
        f.write(b)
th.join()
os.close(rp)
t0 = time.monotonic()
time.sleep(0.05)
slept = time.monotonic() - t0 >= 0.05
signal.setitimer(signal.ITIMER_REAL, 0, 0)
with open("ticks.bin", "rb") as f:
    note("signals", (h.hexdigest()[:16], digest(f.read()), slept, ticks[0] > 0))

for k in sorted(results):
    print(k, results[k])
print("done", file=sys.stderr)
sys.exit(5)
EOF
	pair io "$py" "$T/io.py"
	expect_rc io 5
	finish
}

case_bash() {
	start bash
	script "$T/jobs.sh" <<'EOF'
set -o pipefail
echo "sum: $(seq 1 1000 | awk '{ s += $1 } END { print s }')"
seq 1 100000 | grep -c 7
seq 1 100000 | head -n 1 >/dev/null; echo "pipefail rc=$?"
false | true; echo "false|true rc=$?"
( cd /; echo "subshell pwd: $PWD"; exit 4 ); echo "subshell rc=$?"
diff <(seq 1 5) <(seq 1 6); echo "diff rc=$?"
while read -r a b; do echo "$b $a"; done <<END
one 1
two 2
END
tr a-z A-Z <<-'END'
	here-doc $NOT_EXPANDED `nor this`
END
x=$(echo nested $(echo command $(echo substitution)))
echo "$x"
pids=()
for i in 1 2 3 4; do
	( sleep 0.0$i; echo "job $i" >"job$i.out"; exit $i ) &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; echo "wait rc=$?"; done
cat job*.out
# Gates: a FIFO held open read-write here (so that a write never blocks
# nor is lost), removed at once; the gated side gives up after 60 s, so
# that nothing is left waiting if this shell dies.  Job 9 cannot end
# before job 8 has been waited for.
mkfifo gate; exec {g}<>gate; rm gate
{ read -r -t 60 _ <&$g; exit 9; } &
{ exit 8; } &
wait -n; echo "wait -n rc=$?"
echo >&$g
wait; echo "wait rc=$?"
exec {g}>&-
seq 1 2000 | { n=0; while read -r l; do n=$((n + l)); done; echo "read loop sum $n"; }
coproc SQ { while read -r v; do echo $((v * v)); done; }
for v in 3 12 40; do echo "$v" >&"${SQ[1]}"; read -r y <&"${SQ[0]}"; echo "coproc $v -> $y"; done
sqpid=$SQ_PID
exec {SQ[1]}>&-
wait "$sqpid"; echo "coproc rc=$?"
mapfile -t arr < <(printf '%s\n' c b a | sort); echo "mapfile: ${arr[*]}"
seq 1 10000 >nums
tee >(sha256sum >sum.txt) <nums >/dev/null
wait $!; cat sum.txt
sleep 5 & k=$!
kill -TERM "$k"; wait "$k"; echo "killed rc=$?"
timeout 0.2 sleep 5; echo "timeout rc=$?"
# Nothing is written until read -t has timed out.
mkfifo gate; exec {g}<>gate; rm gate
{ read -r -t 60 _ <&$g; echo late; } | { read -r -t 0.05 v; echo "read -t rc=$?"; echo >&$g; cat; }
exec {g}>&-
echo "to stderr" >&2
trap 'echo "EXIT trap"' EXIT
exit 7
EOF
	pair jobs bash "$T/jobs.sh"
	expect_rc jobs 7
	finish
}

case_gzip() {
	start gzip
	need gzip gunzip || return 0
	script "$T/gzip.sh" <<EOF
gzip -n -c "$IN/big" > big.gz; echo "rc=\$?"
sha256sum big.gz
gzip -l big.gz
gunzip -c big.gz | cmp - "$IN/big"; echo "cmp rc=\$?"
cp "$IN/big" b2; gzip -9 b2; echo "rc=\$?"; gunzip b2.gz; cmp b2 "$IN/big"; echo "round trip rc=\$?"
gzip -t big.gz; echo "test rc=\$?"
cat "$IN/big" | gzip -n -1 | gzip -dc | sha256sum
printf 'not gzip data' | gzip -dc; echo "bad rc=\$?"
gzip -n -c "$IN/lines" "$IN/small" > two.gz; zcat two.gz | sha256sum
EOF
	pair gzip bash "$T/gzip.sh"
	expect_rc gzip 0
	finish
}

case_xz() {
	start xz
	need xz || return 0
	script "$T/xz.sh" <<EOF
xz -T2 -1 --block-size=1MiB -c "$IN/big" > big.xz; echo "rc=\$?"
sha256sum big.xz
xz -l big.xz
xz -T2 -dc big.xz | cmp - "$IN/big"; echo "cmp rc=\$?"
xz -dc big.xz | sha256sum
cat "$IN/lines" | xz -0 | xz -d | sha256sum
xz -t big.xz; echo "test rc=\$?"
printf 'not xz data' | xz -dc; echo "bad rc=\$?"
EOF
	pair xz bash "$T/xz.sh"
	expect_rc xz 0
	finish
}

case_make() {
	start make
	need make || return 0
	local d
	for d in n s; do
		mkdir -p "$T/$d/src" "$T/$d/sub"
		for i in 1 2 3 4 5 6 7 8; do
			seq -f "part $i line %g" 1 $((i * 500)) >"$T/$d/src/p$i.in"
		done
		touch -d @1600000000 "$T/$d"/src/*.in
		printf '%s\n' \
			'SRCS := $(sort $(wildcard src/*.in))' \
			'OUTS := $(SRCS:src/%.in=out/%.out)' \
			'all: result.txt sub' \
			'result.txt: $(OUTS)' \
			'	cat $(OUTS) | sha256sum > $@' \
			'	@echo "built from $(words $(OUTS)) parts"' \
			'out/%.out: src/%.in | out' \
			'	tr a-z A-Z < $< > $@' \
			'	@sleep 0.02' \
			'out:' \
			'	mkdir -p $@' \
			'sub:' \
			'	@$(MAKE) --no-print-directory -C sub' \
			'fail:' \
			'	@echo about to fail; exit 3' \
			'.PHONY: all sub fail' >"$T/$d/Makefile"
		printf '%s\n' \
			'all: a b c' \
			'a b c:' \
			'	@echo $@ > $@.txt' \
			'.PHONY: all a b c' >"$T/$d/sub/Makefile"
	done
	script "$T/make.sh" <<'EOF'
make -s -j2; echo "rc=$?"
cat result.txt sub/a.txt sub/b.txt sub/c.txt
make -j2 result.txt; echo "again rc=$?"
make -q result.txt; echo "question rc=$?"
touch src/p3.in
make -q result.txt; echo "question rc=$?"
make -s -j2 result.txt; echo "rebuild rc=$?"
make -s -j2 fail; echo "fail rc=$?"
make -s -j2 -k no-such-target; echo "no target rc=$?"
EOF
	pair make bash "$T/make.sh"
	expect_rc make 0
	same_tree -T "make outputs" "$T/n/out" "$T/s/out"
	finish
}

case_grep() {
	start grep
	script "$T/grep.sh" <<EOF
grep -rn 'value 777' "$IN/tree" | sort | head -n 10
grep -rc 'line 3 ' "$IN/tree" | sort | sha256sum
grep -rl --include='*.txt' -e 'value 99[0-9]' "$IN/tree" | sort | wc -l
grep -rhoE 'value [0-9]+' "$IN/tree" | sort | uniq -c | sort -k1,1nr -k2 | head -n 5
grep -r no-match-anywhere "$IN/tree"; echo "no match rc=\$?"
grep -rn x "$IN/no-such"; echo "missing rc=\$?"
grep -R -c 'file 0 ' "$IN/tree/d00" | sort
grep -q 'line 399 ' "$IN/big"; echo "-q rc=\$?"
grep -F -x -f <(head -n 50 "$IN/lines") "$IN/lines" | wc -l
EOF
	pair grep bash "$T/grep.sh"
	expect_rc grep 0
	finish
}

case_rsync() {
	start rsync
	need rsync || return 0
	script "$T/rsync.sh" <<EOF
rsync -a "$IN/tree/" copy/; echo "rc=\$?"
rsync -ai --delete "$IN/tree/" copy/; echo "no-op rc=\$?"
echo changed >> copy/d01/s1/f00001.txt
rm copy/d02/s2/f00002.txt
touch -d @0 copy/d03/s3/f00003.txt
mkdir copy/extra; echo x > copy/extra/file
rsync -ai --delete "$IN/tree/" copy/; echo "update rc=\$?"
rsync -a --checksum "$IN/tree/" copy/; echo "checksum rc=\$?"
rsync -aH "$IN/tree/" hard/; echo "hard links rc=\$?"
rsync -a "$IN/big" "$IN/lines" files/; echo "files rc=\$?"
cmp files/big "$IN/big" && cmp files/lines "$IN/lines" && echo same
rsync -a "$IN/no-such/" x/; echo "missing rc=\$?"
EOF
	pair rsync bash "$T/rsync.sh"
	expect_rc rsync 0
	# -a without -H makes hard links separate files: compare contents only.
	diff -r --no-dereference "$IN/tree" "$T/s/copy" >/dev/null 2>&1 ||
		WHY+=("rsync -a copy (shim): contents differ from the source")
	same_tree "rsync -a copy" "$T/n/copy" "$T/s/copy"
	same_tree "rsync -aH copy" "$T/n/hard" "$T/s/hard"
	finish
}

all_cases=(cat cp dd sort find tar sha256sum git sqlite3 python3 bash gzip xz
	make grep rsync)
if [ $# -gt 0 ]; then
	all_cases=("$@")
fi
for c in "${all_cases[@]}"; do
	"case_$c"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
