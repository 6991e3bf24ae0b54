"""Work spread over the cores: the answers are those of one process."""

from __future__ import annotations

import os

import pytest

from sitegen import parallel


def _times(shared, n):
    return n * shared


def test_process_map_keeps_the_order_of_its_items():
    items = list(range(1000))
    assert parallel.process_map(_times, items, shared=3, min_items=10) == [n * 3 for n in items]


def _pids_and_doubles(part):
    return [os.getpid(), [n * 2 for n in part]]


@pytest.mark.skipif(not hasattr(os, "fork") or parallel.worker_count() < 2, reason="needs fork and two cores")
def test_in_two_does_the_second_half_in_a_child_and_gives_both_halves_in_order():
    items = list(range(50_001))
    first, second = parallel.in_two(_pids_and_doubles, items)
    assert first[0] == os.getpid() != second[0]
    assert first[1] + second[1] == [n * 2 for n in items]


def test_in_two_does_little_work_in_one_part():
    assert parallel.in_two(_pids_and_doubles, [1, 2, 3]) == [[os.getpid(), [2, 4, 6]]]


@pytest.mark.skipif(not hasattr(os, "fork") or parallel.worker_count() < 2, reason="needs fork and two cores")
def test_in_two_does_the_second_half_here_when_the_child_fails():
    parent = os.getpid()

    def only_here(part):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return sum(part)

    items = list(range(40_000))
    assert sum(parallel.in_two(only_here, items)) == sum(items)


_ORPHAN_SCRIPT = """
import os, sys, threading, time
from pathlib import Path
from sitegen import parallel

def wait_here(folder, n):
    Path(folder, str(os.getpid())).write_text("")
    time.sleep(60)
    return n

folder = sys.argv[1]
threading.Thread(target=parallel.process_map, args=(wait_here, list(range(8))),
                 kwargs={"shared": folder, "min_items": 1}, daemon=True).start()
while len(os.listdir(folder)) < 2:
    time.sleep(0.02)
os._exit(0)  # as sitegen serve leaves a rebuild that Ctrl-C cut short
"""


def _dead(pid: int) -> bool:
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


@pytest.mark.skipif(not os.path.isdir("/proc/self") or parallel.worker_count() < 2, reason="needs Linux and two cores")
def test_workers_end_when_the_process_that_forked_them_exits_without_waiting(tmp_path):
    """No worker is left behind, waiting for work from a process that is gone."""
    import subprocess
    import sys
    import time

    folder = tmp_path / "pids"
    folder.mkdir()
    subprocess.run([sys.executable, "-c", _ORPHAN_SCRIPT, str(folder)], check=True, timeout=60)
    workers = [int(name) for name in os.listdir(folder)]
    deadline = time.monotonic() + 5
    while not all(map(_dead, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in workers if not _dead(pid)]
    for pid in alive:  # (not to leave them to the rest of the suite)
        os.kill(pid, 9)
    assert workers and not alive
