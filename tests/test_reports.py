"""Markdown readiness, audit and TODO reports → findings, on fixtures of the
seeds' shapes whose counts were checked by hand."""

from __future__ import annotations

import re
import shutil
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from conftest import html_tree, run_sitegen, soup
from sitegen import yamlio
from sitegen.collectors.reports import parse_report
from sitegen.config import DEFAULT_SEVERITY_PRIORITIES
from sitegen.site.links import broken_links

FIXTURES = Path(__file__).parent / "fixtures/reports"
PRIORITIES = dict(DEFAULT_SEVERITY_PRIORITIES)


def report(name: str):
    return parse_report((FIXTURES / name).read_text(encoding="utf-8"), name, PRIORITIES)


def test_severity_bullets_and_numbered_items():
    r = report("READINESS.md")
    found = [(f.severity, f.status, f.files) for f in r.findings()]
    assert found == [
        ("high", "open", ["api/hooks.py", "api/verify.py"]),
        ("medium", "open", ["cache/store.py:40"]),
        ("critical", "open", ["db/migrate.py:12"]),
        ("low", "resolved", ["settings.py"]),
        ("low", "resolved", ["ops/keys.md"]),
        ("critical", "open", ["api/errors.py"]),        # "Critical / High" heading: the more urgent
        ("critical", "open", []),
        ("low", "open", ["logging.ini", "app/log.py"]),
    ]
    assert r.findings()[5].title == "Stop returning stack traces to clients."
    assert "Current handler formats `{exc}` into the response." in r.findings()[5].detail
    assert r.mismatches() == []
    notes = [n.text for s in r.sections for n in s.notes]
    assert "API only; the mobile app is out of scope." in notes
    assert "Schedule a review of the high items." in notes


def test_finding_blocks_with_fields_and_acceptance_criteria():
    r = report("TRACKING_AUDIT.md")
    refund, invoice, typo = r.findings()
    assert (refund.title, refund.priority, refund.files) == ("Refund flow", "P2", ["billing/refunds.py:88"])
    assert refund.detail == "Refunds are recorded but never sent."
    assert refund.fields["Impact"] == "Customers wait for money."
    assert refund.fields["Estimated Effort"] == "2 days"
    assert refund.fields["Code"] == "# TODO: implement refunds"
    assert refund.criteria == [["Record refund requests", True], ["Send refunds to the provider", False],
                               ["Email the customer", False]]
    assert (invoice.priority, typo.priority) == ("P2", "P4")
    assert (refund.category, typo.category) == ("Payments", "Website")
    assert r.mismatches() == [
        "“Priority 4 (Low)” declares 2, lists 1",
        "the summary table gives “Website” 2, lists 1",
    ]
    assert "Payments | 2" in [n.text for s in r.sections for n in s.notes]  # table rows are kept


def test_path_bullets_under_counted_categories_and_declared_totals():
    r = report("CODE_AUDIT.md")
    assert [(f.category, f.files[0]) for f in r.findings()] == [
        ("Security", "auth/tokens.py:10"), ("Security", "auth/session.py:5"),
        ("Cleanup", "legacy/old.py:1"), ("Cleanup", "legacy/util.py:7"),
    ]
    assert r.findings()[0].detail == "Tokens never expire today"
    assert r.mismatches() == ["the document declares 3 in total, lists 4"]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for name in ("READINESS.md", "TRACKING_AUDIT.md", "CODE_AUDIT.md"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def _list_items(markdown: str) -> list[str]:
    """The first line of every list item's own text, without markers and markup."""
    tokens = MarkdownIt("commonmark").parse(markdown)
    texts = []
    for index, token in enumerate(tokens):
        if token.type == "list_item_open" and tokens[index + 1].type == "paragraph_open":
            text = re.sub(r"^\[[ xX]\]\s+", "", tokens[index + 2].content.split("\n")[0])
            texts.append(text)
    return texts


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", MarkdownIt("commonmark").renderInline(text).replace("&quot;", '"'))


def test_nothing_is_lost_every_list_item_is_on_the_site(repo):
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    page_text = re.sub(r"\s+", "", soup(repo / "public/findings/index.html").get_text(""))
    for name in ("READINESS.md", "TRACKING_AUDIT.md", "CODE_AUDIT.md"):
        for item in _list_items((repo / name).read_text(encoding="utf-8")):
            words = re.sub(r"<[^>]+>", "", _plain(item)).strip()
            words = re.sub(r"^(High|Medium|Low|CRITICAL)\s*[:—-]?\s*", "", words).strip()
            assert re.sub(r"\s+", "", words)[:40] in page_text, (name, item)


def test_reports_on_the_site_with_mismatches_and_per_file_pages(repo):
    assert run_sitegen("build", cwd=repo).returncode == 0
    data = yaml.safe_load((repo / "content/findings.yaml").read_text(encoding="utf-8"))
    assert Counter(f["source"] for f in data["items"]) == {
        "READINESS.md": 8, "TRACKING_AUDIT.md": 3, "CODE_AUDIT.md": 4}
    page = soup(repo / "public/findings/index.html")
    warnings = [p.get_text(" ", strip=True) for p in page.select("p.warning")]
    assert "Declared counts disagree: the document declares 3 in total, lists 4." in warnings
    # a file that only a report mentions still gets a page, without source context
    refunds = soup(repo / "public/files/billing/refunds.py.html")
    assert "Refund flow" in refunds.get_text() and not refunds.select(".highlight")


@pytest.mark.heavy
def test_empty_and_huge_reports(repo):
    (repo / "EMPTY_AUDIT.md").write_text("# Audit\n\nNothing to report.\n")
    # 5 MB in 3,000 findings: a size far beyond real reports, in fewer rows than
    # there are bytes to render (each row costs more than its text)
    filler = "The handler retries without backoff and logs the whole payload on every attempt. " * 21
    big = "# Big AUDIT\n\n## High Priority\n\n" + "".join(
        f"- High: item {n} in `src/mod{n % 50}.py:{n}`. {filler}\n" for n in range(3_000))
    (repo / "BIG_AUDIT.md").write_text(big)
    assert len(big) > 5_000_000
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    # The report's findings are listed on pages of bounded size, each row once, and linked to
    site = repo / "public"
    assert broken_links(site, {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}) == []
    pages = sorted((site / "findings").glob("index*.html"))
    assert len(pages) > 3 and all(page.stat().st_size < 2_000_000 for page in (repo / "public").rglob("*.html"))
    # sitegen's reader of its own layout, property-tested against PyYAML (tests/test_content.py):
    # 0.1 s for these 5.8 MB, where libyaml took 1.0 s and PyYAML's Python loader 14 s
    data = yamlio.load_content((repo / "content/findings.yaml").read_text(encoding="utf-8"), "findings.yaml")
    sources = Counter(f["source"] for f in data["items"])
    assert sources["BIG_AUDIT.md"] == 3_000 and "EMPTY_AUDIT.md" not in sources
    assert sum(len(html_tree(page).cssselect("table.findings tbody tr")) for page in pages) == len(data["items"])
    assert any(d["path"] == "EMPTY_AUDIT.md" for d in data["documents"])


def test_report_text_is_escaped(repo):
    (repo / "XSS_AUDIT.md").write_text(
        "# Audit\n\n## High Priority\n\n- High: <script>alert(1)</script> in `app/x.py`\n"
        '  - "><img src=x onerror=alert(1)>\n\n#### 1. <b>bold</b>\n**File:** `app/y.py`\n\n'
        "**Description:** <script>alert(2)</script>\n")
    assert run_sitegen("build", cwd=repo).returncode == 0
    for page in (repo / "public").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>" not in html and "<b>bold" not in html, page
        assert not soup(page).select("img, [onerror]"), page
    assert "<script>alert(1)</script>" in soup(repo / "public/findings/index.html").get_text()


def test_findings_grouped_by_severity_and_category(repo):
    assert run_sitegen("build", cwd=repo).returncode == 0
    by_severity = soup(repo / "public/findings/by-severity.html")
    assert [h.get_text(" ", strip=True) for h in by_severity.select("section h2")] == [
        "critical (3)", "high (3)", "medium (5)", "low (4)"]
    by_category = soup(repo / "public/findings/by-category.html")
    assert "Security (2)" in [h.get_text(" ", strip=True) for h in by_category.select("section h2")]


def test_a_report_pointing_out_of_the_tree_stays_text(repo):
    (repo / "SEC_AUDIT.md").write_text(
        "# Audit\n\n## High Priority\n\n- High: leaks `../../etc/passwd` via `api/files.py:9`\n")
    result = run_sitegen("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((repo / "content/findings.yaml").read_text(encoding="utf-8"))
    leak = next(f for f in data["items"] if f["source"] == "SEC_AUDIT.md")
    assert leak["files"] == ["(outside the tree) ../../etc/passwd", "api/files.py:9"]
    public = (repo / "public").resolve()
    assert all(p.resolve().is_relative_to(public) for p in public.rglob("*"))
    assert (public / "files/api/files.py.html").is_file()


def _read(text: str) -> list[tuple[str, str, str, list[str]]]:
    found = parse_report(text, "REVIEW.md", PRIORITIES).findings()
    return [(f.severity, f.status, f.title, f.files) for f in found]


def test_severity_words_map_through_one_table():
    text = ("## Findings\n\n- **Blocker:** a\n- **Major:** b\n- Moderate: c\n- **Minor** — d\n"
            "- Trivial: e\n- Informational: f\n")
    assert [severity for severity, *_ in _read(text)] == ["critical", "high", "medium", "low", "info", "info"]


def test_priority_levels_follow_the_documents_scale():
    on_p0 = "# Review\n\n### P0 — blockers\n\n- `a.py` breaks\n\n### P1 — before GA\n\n- `b.py` is slow\n"
    on_p1 = "# Review\n\n### P1 — blockers\n\n- `a.py` breaks\n\n### P2 — before GA\n\n- `b.py` is slow\n"
    assert [s for s, *_ in _read(on_p0)] == ["critical", "high"]
    assert [s for s, *_ in _read(on_p1)] == ["critical", "high"]


def test_a_qualified_severity_keeps_its_meaning():
    text = "## Findings\n\n- LOW (test gap): the retry path is untested\n\n#### 7. Helper ignores errors (Low — test quality)\n"
    assert [(s, title) for s, _, title, _ in _read(text)] == [
        ("low", "the retry path is untested"), ("low", "Helper ignores errors (Low — test quality)")]


def test_a_bold_severity_then_locations_then_the_title():
    text = "## Network\n\n- **HIGH** `net/sg.tf:14` and `net/sg.tf:31` — SSH is open to the world.\n"
    assert _read(text) == [("high", "open", "SSH is open to the world.", ["net/sg.tf:14", "net/sg.tf:31"])]


def test_struck_and_fixed_in_items_are_resolved():
    text = ("## Findings\n\n- ~~**Major:** Login fails for relay addresses~~ — fixed in `auth/apple.py`.\n"
            "- **LOW** `db/vars.tf:4` — A default password. *(Fixed in #77.)*\n"
            "- **LOW** `buf.c:9` — A fixed-size buffer (fixed-size by design) overflows.\n")
    assert [status for _, status, *_ in _read(text)] == ["resolved", "resolved", "open"]


def test_a_heading_followed_by_finding_fields_is_a_finding():
    text = ("# Audit\n\n## Findings\n\n### [H-01] Shares can be inflated\n\n**Severity:** High\n**Status:** Fixed in `d07a61e`\n"
            "**Location:** [src/Vault.sol#L98-L110](https://example.org/blob/4be1f0c/src/Vault.sol#L98-L110)\n\n"
            "**Description.** The first depositor can donate assets.\n\n"
            "### HIGH-02: Dunning emails reveal card details\n**File:** `billing/dunning.html:12`\n"
            "**Status:** 📋 ACKNOWLEDGED — legal review\n**Description:** Finance asked to keep them;\nthe reviewers disagree.\n\n"
            "### 4.3 Admin console lacks CSRF protection\n\n| Attribute | Value |\n|---|---|\n| Severity | Medium (CVSS 6.5) |\n"
            "| Status | Open |\n| Affected | `web/admin/roles.tsx:40` |\n\n## Methodology\n\n### Tools\n\n**Status:** informal notes\n")
    assert _read(text) == [
        ("high", "resolved", "Shares can be inflated", ["src/Vault.sol:98"]),
        ("high", "open", "Dunning emails reveal card details", ["billing/dunning.html:12"]),
        ("medium", "open", "4.3 Admin console lacks CSRF protection", ["web/admin/roles.tsx:40"]),
    ]


def test_a_table_of_findings_gives_one_finding_a_row_and_a_summary_table_none():
    text = ("# Review\n\n## Findings\n\n| ID | Severity | File | Issue | Status |\n|---|---|---|---|---|\n"
            "| LL-01 | Critical | `api/auth.go:40` | Tokens never expire | Fixed |\n"
            "| LL-02 | Low | — | No security contact | Won't fix |\n\n"
            "## Findings by severity\n\n| Severity | Count |\n|---|---|\n| Critical | 1 |\n| Low | 1 |\n")
    assert _read(text) == [("critical", "resolved", "Tokens never expire", ["api/auth.go:40"]),
                           ("low", "open", "No security contact", [])]


def test_an_index_table_does_not_repeat_the_findings_described_below_it():
    text = ("# Audit\n\n## Summary of findings\n\n| ID | Title | Severity | Status |\n|---|---|---|---|\n"
            "| H-01 | Shares can be inflated | High | Fixed |\n\n## Findings\n\n## Details\n\n"
            "| ID | Title | Severity | Status |\n|---|---|---|---|\n| M-01 | Caps not checked | Medium | Open |\n\n"
            "### [M-01] Caps are not compared with debt\n\n**Severity:** Medium\n**Status:** Open\n")
    assert [(s, title) for s, _, title, _ in _read(text)] == [("medium", "Caps are not compared with debt")]


def test_review_comments_under_a_file_heading_and_a_list_of_totals():
    text = ("# Review\n\n## Per-file comments\n\n### `core/Scheduler.java`\n\n"
            "- **[Blocker] L214:** `wait()` is called outside a loop.\n- **[Trivial]** Unused import.\n\n"
            "## Severity totals\n\n- CRITICAL: 2\n- **High:** 3 issues (1 resolved ✅)\n")
    assert _read(text) == [("critical", "open", "`wait()` is called outside a loop.", ["core/Scheduler.java:214"]),
                           ("info", "open", "Unused import.", ["core/Scheduler.java"])]


def test_a_group_heading_with_findings_under_it_and_fields_as_a_list():
    text = ("# Review\n\n## Issues by category\n\n### 1. Security\n\n"
            "#### **Issue #1: Token kept in `localStorage`** ✅ **RESOLVED**\n"
            "- **Severity:** Critical\n- **Status:** ✅ Resolved\n- **Files:**\n  - `src/auth/session.ts`\n"
            "  - `src/api/client.ts`\n- **Description:** Any script could read it.\n")
    found = parse_report(text, "REVIEW.md", PRIORITIES).findings()
    assert [(f.severity, f.status, f.title, f.files, f.category) for f in found] == [
        ("critical", "resolved", "Token kept in `localStorage`", ["src/auth/session.ts", "src/api/client.ts"], "Security")]


def test_alert_blocks_prose_findings_and_issue_sub_bullets():
    text = ("# Audit\n\n> [!NOTE]\n> How to read this: CAUTION is critical.\n\n## Extract\n\n"
            "> [!CAUTION]\n> **Credentials are written to the job log.** `extract/s3.py:51` logs the secret.\n\n"
            "> [!NOTE]\n> **Unused mapping.** `mapping.py:200`\n> _Resolved: removed in #318._\n\n"
            "> [!TIP]\n> **Stream pages.** Optional.\n\n"
            "**Open redirect after login (medium).** The `next` parameter in `views.py:48` is unchecked.\n\n"
            "## Findings\n\n1. **HIGH** — `src/jobs/runner.py:141`\n"
            "   - **Issue:** A failing job is retried forever. It is re-queued without a count.\n"
            "   - **Fix:** Count attempts.\n\n"
            "- **High — regression** `net/policy.yaml:12` — The default-deny policy was dropped.\n"
            "- 🟠 `src/server.ts:120` keeps the socket open after a 413.\n")
    assert _read(text) == [
        ("critical", "open", "Credentials are written to the job log.", ["extract/s3.py:51"]),
        ("low", "resolved", "Unused mapping.", ["mapping.py:200"]),
        ("medium", "open", "Open redirect after login.", ["views.py:48"]),
        ("high", "open", "A failing job is retried forever.", ["src/jobs/runner.py:141"]),
        ("high", "open", "The default-deny policy was dropped.", ["net/policy.yaml:12"]),
        ("high", "open", "`src/server.ts:120` keeps the socket open after a 413.", ["src/server.ts:120"]),
    ]


def test_counts_per_severity_are_compared_and_every_mismatch_is_a_build_warning(tmp_path):
    (tmp_path / "SECURITY_AUDIT.md").write_text(
        "# Audit\n\n## Summary\n\n- HIGH: 2\n- LOW: 1\n\n**Total findings:** 4\n\n## Findings\n\n"
        "- **HIGH** `a.py:3` — Tokens never expire.\n- **LOW** `b.py:9` — Verbose errors.\n", encoding="utf-8")
    assert parse_report((tmp_path / "SECURITY_AUDIT.md").read_text(), "SECURITY_AUDIT.md", PRIORITIES).mismatches() == [
        "the document counts 2 high, lists 1", "the document declares 4 in total, lists 2"]
    result = run_sitegen("build", cwd=tmp_path)
    assert result.returncode == 0
    assert "SECURITY_AUDIT.md: the document counts 2 high, lists 1" in result.stderr
    assert run_sitegen("build", "--strict", cwd=tmp_path).returncode == 1


def test_scores_and_a_readiness_tracker_are_shown_and_not_counted_as_findings(tmp_path):
    (tmp_path / "LAUNCH_READINESS.md").write_text(
        "# Launch readiness review\n\n## Scorecard\n\n- Security ⚠️ **8/10** — one broad account.\n"
        "- Reliability: 5/10\n\n**Overall: 7/10**\n\n## Readiness tracker\n\n### Platform\n\n"
        "- ✅ Autoscaling tested to 40 pods\n- ❌ Restore from backup rehearsed\n- ⚠️ Rate limits agreed (verbal only)\n\n"
        "## Findings\n\n- **HIGH** `ops/backup.sh` — Backups have never been restored.\n", encoding="utf-8")
    report_ = parse_report((tmp_path / "LAUNCH_READINESS.md").read_text(), "LAUNCH_READINESS.md", PRIORITIES)
    assert report_.score == "7/10" and report_.scores == [("Security", "8/10"), ("Reliability", "5/10")]
    assert report_.tracker == [("Autoscaling tested to 40 pods", "done"), ("Restore from backup rehearsed", "failing"),
                               ("Rate limits agreed (verbal only)", "at risk")]
    assert [f.title for f in report_.findings()] == ["Backups have never been restored."]
    assert run_sitegen("build", cwd=tmp_path).returncode == 0
    for build in ("build", "build --no-collect"):  # the same page from content/findings.yaml
        assert run_sitegen(*build.split(), cwd=tmp_path).returncode == 0
        page = soup(tmp_path / "public/findings/index.html")
        assert page.select_one(".report-score").get_text(" ", strip=True) == \
            "The report's score: 7/10 ; Security 8/10 · Reliability 5/10"
        assert page.select_one(".tracker summary").get_text(strip=True).startswith("Readiness tracker: 1 of 3 checks done")
        assert [li.select_one(".status").get_text() for li in page.select(".tracker li")] == ["done", "failing", "at risk"]


def test_a_line_list_names_each_place_once():
    text = "## Findings\n\n- **HIGH** `pkg/learning.py:79,332-348` and `pkg/api.py#L10-L20` — The cache is never cleared.\n"
    assert _read(text)[0][3] == ["pkg/learning.py:79", "pkg/learning.py:332", "pkg/api.py:10"]


@pytest.mark.parametrize("text", [
    "# R\n\n## Scores\n\n- ab" + " " * 50_000 + "x\n",
    "overall" + " " * 50_000 + "x\n",
    "### Title" + " ! **AB**" * 4000 + "\n**Severity:** High\n",
    "**total " + "items " * 20_000 + "\n",
    "# R\n\n## Findings\n\n- ab" + " " * 50_000 + "x (Risk: High\n",        # a trailing rating that never closes
    "### X\n\nRating: High" + " " * 50_000 + "| x\n",                         # a rating line's separators
    "# R\n\n## Findings\n\n- a" + " ·" * 30_000 + "\n",
    "# R\n\n## Severity scale\n\n- S1 —" + " " * 50_000 + "x\n",           # a legend's entry
    "| Finding | Severity |\n|--|--|\n| a | 4 × 5 =" + " " * 50_000 + "|\n",  # a score
    "**D-1 · sev 1.**" + " " * 50_000 + "x\n",
    "# R\n\n## Results\n\nWe found" + " " * 50_000 + "x\n",              # a prose total
    "- [x" + " " * 50_000 + "](a/blob/b/" + "c" * 2000 + ")\n",               # a link to a file
    "## HIGH ·" + " " * 50_000 + "x\n",                                          # a heading led by a severity
    "Title\n: **Rating:** High" + " " * 50_000 + "\n: x\n",                    # a definition list
    "- x — " + "fixed " * 20_000 + "\n",                                        # sentence statuses
    "# R\n\n## Scoring\n\n" + "1-2 " * 20_000 + "High\n",                      # score bands
])
def test_hostile_report_lines_are_read_in_linear_time(text):
    started = time.perf_counter()
    parse_report(text, "R.md", PRIORITIES)
    assert time.perf_counter() - started < 1.0


def test_what_only_looks_like_a_finding_is_not_one():
    cases = {
        # a numbered index row and a "Phase 1" heading: the row stays a finding
        "# R\n\n## Phase 1\n\n| # | Finding | Severity |\n|---|---|---|\n| 1 | SQL injection in search | High |\n": 1,
        # a table with a Level column that holds no severity
        "# R\n\n## Suites\n\n| Suite | Description | Level |\n|---|---|---|\n| api | API tests | unit |\n": 0,
        # settings under a heading, and an example with code first
        "# R\n\n### Queue settings\n\n| Setting | Value |\n|---|---|\n| name | jobs |\n| priority | 5 |\n": 0,
        "# R\n\n### Example\n\n```\nx = 1\n```\n\n**Severity:** High\n": 0,
        # thresholds are not totals, and a bracket that only starts with a severity word is not one
        "# R\n\n## Alert thresholds\n\n- Critical: 95\n- High: 80\n": 0,
        "# R\n\n## Behaviour under load (high traffic)\n\n- Requests queue up\n": 0,
        # a tracker line is a check, not a finding
        "# R\n\n## Readiness tracker\n\n- ❌ `app.py` lacks auth\n": 0,
    }
    for text, expected in cases.items():
        report_ = parse_report(text, "R.md", PRIORITIES)
        assert len(report_.findings()) == expected and report_.mismatches() == [], text


def test_a_note_inside_a_finding_is_its_detail():
    text = ("## Findings\n\n### [H-01] Reentrancy in withdraw\n\n**Severity:** High\n\n> [!NOTE]\n> **Remediation.** Use a guard.\n\n"
            "**Status:** Fixed in abc123\n")
    assert [(s, status, title) for s, status, title, _ in _read(text)] == [("high", "resolved", "Reentrancy in withdraw")]


def test_a_link_is_a_file_reference_only_when_it_points_at_that_file():
    text = ("## Findings\n\n- **HIGH** [src/Vault.sol#L98](https://github.com/o/r/blob/4be1f0c/src/Vault.sol#L98) — "
            "Shares inflate; see [Node.js](https://nodejs.org) and [the guide](docs/guide.md).\n")
    assert _read(text)[0][3] == ["src/Vault.sol:98"]


def test_reports_that_are_mostly_prose_keep_the_findings_pages_small(tmp_path):
    """A report's other passages (its notes) are shown with it up to
    NOTES_SHOWN characters, and count toward its page's size: twelve long
    prose documents read as reports made one findings page of 2.5 MB."""
    from sitegen.site.finding_pages import NOTES_SHOWN

    passage = "The service keeps the session in memory and flushes it on every request. " * 9
    for n in range(12):
        (tmp_path / f"AUDIT_{n:02}.md").write_text(
            f"# Audit {n}\n\n## Findings\n\n- High: tokens are logged in `app{n}.py`\n\n## Background\n\n"
            + "".join(f"Passage {n}.{p}: {passage}\n\n" for p in range(160)), encoding="utf-8")
    assert run_sitegen("build", cwd=tmp_path).returncode == 0
    pages = sorted((tmp_path / "public/findings").glob("index*.html"), key=lambda page: len(page.name))  # index.html first
    assert len(pages) >= 2 and all(page.stat().st_size < 2_000_000 for page in pages)
    summaries = [s.get_text() for page in pages for s in soup(page).select("details.report-notes summary")]
    counts = [int(re.fullmatch(r"The rest of this document \(160 passages, the first (\d+) shown\)", s).group(1))
              for s in summaries]
    # each report's first notes, about NOTES_SHOWN characters of them
    assert len(counts) == 12 and all((n - 1) * len(passage) < NOTES_SHOWN < (n + 1) * (len(passage) + 20)
                                     for n in counts)
    shown = counts[0]
    first = soup(pages[0]).select_one("details.report-notes")
    assert len(first.select("li")) == shown
    assert "Passage 0.0:" in first.get_text() and f"Passage 0.{shown - 1}:" in first.get_text()
    assert f"Passage 0.{shown}:" not in first.get_text()
