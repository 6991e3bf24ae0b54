"""Timing a command in a fresh process: wall seconds, peak RSS and CPU
seconds of its tree (CPU time varies less than wall time on a shared VM)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_RUNNER = (
    "import resource, subprocess, sys, time;"
    "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
    "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
    "print(time.perf_counter() - t, u.ru_maxrss, u.ru_utime + u.ru_stime)"
)


def timed(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """(seconds, peak RSS in MiB, CPU seconds) of one run of `command`."""
    out = subprocess.run([sys.executable, "-c", _RUNNER, *command], cwd=cwd, check=True,
                         capture_output=True, text=True).stdout
    seconds, peak_kib, cpu = out.split()
    return float(seconds), int(peak_kib) / 1024, float(cpu)
