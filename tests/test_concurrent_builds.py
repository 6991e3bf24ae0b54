"""Builds of one repository at the same time — `sitegen build` while `sitegen
serve` rebuilds, two CI steps sharing a checkout — take turns: each leaves
a whole site, where two builds moving the same folders under each other left
a site with half its pages and no marker, which the next build refused."""

from __future__ import annotations

import fcntl
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import run_sitegen, sitegen_command, tree_bytes


def _repository(root: Path) -> Path:
    """Enough files for a build to take a while (so that builds started together overlap)."""
    for n in range(300):
        path = root / f"pkg{n % 7}/mod{n}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"x = {n}\n# TODO: item {n}\ny = 2\n", encoding="utf-8")
    (root / "TODO.md").write_text("# Plan\n\n" + "".join(f"- [ ] P2 task {n}\n" for n in range(200)),
                                  encoding="utf-8")
    return root


def _build() -> subprocess.Popen:
    return subprocess.Popen([sitegen_command(), "build"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def test_a_build_waits_while_another_holds_the_repository(tmp_path: Path, monkeypatch):
    repo = tmp_path / "repo"  # any repository: the build waits for the lock before it reads a file
    (repo / "src").mkdir(parents=True)
    (repo / "src/app.py").write_text("# TODO: item\n", encoding="utf-8")
    monkeypatch.chdir(repo)
    lock = os.open(repo, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as a build in another process holds it
        waiting = _build()
        # what it says once it finds the lock taken (without it, the test fails after 60 s, not hangs)
        said = waiting.stderr.readline() if select.select([waiting.stderr], [], [], 60)[0] else ""
        time.sleep(0.2)
        assert waiting.poll() is None, said
    finally:
        os.close(lock)
    _, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert said.startswith("waiting for another sitegen build of this repository to finish")


@pytest.mark.heavy
def test_builds_started_together_each_leave_the_whole_site(tmp_path: Path, monkeypatch):
    repo = _repository(tmp_path / "repo")
    fresh = shutil.copytree(repo, tmp_path / "fresh")
    assert run_sitegen("build", cwd=fresh).returncode == 0
    monkeypatch.chdir(repo)
    builds = [_build() for _ in range(3)]
    for build in builds:
        _, err = build.communicate(timeout=120)
        assert build.returncode == 0, err
    assert tree_bytes(repo / "public") == tree_bytes(fresh / "public")
    assert run_sitegen("build", cwd=repo).returncode == 0  # and the next build adopts it as its own
