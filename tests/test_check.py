"""`sitegen check`: the quality gate of the config's `gate:` section, judged
on a real git repository whose history adds and removes TODOs, tasks and
findings, against a baseline revision, a saved content folder, or nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import GATE, git, run_sitegen


def _check(repo: Path, *args: str):
    return run_sitegen("check", *args, cwd=repo)


def _failing_ids(stdout: str, rule: str) -> set[str]:
    """The ids listed under a failed rule in the text report."""
    lines = stdout.splitlines()
    start = lines.index(f"{rule}:") + 1
    listed = []
    for line in lines[start:]:
        if not line.startswith("  "):
            break
        listed.append(line.rsplit("[", 1)[1].rstrip("]"))
    return set(listed)


def test_new_p1_items_since_a_revision_fail_the_gate_until_triaged(git_history: Path):
    result = _check(git_history, "--baseline", "HEAD~3")
    assert result.returncode == 1, result.stderr
    assert "FAIL max_new P1: 3 new since HEAD~3" in result.stdout
    new = _failing_ids(result.stdout, "max_new P1")
    # Exactly the three P1 items of the last commit: the P1 TODO and task of the first are not new
    lines = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    assert len(new) == 3 and len(lines) == 3 + 1  # the three, and the reopened task under max_reopened
    assert any("src/api.py:2" in line and "no rate limit" in line for line in lines)
    assert any("Revoke the leaked keys" in line for line in lines)
    assert any("SQL built by string formatting" in line for line in lines)
    assert "FAIL max_reopened: 1 reopened since HEAD~3" in result.stdout
    assert "Write the changelog" in result.stdout.split("max_reopened:", 2)[2]
    assert "ok   max_open todos P3" in result.stdout and "ok   min_progress TODO.md" in result.stdout
    assert result.stderr.strip().endswith("the gate failed: 2 of 4 rule(s)")

    # Triaged: two accepted, one lowered to P2; the reopened task closed again
    triage = "".join(f"{item_id}: {{status: accepted}}\n" for item_id in sorted(new)[:2])
    triage += f"{sorted(new)[2]}: {{priority: P2}}\n"
    reopened = _failing_ids(result.stdout, "max_reopened")
    triage += "".join(f"{item_id}: {{status: wontfix}}\n" for item_id in reopened)
    (git_history / "content/triage.yaml").write_text(triage, encoding="utf-8")
    passed = _check(git_history, "--baseline", "HEAD~3")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "FAIL" not in passed.stdout and "the gate passed: 4 rule(s)" in passed.stderr


def test_a_baseline_of_saved_content_or_committed_content_gives_the_same_verdict(git_history: Path, tmp_path: Path):
    by_revision = _check(git_history, "--baseline", "HEAD~3").stdout
    # The content of HEAD~3 saved by a CI run of that commit
    saved = tmp_path / "saved"
    worktree = tmp_path / "old"
    git(git_history, "worktree", "add", "-q", str(worktree), "HEAD~3")
    assert run_sitegen("collect", cwd=worktree).returncode == 0
    shutil.copytree(worktree / "content", saved)
    by_folder = _check(git_history, "--baseline", str(saved)).stdout
    assert by_folder.replace(str(saved), "B") == re.sub(r"HEAD~3 \(\w+\)", "B", by_revision)
    # A repository that commits its content: the revision's files are read, not collected again
    git(worktree, "add", "-f", "content")
    git(worktree, "commit", "-q", "-m", "content")
    by_committed = _check(git_history, "--baseline", git(worktree, "rev-parse", "HEAD").strip()).stdout
    assert _failing_ids(by_committed, "max_new P1") == _failing_ids(by_revision, "max_new P1")


def test_github_format_annotates_each_failing_item_and_the_step_summary_lists_them(git_history, tmp_path, monkeypatch):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = _check(git_history, "--baseline", "HEAD~3", "--format", "github")
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert "::error file=src/api.py,line=2,title=sitegen gate%3A max_new P1::P1 todo: no rate limit on login" in \
        "\n".join(annotations)
    assert len(annotations) == 4  # three new, one reopened
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## sitegen quality gate: failed")
    assert "| max\\_new P1 | ❌ failed |" in text and "Revoke the leaked keys" in text


def test_rules_that_compare_are_skipped_without_a_baseline_and_the_rest_judged(git_history: Path):
    result = _check(git_history)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "skip max_new P1: not judged: no --baseline given" in result.stdout
    (git_history / "sitegen.yaml").write_text(GATE.replace("max_open: {todos P3: 10}", "max_open: {P1: 1}"))
    failed = _check(git_history, "-q")
    assert failed.returncode == 1
    assert failed.stdout == "" and "the gate failed: 1 of 4 rule(s)" in failed.stderr


@pytest.mark.parametrize("args, config, message", [
    (["--baseline", "no-such-branch"], GATE, "--baseline: 'no-such-branch' is neither a folder nor a revision"),
    (["--baseline", "--help-me"], GATE, "--baseline: '--help-me' is neither a folder nor a revision"),
    ([], GATE.replace("{P1: 0}", "{P5: 0}"), "sitegen.yaml:5: 'gate.max_new' has 'P5'"),
    ([], GATE.replace("{TODO.md: 20}", "{TODO.md: 120}"), "a minimum is a percent from 0 to 100"),
    ([], GATE.replace("max_reopened: 0", "max_reopened: -1"), "'gate.max_reopened' must be a whole number ≥ 0"),
])
def test_bad_input_is_one_line_and_exit_2(git_history: Path, args, config, message):
    (git_history / "sitegen.yaml").write_text(config, encoding="utf-8")
    result = _check(git_history, *args)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_the_markdown_export_lists_what_is_new_since_the_baseline(git_history: Path):
    result = run_sitegen("export", "--format", "markdown", "--baseline", "HEAD~3", cwd=git_history)
    assert result.returncode == 0, result.stderr
    new = result.stdout.split("#### New", 1)[1].split("####", 1)[0]
    assert "no rate limit on login" in new and "Revoke the leaked keys" in new and "SQL built by string" in new
    assert "Rotate the signing key" not in new  # an open P1 of the baseline's already
