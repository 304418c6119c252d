# A Python program forks from a non-main thread, and the child prints a
# line and returns from the thread: it must end and be reaped as natively
# (under the backstop it stayed a zombie).  Run by fork_thread_py.sh.
import os
import sys
import threading
import time


def forker(i):
    pid = os.fork()
    if pid == 0:
        if i % 10 == 0:
            time.sleep(0.015)  # past the backstop's listener start
        print("child", i, flush=True)
        return
    deadline = time.monotonic() + 60
    while True:
        r, status = os.waitpid(pid, os.WNOHANG)
        if r == pid:
            break
        if time.monotonic() > deadline:
            print("child", i, "still alive after 60 s", flush=True)
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            sys.exit(1)
        time.sleep(0.001)
    if status != 0:
        print("child", i, "status", status, flush=True)
        sys.exit(1)


for i in range(int(sys.argv[1])):
    t = threading.Thread(target=forker, args=(i,))
    t.start()
    t.join()
print("all reaped")
