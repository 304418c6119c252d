#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# syslet run dies of the signal that killed the program, as its caller
# would see the program die, but without a core dump of its own: with
# 'ulimit -c unlimited' the program's core is the one that matters, and
# the launcher's (it re-raises the signal) used to be written too, over
# it where core_pattern has no %p.  Skipped (77) where the program itself
# dumps no core (core_pattern, a container's limits), and in sanitizer
# builds.
. "${srcdir:-.}/test/lib.sh"
command -v python3 >/dev/null || { echo "SKIP: no python3"; exit 77; }
if nm "$syslet" 2>/dev/null | grep -q ' __asan_init'; then
	# Its runtime turns core dumps off, and its shim cannot load into sh.
	echo "SKIP: a sanitizer build"
	exit 77
fi
tl_tmp run-core
cd "$tmp" || exit 99
python3 - "$syslet" <<'PY'
import os, resource, signal, sys
soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
prog = ["/bin/sh", "-c", "kill -%s $$"]

def status(argv):
    pid = os.fork()
    if pid == 0:
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    return os.waitpid(pid, 0)[1]

fail = 0
for sig in (signal.SIGSEGV, signal.SIGABRT, signal.SIGQUIT):
    cmd = prog[:2] + [prog[2] % sig.name[3:]]
    native = status(cmd)
    if not (os.WIFSIGNALED(native) and os.WCOREDUMP(native)):
        print("SKIP: a program killed by %s dumps no core here "
              "(core_pattern %s, RLIMIT_CORE %s)" % (sig.name,
              open("/proc/sys/kernel/core_pattern").read().strip(), hard))
        sys.exit(77)
    st = status([sys.argv[1], "run", "--"] + cmd)
    if not os.WIFSIGNALED(st) or os.WTERMSIG(st) != sig:
        print("FAIL: syslet run: status %#x, not killed by %s" % (st, sig.name))
        fail = 1
    elif os.WCOREDUMP(st):
        print("FAIL: syslet run dumped its own core after %s" % sig.name)
        fail = 1
    for f in os.listdir("."):
        os.unlink(f)
if not fail:
    print("PASS: syslet run dies of the program's signal, no core of its own")
sys.exit(fail)
PY
