"""The command line as a user runs it: which config and root a run uses,
global options in either place, and summaries that count what was done."""

from __future__ import annotations

import shutil

import pytest
import yaml

from conftest import FIXTURES, run_sitegen


@pytest.fixture
def repo(tmp_path):
    """A repository with a config at its top, a checklist and a backend/ folder."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "backend").mkdir()
    (tmp_path / "backend/app.py").write_text("# TODO: retry the upload\n")
    (tmp_path / "TODO.md").write_text("- [ ] first\n- [x] second\n")
    (tmp_path / "sitegen.yaml").write_text("title: Acme\n")
    return tmp_path


def test_a_run_in_a_subfolder_uses_the_config_above_it(repo):
    result = run_sitegen("-v", "build", cwd=repo / "backend")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == "using ../sitegen.yaml, root .."
    assert (repo / "public/index.html").is_file() and not (repo / "backend/public").exists()
    assert "Acme" in (repo / "public/index.html").read_text()


def test_the_search_stops_at_the_top_of_the_repository(repo):
    inner = repo / "vendor/lib"
    inner.mkdir(parents=True)
    (inner / ".git").mkdir()  # a repository of its own: the outer config is not its config
    result = run_sitegen("-v", "collect", "--only", "checklists", cwd=inner)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == (
        "no sitegen.yaml here or in a folder above it (up to the repository's top): using the defaults, root .")
    assert (inner / "content/checklists.yaml").is_file()


def test_config_option_overrides_the_search(repo):
    (repo / "other.yaml").write_text("title: Other\noutput: site\n")
    result = run_sitegen("build", "-v", "-c", "../other.yaml", cwd=repo / "backend")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == "using ../other.yaml, root .."
    assert (repo / "site/index.html").is_file()


@pytest.mark.parametrize("args", [("-q", "build"), ("build", "-q"), ("build", "--quiet")])
def test_quiet_works_before_or_after_the_command(repo, args):
    result = run_sitegen(*args, cwd=repo)
    assert (result.returncode, result.stderr) == (0, "")


def test_verbose_after_the_command(repo):
    result = run_sitegen("collect", "-v", cwd=repo)
    assert result.stderr.splitlines()[0] == "using sitegen.yaml, root ."
    assert "todos: 1 in 1 of" in result.stderr


def test_collect_only_findings_counts_findings_and_nothing_else(repo):
    shutil.copy(FIXTURES / "findings/ruff.json", repo / "ruff.json")
    (repo / "sitegen.yaml").write_text("findings:\n  json: [ruff.json]\n")
    result = run_sitegen("collect", "--only", "findings", cwd=repo)
    assert result.returncode == 0, result.stderr
    stored = yaml.safe_load((repo / "content/findings.yaml").read_text())
    assert len(stored["items"]) > 0
    assert result.stderr.startswith(f"collected {len(stored['items'])} finding(s) in ")
    assert not (repo / "content/todos.yaml").exists()


def test_collect_counts_each_kind(repo):
    result = run_sitegen("collect", cwd=repo)
    assert result.stderr.startswith(
        "collected 1 checklist document(s) with 2 task(s), 1 TODO(s), 0 finding(s) in ")


def test_no_collect_after_a_collect_builds(repo):
    assert run_sitegen("collect", cwd=repo).returncode == 0
    result = run_sitegen("build", "--no-collect", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "public/todos/index.html").is_file()


def test_no_arguments_shows_the_commands(repo):
    result = run_sitegen(cwd=repo)
    assert "Commands:" in result.stdout + result.stderr and "init" in result.stdout + result.stderr


def test_help_and_version_exit_0(repo):
    assert run_sitegen("build", "--help", cwd=repo).returncode == 0
    version = run_sitegen("--version", cwd=repo)
    assert (version.returncode, version.stdout.split()[0]) == (0, "sitegen,")
