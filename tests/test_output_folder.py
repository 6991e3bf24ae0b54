"""The output folder is sitegen's alone: a build never writes into, prunes,
moves or replaces a folder that holds anything but a site sitegen made."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import run_sitegen, tree_bytes


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def everything_git_sees(repo: Path) -> str:
    """Tracked changes, untracked files and ignored ones: empty when a
    command changed nothing in the repository."""
    return git(repo, "status", "--porcelain", "--untracked-files=all", "--ignored")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A committed repository with documentation in docs/ (the usual GitHub
    Pages folder), sources in src/ and a hand-written triage file."""
    repo = tmp_path / "repo"
    for path, text in {
        "docs/index.md": "# Guide\n", "docs/setup/install.md": "Install it.\n",
        "src/app.py": "# TODO: handle errors\n", "TODO.md": "# Plan\n\n- [ ] ship\n",
        "content/triage.yaml": "# triage\n", "sitegen.yaml": "title: t\n",
    }.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "start")
    return repo


@pytest.mark.parametrize("output, why", [
    ("docs", "it holds 2 file(s) that sitegen did not make (such as docs/index.md)"),
    ("src", "it holds 1 file(s) that sitegen did not make (such as src/app.py)"),
    (".", "it is the source tree (root)"),
    ("..", "it holds the source tree (root)"),
    ("/", "it holds the source tree (root)"),
    ("content", "it overlaps the content folder (content)"),
    ("content/site", "it overlaps the content folder (content)"),
    (".sitegen-cache", "it overlaps the cache folder (.sitegen-cache)"),
    (".git/site", "it is inside a .git folder"),
])
def test_a_folder_that_is_not_sitegens_is_refused_and_nothing_changes(repo, output, why):
    parent_before = sorted(repo.parent.iterdir())
    result = run_sitegen("build", "-o", output, cwd=repo)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"sitegen: error: {output}: refusing to build the site here: {why}")
    assert everything_git_sees(repo) == ""
    assert sorted(repo.parent.iterdir()) == parent_before


def test_output_configured_as_the_content_folder_is_refused(repo):
    (repo / "sitegen.yaml").write_text("output: content\n")
    git(repo, "commit", "-qam", "output: content")
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 2
    assert "it overlaps the content folder" in result.stderr
    assert everything_git_sees(repo) == "" and (repo / "content/triage.yaml").read_text() == "# triage\n"


def test_a_symlinked_output_or_content_folder_is_refused(repo, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (repo / "public").symlink_to(elsewhere, target_is_directory=True)
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == "sitegen: error: public: the output folder is a symbolic link; give the folder itself\n"
    (repo / "public").unlink()
    (repo / "generated").symlink_to(elsewhere, target_is_directory=True)
    (repo / "sitegen.yaml").write_text("content: generated/content\n")
    for command in ("collect", "build"):
        result = run_sitegen(command, cwd=repo)
        assert result.returncode == 2
        assert result.stderr == ("sitegen: error: generated: a symbolic link on the way to a folder "
                                 "sitegen writes into; give the real folder\n")
    assert list(elsewhere.iterdir()) == []


def test_an_empty_or_new_folder_becomes_the_site_and_is_rebuilt(repo):
    (repo / "site").mkdir()
    for _ in range(3):
        result = run_sitegen("build", "-o", "site", cwd=repo)
        assert result.returncode == 0, result.stderr
    assert (repo / "site/.sitegen-output").is_file()
    assert (repo / ".site.previous/.sitegen-output").is_file()
    assert (repo / "site/checklists/todo/index.html").is_file()


def test_a_site_from_before_markers_is_adopted_only_with_force(repo):
    assert run_sitegen("build", cwd=repo).returncode == 0
    assert run_sitegen("build", cwd=repo).returncode == 0
    for folder in ("public", ".public.previous"):
        (repo / folder / ".sitegen-output").unlink()  # as an earlier sitegen left them
    before = tree_bytes(repo / "public")
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == (
        "sitegen: error: public: refusing to build the site here: it was not marked as made by sitegen; "
        "if it holds only the site of an earlier sitegen build, run the build once with --force to adopt it\n")
    assert tree_bytes(repo / "public") == before
    result = run_sitegen("build", "--force", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert (repo / "public/.sitegen-output").is_file()


def test_force_never_adopts_a_folder_holding_other_files(repo):
    assert run_sitegen("build", cwd=repo).returncode == 0
    (repo / "public/.sitegen-output").unlink()
    (repo / "public/notes.txt").write_text("mine\n")
    result = run_sitegen("build", "--force", cwd=repo)
    assert result.returncode == 2
    assert "it holds 1 file(s) that sitegen did not make (such as public/notes.txt)" in result.stderr
    assert (repo / "public/notes.txt").read_text() == "mine\n"


def test_a_folder_in_the_way_of_the_kept_copies_is_never_removed(repo):
    (repo / ".public.previous").mkdir()
    (repo / ".public.previous/keep.txt").write_text("mine\n")
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.startswith("sitegen: error: .public.previous: refusing to build the site here: "
                                    "it holds 1 file(s) that sitegen did not make")
    assert (repo / ".public.previous/keep.txt").read_text() == "mine\n"
    assert not (repo / "public").exists()


@pytest.mark.parametrize("layout", ["config outside the repository", "config in a subfolder"])
def test_a_link_below_the_repository_never_leads_writes_out_of_it(repo, tmp_path, layout):
    victim = tmp_path / "victim"
    victim.mkdir()
    (repo / "site").symlink_to(victim, target_is_directory=True)  # planted by a pull request
    git(repo, "add", "site")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "plant")
    if layout == "config outside the repository":
        config = tmp_path / "ci" / "sitegen.yaml"
        config.parent.mkdir()
        config.write_text(f"root: {repo}\noutput: {repo}/public\ncontent: {repo}/site/content\n")
        command, cwd = ("-c", str(config), "build"), tmp_path
    else:
        (repo / "tools").mkdir()
        (repo / "tools/sitegen.yaml").write_text("root: ..\noutput: ../site/public\ncontent: ../content\n")
        command, cwd = ("-c", "tools/sitegen.yaml", "build"), repo
    result = run_sitegen(*command, cwd=cwd)
    assert result.returncode == 2
    assert result.stderr.endswith(": a symbolic link on the way to a folder sitegen writes into; give the real folder\n")
    assert list(victim.iterdir()) == []


def test_a_dot_dot_after_a_link_is_refused(repo, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "deep").mkdir(parents=True)
    (repo / "lnk").symlink_to(elsewhere / "deep", target_is_directory=True)
    result = run_sitegen("build", "-o", "lnk/../pub2", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == ("sitegen: error: lnk/../pub2: a symbolic link on the way to a folder sitegen "
                             "writes into; give the real folder\n")
    assert list(elsewhere.iterdir()) == [elsewhere / "deep"]


def test_the_theme_folder_is_never_taken_for_the_output(repo):
    (repo / "mytheme/static").mkdir(parents=True)
    (repo / "mytheme/static/extra.css").write_text("body {}\n")
    (repo / "sitegen.yaml").write_text("theme: mytheme\n")
    result = run_sitegen("build", "-o", "mytheme", "--force", cwd=repo)
    assert result.returncode == 2
    assert "it overlaps the theme folder (mytheme)" in result.stderr


def test_a_copy_beside_the_output_may_not_be_the_content_folder(repo):
    (repo / "sitegen.yaml").write_text("content: .public.building\n")
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 2
    assert "it overlaps the content folder (.public.building)" in result.stderr


def test_files_in_an_unmarked_output_are_never_read_through_links(repo):
    (repo / "public").mkdir()
    (repo / "public/.gitignore").symlink_to("/dev/zero")
    (repo / "public/index.html").symlink_to("/dev/zero")
    result = run_sitegen("build", "--force", cwd=repo, )
    assert result.returncode == 2
    assert "it holds 2 file(s) that sitegen did not make (such as public/.gitignore)" in result.stderr
