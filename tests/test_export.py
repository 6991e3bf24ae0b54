"""`sitegen export`: each format as the program that reads it sees it — SARIF
against the official 2.1.0 schema and read back by sitegen's own importer,
GitLab Code Quality's documented fields, CSV as a spreadsheet opens it, the
Markdown summary as a pull request's comment renders it — and hostile item
text kept inert in every one."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import FIXTURES, run_sitegen
from sitegen.content import read_todos
from sitegen.export import FORMATS, csv_format, json_format, markdown
from sitegen.export.snapshot import Snapshot
from sitegen.items import Item

HOSTILE = "=cmd|' /C calc'!A0 | <script>alert(1)</script> `x` @alice [a](javascript:x)"
SCHEMA = json.loads((FIXTURES / "sarif/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    """A repository with checklists, TODOs (one hostile, one accepted by
    triage), a tool's SARIF and a Markdown report, collected."""
    root = tmp_path_factory.mktemp("export")
    (root / ".git").mkdir()
    (root / "app").mkdir()
    shutil.copy(FIXTURES / "checklists/priorities.md", root / "TODO.md")
    shutil.copy(FIXTURES / "checklists/phased.md", root / "app/TASKS.md")
    shutil.copy(FIXTURES / "findings/bandit.sarif", root / "bandit.sarif")
    shutil.copy(FIXTURES / "findings/sample_app.py", root / "sample_app.py")
    shutil.copy(FIXTURES / "reports/READINESS.md", root / "READINESS.md")
    (root / "app/main.py").write_text(f"# FIXME: {HOSTILE}\nx = 1  # TODO: tidy\n"
                                      "y = 2  # BUG: accepted by triage\n", encoding="utf-8")
    assert run_sitegen("-q", "collect", cwd=root).returncode == 0
    todos, _ = read_todos(root / "content")
    accepted = next(todo.id for todo in todos if todo.tag == "BUG")
    (root / "content/triage.yaml").write_text(f"{accepted}:\n  status: accepted\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def exported(tree) -> dict[str, str]:
    """Each format's standard output, from content/ as collected."""
    out = {}
    for name in FORMATS:
        result = run_sitegen("-q", "export", "--format", name, "--no-collect", cwd=tree)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        out[name] = result.stdout
    return out


def _items(exported) -> list[dict]:
    return json.loads(exported["json"])["items"]


# --- JSON: data/health.json ----------------------------------------------------------------

def test_health_json_holds_every_item_and_totals_that_add_up(exported):
    health = json.loads(exported["json"])
    assert health["schema"] == "sitegen/health@1"
    assert health["generated"] is None  # no SOURCE_DATE_EPOCH: no time, same bytes
    items = health["items"]
    assert {item["kind"] for item in items} == {"task", "todo", "finding"}
    assert len({item["id"] for item in items}) == len(items)
    totals = health["totals"]
    assert totals["items"] == len(items)
    assert totals["open"] == sum(item["open"] for item in items) == sum(totals["open_by_priority"].values())
    assert sum(kind["total"] for kind in totals["by_kind"].values()) == len(items)
    assert sum(totals["by_status"].values()) == len(items)
    assert set(items[0]) >= {"kind", "id", "priority", "status", "title", "path", "line", "source", "severity",
                             "category", "owner", "rule", "open"}
    phased = next(doc for doc in health["checklists"] if doc["path"] == "app/TASKS.md")
    assert phased["page"] == "checklists/app-tasks/index.html"
    assert phased["phases"] and all({"label", "done", "total"} == set(p) for p in phased["phases"])
    assert exported["json"].isascii()
    lines = exported["json"].splitlines()
    assert [json.loads(line.rstrip(",")) for line in lines if line.startswith("  {\"category\"")] == items  # a line each
    assert list(health) == sorted(health) and all(list(item) == sorted(item) for item in items)


def test_health_json_is_byte_identical_again_and_dated_by_source_date_epoch(tree, exported, monkeypatch):
    again = run_sitegen("export", "--format", "json", "--no-collect", cwd=tree)
    assert again.stdout == exported["json"]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    dated = run_sitegen("export", "--format", "json", "--no-collect", cwd=tree)
    assert json.loads(dated.stdout)["generated"] == "2023-11-14T22:13:20Z"


@given(titles=st.lists(st.sampled_from(['},{"category":"x"}', '"},\n  {"category":', "\ud800", "é", "}", "{", ","])
                      .map(lambda pieces: "".join(pieces)) | st.text(max_size=20), max_size=6))
def test_health_json_puts_each_item_on_its_line_whatever_its_text(titles):
    """The items are encoded in one call and cut into lines where an object
    ends and the next begins: text that looks like that boundary must not cut."""
    items = [_item(f"td-{n}", title=title) for n, title in enumerate(titles)]
    text = json_format.write(Snapshot(items, [], None, None))
    assert [item["title"] for item in json.loads(text)["items"]] == titles
    lines = [line for line in text.splitlines() if line.startswith('  {"category"')]
    assert [json.loads(line.rstrip(","))["id"] for line in lines] == [item.id for item in items]


@given(titles=st.lists(st.sampled_from(['},{"category":"x"}', "\ud800", "é", ","]) | st.text(max_size=5), max_size=7),
       per_chunk=st.integers(1, 4))
def test_health_json_is_the_same_whatever_number_of_items_is_encoded_at_a_time(titles, per_chunk):
    """The items are encoded a chunk at a time (memory): where chunks meet
    must read as where two items of one chunk meet."""
    snapshot = Snapshot([_item(f"td-{n}", title=title) for n, title in enumerate(titles)], [], None, None)
    whole = json_format.write(snapshot)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_format, "PER_CHUNK", per_chunk)
        assert json_format.write(snapshot) == whole
    assert [item["title"] for item in json.loads(whole)["items"]] == titles


def test_health_json_items_have_every_field_of_an_item_in_sorted_order():
    """Each item's object is written out field by field, in sorted order
    (so that the whole list is encoded without sorting each object)."""
    text = json_format.write(Snapshot([_item("td-1")], [], None, None))
    line = next(line for line in text.splitlines() if line.startswith("  {"))
    keys = list(json.loads(line))
    assert keys == sorted(keys) == sorted([field.name for field in dataclasses.fields(Item)] + ["open"])


_ITEMS = st.builds(Item, kind=st.sampled_from(["task", "todo", "finding"]), id=st.text(max_size=3),
                   priority=st.sampled_from([None, "P1", "P2", "P4"]),
                   status=st.sampled_from(["open", "done", "wontfix", "resolved", "accepted", "in-progress"]),
                   title=st.just("t"), path=st.none(), line=st.none(), source=st.just("s"),
                   severity=st.sampled_from([None, "critical", "low", "info"]))


@given(st.lists(_ITEMS, max_size=30))
def test_health_json_totals_count_each_item_once_by_each_facet(items):
    totals = json.loads(json_format.write(Snapshot(items, [], None, None)))["totals"]
    open_items = [i for i in items if i.status not in ("done", "wontfix", "resolved")]
    assert totals["items"] == len(items) and totals["open"] == len(open_items)
    assert totals["by_kind"] == {kind: {"total": sum(i.kind == kind for i in items),
                                        "open": sum(i.kind == kind for i in open_items)}
                                 for kind in ("task", "todo", "finding")}
    assert totals["open_by_priority"] == {p: sum((i.priority or "none") == p for i in open_items)
                                          for p in ("P1", "P2", "P3", "P4", "none")}
    assert totals["open_by_severity"] == {s: sum(i.severity == s for i in open_items)
                                          for s in ("critical", "high", "medium", "low", "info")}
    assert totals["by_status"] == {s: sum(i.status == s for i in items) for s in sorted({i.status for i in items})}


# --- SARIF ---------------------------------------------------------------------------------

def test_sarif_validates_against_the_official_2_1_0_schema(exported):
    log = json.loads(exported["sarif"])
    jsonschema.validate(log, SCHEMA, cls=jsonschema.Draft4Validator)
    (run,) = log["runs"]
    assert log["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "sitegen"
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert len(rules) == len(set(rules))
    results = run["results"]
    assert {"todo/FIXME", "todo/TODO"} <= {r["ruleId"] for r in results}
    assert any(r["ruleId"].startswith("Bandit/") for r in results)
    for result in results:
        assert rules[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning", "note")
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%" and not artifact["uri"].startswith(("/", "file:"))
        assert location["physicalLocation"].get("region", {"startLine": 1})["startLine"] >= 1
    # open TODOs and findings with a place in the tree; no tasks
    items = {item["id"]: item for item in _items(exported)}
    ids = [r["partialFingerprints"]["sitegenItemId/v1"] for r in results]
    assert len(ids) == len(set(ids))
    assert {items[i]["kind"] for i in ids} == {"todo", "finding"}
    assert all(items[i]["open"] and items[i]["path"] for i in ids)
    expected = {i for i, item in items.items()
                if item["kind"] != "task" and item["open"] and item["status"] != "accepted" and item["path"]}
    assert set(ids) == expected


def test_sitegen_reads_its_own_sarif_back(tree, exported):
    from sitegen.collectors.sarif import _Context, parse_json
    from sitegen.config import DEFAULT_SEVERITY_PRIORITIES

    findings, notice = parse_json(exported["sarif"], _Context(tree, "sitegen.sarif", dict(DEFAULT_SEVERITY_PRIORITIES)))
    assert notice is None
    items = {item["id"]: item for item in _items(exported)}
    log = json.loads(exported["sarif"])
    for finding, result in zip(findings, log["runs"][0]["results"], strict=True):
        item = items[result["partialFingerprints"]["sitegenItemId/v1"]]
        assert finding.source == "sitegen" and finding.rule == result["ruleId"]
        assert finding.files == [f"{item['path']}:{item['line']}" if item["line"] else item["path"]]
        assert finding.title == item["title"].strip().split("\n")[0]
        if item["severity"]:
            assert finding.severity == item["severity"]


# --- GitLab Code Quality ---------------------------------------------------------------------

def test_code_quality_has_gitlabs_documented_fields(exported):
    issues = json.loads(exported["codequality"])
    assert isinstance(issues, list) and issues
    for issue in issues:
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["check_name"]
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert isinstance(issue["location"]["path"], str) and not issue["location"]["path"].startswith("/")
        begin = issue["location"]["lines"]["begin"]
        assert isinstance(begin, int) and not isinstance(begin, bool) and begin >= 1
    fingerprints = [issue["fingerprint"] for issue in issues]
    assert len(fingerprints) == len(set(fingerprints))
    sarif_ids = [r["partialFingerprints"]["sitegenItemId/v1"] for r in json.loads(exported["sarif"])["runs"][0]["results"]]
    assert fingerprints == sarif_ids  # the same items, each under its stable id


# --- CSV -------------------------------------------------------------------------------------

def test_csv_is_a_row_per_item_and_no_cell_is_a_formula(exported):
    rows = list(csv.reader(io.StringIO(exported["csv"], newline="")))
    header, body = rows[0], rows[1:]
    assert header == csv_format.COLUMNS
    assert len(body) == len(_items(exported))
    assert exported["csv"].endswith("\r\n")
    hostile = next(row for row in body if HOSTILE in row[header.index("title")])
    assert hostile[header.index("title")] == "'" + HOSTILE
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in body for cell in row)


@pytest.mark.parametrize("text", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_neutralises_each_formula_start(text):
    assert csv_format.cell(text) == "'" + text
    assert csv_format.cell("plain =x") == "plain =x" and csv_format.cell(None) == ""


# --- Markdown --------------------------------------------------------------------------------

def _rendered(text: str):
    """The tokens GitHub-flavoured Markdown makes of `text` (tables on, raw HTML on, as GitHub)."""
    return MarkdownIt("commonmark", {"html": True}).enable("table").parse(text)


def _table_rows(text: str, heading: str) -> list[list[str]]:
    """The body rows of the first table after `heading`, as cell texts."""
    tokens = _rendered(text[text.index(heading):])
    rows, row, in_body = [], None, False
    for token in tokens:
        if token.type == "tbody_open":
            in_body = True
        elif token.type == "tbody_close":
            break
        elif in_body and token.type == "tr_open":
            row = []
        elif in_body and token.type == "tr_close":
            rows.append(row)
        elif in_body and token.type == "inline":
            row.append("".join(child.content for child in token.children if child.type == "text"))
    return rows


def test_markdown_summary_lists_the_first_open_items_with_their_text_inert(exported):
    summary = exported["markdown"]
    rows = _table_rows(summary, "### Open P1 and P2 items")
    assert rows and all(len(row) == 4 for row in rows)
    assert [row[0] for row in rows] == sorted(row[0] for row in rows)  # P1 first
    hostile = next(row for row in rows if "calc" in row[2])
    assert hostile[2] == HOSTILE and hostile[3] == "app/main.py:1"  # shown as written, in its own cell
    tokens = [t for token in _rendered(summary) for t in (token, *(token.children or ()))]
    assert not [t for t in tokens if t.type in ("html_inline", "html_block", "link_open", "code_inline")]
    assert "**" in summary.split("\n")[2]  # the headline's counts


def _item(item_id: str, priority: str = "P2", kind: str = "todo", status: str = "open", title: str = "t") -> Item:
    return Item(kind, item_id, priority, status, title, "src/a.py", 3, "TODO")


def test_markdown_shows_what_is_new_and_what_was_resolved_since_the_baseline():
    now = [_item("td-kept"), _item("td-new", "P1", title="new | one\nline two"), _item("td-closed", status="done")]
    before = [_item("td-kept"), _item("td-gone", "P3"), _item("td-closed")]
    summary = markdown.write(Snapshot(now, [], baseline=before))
    assert "**1 new**, **2 resolved**" in summary
    new = _table_rows(summary, "#### New")
    assert new == [["P1", "TODO", "new | one line two", "src/a.py:3"]]
    resolved = _table_rows(summary, "#### Resolved")
    assert [row[0] for row in resolved] == ["P2", "P3"]
    assert "baseline" not in markdown.write(Snapshot(now, []))


def test_markdown_links_to_the_hosted_site_when_its_address_is_known():
    summary = markdown.write(Snapshot([_item("td-a", "P1")], [], base_url="https://example.org/health"))
    links = [t.attrGet("href") for token in _rendered(summary) for t in token.children or () if t.type == "link_open"]
    assert "https://example.org/health/files/src/a.py.html#td-a" in links
    assert "https://example.org/health/index.html" in links
    resolved = markdown.write(Snapshot([], [], base_url="https://example.org/", baseline=[_item("td-gone", "P1")]))
    assert "td-gone" not in resolved  # no link to an item the site no longer has
    assert "https://" not in markdown.write(Snapshot([_item("td-a", "P1")], []))


# --- the command ---------------------------------------------------------------------------

def test_o_writes_the_file_and_nothing_to_stdout(tree, exported):
    result = run_sitegen("export", "--format", "sarif", "--no-collect", "-o", "reports/sitegen.sarif", cwd=tree)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert (tree / "reports/sitegen.sarif").read_text(encoding="utf-8") == exported["sarif"]
    assert [p.name for p in (tree / "reports").iterdir()] == ["sitegen.sarif"]  # no temporary file left


@pytest.mark.parametrize("args, says", [
    (("export",), "missing option '--format'"),
    (("export", "--format", "xml"), "invalid value for '--format': 'xml' is not one of 'json', 'csv', 'markdown', "
                                    "'sarif', 'codequality'"),
    (("export", "--format", "json", "--no-collect"), "content/checklists.yaml: not collected yet"),
    (("export", "--format", "json", "-o", "app"), "invalid value for '-o' / '--output': File 'app' is a directory"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, says):
    (tmp_path / ".git").mkdir()
    (tmp_path / "app").mkdir()
    result = run_sitegen(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"sitegen: error: {says}"), line


def test_the_site_publishes_the_same_health_json_and_the_dashboard_links_to_it(tree, exported):
    from sitegen.site.links import broken_links

    result = run_sitegen("build", "--no-collect", cwd=tree)
    assert result.returncode == 0, result.stderr
    site = tree / "public"
    assert (site / "data/health.json").read_text(encoding="utf-8") == exported["json"]
    assert 'href="data/health.json"' in (site / "index.html").read_text(encoding="utf-8")
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert broken_links(site, files) == []


def test_export_collects_first_and_leaves_out_what_triage_accepted(tree, exported):
    (tree / "own.sarif").write_text(exported["sarif"], encoding="utf-8")
    result = run_sitegen("-v", "export", "--format", "json", cwd=tree)
    assert result.returncode == 0, result.stderr
    assert result.stdout == exported["json"]  # sitegen's own SARIF in the tree is never imported back
    assert "exported" in result.stderr
    items = json.loads(result.stdout)["items"]
    accepted = next(item for item in items if item["source"] == "BUG")
    assert accepted["status"] == "accepted" and accepted["open"]
    sarif_ids = {r["partialFingerprints"]["sitegenItemId/v1"] for r in json.loads(exported["sarif"])["runs"][0]["results"]}
    assert accepted["id"] not in sarif_ids
