"""ruff and bandit on real backends' sdists, imported by sitegen: what the
findings page makes of them before and after merging, exclusion and grouping.

    python bench/tool_findings.py [SDIST.tar.gz ...]

Without arguments it downloads Flask 3.1.0 and Django REST framework 3.15.2
from PyPI into bench/out/sdists. Each sdist is unpacked into bench/out, then:
bandit -r (JSON) and ruff check --select S,B,E,F,PL (SARIF) are run on it, a
hand-written AUDIT.md with one critical finding is added, and sitegen builds
the site twice: with no exclusions, and with the asserts of test code left out
(`rules: [B101, S101]` in `tests/`, `examples/`). Printed per backend: results
read per tool, findings after merging, after exclusion, rule groups, the size
of findings/index.html, where the critical finding stands on it, and a table
of every bandit check both tools reported: bandit's severities, ruff's rule
and the severity sitegen gives ruff's results (before this work ruff's S rules
were all "high").

Needs ruff and bandit beside this interpreter (the test extras install them).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
from collections import Counter, defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench/out"
TOOLS = Path(sys.executable).parent
DEFAULT_SDISTS = ("flask==3.1.0", "djangorestframework==3.15.2")
AUDIT = ("# Security audit\n\n## Findings\n\n### [C-01] Tokens are logged in clear text\n"
         "**Severity:** Critical\n**Location:** `README.md:1`\n")
EXCLUDE = "  exclude:\n    - rules: [B101, S101]\n      paths: [tests/, examples/]\n"
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def download(requirements: tuple[str, ...]) -> list[Path]:
    folder = OUT / "sdists"
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                    "-d", folder, *requirements], check=True)
    return sorted(folder.glob("*.tar.gz"))


def unpack(sdist: Path) -> Path:
    target = OUT / "backends"
    with tarfile.open(sdist) as archive:
        top = archive.getnames()[0].split("/")[0]
        shutil.rmtree(target / top, ignore_errors=True)
        archive.extractall(target, filter="data")
    return target / top


def run_tools(tree: Path) -> tuple[list[dict], list[dict]]:
    reports = tree / "reports"
    reports.mkdir(exist_ok=True)
    subprocess.run([TOOLS / "bandit", "-q", "-r", ".", "-x", "./reports,./public", "-f", "json",
                    "-o", "reports/bandit.json"], cwd=tree, capture_output=True, check=False)
    subprocess.run([TOOLS / "ruff", "check", "--no-cache", "--isolated", "--exit-zero", "--select", "S,B,E,F,PL",
                    "--output-format", "sarif", "-o", "reports/ruff.sarif", "."], cwd=tree, check=True,
                   capture_output=True)
    (tree / "AUDIT.md").write_text(AUDIT)
    return (json.loads((reports / "bandit.json").read_text())["results"],
            json.loads((reports / "ruff.sarif").read_text())["runs"][0]["results"])


def build(tree: Path, exclude: str = "") -> tuple[dict, Path]:
    site = tree.parent / f"{tree.name}-site{'-excluded' if exclude else ''}"
    (tree / "sitegen.yaml").write_text(
        f"output: ../{site.name}\nfindings:\n  json: [\"reports/*.json\"]\n{exclude}")
    subprocess.run([TOOLS / "sitegen", "build", "-o", site], cwd=tree, check=True, capture_output=True)
    return yaml.load((tree / "content/findings.yaml").read_text(encoding="utf-8"), Loader=LOADER), site


def critical_position(page: Path) -> str:
    html = page.read_text(encoding="utf-8")
    at = html.find("Tokens are logged in clear text")
    return f"{html.count('<tr id=', 0, at) - 1} finding rows above it, at byte {at:,} of {len(html):,}"


def report(tree: Path) -> None:
    bandit, ruff = run_tools(tree)
    print(f"\n## {tree.name}\n")
    print(f"read: bandit {len(bandit):,}, ruff {len(ruff):,}, AUDIT.md 1 -> {len(bandit) + len(ruff) + 1:,}")
    print(f"  bandit B101 (assert): {sum(r['test_id'] == 'B101' for r in bandit):,}; "
          f"in tests/ or examples/: {sum(r['filename'].startswith(('./tests/', './examples/')) for r in bandit):,}")
    for label, exclude in (("merged", ""), ("merged + test asserts excluded", EXCLUDE)):
        stored, site = build(tree, exclude)
        tools = stored["tools"]
        items = stored["items"]
        rules = {(i["source"], i["rule"]) for i in items if i["rule"]}
        page = site / "findings/index.html"
        print(f"{label}: {len(items):,} findings ({tools['merged']:,} folded into another tool's, "
              f"{sum(n for _, n in tools['excluded']):,} excluded), {len(rules)} rule groups; "
              f"findings/index.html {page.stat().st_size / 1e6:.2f} MB; the critical finding: "
              f"{critical_position(page)}")
        if not exclude:
            severity_table(bandit, ruff, items)


def severity_table(bandit: list[dict], ruff: list[dict], items: list[dict]) -> None:
    bandit_severities: dict[str, Counter] = defaultdict(Counter)
    for result in bandit:
        bandit_severities[result["test_id"]][result["issue_severity"].lower()] += 1
    ruff_rules = Counter(r["ruleId"] for r in ruff if r["ruleId"].startswith("S"))
    shown: dict[str, Counter] = defaultdict(Counter)
    for item in items:
        if item["source"] == "ruff" and (item["rule"] or "").startswith("S"):
            shown[item["rule"]][item["severity"]] += 1
        for other in item["also"]:
            tool, rule = other.split(" ", 1)
            if tool == "ruff":
                shown[rule][item["severity"]] += 1
    print("\n| bandit check | bandit's severities | ruff rule | ruff results | sitegen's severity (was) |")
    print("|---|---|---|---|---|")
    for check in sorted(bandit_severities):
        rule = "S" + check[1:]
        if rule in ruff_rules:
            print(f"| {check} | {dict(bandit_severities[check])} | {rule} | {ruff_rules[rule]} | "
                  f"{dict(shown[rule])} (high) |")
    print()


def main() -> None:
    sdists = [Path(a) for a in sys.argv[1:]] or download(DEFAULT_SDISTS)
    for sdist in sdists:
        report(unpack(sdist))


if __name__ == "__main__":
    main()
