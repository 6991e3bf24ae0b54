"""Highlighting of source context: the lexer chosen for a file name."""

from __future__ import annotations

import re
from pathlib import Path

from pygments.lexers import TextLexer, get_all_lexers, get_lexer_for_filename
from pygments.util import ClassNotFound

from conftest import is_thorough, read_cache, run_sitegen, soup

from sitegen.cache import save_keyed
from sitegen.site.highlight import CACHE_FILE, lexer_for


def _pygments_choice(name: str) -> type:
    try:
        return type(get_lexer_for_filename(name))
    except ClassNotFound:
        return TextLexer


def _names() -> list[str]:
    """A file name for every filename pattern pygments knows, and a few more."""
    names = {"Makefile", "CMakeLists.txt", "notes.txt", ".bashrc", "page.html.j2", "archive.tar.gz", "README",
             "Dockerfile", "x.PY", "a.b.c.py", ".hidden.py", "noext.", "weird name #1?.rs"}
    for _, _, patterns, _ in get_all_lexers():
        for pattern in patterns:
            names.add(re.sub(r"\[(.)[^\]]*\]", r"\1", pattern).replace("*", "file").replace("?", "x"))
    return sorted(names)


def test_lexer_lookup_by_extension_agrees_with_pygments():
    names = _names()
    assert len(names) > 800
    disagreements = []
    # Every name in the thorough run (bench/thorough_tests.py); a fixed eighth otherwise.
    for name in names if is_thorough() else names[::8]:
        expected = _pygments_choice(name)  # slow: pygments tries every lexer's patterns
        disagreements += [folder + name for folder in ("", "src/deep/") if type(lexer_for(folder + name)) is not expected]
    assert disagreements == []


def _site(repo: Path) -> dict[str, bytes]:
    return {str(p.relative_to(repo)): p.read_bytes() for p in (repo / "public").rglob("*") if p.is_file()}


def _build(repo: Path) -> None:
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 0, result.stderr


def test_highlighted_snippets_are_kept_across_builds_and_follow_the_source(tmp_path):
    source = tmp_path / "app.py"
    source.write_text("import os\n\n# TODO: first\nx = 1\n", encoding="utf-8")
    _build(tmp_path)
    first = _site(tmp_path)
    cache = tmp_path / ".sitegen-cache" / CACHE_FILE
    stored_key, stored = read_cache(cache)
    assert len(stored) == 1

    _build(tmp_path)  # unchanged: the same site, from the cache
    assert _site(tmp_path) == first

    # The cached snippet is what the page shows: mark it, and the mark appears.
    (key, html), = stored.items()
    stored[key] = html.replace("first", "first-from-cache")
    save_keyed(cache, stored_key, stored)
    (tmp_path / ".sitegen-cache/pages.marshal").unlink()  # else the unchanged page is not rendered again
    _build(tmp_path)
    assert "first-from-cache" in soup(tmp_path / "public/files/app.py.html").select_one(".highlight").get_text()

    # Changed source lines make a new snippet; the old one drops out of the cache.
    source.write_text("import os\n\n# TODO: first\nx = 2\n", encoding="utf-8")
    _build(tmp_path)
    shown = soup(tmp_path / "public/files/app.py.html").select_one(".highlight").get_text()
    assert "first-from-cache" not in shown and "x = 2" in shown
    assert key not in read_cache(cache)[1]


def test_a_damaged_snippet_cache_is_ignored(tmp_path):
    (tmp_path / "app.js").write_text("// FIXME: one\nlet a = 1;\n", encoding="utf-8")
    _build(tmp_path)
    first = _site(tmp_path)
    cache = tmp_path / ".sitegen-cache" / CACHE_FILE
    save_keyed(cache.with_name("other.marshal"), "another key", {})
    whole, other = cache.read_bytes(), cache.with_name("other.marshal").read_bytes()
    for damaged in (whole[: len(whole) // 2], b"", b"\x00\x01junk", other):
        cache.write_bytes(damaged)
        _build(tmp_path)
        assert _site(tmp_path) == first


def _sample_files() -> list[Path]:
    """Files of many languages: this repository's (Python, Jinja/HTML, CSS,
    JavaScript, Markdown, YAML, TOML, shell) and the interpreter's own
    library (Python, C headers where installed), with odd characters,
    tabs, CRLF and long lines among them."""
    import sysconfig

    repository = Path(__file__).parents[1]
    mine = sorted(p for p in repository.rglob("*") if p.is_file() and p.suffix in {
        ".py", ".html", ".css", ".js", ".md", ".yaml", ".yml", ".toml", ".sh", ".json", ".sarif", ".txt", ".c"}
        and ".venv" not in p.parts and "bench" not in p.parts[len(repository.parts):][:1])
    stdlib = sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))
    headers = sorted(Path(sysconfig.get_paths()["include"]).glob("*.h"))
    by_suffix: dict[str, list[Path]] = {}
    for path in mine + stdlib + headers:
        by_suffix.setdefault(path.suffix, []).append(path)
    kept = 0 if is_thorough() else 4  # files of each kind, spread over its list
    return [path for paths in by_suffix.values() for path in (paths[::max(1, len(paths) // kept)] if kept else paths)]


def pygments_snippet_html(path: str, lines: list[str], start: int, marked: int) -> str:
    """A snippet as pygments.highlight makes it with the site's formatter."""
    import copy

    import pygments

    from sitegen.site.highlight import _SNIPPET_FORMATTER

    formatter = copy.copy(_SNIPPET_FORMATTER)
    formatter.linenostart = start
    formatter.hl_lines = {marked - start + 1}
    return pygments.highlight("\n".join(lines) + "\n", lexer_for(path), formatter)


def test_snippets_are_what_pygments_highlight_gives():
    from sitegen.site.highlight import snippet_html

    compared = 0
    for path in _sample_files():
        text = path.read_bytes().decode("utf-8", "replace")
        lines = text.splitlines()
        for first in range(0, len(lines), max(1, len(lines) // 3)):
            window = lines[first:first + 7]
            start = first + 1
            for marked in (start, start + 3, start + len(window) - 1, start - 1):
                assert snippet_html(path.name, window, start, marked) == \
                    pygments_snippet_html(path.name, window, start, marked), (path, first, marked)
                compared += 1
    assert compared > 400, compared
