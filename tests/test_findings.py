"""Static-analysis reports (SARIF 2.1.0, pylint json2, bandit JSON) → findings,
from real ruff, bandit and pylint output (tests/fixtures/findings/README.md)."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from conftest import read_yaml, run_sitegen, soup

FIXTURES = Path(__file__).parent / "fixtures/findings"
RUFF_ROOT = "file:///work/main/tests/fixtures/findings/"  # where the fixture was made


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copy(FIXTURES / "sample_app.py", tmp_path)
    (tmp_path / "reports").mkdir()
    for name in ("bandit.sarif", "bandit.json", "pylint.json"):
        shutil.copy(FIXTURES / name, tmp_path / "reports" / name)
    # ruff wrote absolute file:// URIs; point them at this tree, as if run here.
    ruff = (FIXTURES / "ruff.sarif").read_text().replace(RUFF_ROOT, tmp_path.as_uri() + "/")
    (tmp_path / "reports/ruff.sarif").write_text(ruff)
    (tmp_path / "sitegen.yaml").write_text('findings:\n  json: ["reports/*.json"]\n')
    return tmp_path


def build(repo: Path):
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    return result


def items(repo: Path) -> list[dict]:
    return read_yaml(repo / "content/findings.yaml")["items"]


def test_each_tool_is_imported_on_one_severity_scale(repo):
    build(repo)
    found = items(repo)
    # 20 + 6 + 6 + 5 results: bandit's SARIF and JSON report the same 6 problems, and
    # 4 of them ruff too (its S rules are bandit's checks): each is one finding.
    assert Counter(f["source"] for f in found) == {"ruff": 16, "bandit": 6, "pylint": 5}
    by_rule = {(f["source"], f["rule"].split()[0]): (f["severity"], f["priority"]) for f in found}
    assert by_rule[("ruff", "D103")] == ("info", "P4")          # rule-prefix map: ruff says "error" for all
    assert by_rule[("ruff", "F841")] == ("medium", "P3")
    assert by_rule[("bandit", "B602")] == ("high", "P2")        # bandit's own issue_severity
    assert by_rule[("bandit", "B301")] == ("medium", "P3")
    also = {f["rule"].split()[0]: f["also"] for f in found if f["source"] == "bandit"}
    assert also["B602"] == ["Bandit B602", "ruff S602"] and also["B403"] == ["Bandit B403"]
    assert by_rule[("pylint", "W0612")] == ("medium", "P3")
    assert all(f["files"][0].startswith("sample_app.py:") for f in found)  # file:/// made repo-relative


def test_snippets_never_reach_the_content_or_the_site(repo):
    assert "import pickle" in (repo / "reports/bandit.sarif").read_text()
    build(repo)
    assert "import pickle" not in (repo / "content/findings.yaml").read_text(encoding="utf-8")
    for page in (repo / "public").rglob("*.html"):
        assert "import pickle" not in page.read_text(encoding="utf-8"), page


def test_findings_page_and_file_page(repo):
    build(repo)
    page = soup(repo / "public/findings/index.html")
    assert [h.get_text(" ", strip=True) for h in page.select("section.tool-output h3")] == [
        "bandit (6 in 6 rule(s))", "pylint (5 in 2 rule(s))", "ruff (16 in 7 rule(s))"]
    file_page = soup(repo / "public/files/sample_app.py.html")
    listed = [li.get_text(" ", strip=True) for li in file_page.select(".findings-list li")]
    assert len(listed) == 27
    assert any("line 13: subprocess call with shell=True identified" in text for text in listed)


def test_ids_do_not_depend_on_the_line(repo):
    build(repo)
    before = {f["rule"]: f["id"] for f in items(repo) if f["source"] == "pylint" and f["rule"].startswith("W")}
    report = repo / "reports/pylint.json"
    report.write_text(report.read_text().replace('"line": 22', '"line": 40'))
    build(repo)
    after = {f["rule"]: f["id"] for f in items(repo) if f["source"] == "pylint" and f["rule"].startswith("W")}
    assert before == after


def test_bad_reports_warn_by_name_and_the_rest_is_imported(repo):
    (repo / "reports/truncated.sarif").write_text((repo / "reports/bandit.sarif").read_text()[:500])
    (repo / "reports/old.sarif").write_text(json.dumps({"version": "1.0.0", "runs": []}))
    (repo / "reports/empty.sarif").write_text(json.dumps({"version": "2.1.0", "runs": [{"results": []}]}))
    (repo / "reports/escape.sarif").write_text(json.dumps({"version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "evil"}},
        "results": [{"ruleId": "X1", "level": "error", "message": {"text": "read me"},
                     "locations": [{"physicalLocation": {"artifactLocation": {"uri": "../../etc/passwd"},
                                                         "region": {"startLine": 1}}}]}]}]}))
    result = build(repo)
    assert "reports/truncated.sarif:" in result.stderr and "not valid JSON" in result.stderr
    assert "reports/old.sarif:1: SARIF 1.0.0 is not supported; export SARIF 2.1.0" in result.stderr
    found = items(repo)
    assert Counter(f["source"] for f in found)["ruff"] == 16
    evil = next(f for f in found if f["source"] == "evil")
    assert evil["files"] == ["(outside the tree) ../../etc/passwd"]
    public = (repo / "public").resolve()
    assert all(p.resolve().is_relative_to(public) for p in public.rglob("*"))
    assert not (public / "etc").exists()
    assert "(outside the tree) ../../etc/passwd" in soup(public / "findings/tool-evil.html").get_text()


def test_severity_map_is_configurable_and_triage_overrides(repo):
    (repo / "sitegen.yaml").write_text('findings:\n  json: ["reports/*.json"]\n  severity: {info: P3}\n')
    build(repo)
    docstring = next(f for f in items(repo) if f["rule"].startswith("C0116"))
    assert docstring["priority"] == "P3"
    (repo / "content/triage.yaml").write_text(f"{docstring['id']}:\n  priority: P1\n  status: wontfix\n")
    build(repo)
    row = soup(repo / "public/findings/tool-pylint.html").find(id=docstring["id"])
    assert row.select_one(".badge").get_text() == "P1" and "wontfix" in row.get_text()


def test_bad_severity_config_names_the_line(repo):
    (repo / "sitegen.yaml").write_text("findings:\n  severity:\n    urgent: P1\n")
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == ("sitegen: error: sitegen.yaml:3: 'findings.severity' has 'urgent'; "
                             "severities are critical, high, medium, low, info\n")


def test_priority_table_lists_open_items_of_every_kind(repo):
    shutil.copy(Path(__file__).parent / "fixtures/checklists/priorities.md", repo / "TODO.md")
    (repo / "app.js").write_text("// FIXME: check permissions here\n")
    build(repo)
    page_path = repo / "public/priorities/index.html"
    table = [[td.get_text(" ", strip=True) for td in tr.select("td")]
             for tr in soup(page_path).select("table.priority-table tbody tr")]
    assert [row[0] for row in table] == sorted(row[0] for row in table)  # P1 → P4
    assert {row[1] for row in table} == {"Finding", "TODO", "Task"}
    assert table[0][:3] == ["P1", "Task", "(A) Rotate the signing key"]
    todo = next(row for row in table if row[1] == "TODO")
    assert todo[:5] == ["P2", "TODO", "check permissions here", "app.js:1", "FIXME"]
    assert todo[6] == "open" and re.fullmatch(r"td-[0-9a-f]{10}", todo[7])  # status, id
    # 9 open prioritised tasks of TODO.md, 1 TODO, 27 findings
    assert len(table) == 9 + 1 + 27
    for link in soup(page_path).select("td.location a"):
        target = (page_path.parent / link["href"].split("#")[0]).resolve()
        assert target.is_file(), link["href"]
    task_id = soup(repo / "public/checklists/todo/index.html").find(
        "span", class_="task-text", string="(A) Rotate the signing key").find_parent("li")["id"]
    (repo / "content/triage.yaml").write_text(f"{task_id}:\n  status: wontfix\n")
    build(repo)
    table = soup(page_path).select("table.priority-table tbody tr")
    assert len(table) == 9 + 1 + 27 - 1


def test_the_file_tree_counts_todos_and_findings_apart(repo):
    (repo / "todo_only.py").write_text("# TODO: one\n# FIXME: two\n")
    build(repo)
    found = items(repo)
    locations = sum(1 for f in found for place in f["files"] if place.split(":")[0] == "sample_app.py")
    text = " ".join(soup(repo / "public/files/index.html").main.p.get_text().split())
    assert text.startswith(f"2 TODO(s) and {locations} finding(s) in 2 file(s)")


def test_ruff_json_reads_as_ruffs_sarif_and_eslint_json_is_imported(repo):
    here = FIXTURES.as_posix()
    (repo / "reports/ruff.sarif").unlink()
    for name in ("ruff.json", "eslint.json"):  # absolute paths where the fixtures were made; here instead
        text = (FIXTURES / name).read_text().replace("/work/main/tests/fixtures/findings", str(repo))
        assert here not in text
        (repo / "reports" / name).write_text(text)
    shutil.copy(FIXTURES / "sample_app.js", repo)
    build(repo)
    found = items(repo)
    ruff = sorted((f["rule"], f["files"], f["severity"]) for f in found if f["source"] == "ruff")
    also = sorted(other for f in found for other in f["also"] if other.startswith("ruff "))
    # the same run as ruff.sarif: 16 findings of its own and 4 folded into bandit's
    assert len(ruff) == 16 and also == ["ruff S101", "ruff S105", "ruff S301", "ruff S602"]
    assert ("D103", ["sample_app.py:8"], "info") in ruff
    eslint = [(f["rule"], f["files"][0], f["severity"]) for f in found if f["source"] == "eslint"]
    assert eslint == [("no-var", "sample_app.js:2", "low"), ("no-unused-vars", "sample_app.js:4", "medium"),
                      ("eqeqeq", "sample_app.js:5", "medium"), ("no-undefined", "sample_app.js:6", "low"),
                      ("no-unused-vars", "sample_app.js:8", "medium")]
    # ESLint's JSON holds the file's source: it never reaches content or pages
    assert "js-s3cr3t" in (repo / "reports/eslint.json").read_text()
    assert "js-s3cr3t" not in (repo / "content/findings.yaml").read_text(encoding="utf-8")
    assert not any("js-s3cr3t" in page.read_text(encoding="utf-8") for page in (repo / "public").rglob("*.html"))


def test_an_empty_list_is_an_empty_report(repo):
    (repo / "reports/nothing.json").write_text("[]")
    result = build(repo)
    assert "nothing.json" not in result.stderr
