"""`sitegen init` on a repository: the file it writes, what it finds, the
lines it adds to .gitignore and what it tells the user."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import fields

import pytest

from conftest import FIXTURES, run_sitegen
from sitegen.config import Config, load_config
from sitegen.init import STARTER_CONFIG, source_url_of


def _keys(cls: type, prefix: str = "") -> list[str]:
    keys = []
    for f in fields(cls):
        if "section" in f.metadata:
            keys += [prefix + f.name] + _keys(f.metadata["section"], f"{prefix}{f.name}.")
        elif "check" in f.metadata:
            keys.append(prefix + f.name)
    return keys


# A key set (`root: .`), a section (`todos:`) or a key left unset (`# categories: []`).
_KEY = re.compile(r"( *)(?:# )?([a-z_]+):( |$)")


def _written_keys(text: str) -> list[str]:
    """The keys of a starter file, each checked to have a comment above it."""
    keys, section, lines = [], "", text.splitlines()
    for number, line in enumerate(lines):
        if match := _KEY.match(line):
            indent, key = match[1], match[2]
            section = section if indent else key
            keys.append(f"{section}.{key}" if indent else key)
            assert lines[number - 1].lstrip().startswith("# "), f"{key} has no comment above it"
    return keys


def test_the_starter_file_has_every_key_with_a_comment():
    assert _written_keys(STARTER_CONFIG) == _keys(Config)


def test_the_starter_file_sets_the_defaults(tmp_path):
    (tmp_path / "sitegen.yaml").write_text(STARTER_CONFIG)
    loaded, defaults = load_config(tmp_path / "sitegen.yaml"), Config(base_dir=tmp_path)
    for key in _keys(Config):
        if "." not in key:
            assert getattr(loaded, key) == getattr(defaults, key), key


@pytest.fixture
def repo(tmp_path):
    """A repository with a TODO.md, a plan, a review, ruff's JSON and a PR template."""
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "docs").mkdir()
    (tmp_path / ".github").mkdir()
    (tmp_path / "src").mkdir()
    (tmp_path / "src/app.py").write_text("import os  # TODO: drop os\n")
    (tmp_path / "TODO.md").write_text("- [ ] first\n")
    (tmp_path / "README.md").write_text("# App\n- [ ] one task is not a checklist\n")
    (tmp_path / "docs/PLAN.md").write_text("# Plan\n- [ ] a\n- [ ] b\n- [x] c\n")
    (tmp_path / ".github/PULL_REQUEST_TEMPLATE.md").write_text("- [ ] tests\n- [ ] docs\n- [ ] changelog\n")
    shutil.copy(FIXTURES / "reports/CODE_AUDIT.md", tmp_path / "docs/SECURITY_REVIEW.md")
    shutil.copy(FIXTURES / "findings/ruff.json", tmp_path / "ruff-report.json")
    return tmp_path


def test_init_finds_what_the_repository_has_and_says_so(repo):
    result = run_sitegen("init", cwd=repo)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert lines[:3] == ["found 2 checklist document(s): TODO.md, docs/PLAN.md",
                         "found 1 Markdown report(s): docs/SECURITY_REVIEW.md",
                         "found 1 tool JSON report(s): ruff-report.json"]
    assert lines[-1] == "next: sitegen build, then open public/index.html"
    config = load_config(repo / "sitegen.yaml")
    assert "docs/PLAN.md" in config.checklists.paths and "README.md" not in config.checklists.paths
    assert "docs/SECURITY_REVIEW.md" in config.findings.paths
    assert config.findings.json == ("ruff-report.json",)


def test_the_written_config_builds_what_was_found(repo):
    assert run_sitegen("init", cwd=repo).returncode == 0
    result = run_sitegen("collect", cwd=repo)
    assert result.returncode == 0, result.stderr
    counts = re.match(r"collected (\d+) checklist document\(s\) with \d+ task\(s\), (\d+) TODO\(s\), "
                      r"(\d+) finding\(s\)", result.stderr.splitlines()[-1])
    assert counts and int(counts[1]) == 2 and int(counts[2]) == 1 and int(counts[3]) > 10
    assert run_sitegen("build", "--no-collect", cwd=repo).returncode == 0


def test_a_starter_config_builds_cleanly(tmp_path):
    (tmp_path / "TODO.md").write_text("# Tasks\n- [ ] first\n")
    assert run_sitegen("init", cwd=tmp_path).returncode == 0
    result = run_sitegen("build", "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "public/checklists/todo/index.html").is_file()


def test_gitignore_gets_the_lines_it_lacks_once(repo):
    (repo / ".gitignore").write_text("node_modules/\npublic/\n")
    result = run_sitegen("init", cwd=repo)
    assert "added to .gitignore: /.sitegen-cache/ /content/checklists.yaml /content/todos.yaml " \
           "/content/findings.yaml" in result.stderr
    assert run_sitegen("init", "--force", cwd=repo).returncode == 0
    text = (repo / ".gitignore").read_text()
    assert text.count("sitegen-cache") == 1 and text.count("public") == 1
    assert run_sitegen("build", cwd=repo).returncode == 0
    status = subprocess.run(["git", "status", "--short", "--untracked-files=all"], cwd=repo,
                            capture_output=True, text=True, check=True).stdout
    assert "public" not in status and ".sitegen-cache" not in status
    assert "content/triage.yaml" in status and "content/todos.yaml" not in status


def test_without_a_gitignore_the_lines_are_printed(tmp_path):
    result = run_sitegen("init", cwd=tmp_path)
    assert "no .gitignore here: to keep what sitegen writes out of git, put these lines in yours:" in result.stderr
    assert "    /public/" in result.stderr.splitlines()
    assert not (tmp_path / ".gitignore").exists()


def test_running_it_again_says_how_to_overwrite_in_one_line(tmp_path):
    assert run_sitegen("init", cwd=tmp_path).returncode == 0
    result = run_sitegen("init", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2, "sitegen: error: sitegen.yaml exists already; `sitegen init --force` overwrites it\n")


def test_init_of_another_folder_says_where_to_go(tmp_path):
    result = run_sitegen("init", "site-repo", cwd=tmp_path)
    assert result.stderr.splitlines()[-1] == "next: cd site-repo && sitegen build, then open public/index.html"
    assert (tmp_path / "site-repo/sitegen.yaml").is_file()


def test_source_url_comes_from_the_origin_remote(repo):
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:acme/widgets.git"], cwd=repo, check=True)
    result = run_sitegen("init", cwd=repo)
    url = "https://github.com/acme/widgets/blob/{revision}/{path}#L{line}"
    assert f"source_url: {url} (from the origin remote)" in result.stderr
    assert load_config(repo / "sitegen.yaml").source_url == url


@pytest.mark.parametrize("remote, url", [
    ("https://github.com/o/r.git", "https://github.com/o/r/blob/{revision}/{path}#L{line}"),
    ("https://user:token@github.com/o/r", "https://github.com/o/r/blob/{revision}/{path}#L{line}"),
    ("ssh://git@github.com/o/r.git", "https://github.com/o/r/blob/{revision}/{path}#L{line}"),
    ("git@gitlab.com:group/sub/r.git", "https://gitlab.com/group/sub/r/-/blob/{revision}/{path}#L{line}"),
    ("ssh://git@gitlab.example.org:2222/g/r.git", "https://gitlab.example.org/g/r/-/blob/{revision}/{path}#L{line}"),
    ("https://bitbucket.org/o/r.git", ""),
    ("/srv/git/r.git", ""),
    ("", ""),
])
def test_source_url_of_a_remote(remote, url):
    assert source_url_of(remote) == url
