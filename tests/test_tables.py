"""Item tables as a reader meets them: every table captioned with scoped
headers, and each item's owner, status and id shown wherever it is listed."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_sitegen, soup


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
