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
