"""The scanned repository is untrusted: nothing outside its root is read or
published, whatever links, special files or names it holds."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, read_cache, run_sitegen, sitegen_command, soup

from sitegen.cache import save_keyed
from sitegen.site.highlight import CACHE_FILE, _cache_key

SECRET = "SECRET-7f3a9c-never-published"
ENV_SECRET = "ENV-SECRET-51d2e8-never-published"


def published_bytes(project: Path) -> bytes:
    """Everything a build wrote that could be published or committed."""
    return b"".join(p.read_bytes() for folder in ("content", "public")
                    for p in sorted((project / folder).rglob("*")) if p.is_file())


def build_with_secret_env(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI_TOKEN": ENV_SECRET}
    return subprocess.run([sitegen_command(), "build", *args], cwd=project, capture_output=True, text=True,
                          timeout=120, env=env)


@pytest.fixture
def hostile(disk_path: Path) -> Path:
    """A repository whose pull request planted links out of it, a loop, a
    link into .git and a FIFO, beside one honest TODO and checklist."""
    outside = disk_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.py").write_text(f"# TODO: {SECRET}\n{SECRET}\n")
    (outside / "folder/inner.py").write_text(f"# FIXME: {SECRET}\n")
    (outside / "AUDIT.md").write_text(f"# Audit\n\n## High\n\n- High: {SECRET} (`a.py`)\n")
    (outside / "r.sarif").write_text('{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, '
                                     f'"results": [{{"message": {{"text": "{SECRET}"}}}}]}}]}}')
    project = disk_path / "repo"
    (project / "src").mkdir(parents=True)
    (project / "docs").mkdir()
    (project / ".git").mkdir()
    (project / ".git/config").write_text(f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n")
    (project / "src/app.py").write_text("# TODO: an honest one\n")
    (project / "TASKS.md").write_text("# Tasks\n\n- [ ] honest task\n")
    links = {
        "TODO.md": "/proc/self/environ",
        "src/stolen.py": str(outside / "secret.py"),
        "docs/AUDIT.md": "../../outside/AUDIT.md",
        "reports.sarif": str(outside / "r.sarif"),
        "vendored": str(outside / "folder"),
        "loop": "loop",
        "notes.md": ".git/config",
    }
    for name, target in links.items():
        (project / name).symlink_to(target)
    os.mkfifo(project / "src/pipe.py")
    return project


def test_nothing_outside_the_root_is_read_or_published(hostile):
    result = build_with_secret_env(hostile)
    assert result.returncode == 0, result.stderr
    published = published_bytes(hostile)
    assert SECRET.encode() not in published and ENV_SECRET.encode() not in published
    summary = yaml.safe_load((hostile / "content/todos.yaml").read_text())["summary"]
    assert summary["links"] == {
        "TODO.md": "outside the root", "docs/AUDIT.md": "outside the root", "loop": "broken symlink",
        "notes.md": "symlink to a file not read", "reports.sarif": "outside the root",
        "src/pipe.py": "not a regular file", "src/stolen.py": "outside the root", "vendored": "outside the root",
    }
    assert summary["skipped"]["outside the root"] == 5
    for link in summary["links"]:
        assert f"sitegen: warning: {link}: " in result.stderr
    page = soup(hostile / "public/todos/index.html")
    listed = {li.code.get_text() for li in page.select(".skipped-links li")}
    assert listed == set(summary["links"])
    # The honest items are there.
    assert "an honest one" in (hostile / "public/todos/index.html").read_text()
    assert "honest task" in (hostile / "public/checklists/tasks/index.html").read_text()


def test_a_link_to_a_file_read_anyway_is_followed_and_a_folder_link_is_not(tmp_path):
    (tmp_path / "docs/sub").mkdir(parents=True)
    (tmp_path / "docs/TODO.md").write_text("# Plan\n\n- [ ] shared task\n")
    (tmp_path / "docs/sub/a.py").write_text("# TODO: once only\n")
    (tmp_path / "TODO.md").symlink_to("docs/TODO.md")
    (tmp_path / "again").symlink_to("docs", target_is_directory=True)
    result = run_sitegen("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    content = yaml.safe_load((tmp_path / "content/checklists.yaml").read_text())
    assert [d["path"] for d in content["documents"]] == ["TODO.md", "docs/TODO.md"]
    todos = yaml.safe_load((tmp_path / "content/todos.yaml").read_text())
    assert [t["file"] for t in todos["items"]] == ["docs/sub/a.py"]  # not again/sub/a.py too
    assert todos["summary"]["skipped"]["symlinked folder"] == 1
    assert "warning" not in result.stderr


def test_follow_symlinks_outside_reads_links_out_but_never_proc(hostile):
    (hostile / "sitegen.yaml").write_text("follow_symlinks: outside\n")
    result = build_with_secret_env(hostile)
    assert result.returncode == 0, result.stderr
    todos = yaml.safe_load((hostile / "content/todos.yaml").read_text())
    assert {t["file"] for t in todos["items"]} >= {"src/stolen.py", "vendored/inner.py"}
    assert ENV_SECRET.encode() not in published_bytes(hostile)
    assert todos["summary"]["links"]["TODO.md"] == "outside the root"


def test_follow_symlinks_none_reads_no_link(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/TODO.md").write_text("- [ ] a task\n")
    (tmp_path / "TODO.md").symlink_to("docs/TODO.md")
    (tmp_path / "sitegen.yaml").write_text("follow_symlinks: none\n")
    assert run_sitegen("build", cwd=tmp_path).returncode == 0
    content = yaml.safe_load((tmp_path / "content/checklists.yaml").read_text())
    assert [d["path"] for d in content["documents"]] == ["docs/TODO.md"]


def test_a_bad_follow_symlinks_value_is_an_error_naming_the_line(tmp_path):
    (tmp_path / "sitegen.yaml").write_text("title: x\nfollow_symlinks: always\n")
    result = run_sitegen("build", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == ("sitegen: error: sitegen.yaml:2: 'follow_symlinks' must be one of "
                                     "inside, outside, none, not 'always'")


@pytest.mark.parametrize("name", ["content/triage.yaml", "content/todos.yaml"])
def test_a_content_file_that_links_out_is_refused(project, tmp_path_factory, name):
    assert run_sitegen("build", cwd=project).returncode == 0
    secret = tmp_path_factory.mktemp("elsewhere") / "x.yaml"
    secret.write_text(f"{SECRET}: {{}}\n")
    (project / name).unlink(missing_ok=True)
    (project / name).symlink_to(secret)
    before = published_bytes(project)
    result = run_sitegen("build", "--no-collect", cwd=project)
    assert result.returncode == 2
    assert result.stderr == f"sitegen: error: {name}: a symbolic link that leads out of the content folder; not read\n"
    assert published_bytes(project) == before


def test_a_fifo_where_a_file_is_expected_never_blocks_a_build(tmp_path):
    os.mkfifo(tmp_path / "TODO.md")
    os.mkfifo(tmp_path / ".gitignore")
    (tmp_path / "content").mkdir()
    os.mkfifo(tmp_path / "content/triage.yaml")
    result = run_sitegen("build", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "sitegen: error: content/triage.yaml: not read (not a regular file)\n"
    (tmp_path / "content/triage.yaml").unlink()
    result = run_sitegen("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "sitegen: warning: TODO.md: not a regular file (a FIFO, socket or device): not read" in result.stderr


def test_theme_files_that_link_out_of_the_theme_are_refused(project, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "page.html").write_text(SECRET)
    theme = project / "mytheme"
    (theme / "templates").mkdir(parents=True)
    (theme / "static").mkdir()
    (project / "sitegen.yaml").write_text("theme: mytheme\n")
    (theme / "static/leak.txt").symlink_to(elsewhere / "page.html")
    result = run_sitegen("build", cwd=project)
    assert result.returncode == 2
    assert result.stderr.startswith("sitegen: error: mytheme/static/leak.txt: theme: not copied (outside the root)")
    (theme / "static/leak.txt").unlink()
    (theme / "templates/base.html").symlink_to(elsewhere / "page.html")
    result = run_sitegen("build", cwd=project)
    assert result.returncode == 2
    assert result.stderr == ("sitegen: error: mytheme/templates/base.html: template: a symbolic link "
                             "that leads out of its theme folder; not read\n")
    assert not (project / "public").exists()


@pytest.mark.parametrize("planted", [
    '<div class="highlight"><pre><span></span><code><script>alert(1)</script></code></pre></div>\n',
    b"not even text",
])
def test_a_planted_highlight_cache_cannot_add_markup_or_crash(project, planted):
    (project / "app.py").write_text("x = 1\n# TODO: look here\ny = 2\n")
    assert run_sitegen("build", cwd=project).returncode == 0
    cache = project / ".sitegen-cache" / CACHE_FILE
    honest = (project / "public/files/app.py.html").read_text()
    keys = read_cache(cache)[1].keys()
    save_keyed(cache, _cache_key(), {key: planted for key in keys})
    result = run_sitegen("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "public/files/app.py.html").read_text() == honest


def test_a_cache_that_comes_with_the_repository_is_refused(project):
    assert run_sitegen("build", cwd=project).returncode == 0
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "-f", ".sitegen-cache"], cwd=project, check=True)
    result = run_sitegen("build", cwd=project)
    assert result.returncode == 2
    assert result.stderr == ("sitegen: error: .sitegen-cache: the cache folder is tracked by git: a cache must "
                             "never come with the repository (git rm -r --cached .sitegen-cache)\n")


def test_follow_symlinks_outside_never_walks_into_a_pseudo_file_system(tmp_path, monkeypatch):
    from sitegen import walk
    pseudo = tmp_path / "outer" / "proc"
    pseudo.mkdir(parents=True)
    (pseudo / "environ.md").write_text(SECRET)
    (tmp_path / "outer/fine.md").write_text("ok\n")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo/up").symlink_to(tmp_path / "outer", target_is_directory=True)  # like a link to /
    monkeypatch.setattr(walk, "_NEVER_READ", (str(pseudo),))
    summary = walk.WalkSummary()
    found = [rel for rel, _ in walk.walk(tmp_path / "repo", follow_symlinks="outside", summary=summary)]
    assert found == ["up/fine.md"]
    assert summary.skipped[walk.OUTSIDE] == 1


def test_follow_symlinks_outside_reads_a_root_that_lies_in_a_pseudo_file_system(tmp_path, monkeypatch):
    """The check keeps links out of the root from /proc, /sys and /dev; a
    repository the user keeps there (a checkout in /dev/shm, say) is read."""
    from sitegen import walk
    (tmp_path / "repo/src").mkdir(parents=True)
    (tmp_path / "repo/src/app.py").write_text("# TODO: read\n")
    (tmp_path / "repo/TODO.md").write_text("- [ ] read too\n")
    monkeypatch.setattr(walk, "_NEVER_READ", (str(tmp_path),))
    found = [rel for rel, _ in walk.walk(tmp_path / "repo", follow_symlinks="outside")]
    assert found == ["TODO.md", "src/app.py"]


def test_a_symlinked_config_is_read(tmp_path):
    (tmp_path / "real.yaml").write_text("title: Linked\n")
    (tmp_path / "sitegen.yaml").symlink_to("real.yaml")
    assert run_sitegen("build", cwd=tmp_path).returncode == 0
    assert "Linked" in (tmp_path / "public/index.html").read_text()
    (tmp_path / "real.yaml").write_text("title: x\n" + "#" * (2 << 20) + "\n")
    result = run_sitegen("build", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "sitegen: error: sitegen.yaml: the config could not be read (larger than 1 MiB)\n"


@pytest.mark.parametrize("link", ["mytheme", "mytheme/templates"])
def test_a_theme_folder_reached_through_a_link_is_refused(project, tmp_path_factory, link):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "templates").mkdir()
    (elsewhere / "templates/index.html").write_text(SECRET)
    (project / "sitegen.yaml").write_text("theme: mytheme\n")
    if link == "mytheme":
        (project / "mytheme").symlink_to(elsewhere, target_is_directory=True)
    else:
        (project / "mytheme").mkdir()
        (project / "mytheme/templates").symlink_to(elsewhere / "templates", target_is_directory=True)
    result = run_sitegen("build", cwd=project)
    assert result.returncode == 2
    assert result.stderr == (f"sitegen: error: {link}: a symbolic link on the way to a folder sitegen reads "
                             "a theme from; give the real folder\n")


def test_hostile_file_names_stay_inside_the_site(tmp_path):
    site_parent = tmp_path
    repo = tmp_path / "repo"
    (repo / "src").mkdir(parents=True)
    names = ["a" * 250 + ".py", "new\nline.py", "%2e%2e.py", "index", "q?x#y.py", "<b>.py"]
    for name in names:
        (repo / "src" / name).write_text("#!/bin/sh\n# TODO: named oddly\n")
    (repo / "index").write_text("#!/bin/sh\n# TODO: clashes with the file tree's page\n")
    os.makedirs(os.fsencode(repo / "src") + b"/latin\xe9")
    with open(os.fsencode(repo / "src") + b"/latin\xe9/x.py", "w") as handle:
        handle.write("# TODO: in a Latin-1 folder\n")
    (repo / "findings.sarif").write_text((FIXTURES / "hostile.sarif").read_text())
    everything = lambda: {p for p in site_parent.rglob("*")}  # noqa: E731
    before = everything()
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    site = repo / "public"
    made = {p for p in everything() - before}
    sitegens = (site, repo / "content", repo / ".sitegen-cache")
    assert made and all(any(p.is_relative_to(folder) for folder in sitegens) for p in made), made
    todos = yaml.safe_load((repo / "content/todos.yaml").read_text())
    assert len(todos["items"]) == len(names) + 2
    assert "warning: src/latiné: this name is not valid UTF-8; shown as Latin-1" in result.stderr
    # Every page of the site links only to pages inside it, each of which exists.
    from urllib.parse import unquote, urlsplit
    for page in site.rglob("*.html"):
        for tag in soup(page).find_all(["a", "link"], href=True):
            href = urlsplit(tag["href"])
            if href.scheme or not href.path:
                assert href.scheme in ("", "http", "https"), tag["href"]
                continue
            target = Path(os.path.normpath(page.parent / unquote(href.path)))
            assert target.is_relative_to(site) and target.is_file(), (page, tag["href"])
