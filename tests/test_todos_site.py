"""Marker comments end to end: collected from a tree, shown on the site."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import run_sitegen, soup

XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    files = {
        "app/auth.py": "import os\n\n# TODO(alice): rotate the signing key PAN-83\n#   before the release\nKEY = '# TODO: not a marker'\n",
        "app/web.js": f"// FIXME: {XSS[0]}\nconst s = \"// TODO no\";\n/* HACK: {XSS[1]} */\n",
        "db/schema.sql": "SELECT 1; -- TODO: add an index on users.email\n",
        "dir with space/ünïcode #1?.py": "# TODO: odd path\n",
        "weird/100% <b>.py": "# BUG: percent and angle brackets\n",
        "vendor/lib.js": "// TODO: vendored, skipped\n",
        "node_modules/x/index.js": "// TODO: skipped\n",
        "static/app.min.js": "/* TODO: minified, skipped */",
        "data.bin": "\x00\x01 TODO: binary, skipped",
        "ignored/x.py": "# TODO: gitignored\n",
        ".gitignore": "ignored/\n",
        "big/generated.py": "# TODO: in a file over the size cap\n" + "x = 1\n" * 400_000,
    }
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "legacy.py").write_bytes("# TODO: café\n".encode("latin-1"))
    return tmp_path


def build(repo: Path, *args: str):
    result = run_sitegen("build", *args, cwd=repo)
    assert result.returncode == 0, result.stderr
    return result


def rows(repo: Path) -> list[tuple[str, str, str]]:
    page = soup(repo / "public/todos/index.html")
    return [
        (tr.select("td")[1].get_text(), tr.select_one("td.location").get_text(), tr.select_one(".todo-text").get_text())
        for tr in page.select("table.todos tbody tr")
    ]


def test_todos_are_found_in_comments_only_and_skips_are_counted(repo):
    result = build(repo)
    assert sorted(rows(repo)) == sorted([
        ("TODO", "app/auth.py:3", "rotate the signing key PAN-83\nbefore the release"),
        ("FIXME", "app/web.js:1", XSS[0]),
        ("HACK", "app/web.js:3", XSS[1]),
        ("TODO", "db/schema.sql:1", "add an index on users.email"),
        ("TODO", "dir with space/ünïcode #1?.py:1", "odd path"),
        ("BUG", "weird/100% <b>.py:1", "percent and angle brackets"),
        ("TODO", "legacy.py:1", "café"),
    ])
    summary = soup(repo / "public/todos/index.html").select_one(".scan-summary").get_text(" ", strip=True)
    for skipped in ["1 binary", "1 gitignored", "1 minified", "1 tool or dependency folder",
                    "1 vendored or generated folder", "1 larger than 2 MiB"]:
        assert skipped in summary
    assert "legacy.py:1: not valid UTF-8; read as Latin-1" in result.stderr


def test_untrusted_text_is_escaped_on_every_page(repo):
    build(repo)
    for page in (repo / "public").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>" not in html, page
        assert not soup(page).select("img, [onerror]"), page
    shown = [soup(repo / "public" / p).get_text() for p in
             ("todos/index.html", "todos/by-tag.html", "todos/by-category.html", "files/app/web.js.html")]
    assert all(XSS[0] in text and XSS[1] in text for text in shown)


def test_odd_paths_get_working_pages_inside_the_site(repo):
    build(repo)
    public = repo / "public"
    assert (public / "files/dir with space/ünïcode #1?.py.html").is_file()
    assert (public / "files/weird/100% <b>.py.html").is_file()
    for page in [public / "todos/index.html", public / "files/index.html"]:
        for link in soup(page).select("a[href]"):
            parts = urlsplit(link["href"])
            if parts.scheme or not parts.path:
                continue
            assert (page.parent / unquote(parts.path)).resolve().is_file(), link["href"]
    assert all(p.resolve().is_relative_to(public.resolve()) for p in public.rglob("*"))


PAGE_LIKE_FOLDERS = {  # a file's page and a folder of that name; the file tree's page and a top folder
    "src/x.py": "x.py's own", "src/x.py.html/y.py": "in a folder named as x.py's page",
    "src/X.PY.HTML/z.py": "in that name's upper case", "index.html/a.py": "in a folder named as the tree's page",
    "w.html/b.py": "in w.html", "w.html_/c.py": "in w.html_ (which w.html must not become)",
    "a" * 250 + ".html/d.py": "in a folder of a name too long for one more character",
}


def test_a_folder_named_as_a_page_is_and_that_page_are_both_published(tmp_path: Path):
    for rel, text in PAGE_LIKE_FOLDERS.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"# TODO: {text}\n", encoding="utf-8")
    build(tmp_path, "--strict")  # --strict: every link of every page leads to a page
    listed = soup(tmp_path / "public/todos/index.html").select("table.todos tbody tr")
    assert len(listed) == len(PAGE_LIKE_FOLDERS)
    for row in listed:
        href = urlsplit(row.select_one("a[href*='files/']")["href"])
        page = (tmp_path / "public/todos" / unquote(href.path)).resolve()
        assert page.is_file() and soup(page).find(id=href.fragment), href
        assert row.select_one(".todo-text").get_text() in soup(page).find(id=href.fragment).get_text()
    assert soup(tmp_path / "public/files/index.html").select_one("h1")  # the tree's page is still a page


def test_a_file_whose_latin1_name_reads_as_another_files_is_on_the_site_too(tmp_path: Path):
    for name, text in {b"caf\xc3\xa9.py": "named in UTF-8", b"caf\xe9.py": "named in Latin-1"}.items():
        with open(os.fsencode(tmp_path) + b"/" + name, "w", encoding="utf-8") as handle:
            handle.write(f"# TODO: {text}\n")
    result = build(tmp_path)
    assert "café (Latin-1).py: this name is not valid UTF-8; shown as Latin-1, with (Latin-1) added" in result.stderr
    assert sorted((loc, text) for _, loc, text in rows(tmp_path)) == [
        ("café (Latin-1).py:1", "named in Latin-1"), ("café.py:1", "named in UTF-8")]
    for name, text in (("café.py", "named in UTF-8"), ("café (Latin-1).py", "named in Latin-1")):
        assert text in soup(tmp_path / "public/files" / f"{name}.html").select_one("article.item").get_text()


def test_a_file_put_where_another_was_cached_is_read_whatever_its_size_and_time(tmp_path: Path):
    """The scan's cache knows a file by its path, inode, size and time: a
    UTF-8 twin of the same size and time takes the Latin-1 file's path."""
    latin1 = os.fsencode(tmp_path) + b"/caf\xe9.py"
    with open(latin1, "w", encoding="utf-8") as handle:
        handle.write("# TODO: named in Latin-1\n")
    os.utime(latin1, ns=(1_700_000_000_000_000_000,) * 2)
    build(tmp_path)
    (tmp_path / "café.py").write_text("# TODO: named in UTF-8!!\n", encoding="utf-8")  # the same size
    os.utime(tmp_path / "café.py", ns=(1_700_000_000_000_000_000,) * 2)
    build(tmp_path)
    assert sorted(text for _, _, text in rows(tmp_path)) == ["named in Latin-1", "named in UTF-8!!"]


_PART = st.sampled_from(["x.py", "x.py.html", "X.py.HTML", "x.py.html_", "x.py.html__", "x.py-2.html", "index",
                         "index-2", "index.html", "a_", "b", "a" * 250 + ".html", "a" * 249 + ".html_"])


@given(st.sets(st.lists(_PART, min_size=1, max_size=3).map("/".join), max_size=8))
def test_no_page_of_the_file_tree_is_a_folder_of_another_and_each_file_has_its_own(paths):
    from sitegen.site import urls
    from sitegen.site.output import _folders_of

    own = {urls.part(urls.FILES, n) for n in (1, 2, 3)}  # the file tree's pages
    files = {urls.file_part(path, n) for path in paths for n in (1, 2)}
    pages = own | files
    assert len({urls.file_page(path) for path in paths}) == len(paths) and not own & files
    assert all(len(name.encode()) <= 255 for page in pages for name in page.split("/"))
    folders = {folder for page in pages for folder in _folders_of(page)}
    assert not pages & folders


def test_file_page_shows_each_item_in_its_highlighted_context(repo):
    build(repo)
    page = soup(repo / "public/files/app/auth.py.html")
    item = page.select_one("article.item")
    assert item["id"].startswith("td-")
    assert item.select_one(".todo-text").get_text() == "rotate the signing key PAN-83\nbefore the release"
    code = item.select_one(".highlight").get_text()
    assert "# TODO(alice): rotate the signing key PAN-83" in code and "KEY = " in code
    marked = item.select_one(".highlight .hll")
    assert marked.select_one(".linenos").get_text() == "3"
    assert "# TODO(alice)" in marked.get_text()
    assert [li.get_text() for li in item.select("ul.meta li")][:3] == ["Security & auth", "alice", "PAN-83"]


def test_config_exclude_and_source_url(repo):
    (repo / "sitegen.yaml").write_text(
        "todos:\n  exclude: ['db/']\nsource_url: https://example.org/r/blob/{revision}/{path}#L{line}\n")
    build(repo)
    assert not any(loc.startswith("db/") for _, loc, _ in rows(repo))
    link = soup(repo / "public/files/app/auth.py.html").find("a", string="view source")
    assert link["href"] == "https://example.org/r/blob/HEAD/app/auth.py#L3"


def test_todo_triage_and_no_collect_parity(repo):
    build(repo)
    item_id = soup(repo / "public/files/db/schema.sql.html").select_one("article.item")["id"]
    (repo / "content/triage.yaml").write_text(f"{item_id}:\n  priority: P1\n  status: accepted\n")
    build(repo)
    row = soup(repo / "public/todos/index.html").find(id=item_id)
    assert row.select_one(".badge").get_text() == "P1"
    assert "accepted" in row.get_text()
    before = {p: p.read_bytes() for p in (repo / "public").rglob("*") if p.is_file()}
    build(repo, "--no-collect")
    assert {p: p.read_bytes() for p in (repo / "public").rglob("*") if p.is_file()} == before


def test_collect_command_and_cache_give_the_same_content(repo):
    first = run_sitegen("collect", cwd=repo)
    assert first.returncode == 0, first.stderr
    assert "collected 0 checklist document(s) with 0 task(s), 7 TODO(s)" in first.stderr
    cold = (repo / "content/todos.yaml").read_bytes()
    assert (repo / ".sitegen-cache/todos.marshal").is_file()
    assert run_sitegen("collect", cwd=repo).returncode == 0  # warm: from the cache
    assert (repo / "content/todos.yaml").read_bytes() == cold
    assert run_sitegen("collect", "--no-cache", "--only", "todos", cwd=repo).returncode == 0
    assert (repo / "content/todos.yaml").read_bytes() == cold


def test_cache_notices_changed_files(repo):
    assert run_sitegen("collect", "--only", "todos", cwd=repo).returncode == 0
    path = repo / "db/schema.sql"
    path.write_text("SELECT 1; -- FIXME: changed and longer than before\n")
    assert run_sitegen("collect", "--only", "todos", cwd=repo).returncode == 0
    text = (repo / "content/todos.yaml").read_text(encoding="utf-8")
    assert "changed and longer than before" in text and "add an index" not in text


def test_a_damaged_cache_is_ignored(repo):
    assert run_sitegen("collect", cwd=repo).returncode == 0
    cold = (repo / "content/todos.yaml").read_bytes()
    cache = repo / ".sitegen-cache/todos.marshal"
    whole = cache.read_bytes()
    for damaged in (whole[:len(whole) // 2], b"\xe3\x00not marshal", b"", whole[:-1] + b"\xff"):
        cache.write_bytes(damaged)
        result = run_sitegen("collect", cwd=repo)
        assert result.returncode == 0, result.stderr
        assert (repo / "content/todos.yaml").read_bytes() == cold


def test_many_file_pages_are_rendered_in_parallel_with_their_context(tmp_path):
    # Enough files for the file pages to be spread over worker processes.
    for index in range(450):
        path = tmp_path / f"pkg{index % 9}/m{index:03d}.{('py', 'js', 'go')[index % 3]}"
        path.parent.mkdir(exist_ok=True)
        comment = "#" if path.suffix == ".py" else "//"
        path.write_text(f"x = {index}\n{comment} TODO: item {index}\ny = 2\n", encoding="utf-8")
    build(tmp_path)
    assert len(rows(tmp_path)) == 450
    pages = sorted((tmp_path / "public/files").rglob("*.html"))
    assert len(pages) == 450 + 1  # and files/index.html
    for index in (0, 224, 449):
        page = soup(tmp_path / f"public/files/pkg{index % 9}/m{index:03d}.{('py', 'js', 'go')[index % 3]}.html")
        marked = page.select_one("article.item .highlight .hll")
        assert f"TODO: item {index}" in marked.get_text()
        assert marked.select_one(".linenos").get_text() == "2"
    # The first build's workers hashed what they rendered (its ledger was
    # empty). The second builds into an empty folder; the third into the
    # first one's site, whose every page its hashes find current.
    assert "(471 rendered," in build(tmp_path).stderr
    assert "(0 rendered," in build(tmp_path).stderr
    (tmp_path / "pkg0/m000.py").write_text("x = 0\n# TODO: item 0, reworded\ny = 2\n", encoding="utf-8")
    assert "(9 rendered," in build(tmp_path).stderr  # its file page, the lists and data files showing it
