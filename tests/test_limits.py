"""Pathological inputs end to end: each builds (or fails with exit 2 and one
line) in bounded time, never with a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from conftest import run_sitegen

FIFTY_MB = 50_000_000


def timed_build(project: Path):
    started = time.perf_counter()
    result = run_sitegen("build", cwd=project)
    return result, time.perf_counter() - started


@pytest.mark.parametrize("body", [
    "- " * 3000 + "[ ] the innermost task\n",  # 3,000 lists in one line
    "".join("  " * depth + f"- [ ] level {depth}\n" for depth in range(1500)),  # 2.2 MB of indentation
])
def test_a_list_nested_thousands_deep_builds(tmp_path, body):
    (tmp_path / "TODO.md").write_text("# Deep\n\n" + body)
    result, seconds = timed_build(tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert seconds < 60
    # Nothing is lost: what lies deeper than the nesting bound is kept as text (a note of 2 MB
    # is a part of the document's page of its own).
    page = "".join(part.read_text() for part in sorted((tmp_path / "public/checklists/todo").glob("index*.html")))
    assert ("the innermost task" if "innermost" in body else "level 1499") in page


@pytest.mark.parametrize("body", [
    ">" * 100_000 + " - [ ] deep in quotes\n",
    "".join(">" * depth + " q\n" for depth in range(1, 2_000)),
])
def test_blockquotes_nested_100000_deep_build(tmp_path, body):
    (tmp_path / "TODO.md").write_text("# Quotes\n\n" + body)
    result, seconds = timed_build(tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert seconds < 60


@pytest.mark.parametrize("name, warning", [
    ("TODO.md", "TODO.md: not read: larger than 8 MiB"),
    ("docs/AUDIT.md", "docs/AUDIT.md: not read: larger than 8 MiB"),
    # under the JSON file bound, so read, and refused for its nesting
    ("scan.sarif", "scan.sarif:1: nested more than 200 levels deep; nothing imported from it"),
    ("src/big.py", None),
])
def test_a_50_mb_single_line_file_builds(tmp_path, name, warning):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        handle.write("# TODO: " if name != "scan.sarif" else "[" * 1000)
        handle.write("x" * FIFTY_MB)
    result, seconds = timed_build(tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert seconds < 60
    if warning:
        assert f"sitegen: warning: {warning}" in result.stderr
    else:
        summary = yaml.safe_load((tmp_path / "content/todos.yaml").read_text())["summary"]
        assert summary["skipped"] == {"larger than 2 MiB": 1}
