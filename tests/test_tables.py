"""Item tables as a reader meets them: every table captioned with scoped
headers, and each item's owner, status and id shown wherever it is listed."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from conftest import html_tree, run_sitegen, soup


def _site(project: Path) -> Path:
    (project / "app.py").write_text("# TODO(alice): cache the lookups\n# FIXME: check the token\n", encoding="utf-8")
    assert run_sitegen("build", cwd=project).returncode == 0
    return project / "public"


def test_every_table_has_a_caption_and_scoped_column_headers(project):
    public = _site(project)
    pages = sorted(public.rglob("*.html"))
    tables = [(page, table) for page in pages for table in soup(page).select("table")]
    assert len(tables) > 10
    for page, table in tables:
        assert table.caption is not None and table.caption.get_text(strip=True), page
        assert all(th.get("scope") in ("col", "row") for th in table.select("th")), page


def test_a_todo_row_shows_owner_status_and_id(project):
    public = _site(project)
    rows = {tr.select_one("td.todo-text").get_text(): tr for tr in soup(public / "todos/index.html").select(
        "table.todos tbody tr")}
    fixme = rows["check the token"]
    (project / "content/triage.yaml").write_text(f"{fixme['id']}: {{owner: bob, status: in-progress}}\n",
                                                 encoding="utf-8")
    assert run_sitegen("build", cwd=project).returncode == 0
    header = [th.get_text() for th in soup(public / "todos/index.html").select("table.todos thead th")]
    rows = {tr.select_one("td.todo-text").get_text(): [td.get_text(strip=True) for td in tr.select("td")]
            for tr in soup(public / "todos/index.html").select("table.todos tbody tr")}
    cells = {text: dict(zip(header, row)) for text, row in rows.items()}
    assert (cells["check the token"]["Owner"], cells["check the token"]["Status"]) == ("bob", "in-progress")
    assert cells["check the token"]["Id"] == fixme["id"]
    assert (cells["cache the lookups"]["Owner"], cells["cache the lookups"]["Status"]) == ("alice", "open")


def _data(public: Path, name: str) -> dict:
    """What data/<name>.js assigns to window.sitegenData[name]."""
    text = (public / f"data/{name}.js").read_text(encoding="ascii")
    prefix = f'window.sitegenData=window.sitegenData||{{}};window.sitegenData["{name}"]='
    assert text.startswith(prefix) and text.endswith(";\n")
    return json.loads(text[len(prefix):-2])


def test_the_scripts_data_hold_every_row_of_the_list_as_the_pages_show_it(project):
    public = _site(project)
    page_ids = [tr["id"] for tr in soup(public / "todos/index.html").select("table.todos tbody tr")]
    todos = _data(public, "todos")
    keys = [column["key"] for column in todos["columns"]]
    rows = [dict(zip(keys, row)) for row in todos["rows"]]
    assert [row["id"] for row in rows] == page_ids
    fixme = next(row for row in rows if row["text"] == "check the token")
    assert fixme["location"] == ["app.py:2", f"files/app.py.html#{fixme['id']}", "app.py", 2]
    assert (public / fixme["location"][1].partition("#")[0]).is_file()
    search = _data(public, "search")
    kinds = {item[search["fields"].index("kind")] for item in search["items"]}
    assert {"TODO", "Task"} <= kinds
    for item in search["items"]:  # every result leads to a page of the site
        assert (public / item[search["fields"].index("href")].partition("#")[0]).is_file()


def _result(rule: str, path: str, line: int, text: str) -> dict:
    return {"ruleId": rule, "level": "warning" if line % 3 else "error", "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": path}, "region": {"startLine": line}}}]}


def test_a_tools_data_file_holds_its_rows_in_the_order_of_its_pages(tmp_path):
    """A tool's pages (by rule, over two pages) and data/tool-<slug>.js, which tables.js sorts and filters
    them by: the same findings in the same order, each linked to a page that holds its anchor; no source
    filter (it would offer one value); its text escaped in the script, and no inline script on the page."""
    (tmp_path / "gen.py").write_text("".join(f"v{n} = {n}\n" for n in range(1, 1101)), encoding="utf-8")
    results = [_result(f"R{n % 3}", "gen.py", n, f"problem {n}") for n in range(1, 1101)]
    results.append(_result("R9", "../outside.py", 1, "</script><img src=x onerror=alert(1)>"))
    (tmp_path / "lint.sarif").write_text(json.dumps({"version": "2.1.0", "runs": [
        {"tool": {"driver": {"name": "Big Lint"}}, "results": results},
        {"tool": {"driver": {"name": "other"}}, "results": [_result("X1", "gen.py", 5, "another tool")]}]}))
    assert run_sitegen("build", "--strict", cwd=tmp_path).returncode == 0
    public = tmp_path / "public"
    pages = [public / "findings/tool-big-lint.html", public / "findings/tool-big-lint-2.html"]
    assert not (public / "findings/tool-big-lint-3.html").exists()
    shown = []
    for page in pages:
        html = html_tree(page)
        view = html.cssselect("div.list-view")[0]
        assert (view.get("data-list"), view.get("data-list-data")) == ("tool-big-lint", "../data/tool-big-lint.js")
        assert view.cssselect("table.findings tbody tr")  # the server's pages, complete without scripts
        shown += [tr.get("id") for tr in view.cssselect("table.findings tbody tr")]
        assert all(script.get("src") and not script.text_content() for script in html.iter("script"))
        assert not [name for tag in html.iter() for name in tag.attrib if name.lower().startswith("on")]
    raw = (public / "data/tool-big-lint.js").read_text(encoding="ascii")
    assert "<" not in raw.partition("=window.sitegenData||{};")[2]
    data = _data(public, "tool-big-lint")
    keys = [column["key"] for column in data["columns"]]
    assert keys == ["priority", "severity", "rule", "title", "location", "status", "category", "id"]
    rows = [dict(zip(keys, row)) for row in data["rows"]]
    assert [row["id"] for row in rows] == shown and len(shown) == 1101
    runs = [rule for rule, _ in itertools.groupby(row["rule"] for row in rows)]
    assert sorted(runs) == ["R0", "R1", "R2", "R9"]  # by rule, as the pages group them
    hostile = next(row for row in rows if row["rule"] == "R9")
    assert hostile["title"] == "</script><img src=x onerror=alert(1)>"
    anchors: dict[str, set[str]] = {}
    for row in rows:  # each leads to the part of gen.py's page (or the tool's page) that holds it
        page, _, anchor = row["location"][1].partition("#")
        if page not in anchors:
            anchors[page] = {tag.get("id") for tag in html_tree(public / page).iter() if tag.get("id") is not None}
        assert anchor == row["id"] and anchor in anchors[page], row
    assert {"files/gen.py.html", "files/gen.py-2.html"} <= anchors.keys()  # gen.py's page is in two parts
    assert hostile["location"][1].startswith("findings/tool-big-lint")  # outside the tree: on its tool's page
    other = _data(public, "tool-other")
    assert [row[-1] for row in other["rows"]] == [tr["id"] for tr in soup(public / "findings/tool-other.html").select(
        "table.findings tbody tr")]
    assert "source" in [column["key"] for column in _data(public, "findings")["columns"]]
