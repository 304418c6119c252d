#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet report on files that are not reports: each is refused with exit
# status 2 and one line "syslet report: FILE: reason", nothing printed,
# no crash; the same in every mode.  test/report/regress/ holds inputs
# the fuzzer (scripts/fuzz-report) found: bad-* are refused, good-* read.
. "${srcdir:-.}/test/report/lib.sh"

make_reports
mkdir "$tmp/bad" "$tmp/dir"
python3 - "$tmp" <<'PY' || { echo "FAIL: making the bad files"; exit 1; }
import copy, json, sys
tmp = sys.argv[1]
good = json.load(open(tmp + "/b.json"))
text = open(tmp + "/b.json").read()
def put(name, data):
    open("%s/bad/%s" % (tmp, name), "w").write(data)
def edit(name, f):
    r = copy.deepcopy(good)
    f(r)
    put(name, json.dumps(r))
put("empty", "")
put("truncated", text[: len(text) // 2])
put("array", "[1, 2, 3]")
put("string", '"syslet-report/1"')
put("null", "null")
put("garbage", "\x00\x01binary\xff")
put("trailing", text + "{}")
call = lambda r: r["processes"][1]["syscalls"]["read"]
# Call sites and threads (schema 2): the read's sites in the child.
site = lambda r: r["processes"][1]["sites"][0]
frame = lambda r: site(r)["frames"][0]
thread = lambda r: r["processes"][1]["thread_list"][0]
for name, f in {
    "schema_other": lambda r: r.update(schema="strace-report/1"),
    "schema_v3": lambda r: r.update(schema="syslet-report/3"),
    "schema_missing": lambda r: r.pop("schema"),
    "schema_int": lambda r: r.update(schema=1),
    "buckets": lambda r: r.update(hist_buckets=41),
    "processes_object": lambda r: r.update(processes={}),
    "process_string": lambda r: r["processes"].append("x"),
    "pid_negative": lambda r: r["processes"][0].update(pid=-1),
    "pid_huge": lambda r: r["processes"][0].update(pid=2**40),
    "threads_float": lambda r: r["processes"][0].update(threads=1.5),
    "images_ints": lambda r: r["processes"][0].update(images=[1]),
    "syscalls_array": lambda r: r["processes"][0].update(syscalls=[]),
    "calls_string": lambda r: call(r).update(calls="8"),
    "calls_null": lambda r: call(r).update(calls=None),
    "calls_negative": lambda r: call(r).update(calls=-8),
    "routes_missing": lambda r: call(r)["routes"].pop("helper"),
    "hist_short": lambda r: call(r)["hist_log2_ns"].pop(),
    "hist_bool": lambda r: call(r)["hist_log2_ns"].__setitem__(3, True),
    "nr_wrong": lambda r: call(r).update(nr=1),
    "nr_range": lambda r: call(r).update(nr=100000),
    "exit_string": lambda r: r["exit"].update(code="0"),
    "argv_nested": lambda r: r.update(argv=[["x"]]),
    "sites_object": lambda r: r["processes"][1].update(sites={}),
    "site_string": lambda r: r["processes"][1]["sites"].append("x"),
    "site_frames_none": lambda r: site(r).update(frames=[]),
    "site_frames_many": lambda r: site(r).update(frames=site(r)["frames"] * 17),
    "site_nr_wrong": lambda r: site(r).update(nr=1),
    "site_tids_many": lambda r: site(r).update(tids=list(range(17))),
    "site_tid_negative": lambda r: site(r).update(tids=[-1]),
    "site_blocked_float": lambda r: site(r).update(blocked_ns=0.5),
    "frame_offset_missing": lambda r: frame(r).pop("offset"),
    "frame_function_int": lambda r: frame(r).update(function=3),
    "frame_line_negative": lambda r: frame(r).update(line=-1),
    "thread_loop_int": lambda r: thread(r).update(event_loop=1),
    "thread_name_missing": lambda r: thread(r).pop("name"),
    "threads_list_object": lambda r: r["processes"][1].update(thread_list={}),
    "sites_lost_string": lambda r: r["processes"][1].update(sites_lost="0"),
    "newline_key": lambda r: r["processes"][1]["syscalls"].update({"re\nad\x1b[2J": 1}),
}.items():
    edit(name, f)
PY
cp "$srcdir"/test/report/regress/bad-* "$tmp/bad/" 2>/dev/null
fails=0
for f in "$tmp"/bad/* "$tmp/dir" "$tmp/missing"; do
	for mode in "" "--per-process" "--merge $tmp/out.json" "--png $tmp/out.png" \
		"--sites" "--threads" "--folded $tmp/out.folded" \
		"--flamegraph $tmp/out.svg"; do
		# shellcheck disable=SC2086 # $mode is words
		"$syslet" report $mode "$tmp/a.json" "$f" >"$tmp/out" 2>"$tmp/err"
		rc=$?
		if [ $rc != 2 ] || [ -s "$tmp/out" ] || [ "$(wc -l <"$tmp/err")" != 1 ] ||
			! grep -q "^syslet report: $f: ." "$tmp/err" ||
			[ -e "$tmp/out.json" ] || [ -e "$tmp/out.png" ] ||
			[ -e "$tmp/out.folded" ] || [ -e "$tmp/out.svg" ]; then
			echo "FAIL: $f ($mode): status $rc"
			cat "$tmp/err"
			fails=$((fails + 1))
		fi
	done
	"$syslet" report --compare "$f" "$tmp/a.json" >/dev/null 2>&1
	[ $? = 2 ] || { echo "FAIL: --compare $f"; fails=$((fails + 1)); }
	cat "$tmp/err"
done
# What the fuzzer found that is a report: read, merged, read back.
for f in "$srcdir"/test/report/regress/good-*; do
	[ -e "$f" ] || continue
	"$syslet" report "$f" >/dev/null &&
		"$syslet" report --merge "$tmp/g.json" "$f" &&
		"$syslet" report "$tmp/g.json" >/dev/null ||
		{ echo "FAIL: $f"; fails=$((fails + 1)); }
	rm -f "$tmp/g.json"
done
[ $fails = 0 ] || exit 1
echo "PASS"
