"""Static-analysis output at real scale: findings.exclude, one severity per
check whichever tool reports it, one finding per problem, tool output grouped
by rule and listed after hand-written findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import run_sitegen, soup
from sitegen.collectors.tool_results import check_of, check_severity


@pytest.mark.parametrize(("tool", "rule", "check", "severity"), [
    ("bandit", "B101 assert_used", ("bandit", "B101"), "low"),
    ("ruff", "S101", ("bandit", "B101"), "low"),                # flake8-bandit keeps bandit's numbers
    ("flake8", "S608", ("bandit", "B608"), "medium"),
    ("Bandit", "B602", ("bandit", "B602"), "high"),              # bandit's SARIF names itself so
    ("pylint", "W0603 global-statement", ("pylint", "W0603"), "medium"),
    ("ruff", "PLW0603", ("pylint", "W0603"), "medium"),          # ruff's PL rules keep pylint's codes
    ("ruff", "PLE0101", ("pylint", "E0101"), "high"),
    ("ruff", "F401", ("flake8", "F401"), None),                  # pyflakes: no severity of its own
    ("flake8", "F401", ("flake8", "F401"), None),
    ("semgrep", "S101", None, None),
    ("ruff", None, None, None),
])
def test_a_check_is_known_by_its_defining_tool(tool, rule, check, severity):
    assert check_of(tool, rule) == check
    assert check_severity(tool, rule) == severity


def _result(rule: str, path: str, line: int, text: str = "problem") -> dict:
    return {"ruleId": rule, "level": "error", "message": {"text": text},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": path}, "region": {"startLine": line}}}]}


def _sarif(tool: str, results: list[dict]) -> str:
    return json.dumps({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": tool}}, "results": results}]})


def _bandit(results: list[tuple[str, str, str, int]]) -> str:
    return json.dumps({"metrics": {}, "results": [
        {"test_id": test, "test_name": name, "filename": f"./{path}", "line_number": line,
         "issue_severity": "LOW" if test == "B101" else "MEDIUM", "issue_text": f"{name} here"}
        for test, name, path, line in results]})


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "tests").mkdir()
    (tmp_path / "app/db.py").write_text("import sqlite3\n" * 20)
    (tmp_path / "tests/test_db.py").write_text("assert True\n" * 20)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports/ruff.sarif").write_text(_sarif("ruff", [
        _result("S101", "tests/test_db.py", 1), _result("S101", "tests/test_db.py", 2),
        _result("S608", "app/db.py", 7), _result("F401", "app/db.py", 1), _result("E501", "app/db.py", 3),
        _result("S101", "app/db.py", 9),
    ]))
    (tmp_path / "reports/bandit.json").write_text(_bandit([
        ("B101", "assert_used", "tests/test_db.py", 1), ("B101", "assert_used", "tests/test_db.py", 2),
        ("B608", "hardcoded_sql_expressions", "app/db.py", 7), ("B101", "assert_used", "app/db.py", 9),
    ]))
    (tmp_path / "AUDIT.md").write_text(
        "# Audit\n\n## Findings\n\n- **Critical:** the database password is in `app/db.py:2`\n")
    return tmp_path


def _configure(repo: Path, exclude: str = "") -> None:
    (repo / "sitegen.yaml").write_text('findings:\n  json: ["reports/*.json"]\n' + exclude)


def _build(repo: Path) -> dict:
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    return yaml.safe_load((repo / "content/findings.yaml").read_text(encoding="utf-8"))


def test_the_same_problem_from_two_tools_is_one_finding_naming_both(repo):
    _configure(repo)
    stored = _build(repo)
    assert stored["tools"] == {"read": 10, "excluded": [], "merged": 4}
    by_place = {(f["source"], f["rule"].split()[0], f["files"][0]): f for f in stored["items"] if f["rule"]}
    assert set(by_place) == {
        ("bandit", "B101", "tests/test_db.py:1"), ("bandit", "B101", "tests/test_db.py:2"),
        ("bandit", "B608", "app/db.py:7"), ("bandit", "B101", "app/db.py:9"),
        ("ruff", "F401", "app/db.py:1"), ("ruff", "E501", "app/db.py:3"),
    }
    sql = by_place["bandit", "B608", "app/db.py:7"]
    assert sql["also"] == ["ruff S608"] and sql["severity"] == "medium"


def test_ruff_alone_gives_a_bandit_check_bandits_severity(repo):
    (repo / "reports/bandit.json").unlink()
    _configure(repo)
    severities = {f["rule"]: f["severity"] for f in _build(repo)["items"] if f["source"] == "ruff"}
    assert severities == {"S101": "low", "S608": "medium", "F401": "medium", "E501": "info"}


def test_exclusions_leave_tool_findings_out_and_count_them(repo):
    _configure(repo, "  exclude:\n    - rules: [B101, S101]\n      paths: [tests/]\n    - rules: E5*\n")
    stored = _build(repo)
    assert stored["tools"]["excluded"] == [["B101, S101 in tests/", 4], ["E5*", 1]]
    kept = {(f["rule"].split()[0] if f["rule"] else None, f["files"][0]) for f in stored["items"]}
    assert ("B101", "app/db.py:9") in kept                      # an assert outside tests stays
    assert not any(rule in ("B101", "S101", "E501") and place.startswith("tests/") for rule, place in kept)
    page = soup(repo / "public/findings/index.html")
    rows = {r.th.get_text(strip=True): r.td.get_text() for r in page.select("table.excluded tr")}
    assert rows == {"B101, S101 in tests/": "4", "E5*": "1"}
    assert "5 left out by findings.exclude" in " ".join(page.select_one("section.tool-output p").get_text().split())


def test_a_path_exclusion_never_drops_hand_written_findings(repo):
    _configure(repo, "  exclude: [app/]\n")
    stored = _build(repo)
    assert [f["source"] for f in stored["items"]] == ["AUDIT.md", "bandit", "bandit"]  # the two in tests/
    assert stored["tools"]["excluded"] == [["app/", 6]]


def test_hand_written_findings_come_first_and_tools_are_grouped_by_rule(repo):
    (repo / "AUDIT.md").write_text("# Audit\n\n## Findings\n\n- **Low:** the log rotates weekly in `app/db.py:4`\n")
    _configure(repo)
    _build(repo)
    page = soup(repo / "public/findings/index.html")
    sections = [h.get_text(" ", strip=True) for h in page.select("main h2")]
    assert sections[0].startswith("Audit") and sections[-1] == "Static analysis"
    bandit = page.select_one("section.tool-output section")
    assert [r.th.get_text(strip=True) for r in bandit.select("table.rules tbody tr")] == [
        "B608 hardcoded_sql_expressions", "B101 assert_used"]          # the more severe rule first
    # each tool's findings are on its own page, by rule, which the rule table links to
    assert bandit.select_one("table.rules a")["href"] == "tool-bandit.html#rule-1"
    groups = soup(repo / "public/findings/tool-bandit.html").select("details.rule-group")
    assert [g["id"] for g in groups] == ["rule-1", "rule-2"]
    assert [len(g.select("tbody tr")) for g in groups] == [1, 3]
    assert "also ruff S608" in groups[0].get_text(" ", strip=True)
    # at equal priority (P4, low), the hand-written finding is listed before tool output
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")]
            for tr in soup(repo / "public/priorities/index.html").select("table.priority-table tbody tr")]
    low = [row for row in rows if row[0] == "P4"]
    assert "the log rotates weekly" in low[0][2]


def test_a_large_group_is_closed_but_complete(repo):
    many = [_result("S101", "tests/test_db.py", line) for line in range(1, 21)] + [_result("S101", "app/db.py", 9)]
    (repo / "reports/ruff.sarif").write_text(_sarif("ruff", many))
    (repo / "reports/bandit.json").unlink()
    _configure(repo)
    _build(repo)
    group = soup(repo / "public/findings/tool-ruff.html").select_one("details.rule-group")
    assert not group.has_attr("open") and len(group.select("tbody tr")) == 21
    assert "S101 · 21 finding(s) · low" in " ".join(group.summary.get_text().split())


@pytest.mark.parametrize(("exclude", "message"), [
    ("  exclude: tests/\n", "sitegen.yaml:3: 'findings.exclude' must be a list of path patterns or "
                            "{rules, paths} mappings, not a string"),
    ("  exclude:\n    - rule: B101\n", "sitegen.yaml:4: 'findings.exclude' entry 1 has unknown keys: rule; "
                                       "use rules and paths"),
    ("  exclude:\n    - tests/\n    - rules: [B101, 7]\n",
     "sitegen.yaml:5: 'findings.exclude' entry 2: rules must be a pattern or a list of patterns (strings)"),
])
def test_a_bad_exclusion_names_its_line(repo, exclude, message):
    _configure(repo, exclude)
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 2
    assert result.stderr == f"sitegen: error: {message}\n"
