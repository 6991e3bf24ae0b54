"""`build --strict` checks the built site's internal links before publishing it."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, run_sitegen, tree_bytes
from sitegen.site.links import broken_links


def _site(folder: Path, pages: dict[str, str]) -> set[str]:
    for url, text in pages.items():
        (folder / url).parent.mkdir(parents=True, exist_ok=True)
        (folder / url).write_text(text)
    return set(pages)


def test_links_to_missing_files_and_anchors_are_named_with_their_page(tmp_path):
    files = _site(tmp_path, {
        "index.html": '<a href="todos/index.html#t-1">ok</a> <a href="todos/gone.html">gone</a>'
                      '<a href="#nowhere">x</a> <a href="../outside.html">out</a>',
        "todos/index.html": '<tr id="t-1"><td><a href="../index.html">home</a></td></tr>',
    })
    assert broken_links(tmp_path, files) == [
        "index.html: todos/gone.html — no such file in the site",
        "index.html: #nowhere — no element with id 'nowhere' on index.html",
        "index.html: ../outside.html — leads out of the site",
    ]


def test_every_way_a_theme_writes_a_link_is_read(tmp_path):
    files = _site(tmp_path, {
        "index.html": "<a href='a.html'>single</a> <a href=b.html>bare</a> <img src=\"c.png\">"
                      '<a href="d%20e.html#x">encoded</a> <a href="f.html?x=1&amp;y=2">query</a>'
                      '<a href="g/">folder</a>',
        "a.html": "", "b.html": "", "c.png": "", "d e.html": '<p id="x">', "f.html": "", "g/index.html": "",
    })
    assert broken_links(tmp_path, files) == []
    (tmp_path / "d e.html").write_text('<p id="y">')
    assert broken_links(tmp_path, files) == ["index.html: d%20e.html#x — no element with id 'x' on d e.html"]


def test_external_links_and_link_like_text_are_not_followed(tmp_path):
    files = _site(tmp_path, {
        "index.html": '<a href="https://example.org/x">web</a> <a href="mailto:a@b.c">mail</a>'
                      '<a href="//cdn.example.org/x.js">cdn</a>'
                      '<code>&lt;a href="missing.html"&gt; and href=missing.html in text</code>',
    })
    assert broken_links(tmp_path, files) == []


def _repository(root: Path) -> Path:
    """A repository with something on every kind of page: checklists, TODOs in
    awkwardly named files, a Markdown report and SARIF findings."""
    (root / "app/sub dir").mkdir(parents=True)
    shutil.copy(FIXTURES / "checklists/priorities.md", root / "TODO.md")
    (root / "app/TASKS.md").write_text("# App\n\n## Phase 1: Start\n\n- [x] one\n- [ ] two `app/main.py`\n")
    (root / "SECURITY_AUDIT.md").write_text(
        "# Security review\n\n## Findings\n\n### [High] Token kept in plain text\n\n"
        "File: `app/main.py:2`\n\nThe token is written to the log.\n")
    shutil.copy(FIXTURES / "findings/ruff.sarif", root / "ruff.sarif")
    (root / "app/sub dir/naïve #1.py").write_text("x = 1  # TODO(alice): handle naïve input\n# FIXME: and this\n")
    (root / "app/main.py").write_text("def f():\n    pass  # HACK: temporary\n")
    return root


def test_sitegens_own_pages_have_no_broken_link(tmp_path):
    root = _repository(tmp_path)
    result = run_sitegen("build", "--strict", cwd=root)
    assert result.returncode == 0, result.stderr
    site = root / "public"
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert len(files) > 10 and broken_links(site, files) == []


def test_a_broken_link_fails_strict_and_leaves_the_published_site(tmp_path):
    root = _repository(tmp_path)
    assert run_sitegen("build", cwd=root).returncode == 0
    before = tree_bytes(root / "public")
    (root / "mytheme/templates").mkdir(parents=True)
    (root / "mytheme/templates/index.html").write_text(
        '{% extends "default/index.html" %}{% block main %}<a href="{{ root }}nowhere.html">x</a>'
        '{{ super() }}{% endblock %}')
    (root / "sitegen.yaml").write_text("theme: mytheme\n")
    result = run_sitegen("build", "--strict", cwd=root)
    assert result.returncode == 1
    assert "broken link(s); the site was not published" in result.stderr
    assert "sitegen: warning: index.html: nowhere.html — no such file in the site" in result.stderr
    assert tree_bytes(root / "public") == before
    assert run_sitegen("build", cwd=root).returncode == 0  # without --strict, the site is published
