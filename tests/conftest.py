from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

FIXTURES = Path(__file__).parent / "fixtures"


def sitegen_command() -> str:
    """The installed console script beside this interpreter (what users run)."""
    found = Path(sys.executable).with_name("sitegen")
    return str(found) if found.exists() else shutil.which("sitegen") or "sitegen"


def run_sitegen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sitegen_command(), *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository with the two checklist fixtures as TODO.md and app/TASKS.md."""
    (tmp_path / "app").mkdir()
    shutil.copy(FIXTURES / "checklists/priorities.md", tmp_path / "TODO.md")
    shutil.copy(FIXTURES / "checklists/phased.md", tmp_path / "app/TASKS.md")
    return tmp_path


# Hypothesis: "ci" (the default) keeps the suite quick (tests/test_fuzz.py in about
# 30 s); HYPOTHESIS_PROFILE=thorough (bench/thorough_tests.py) runs ten times as
# many examples. Property tests that need more examples than the default ask
# for `examples(n)`: n when thorough, a tenth of it otherwise.
import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

_SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=200, deadline=timedelta(seconds=2),
                          suppress_health_check=_SLOW_INPUTS)
settings.register_profile("thorough", max_examples=2000, deadline=timedelta(seconds=2),
                          suppress_health_check=_SLOW_INPUTS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def examples(thorough: int) -> int:
    """max_examples for a property test that runs `thorough` examples in the thorough profile."""
    return thorough if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else max(100, thorough // 10)
