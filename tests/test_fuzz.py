"""Fuzz tests: no input makes a parser raise anything but SitegenError, take
more than a couple of seconds, or put markup of its own into a page.

Each parser gets inputs built from the pieces that matter to it (see
tests/fuzz_targets.py). The suite runs a few hundred examples per parser
(profile "ci"); HYPOTHESIS_PROFILE=thorough runs more, and bench/fuzz.py
runs 100,000 per parser. Crashes found by those longer runs are kept below
as explicit examples, and as plain tests where they need large inputs.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import example, given, settings

from fuzz_targets import TARGETS, run_check
from sitegen.collectors import blocks, checklists, reports
from sitegen.collectors.checklists import parse_document

PRIORITIES = {"critical": "P1", "high": "P2", "medium": "P3", "low": "P4", "info": "P4"}


def fuzz(name: str, share: float = 1.0):
    """A test that runs target `name` on its strategy; `share` scales the
    profile's number of examples for the slower targets."""
    strategy, _ = TARGETS[name]

    @settings(max_examples=max(10, int(settings.default.max_examples * share)))
    @given(strategy)
    def test(example):
        run_check(name, example)

    test.__name__ = f"test_{name}_never_crashes"
    return test


test_checklist = fuzz("checklist", 0.5)
test_report = fuzz("report", 0.5)
test_sarif = fuzz("sarif")
test_pylint = fuzz("pylint")
test_bandit = fuzz("bandit")
test_config = fuzz("config")
test_triage = fuzz("triage")
test_yaml = fuzz("yaml")
test_content = fuzz("content", 0.3)
test_lexers = fuzz("lexers")
test_inline = fuzz("inline")
test_lines = fuzz("lines")
