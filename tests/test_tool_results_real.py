"""ruff and bandit on a real backend (Flask's sdist, which scripts/test
downloads from PyPI): what the findings page makes of ~2,000 results, most of
them the same asserts reported twice."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path

import pytest

from conftest import read_yaml, run_sitegen, soup

REPO = Path(__file__).resolve().parent.parent
SDIST = REPO / ".venv/oracles/sdists/flask-3.1.0.tar.gz"
TOOLS = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(
    not SDIST.is_file() or not (TOOLS / "ruff").is_file() or not (TOOLS / "bandit").is_file(),
    reason="Flask's sdist, ruff or bandit missing (scripts/test installs them)")

AUDIT = """# Security audit

## Findings

### [C-01] Session cookies are signed with a key kept in the repository
**Severity:** Critical
**Location:** `src/flask/sessions.py:120`
"""


@pytest.fixture
def backend(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("flask")
    with tarfile.open(SDIST) as archive:
        archive.extractall(root, filter="data")
    tree = root / "flask-3.1.0"
    (tree / "reports").mkdir()
    subprocess.run([TOOLS / "bandit", "-q", "-r", ".", "-x", "./reports", "-f", "json", "-o", "reports/bandit.json"],
                   cwd=tree, check=False, capture_output=True)
    subprocess.run([TOOLS / "ruff", "check", "--no-cache", "--isolated", "--exit-zero", "--select", "S,B,F",
                    "--output-format", "sarif", "-o", "reports/ruff.sarif", "."], cwd=tree, check=True,
                   capture_output=True)
    (tree / "SECURITY_AUDIT.md").write_text(AUDIT)
    return tree


def _raw(tree: Path) -> tuple[list[dict], list[dict]]:
    bandit = json.loads((tree / "reports/bandit.json").read_text())["results"]
    ruff = json.loads((tree / "reports/ruff.sarif").read_text())["runs"][0]["results"]
    return bandit, ruff


def _build(tree: Path, exclude: str = "") -> tuple[dict, Path]:
    site = tree.parent / f"site-{len(exclude)}"
    shutil.rmtree(tree / "content", ignore_errors=True)
    (tree / "sitegen.yaml").write_text(f'output: ../{site.name}\nfindings:\n  json: ["reports/*.json"]\n{exclude}')
    result = run_sitegen("build", cwd=tree)
    assert result.returncode == 0, result.stderr
    return read_yaml(tree / "content/findings.yaml"), site


@pytest.mark.heavy
def test_one_finding_per_problem_one_severity_per_check_and_exclusions(backend):
    bandit, ruff = _raw(backend)
    assert len(bandit) > 1000 and sum(r["test_id"] == "B101" for r in bandit) > 900
    places = {(r["test_id"], r["filename"].removeprefix("./"), r["line_number"]) for r in bandit}
    def place(r):
        location = r["locations"][0]["physicalLocation"]
        return (f"B{r['ruleId'][1:]}", location["artifactLocation"]["uri"].split(str(backend) + "/")[-1],
                location["region"]["startLine"])
    twice = sum(1 for r in ruff if r["ruleId"].startswith("S") and place(r) in places)
    stored, site = _build(backend)
    assert stored["tools"] == {"read": len(bandit) + len(ruff), "excluded": [], "merged": twice}
    assert len(stored["items"]) == 1 + len(bandit) + len(ruff) - twice
    # one severity per check: bandit's, whichever tool reported it
    severities: dict[str, set[str]] = {}
    for item in stored["items"]:
        rule = item["rule"] or ""
        check = "B" + rule[1:4] if item["source"] == "ruff" and rule[:1] == "S" else rule.split(" ")[0]
        severities.setdefault(check, set()).add(item["severity"])
    assert severities["B101"] == {"low"}
    # a check has one severity, unless bandit itself judges it per call
    bandit_judged = Counter((r["test_id"], r["issue_severity"]) for r in bandit)
    varies = {check for check, _ in bandit_judged if sum(c == check for c, _ in bandit_judged) > 1}
    assert all(len(seen) == 1 for check, seen in severities.items() if check not in varies), severities

    # excluding the tests' asserts leaves pages a tenth the size, led by the hand-written audit
    before = sum(page.stat().st_size for page in (site / "findings").glob("*.html"))
    stored, site = _build(backend, "  exclude:\n    - rules: [B101, S101]\n      paths: [tests/, examples/]\n")
    [(entry, excluded)] = stored["tools"]["excluded"]
    assert entry == "B101, S101 in tests/, examples/" and excluded > 1900
    assert Counter(i["rule"] for i in stored["items"])["B101 assert_used"] < 10
    page = site / "findings/index.html"
    assert sum(page.stat().st_size for page in (site / "findings").glob("*.html")) < before / 10
    html = soup(page)
    assert html.select("main h2")[0].get_text(" ", strip=True).startswith("Security audit")
    rules = [r.th.get_text(strip=True) for r in html.select("section.tool-output table.rules tbody tr")]
    assert len(rules) == len(set(rules)) and "B201 flask_debug_true" in rules
    first_row = soup(site / "priorities/index.html").select_one("table.priority-table tbody tr")
    assert "Session cookies are signed" in first_row.get_text()
