#!/usr/bin/env python3
"""Run a command a few times; print its wall time and peak memory, one JSON line per run.

    python3 bench/measure.py [--runs N] [--stdout PATH] -- COMMAND [ARG...]

Each line holds `wall_ms` (time.perf_counter around the run), `maxrss_kb` (the child's peak
resident set, ru_maxrss from os.wait4), `user_ms`, `sys_ms` and `exit`. The child's stdout
goes to PATH (default /dev/null), its stderr to ours. Exit status: 0 if every run exited 0.

Why the detour through /bin/sh on Linux: a child started straight from Python begins life
inside Python's address space (vfork) or a copy of it (fork), and Linux keeps the larger of
that and the program's own peak as ru_maxrss, so every command would appear to use at least
Python's 10 to 15 MB. Here a small shell forks the command and exits at once; the command is
handed to us as a subreaper (prctl PR_SET_CHILD_SUBREAPER) and reaped with os.wait4, so
ru_maxrss is the command's own peak (plus the shell's few hundred kB at the fork). The
shell's start-up, about a millisecond, is inside wall_ms.
"""

import ctypes
import json
import os
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def subreaper():
    """Become the reaper of orphaned descendants; False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def once(cmd, stdout, detour):
    start = time.perf_counter()
    if detour:
        # The shell starts the command in the background, prints its pid and exits.
        launcher = subprocess.run(
            ["/bin/sh", "-c", '"$@" >"$0" </dev/null & echo $!', stdout, *cmd],
            stdout=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            check=True,
        )
        pid = int(launcher.stdout)
    else:
        with open(stdout, "wb") as out:
            pid = subprocess.Popen(cmd, stdout=out, stdin=subprocess.DEVNULL).pid
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    return {
        "wall_ms": round(wall * 1000, 3),
        "maxrss_kb": usage.ru_maxrss if sys.platform.startswith("linux") else usage.ru_maxrss // 1024,
        "user_ms": round(usage.ru_utime * 1000, 3),
        "sys_ms": round(usage.ru_stime * 1000, 3),
        "exit": os.waitstatus_to_exitcode(status),
        "clean_rss": detour,
    }


def main(argv):
    runs, stdout = 1, os.devnull
    while argv and argv[0] != "--":
        flag = argv.pop(0)
        if flag == "--runs" and argv:
            runs = int(argv.pop(0))
        elif flag == "--stdout" and argv:
            stdout = argv.pop(0)
        else:
            sys.exit(f"measure.py: unknown option {flag!r}\n{__doc__}")
    cmd = argv[1:]
    if not cmd:
        sys.exit(f"measure.py: no command\n{__doc__}")
    detour = subreaper()
    failed = False
    for i in range(runs):
        result = {"run": i + 1, **once(cmd, stdout, detour)}
        print(json.dumps(result), flush=True)
        failed |= result["exit"] != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
