"""Timing a command in a fresh process: wall seconds and peak RSS of its tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_RUNNER = (
    "import resource, subprocess, sys, time;"
    "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL);"
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of one run of `command`."""
    out = subprocess.run([sys.executable, "-c", _RUNNER, *command], cwd=cwd, check=True,
                         capture_output=True, text=True).stdout
    seconds, peak_kib = out.split()
    return float(seconds), int(peak_kib) / 1024
