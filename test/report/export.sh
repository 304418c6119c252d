#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet policy export: a program observed with 'syslet run --observe'
# runs, with the same output, under the OCI profile exported from its
# report, loaded with libseccomp; a call outside the profile fails with
# EPERM.  The systemd form names the same calls.
. "${srcdir:-.}/test/report/lib.sh"
apply=$top/test/report/apply_profile
[ -x "$apply" ] || { echo "no program $apply" >&2; exit 99; }
need_foreign

printf 'line one\nline two\n' >"$tmp/in"
sort -r "$tmp/in" >"$tmp/native.out" || exit 99
"$syslet" run --no-route --observe --report "$tmp/r.json" \
	--report-table "$tmp/table" -- sort -r "$tmp/in" >"$tmp/observed.out" ||
	{ echo "FAIL: observed run"; exit 1; }
cmp -s "$tmp/native.out" "$tmp/observed.out" || { echo "FAIL: observed output differs"; exit 1; }
check "$tmp/r.json" '
o = r["observed_syscalls"]
for name in ("execve", "openat", "read", "exit_group"):
    assert o.get(name, 0) > 0, (name, o)
'
"$syslet" policy export --format oci "$tmp/r.json" >"$tmp/oci.json" ||
	{ echo "FAIL: export oci"; exit 1; }
python3 - "$tmp/oci.json" "$tmp/r.json" >"$tmp/names" <<'PY' || { echo "FAIL: OCI profile shape"; cat "$tmp/oci.json"; exit 1; }
import json, sys
p = json.load(open(sys.argv[1]))
r = json.load(open(sys.argv[2]))
assert p["defaultAction"] == "SCMP_ACT_ERRNO", p
assert p["architectures"] == ["SCMP_ARCH_X86_64"], p
assert len(p["syscalls"]) == 1 and p["syscalls"][0]["action"] == "SCMP_ACT_ALLOW"
names = p["syscalls"][0]["names"]
assert sorted(names) == sorted(r["observed_syscalls"]), names
print("\n".join(names))
PY
"$apply" "$tmp/names" exec sort -r "$tmp/in" >"$tmp/profiled.out" 2>"$tmp/err" ||
	{ echo "FAIL: sort under the exported profile failed"; cat "$tmp/err"; exit 1; }
cmp -s "$tmp/native.out" "$tmp/profiled.out" || { echo "FAIL: output differs under the profile"; exit 1; }
grep -qx mkdirat "$tmp/names" && { echo "FAIL: sort made mkdirat?"; exit 1; }
got=$("$apply" "$tmp/names" mkdirat "$tmp/newdir")
[ "$got" = EPERM ] && [ ! -e "$tmp/newdir" ] ||
	{ echo "FAIL: a call outside the profile gave '$got', not EPERM"; exit 1; }

"$syslet" policy export --format systemd "$tmp/r.json" >"$tmp/unit" ||
	{ echo "FAIL: export systemd"; exit 1; }
[ "$(sed -n 's/^SystemCallFilter=//p' "$tmp/unit" | tr ' ' '\n')" = "$(cat "$tmp/names")" ] &&
	grep -qx 'SystemCallErrorNumber=EPERM' "$tmp/unit" ||
	{ echo "FAIL: systemd form"; cat "$tmp/unit"; exit 1; }

# A report made without --observe cannot be exported: status 2, one line.
"$syslet" run --report "$tmp/plain.json" --report-table "$tmp/t2" -- true || exit 99
"$syslet" policy export --format oci "$tmp/plain.json" >/dev/null 2>"$tmp/err"
[ $? = 2 ] && [ "$(wc -l <"$tmp/err")" = 1 ] ||
	{ echo "FAIL: export of a report without observed calls"; cat "$tmp/err"; exit 1; }
echo "PASS"
