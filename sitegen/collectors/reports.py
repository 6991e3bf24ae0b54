"""Readiness, audit and TODO reports written in Markdown → Findings.

Reads the section tree (mdtree) of markdown-it-py's block tokens; each shape
is a recogniser in one of the reader's ordered tables (HEADING_SHAPES,
PARAGRAPH_SHAPES, HEADED_PARAGRAPH_SHAPES, ITEM_SHAPES, LABEL_SHAPES,
ROW_SHAPES; see the end of _Reader). The shapes it reads include:
- numbered finding blocks: `#### 3. Title` followed by `**File:**`, a code
  block, `**Description:**`, `**Impact:**`, `**Labels:**`, … and an
  acceptance-criteria checklist;
- list items in a findings section: `- High: text (`a.py`, `b.py`)`,
  `**CRITICAL** — path:line`, `1) Title` with sub-bullets (`Reference:`…),
  `- **path:line** - `# TODO …`` under category headings.
A section is a findings section when its heading names a severity or
priority ("High Priority", "Priority 2 (High)", "Critical / High Priority
TODOs") or a category with a count ("Authentication & Security (6 TODOs)"),
or when the item itself carries a severity or a file reference. Everything
else in a list is kept as a note of its section: nothing is lost.
Counts a heading or the document declares are compared with what was found.
"""

from __future__ import annotations

import functools
import html
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from urllib.parse import unquote
from typing import TYPE_CHECKING, NamedTuple

from sitegen import priority
from sitegen import severity as severities
from sitegen.collectors import blocks, mdtree
from sitegen.collectors.checklists import split_front_matter
from sitegen.collectors.headings import number
from sitegen.collectors.inline_meta import file_reference
from sitegen.collectors.sarif import repo_path
from sitegen.errors import Notice
from sitegen.model import OUTSIDE, SEVERITIES, Finding, Note

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


@functools.cache
def _markdown() -> MarkdownIt:
    """Made on first use: a build without reports never pays for the import."""
    from markdown_it import MarkdownIt

    return blocks.bounded(MarkdownIt("commonmark", {"html": True}).enable("table").disable(["inline", "text_join"]))


# "**HIGH** —", "**Low**", "Low (test gap):", "~~**Major:** …~~": a severity
# word, with a qualifier in brackets or not; in bold on its own, or followed
# by a separator. (Whitespace is matched by one quantifier at a time,
# possessively: two in a row would try every split of a long run of spaces.)
_QUALIFIER = r"(?:\([^()\n]{1,60}\)\s*+)?"
_PREFIX = re.compile(
    rf"^\s*+(?:~~\s*+)?(?:(?:\*\*|__)\s*+({severities.WORD_PATTERN})\b\s*+{_QUALIFIER}(?:[:—–-]\s*+[^*\n]{{0,40}})?(?:\*\*|__)"
    rf"\s*+{_QUALIFIER}(?:[:—–-]\s*+)?|({severities.WORD_PATTERN})\b\s*+{_QUALIFIER}[:—–-]\s*+"
    # "**[Blocker] L214:**", "[Minor]": a review comment's label, and the line it is about
    rf"|(?:\*\*|__)?\[({severities.WORD_PATTERN})\](?:\s*+L(\d+)(?:[–-]L?\d+)?)?\s*+:?\s*+(?:\*\*|__)?\s*+:?\s*+)",
    re.I)
# What follows a severity word in a list of totals: "2", "3 issues (1 resolved ✅)".
_A_COUNT = re.compile(
    r"\**\s*+(\d+)\s*+\**\s*+(?:(?:issues?|findings?|items?|vulnerabilities)\b\s*+(?:\([^()\n]{0,80}\)\s*+)?)?$", re.I)
# Where a list of "SEVERITY: N" lines is a list of totals: a heading or the line before it says so.
_TOTALS_CONTEXT = re.compile(r"total|breakdown|summary|count|statistic|severit|overview|by severity", re.I)
# "`path:12` and `other.py` — title": the locations an item names before its title.
_LEADING_LOCATIONS = re.compile(r"(?:`[^`\n]+`\s*+(?:(?:,|and)\s*+)?)+[:—–-]\s*+")
# A heading's severity in brackets, qualified or not: "Test helper ignores errors (Low — test quality)".
_BRACKETED_SEVERITY = re.compile(
    rf"\(\s*+({severities.WORD_PATTERN})\s*+(?:\)|[—–:,-][^()\n]{{0,60}}\)|(?:severity|priority|risk)\b[^()\n]{{0,40}}\))", re.I)
# A heading that is a severity and nothing else: "🟠 High", "Major issues", "Low (3)".
_SEVERITY_HEADING = re.compile(
    rf"^\W*+({severities.WORD_PATTERN})(?:\s++(?:severity|risk|issues?|findings?))?\s*+(?:\(\d+\))?\W*+$", re.I)
_NOTES_HEADING = re.compile(r"^\W*(?:notes?\s*+(?:&|and)\s*+)?additional\s++(?:information|notes)\W*$", re.I)
_COUNT = re.compile(r"\((\d+)\s+(?:todos?|items?|findings?|issues?)\)|[-–—]\s*(\d+)\s+(?:todos?|items?|findings?|issues?)\b", re.I)
# Sections that summarise or plan rather than list findings: their items are notes.
_NOT_FINDINGS = re.compile(r"recommend(?:ation|ed)|roadmap|nice.to.haves?|\(optional\)|next steps|^\W*plan\b|(?:action|remediation|improvement|upgrade|launch|"
                           r"implementation|mitigation|treatment|fix|test|response|work|rollout|release)\s+plan\b|summary|legend|template|^\W*maintenance\W*$|checklist|overview|looked at"
                           r"|\bmethods?\b|\btools (?:and|used)\b"
                           r"|^\W*(?:[\d.]+\s*+)?(?:\w+\s+){0,2}scope\b"  # "Scope", "3. Audit scope", "Out of scope"
                           r"|methodology|appendix|introduction|background|\b(?:risk|severity) ratings?\b|rating scale"
                           r"|^\W*passed\b|\b(?:confirmed|passed)\W*$|\bpositive|strengths|what went well|held up"
                           r"|\bpraise\b|files changed|changed files|scorecard|\bincidents\b", re.I)
_COUNTED = r"(?:items|todos?|findings|comments found|issues|vulnerabilities|vulnerable packages|risks|problems|defects|observations)"
_NUMBER_WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                 "sixteen seventeen eighteen nineteen twenty").split()
# "records 11 risks", "We found seven problems", "**16 findings in all**": a count of what the document reports.
_PROSE_TOTAL = re.compile(rf"(?<![\w.,-])(\d{{1,4}}|{'|'.join(_NUMBER_WORDS)})\s++(?:{_COUNTED}|risks)\b(?!\s++(?:were|are)\s++(?:fixed|resolved|closed))",
                          re.I)
_SUMMARY_SECTION = re.compile(r"summary|overview|introduction|at a glance|results", re.I)


def _count_of(word: str) -> int | None:
    return number(word) if word.isdigit() else _NUMBER_WORDS.index(word.lower())


# "**Total issues found:** 12", "**Total vulnerable packages:** 13", "Total: 14 issues (…)".
_DOC_TOTAL = re.compile(rf"\*\*\s*(?:total[^*:\n]{{0,60}}?{_COUNTED}[^*:\n]{{0,60}}+)[:\s]*+\*\*[:\s]*(\d+)"
                        rf"|^\s*total\s*:\s*(\d+)\s+{_COUNTED}\b", re.I | re.M)
_NUMBERED = re.compile(r"^\s*(\d+)[.)]\s+")
# "**Name:** value", "**Name**: value", or "Name: value" for a name of _PLAIN_FIELDS.
_FIELD = re.compile(r"^(?:\*\*([A-Z][\w /.-]{1,40}?):\*\*|\*\*([A-Z][\w /.-]{1,40}?)\*\*[ \t]*+:|([A-Z][\w /-]{1,40}?):(?=\s))"
                    r"\s*(.*)", re.S)
_BOLD_PATH = re.compile(r"\*\*([^*\s]+)\*\*")
_CODE_SPAN = re.compile(r"`([^`]+)`")
_LINE_WORD = re.compile(r"[ \t]++(?:on[ \t]++)?line[ \t]++(\d{1,7})\b")
_PATH_LINE = re.compile(r"^(.*?)(?::(\d+(?:[-,][\d,-]*)?)|#L(\d+)(?:-L?\d+)?)$")
_ONLY_CODE = re.compile(r"`[^`\n]+`")
# The path in a link to a file on a code host: ".../blob/<revision>/<path>" (GitHub, GitLab's "/-/blob/").
_BLOB_PATH = re.compile(r"/blob/[^/?#]+/([^?#]+)$")
_LINK = re.compile(r"\[([^\[\]\n]{1,300})\]\(\s*([^()\s]{0,2000})")
# "[H-01]", "C-01:", "LL-08 —": a finding's id before its title.
_FINDING_ID = re.compile(r"^\s*(?:\[[A-Z]{1,6}-?\d{1,4}\]|[A-Z]{1,8}(?:-\d{1,4}){1,3}\b\s*[:.—–·-]?)\s*"
                         r"(?:WP\d{1,2}\s*+:\s*+)?")  # "BRM-01-004 WP1: …": an id and a work package
# A status field's value that means the finding is closed.
# The words that close a finding, as a status says them; a status field's value starting with one
# (or "verified") closes it, and a status cell of a table holding one (or "removed", "passed").
_CLOSING_WORDS = ("fixed", "resolved", "mitigated", "remediated", "upgraded", "implemented", "corrected", "done", "closed")
_CLOSED_STATUS = re.compile(rf"^\W*(?:{'|'.join(_CLOSING_WORDS)}|verified)\b", re.I)
_SEVERITY_FIELDS = ("severity", "priority", "risk", "risk rating", "overall risk", "risk level", "rating",
                    "severity rating", "cvss", "cvss score", "score", "risk score")
# Read as the severity only when no field above gives one ("Impact: High (7.3)").
_FALLBACK_SEVERITY_FIELDS = ("impact",)
_LOCATION_FIELDS = ("file", "files", "location", "locations", "reference", "references", "affected", "where",
                    "target")
# The fields that make the heading before them a finding's: its severity;
# under a level-3 or deeper heading, also where it is.
_OPENING_FIELDS = (*_SEVERITY_FIELDS, *_LOCATION_FIELDS)
_FINDING_FIELDS = (*_OPENING_FIELDS, "status")
# Names a field may have without bold: only these, or every "Note: …" line would be one.
_PLAIN_FIELDS = frozenset((*_FINDING_FIELDS, *_FALLBACK_SEVERITY_FIELDS, "description", "likelihood",
                           "retest", "retest result", "resolution", "state", "remediation status", "decision"))
# "HIGH-01: title", "MED-3 —": an id that names the severity.
_ID_SEVERITY = re.compile(r"^\W*(CRIT(?:ICAL)?|HIGH|MED(?:IUM)?|LOW|INFO)-\d{1,4}\b")
_ID_WORDS = {"CRIT": "critical", "MED": "medium"}
# Status is a marker, not a word in prose ("fixed values" is not a status).
_RESOLVED = re.compile(
    r"✅|^\W*(?:fixed|resolved|done)\s*[:\-–—)\]]|[(\[]\s*(?:fixed|resolved|done)(?:\s+(?:in|by|on|at)\b[^()\[\]\n]{0,60})?\s*[)\]]"
    r"|[-–—:]\s*(?:fixed|resolved)\W*$|~~.+~~",
    re.I)
_CHECKBOX = re.compile(r"^\[([ xX])\]\s+")
# "… (Risk: High)", "… [Severity: Low]" at the end of an item's first line.
_TRAILING_RATING = re.compile(
    rf"[(\[]\s*+(?:risk|severity|rating|impact|priority)\s*+[:=]\s*+({severities.RATING_PATTERN})\s*+[)\]]\W*$", re.I)
# "+1 to Nadia's thread …", "👍": agreeing with a comment made elsewhere, not one of its own.
_VOTE = re.compile(r"^\s*+(?:\+1|👍|me too)\b", re.I)
# A severity tagged in bold brackets anywhere in an item: "**[serious]**".
_INLINE_RATING = re.compile(
    rf"(?<![\w-])(?:contribution|severity|impact|risk|rating)\s*+:[*_]*+\s*+[*_]*+({severities.RATING_PATTERN})\b", re.I)
# "· *Status:* open", "Status: corrected on 19 June" inside a paragraph.
_INLINE_STATUS = re.compile(r"(?<![\w-])status\s*+:[*_]*+\s*+[*_]*+([^·|\n*_][^·|\n]{0,80})", re.I)
_LABEL_TAG = re.compile(rf"`(?:sev|severity|priority|impact|risk)[:/=-]\s*+({severities.RATING_PATTERN})`", re.I)
_LEVEL_LABEL = re.compile(r"^\s*+(?:\*\*|__)?\[?(P[0-4])\]?(?:\*\*|__)?\s*+[—–:-]\s*+")
_LABEL_WITH_TAG = re.compile(rf"^\s*+\*\*[^*\[\n]{{0,40}}\[({severities.RATING_PATTERN})\][^*\n]{{0,40}}\*\*\s*+", re.I)
_BRACKET_TAG = re.compile(rf"\*\*\[({severities.RATING_PATTERN})\]\*\*(?!\()", re.I)
_TRAILING_SEVERITY = re.compile(rf"\(\s*+[*_]*+({severities.RATING_PATTERN})[*_]*+\s*+\)\W*$", re.I)
_LEADING_MARK = re.compile(r"^\s*+([🔴🟠🟡🟢🔵⚪⚫🟣🟤])\ufe0f?\s++(\S.{2,})$")
_LEADING_SEVERITY = re.compile(rf"^\W*+({severities.WORD_PATTERN})\s*+[·|—–:]\s++(\S.{{2,}})$", re.I)
_STATUS_LINE = re.compile(r"^\W*(?:status|retest|resolution|state|update)\b[^:\n]{0,40}:[ \t]*+([^\n]*)", re.I | re.M)
_FIXED_PROSE = re.compile(r"\b(?:this|the) (?:issue|problem|finding|vulnerability|weakness) (?:was|has been|is now) "
                          r"(?:fixed|resolved|addressed|remediated)\b", re.I)
_LABEL_LEAD = re.compile(r"^\s*+\*\*[^*\n]{1,30}:\*\*\s*+")
_STRUCK = re.compile(r"~~[^~\n]*~~")
_STATUS_FIELDS = ("status", "retest", "retest result", "resolution", "state", "remediation status", "decision",
                  "resolved", "verification", "re-scan", "rescan", "re-check", "recheck", "re-test")
_EXCEPTION_NOTED = re.compile(r"^\W*exceptions? noted\W*+(\w.*)", re.I | re.S)
_RATED = re.compile(rf"\brated\s++({severities.RATING_PATTERN})\b", re.I)
# Headings that name a part of the finding above them.
_PART_HEADINGS = frozenset((
    "condition", "criteria", "cause", "effect", "recommendation", "recommendations", "impact", "description",
    "details", "evidence", "observation", "risk", "status", "management response", "management action plan",
    "remediation", "fix", "background", "steps to reproduce", "proof of concept", "affected", "location",
    "locations", "references", "root cause", "mitigation", "patches", "workarounds", "credits",
    "fix status", "resolution"))
# Parts whose text says whether the finding is fixed ("### Patches" then "Fixed in 4.2.3.").
_STATUS_PARTS = frozenset(("patches", "status", "resolution", "fix status"))
# A row that points at a finding described elsewhere in the document.
_SEE_FINDING = re.compile(r"\b(?:raised again|repeated|reported again|see|same as|duplicate of)\b[^.|\n]{0,20}\bfinding\s*+#?\d", re.I)
_NOT_A_DEFECT = re.compile(r"^\W*(?:rejected|duplicate|withdrawn|not a bug|works as designed|invalid|false positive)\b",
                           re.I)
_ONLY_LINKS = re.compile(r"(?:\s*+\[[^\[\]\n]{1,300}\]\([^()\s]{0,2000}\)[\s,;·|–—-]*+)++")
_LINE_CELL = re.compile(r"^\s*+L?(\d{1,7})\b")
_SHIPPED = re.compile(r"\bshipped\b(?! yet)", re.I)
# A sentence that is a closed status: "Fixed — …", "Mitigated: …" (capitalised, at a sentence's start).
_SENTENCE_STATUS = re.compile(r"\*\*(?:Closed|Fixed|Resolved)\.?\*\*\.?\s*$"
                              r"|(?:^|(?<=[.;!?])[ \t\n]+)[*_]*+(?:Verified[ \t]+fixed|Fixed|Resolved|Mitigated|Remediated)\b[*_]*+"
                              r"(?:[ \t]+(?:in|on)(?:\s++[\w!#-]+(?:\.[\w!#-]+)*+){1,3})?[ \t]*+(?:[—–:;-]|\b(?:by|with)\b|\.(?:\s|$))"
                              r"|[—–][ \t]*+(?:fixed|resolved)\b"
                              r"|(?:^|(?<=[.;!?])[ \t\n]+)[*_]*+(?:Resolved|Fixed|Mitigated|Closed)\b[^.:\n]{0,40}:"
                              r"|(?:^|(?<=[.;!?])[ \t\n]+)[*_]*+(?:Fixed|Resolved|Mitigated|Remediated)[*_]*+\s++(?:in|on|by|with)\b")
_SUMMARY = re.compile(r"<summary[^>]*+>(.{1,500}?)</summary>", re.I | re.S)
_TAG = re.compile(r"<[^<>\n]{1,200}>")
# "`serious` **Title**": a severity in a code span before an item's text (axe's impacts, say).
_CODE_SPAN_LABEL = re.compile(rf"^\s*+`({severities.RATING_PATTERN})`\s*+(?:[:—–-]\s*+)?", re.I)
# "HRI — …", "**[S1] Title.**": a label the document's own legend defines (see _LEGEND_ENTRY).
_CODE_LABEL = re.compile(r"^\s*+(?:\*\*|__)?\s*+\[?([A-Za-z][A-Za-z-]{0,11}\d?)\]?\s*+(?:\*\*|__)?\s*+(?:[:—–-]\s*+)?")
# "L42: ", "L55–L61: " before a review comment: the line it is about.
_LINE_MARK = re.compile(r"^\s*+(?:\*\*)?L(\d{1,7})(?:[–-]L?\d+)?(?:\*\*)?\s*+[:·—–]\s*+")
# A legend's entry: "**HRI** — high-risk issue: …", "S1 — critical": a code, then what it means.
# "**S1 Critical** — crash, data exposure …": a code and its severity, then what it means.
_CODE_WORD_ENTRY = re.compile(
    rf"^\s*+(?:\*\*|__)?`?([A-Za-z][\w-]{{0,7}})`?[ \t]++({severities.WORD_PATTERN})(?:\*\*|__)?\s*+[—–:=-]", re.I)
_LEGEND_ENTRY = re.compile(
    rf"^\s*+([{''.join(severities.EMOJI)}]\ufe0f?\s*+)?(?:\*\*|__)?`?([A-Za-z][\w-]{{0,7}}(?: \d{{1,2}})?)`?(?:\*\*|__)?"
    rf"\s*+[—–:=-]\s*+(?:(?:\*\*|__)?\s*+({severities.WORD_PATTERN})\b|[^\0]{{0,300}}?(?:\(|\b(?:treated|rated|counted)\s++as\s++)"
    rf"({severities.WORD_PATTERN})\)?\W*$)", re.I)
# Score bands a document defines (see _score_bands), and a score to look up in them.
_RANGE_BAND = re.compile(rf"\b(\d{{1,3}})\s*+[–-]\s*+(\d{{1,3}})\s*+(?:is\s++|=\s*+|:\s*+)?({severities.WORD_PATTERN})\b", re.I)
_BAND_RANGE = re.compile(rf"\b({severities.WORD_PATTERN})\s*+[:=(]\s*+(\d{{1,3}})\s*+[–-]\s*+(\d{{1,3}})\b", re.I)
_VALUE_BAND = re.compile(rf"\b(\d{{1,3}})(?:\s++or\s++(\d{{1,3}}))?\s++is\s++({severities.WORD_PATTERN})\b", re.I)
_SCORE = re.compile(r"^\W*+(?:[^=\n]{0,40}=\s*+(\d{1,3})\b|(\d{1,3})(?:\s*+/\s*+\d{1,3})?\b)")
# A heading that is an id and a rating only: "AKS-1 · 🔴", "[F-03] High".
_ID_ONLY_HEADING = re.compile(r"^\s*+\[?[A-Z]{1,8}-?\d{1,4}\]?\s*+(?:[·:—–|-]\s*+)?(?:\*\*)?([^*\n]{0,20})(?:\*\*)?\s*$")
_PROSE_LEGEND = re.compile(
    rf"\*\*([A-Za-z]{{1,4}}-?\d|[A-Za-z][\w-]{{1,15}})\*\*\s*+(?:[—–=:-]\s*+|is\s++|[^.*\n]{{0,30}}?\bas\s++)?"
    rf"({severities.WORD_PATTERN})\b", re.I)  # "**S1** critical", "**blocking** is high", "a broken **MUST** rule as high"
_LEGEND_LEAD_WORDS = re.compile(r"\b(?:rate[sd]?|rating|scale|legend|means?|defined|severity|priority|tag)\b", re.I)
# What introduces a legend: "Each is rated by how much it contributed:", "Severities mean:".
_LEGEND_LEAD = re.compile(r"\b(?:rated|ratings?|scale|legend|means?|defined|definitions?|tag(?:s|ged)?|label(?:s|led)?)\b"
                          r"[^\n]*:\s*$", re.I)
_LEGEND_SECTION = re.compile(r"legend|\bscale|\brat(?:ing|ed)\b|severit|definition|classification|\blevels?\b|\bscor", re.I)
# A line under a finding's heading that rates it: "> CVSS 3.1 **6.2** — … · Android · Open", "High · Open".
_META_SEPARATOR = re.compile(r"(?<!\s)\s++[·•|]\s++")  # (only a run's first space starts a try: linear)
_IMAGE = re.compile(r"!\[([^\[\]\n]{0,80})\]\([^()\s]{0,500}\)")
_BADGES = re.compile(r"(?:\s*+!\[[^\[\]\n]{0,80}\]\([^()\s]{0,500}\))++\s*+")
_META_NAME = re.compile(r"^\s*+(?:[A-Za-z][\w ]{0,30}:|(?:severity|risk|impact|rating|priority|status|state)\s)\s*+", re.I)
# A paragraph's first line in bold alone: "**3. Checkout retries without backoff.**"
_BOLD_TITLE_LINE = re.compile(r"^\*\*([^*\n]{3,300})\*\*[ \t]*+\n")


@dataclass
class ReportSection:
    title: str
    level: int
    line: int
    severity: str | None = None
    category: str | None = None
    declared: int | None = None
    file: str | None = None
    """The file a heading names and nothing else ("### `src/app.py`"): what its items are about."""
    findings: list[Finding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    summarises: bool = field(default=False, repr=False, compare=False)
    """Its title names a summary or plan (_NOT_FINDINGS): its items are notes."""
    names_a_level: bool = field(default=False, repr=False, compare=False)
    """Its title is a level the document's legend defined ("Errors" for "**Errors** — High")."""
    rated_title: tuple[str, str] | None = field(default=None, repr=False, compare=False)
    """(title, severity) of a heading that ends in its rating ("Title (*High*)")."""
    names_only_an_id: bool = field(default=False, repr=False, compare=False)
    """Its title is an id and a rating ("AKS-1 · 🔴"): a finding's, titled by its fields."""


@dataclass
class Report:
    path: str
    title: str
    sections: list[ReportSection] = field(default_factory=list)
    declared_total: int | None = None
    severity_counts: dict[str, int] = field(default_factory=dict)
    """What a list or table of totals declares per severity ("- HIGH: 3", "| High | 3 |")."""
    score: str | None = None
    """The overall score the report gives itself ("Overall: 7/10")."""
    scores: list[tuple[str, str]] = field(default_factory=list)
    """(area, score) of a scorecard's lines ("- Security ⚠️ **8/10** — …")."""
    tracker: list[tuple[str, str]] = field(default_factory=list)
    """(check, "done" | "failing" | "at risk") of a readiness tracker's ✅/❌/⚠️ lines: not findings."""
    table_counts: list[tuple[str, int]] = field(default_factory=list)
    """(category, count) rows of a summary table."""
    notices: list[Notice] = field(default_factory=list)
    """Warnings about the document (its front matter, text nested too deep)."""

    def findings(self) -> list[Finding]:
        return [f for s in self.sections for f in s.findings]

    def mismatches(self) -> list[str]:
        """Where the report's own counts disagree with the findings read from it."""
        problems = []
        for index, section in enumerate(self.sections):
            if section.declared is None:
                continue
            counted = len(section.findings) + sum(
                len(s.findings) for s in self._subsections(index))
            if counted != section.declared:
                problems.append(f"“{section.title}” declares {section.declared}, lists {counted}")
        if self.table_counts:
            by_category = _CategoryCounts(f.category for f in self.findings())
            for name, declared in self.table_counts:
                counted = by_category.related(name)
                if counted != declared:
                    problems.append(f"the summary table gives “{name}” {declared}, lists {counted}")
        by_severity = {s: sum(f.severity == s for f in self.findings()) for s in self.severity_counts}
        for severity, declared in self.severity_counts.items():
            if by_severity[severity] != declared:
                problems.append(f"the document counts {declared} {severity}, lists {by_severity[severity]}")
        total = len(self.findings())
        if self.declared_total is not None and self.declared_total != total:
            problems.append(f"the document declares {self.declared_total} in total, lists {total}")
        return problems

    def _subsections(self, index: int):
        level = self.sections[index].level
        for section in self.sections[index + 1:]:
            if section.level <= level:
                break
            yield section


class _CategoryCounts:
    """How many findings have a category related to a summary table's row
    name: one starts with the other ("KVM Addon" covers "KVM Addon -
    Monitoring"; "Compliance/Security" covers "Compliance"). Counted by
    bisection and prefix lookups, not by comparing every row with every finding."""

    def __init__(self, categories):
        counts: dict[str, int] = {}
        for category in categories:
            if category:
                key = category.casefold().strip()
                counts[key] = counts.get(key, 0) + 1
        self.counts = counts
        self.keys = sorted(counts)
        self.running = [0, *accumulate(counts[k] for k in self.keys)]
        self.lengths = sorted({len(k) for k in counts})

    def related(self, name: str) -> int:
        name = name.casefold().strip()
        # Categories that start with the name (the name itself included) are
        # one sorted range; then categories that are shorter starts of the name.
        first = bisect_left(self.keys, name)
        above = name.rstrip("\U0010ffff")  # the least string after every one that starts with `name`
        last = bisect_left(self.keys, above[:-1] + chr(ord(above[-1]) + 1)) if above else len(self.keys)
        found = self.running[last] - self.running[first]
        for length in self.lengths:
            if length >= len(name):
                break
            found += self.counts.get(name[:length], 0)
        return found


def _names_a_severity(title: str) -> bool:
    """Whether a heading is a severity and nothing else ("High Severity", "Notes & Additional Information")."""
    return bool(_SEVERITY_HEADING.match(title) or _NOTES_HEADING.match(title))


def _severity_in_heading(text: str, from_zero: bool = False) -> str | None:
    """A heading's severity: its priority level ("P1 — fix before GA", on the
    document's scale), else a heading that is a severity word, else a
    priority it names ("High Priority")."""
    if found := severities.of_level(text, from_zero) or severities.of_sev(text):
        return found
    if named_id := _ID_SEVERITY.match(text):
        return severities.of_word(_ID_WORDS.get(named_id.group(1), named_id.group(1)))
    if alone := _SEVERITY_HEADING.match(text) or _BRACKETED_SEVERITY.search(text):
        return severities.of_word(alone.group(1))
    if _NOTES_HEADING.match(text):  # "Notes & Additional Information": the informational findings
        return "info"
    named = priority.in_heading(text)  # "P1" … "P4": sitegen's own scale, P1 the most urgent
    return severities.of_level(named, from_zero=False) if named else None


_FIELD_SEVERITY = re.compile(rf"^\W*+({severities.RATING_PATTERN})\b", re.I)


@dataclass(frozen=True)
class _Columns:
    """Where a table of findings keeps each thing (-1: nowhere)."""

    title: int
    severity: int
    status: int = -1
    id: int = -1
    locations: tuple[int, ...] = ()
    line: int = -1
    """A column of line numbers for the file in the first location column."""

    @classmethod
    def of(cls, names: list[str]) -> _Columns | None:
        """The columns, if the header's `names` (see _column_names) name a severity and a
        finding's words ("Severity | Count" is a summary, not a list of findings)."""

        def first(words: tuple[str, ...]) -> int:
            """The first column named by one of `words`, or whose name starts or
            ends with one ("2023 finding", "Status at September 2024")."""
            exact = next((at for at, name in enumerate(names) if name in words), -1)
            return exact if exact >= 0 else next(
                (at for at, name in enumerate(names) if name.split() and (name.split()[0] in words or name.split()[-1] in words)), -1)

        title, severity = first(_TITLE_COLUMNS), first(_SEVERITY_COLUMNS)
        if (overall := first(("overall risk", "overall rating", "overall severity", "risk rating"))) >= 0:
            severity = overall  # "| Likelihood | Severity of harm | Overall risk |": the overall one
        if title < 0:  # "| Describe source of risk and nature of potential impact … |"
            title = next((at for at, name in enumerate(names) if "descri" in name), -1)
        if (conformance := first(("conformance level", "conformance"))) >= 0:
            # an accessibility conformance report (VPAT): failing levels, explained in the remarks
            title, severity = first(("remarks and explanations", "remarks", "explanation", "explanations")), conformance
        if title < 0 and severity >= 0 and names[severity] in _DESCRIBING_COLUMNS:
            # "| Risk | … | Rating |": the Risk column says what the risk is, the Rating how bad
            rating = next((at for at, name in enumerate(names) if at != severity and name in _SEVERITY_COLUMNS), -1)
            title, severity = (severity, rating) if rating >= 0 else (-1, severity)
        if title < 0:  # "| Gap identified | Risk |": a column describing the problem, beside the rating
            title = next((at for at, name in enumerate(names) if at != severity and name.split() and (
                name in _DESCRIBING_COLUMNS or name.split()[0] in _DESCRIBING_COLUMNS)), -1)
        if title < 0 or severity < 0 or title == severity:
            return None
        return cls(title, severity, first(_STATUS_FIELDS), first(("id", "#", "ref")),
                   tuple(at for at, name in enumerate(names) if name in _LOCATION_COLUMNS), first(("line", "lines")))


_TITLE_COLUMNS = ("finding", "issue", "title", "description", "summary", "problem", "vulnerability", "risk description",
                  "threat", "comment")
# Columns that describe the problem when no column is named for it: "| Risk | Rating |", "| Weakness |".
_DESCRIBING_COLUMNS = ("risk", "weakness", "advisory", "concern", "gap", "exception")
_SEVERITY_COLUMNS = ("severity", "priority", "risk", "level", "rating", "sev", "cvss", "score", "overall", "impact", "grade",
                     "l × i", "l x i", "risk score", "inherent risk")
_LOCATION_COLUMNS = ("file", "files", "location", "locations", "path", "where", "manifest", "affected", "component",
                     "pinned at", "required at", "declared at", "defined at", "evidence")
_ID_WORD = re.compile(r"[A-Za-z0-9][\w-]*")
_OVERALL_SCORE = re.compile(r"\boverall(?:\s++score)?\s*+[:=—–-]?\s*+(\d{1,3}(?:\.\d)?\s*+/\s*+\d{1,3})\b", re.I)
_SCORE_SECTION = re.compile(r"\bscore|\bscorecard|\brating|\bgrades?\b", re.I)
# "Security ⚠️ 8/10 — …", "Correctness: 6/10": an area's name, then its score.
_AREA_SCORE = re.compile(
    r"^\s*+([^\d:—–/\s][^\d:—–/\n]{1,59}?)\s*+(?:[^\w\s]{1,3}\s*+)?:?\s*+(\d{1,3}(?:\.\d)?\s*+/\s*+\d{1,3})\b")
_TRACKER_SECTION = re.compile(r"tracker|readiness|launch criteria|go.live|\bgates?\b|checklist", re.I)
_TRACKER_STATUS = {"✅": "done", "✔": "done", "☑": "done", "❌": "failing", "✗": "failing", "⚠": "at risk"}
_TRACKER_MARK = re.compile("^\\s*([" + "".join(_TRACKER_STATUS) + "])\ufe0f?\\s*")
_COUNT_HEADERS = ("count", "counts", "total", "#", "number", "findings", "issues", "items", "todos", "open")
_TABLE_CLOSED = re.compile(rf"✅|\b(?:{'|'.join(_CLOSING_WORDS)}|removed|pass(?:ed)?)\b", re.I)
_NEGATED = re.compile(r"\b(?:not|won'?t|never|unresolved|partially|partly)\b", re.I)


def _column_names(header: list[str]) -> list[str]:
    """A table header's cells as column names: "**Sev.**" → "sev", "Status:" → "status"."""
    return [cell.strip("* ").lower().rstrip(".:") for cell in header]


def _cell(cells: list[str], at: int) -> str:
    return cells[at] if 0 <= at < len(cells) else ""


# "**Issue #1: Title** ✅ **RESOLVED**": the words around a finding's title in its heading.
_HEADING_LABEL = re.compile(r"^\s*(?:(?:issue|finding|bug|observation|risk|threat)\s*#?\d+\s*[:.—–-]\s*)", re.I)
_TRAILING_BADGE = re.compile(r"(?:\s*+[^\w\s`*]{1,3}\s*+\*\*[A-Z][A-Z ']{1,20}\*\*)+\s*$")


def _heading_title(text: str) -> str:
    """A finding's title from its heading: no id, label, badge or bold."""
    end = max(0, len(text) - 200)  # a badge is short: only the end is searched (linear on long headings)
    title = (text[:end] + _TRAILING_BADGE.sub("", text[end:])).replace("**", "").strip()
    return _FINDING_ID.sub("", _HEADING_LABEL.sub("", title, count=1), count=1).strip()


def _field(line: str) -> tuple[str, str] | None:
    """(name, value) of a line that starts a field (see _FIELD)."""
    if (match := _FIELD.match(line)) is None:
        return None
    name = (match.group(1) or match.group(2) or match.group(3)).strip()
    if match.group(3) is not None and name.lower() not in _PLAIN_FIELDS and not name.lower().startswith("status "):
        return None
    return name, match.group(4)


def _badge_rating(text: str) -> tuple[str, bool] | None:
    """(severity, resolved) from badge images in a heading ("![impact: high](…)",
    "![state: fixed](…)"): one must rate the finding."""
    severity, resolved = None, False
    for alt in _IMAGE.findall(text):
        name, _, value = alt.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name in (*_SEVERITY_FIELDS, *_FALLBACK_SEVERITY_FIELDS):
            severity = severity or severities.of_rating(value)
        elif name in _STATUS_FIELDS:
            resolved = resolved or bool(_CLOSED_STATUS.match(value))
    return (severity, resolved) if severity else None


def _meta_line(text: str, codes: dict | None = None) -> tuple[str, bool] | None:
    """(severity, resolved) from a paragraph's first line that rates a finding:
    a CVSS score ("CVSS 3.1 **6.2** — AV:L/… · Android · Open"), or short parts
    between "·" or "|", one of them a severity ("High · Open · web")."""
    first = text.split("\n", 1)[0].replace("**", "")
    if _BADGES.fullmatch(first):  # "![RAG: red](…) ![status: open](…)": the badges' texts
        first = " · ".join(_IMAGE.findall(first))
    raw = _META_SEPARATOR.split(first)
    parts = [_META_NAME.sub("", part) for part in raw]  # "Status: Fixed" → "Fixed"
    if "cvss" in first.lower():
        severity = severities.of_cvss(first)
    elif len(parts) >= 2 and all(len(part) <= 100 for part in parts):
        severity = next((rated for part in parts if (rated := severities.of_rating(part.strip("`_ ")))), None) or \
            next((severities.of_rating(lead.group(1)) for part in parts  # "Medium (re-rated from Low)"
                  if (lead := _FIELD_SEVERITY.match(part)) and "(" in part[lead.end():lead.end() + 3]), None) or \
            next((codes[key] for part in raw if codes and (key := " ".join(part.replace(":", " ").split()).lower())
                  in codes), None)  # "Tier: 1", a level the legend defined ("**Tier 1** — … Treated as critical")
    else:
        return None
    if severity is None:
        return None
    return severity, any(_CLOSED_STATUS.match(part) for part in parts)


def _meta_sentence(text: str) -> tuple[str, bool] | None:
    """A rating line (see _meta_line) that ends an item's text as its last sentence or line."""
    if "·" not in text and "•" not in text:
        return None
    last = re.split(r"(?<=[.!?])\s+|\n", text.strip())[-1].rstrip(".")
    return _meta_line(last)


def _closes(status: str) -> bool:
    """Whether a status field's value closes its finding: "Fixed in 2.1", or a
    decision then its outcome ("Mitigate — fixed in 5.1.2", "Mitigate — … shipped in 5.1")."""
    if _CLOSED_STATUS.match(status):
        return True
    decision, dash, outcome = status.partition(" — ") if " — " in status else status.partition(" - ")
    return bool(dash) and len(decision.split()) == 1 and (
        bool(_CLOSED_STATUS.match(outcome)) or bool(_SHIPPED.search(outcome)))


_CLOSING_STEMS = ("fixed", "resolved", "mitigated", "remediated", "closed")


def _says_closed(text: str) -> bool:
    """Whether a sentence of `text` is a closed status (_SENTENCE_STATUS); the
    words are looked for first (the regex costs ~0.1 ms on a long paragraph)."""
    low = text.lower()
    return any(stem in low for stem in _CLOSING_STEMS) and _SENTENCE_STATUS.search(text) is not None


def _set_status_from_lines(finding: Finding, text: str) -> None:
    """A "Status: …" line of an item's text or sub-bullet decides its status;
    else a sentence that starts with one ("… `ci.yml:31`. Fixed — the token …")."""
    if _says_closed(text):
        finding.status = "resolved"
    if not any(word in text for word in ("tatus", "etest", "esolution", "tate", "ecision")):
        return
    for line in text.split("\n"):
        if (found := _field(line.strip())) and found[0].lower() in _STATUS_FIELDS:
            finding.status = "resolved" if _closes(found[1]) else "open"


def _field_lines(text: str) -> list[tuple[str, str]]:
    """A paragraph's "**Name:** value" fields, one a line, a line that starts
    no field going on with the one before; none unless the first line starts one."""
    fields: list[list[str]] = []
    for line in text.split("\n"):
        if found := _field(line):
            fields.append(list(found))
        elif fields:
            fields[-1][1] += "\n" + line
        else:
            return []
    return [(name, value.strip()) for name, value in fields]


_PROBLEM_FIELDS = ("issue", "problem", "finding", "description", "summary", "observation", "condition", "threat",
                   "what we found")


# Fields that state the problem a heading only names the area of (not a Description of a titled finding).
_FOUND_FIELDS = ("what we found", "observation", "finding", "issue", "problem", "condition")


def _names_a_thing(title: str) -> bool:
    """Whether a heading names a check or an area ("Token-Permissions (0/10)",
    "Branch protection"), not a problem: three words or fewer, brackets aside."""
    return len(re.sub(r"\([^()]*\)", "", title).split()) <= 3
# Fields that say what to do: a path there is where a fix goes, not where the problem is.
_ADVICE_FIELDS = ("recommendation", "recommendations", "fix", "remediation", "suggested fix", "management response",
                  "mitigation", "action", "next steps", "management action plan")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*\[(])")


def _names_only_locations(title: str) -> bool:
    """Whether a title is nothing but file references ("`a.py:79` and `b.py`")."""
    return not _CODE_SPAN.sub("", title).replace("and", "").strip(" ,;—–-")


def _first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), maxsplit=1)[0]


# GitHub's alert blocks: "> [!WARNING]" on the quote's first line.
_ALERT = re.compile(r"^\[!(\w+)\][ \t]*\n?")
_ALERT_SEVERITY = {"CAUTION": "critical", "WARNING": "high", "IMPORTANT": "medium", "NOTE": "low"}
"""TIP is advice, never a finding; a block's own "Severity:" wins over its kind."""
_BOLD_OPENING = re.compile(r"\s*\*\*([^*]{3,300})\*\*")
_ALERT_RESOLVED = re.compile(r"(?<![A-Za-z])(?:status:\s*)?(?:fixed|resolved|mitigated)\b\s*(?:in\b|by\b|since\b|:)", re.I)


def _is_resolved(text: str) -> bool:
    """Whether a finding's text marks it resolved (see _RESOLVED)."""
    # Most texts hold none of the words: a few `in` tests rule them out
    # before a regex of many alternatives reads the whole text.
    lowered = text.lower()
    return ("✅" in text or "~~" in text or "fix" in lowered or "resolv" in lowered or "done" in lowered) \
        and _RESOLVED.search(text) is not None


def _prefix_word(prefix: re.Match) -> str:
    """The severity word a _PREFIX match found, in whichever of its forms."""
    return prefix.group(1) or prefix.group(2) or prefix.group(3)


def _title_after_locations(text: str) -> str:
    """An item's text without the locations it starts with, if words follow them."""
    located = _LEADING_LOCATIONS.match(text)
    return text[located.end():] if located and text[located.end():].strip() else text


def _severity_of_field(value: str, from_zero: bool, bands: tuple = (), codes: dict | None = None) -> str | None:
    """A "**Severity:**" field's value: "High", "`low`", "Medium (test gap)",
    "P1", a CVSS score, a score in the document's own `bands` ("6/9", "4 × 5 =
    20") or a code its legend defines ("S2")."""
    if codes and (code := codes.get(value.replace("**", "").strip("`*_ .").lower())):
        return code
    if word := _FIELD_SEVERITY.match(value):
        return severities.of_rating(word.group(1))
    if bands and (score := _SCORE.match(value.replace("**", ""))):
        points = int(score.group(1) or score.group(2))
        return next((severity for low, high, severity in bands if low <= points <= high), None)
    return _severity_in_heading(value, from_zero) or severities.of_cvss(value)


def _score_bands(text: str) -> list[tuple[int, int, str]]:
    """The bands a document gives its scores: "20–25 Critical, 12–19 High",
    "Critical: 20–25", "A score of 9 is Critical, 6 is High, 3 or 4 is Medium"."""
    text = text.replace("**", "").replace("*", "")
    bands = []
    for low, high, word in _RANGE_BAND.findall(text):
        bands.append((int(low), int(high), severities.of_word(word)))
    for word, low, high in _BAND_RANGE.findall(text):
        bands.append((int(low), int(high), severities.of_word(word)))
    for first, second, word in _VALUE_BAND.findall(text):
        bands += [(int(n), int(n), severities.of_word(word)) for n in (first, second) if n]
    return bands


def _linked_paths(text: str) -> list[str]:
    """The texts of links that point at the file they name: "[src/a.sol#L9](…/blob/…/src/a.sol#L9)"
    or a relative link, not "[Node.js](https://nodejs.org)"."""
    found = []
    for label, target in _LINK.findall(text):
        path = label.strip().replace("`", "").split(maxsplit=1)[0].split("#")[0].rsplit(":", 1)[0] if label.strip() else ""
        address, _, fragment = target.partition("#")
        blob = _BLOB_PATH.search(address)
        if blob and (not path or unquote(blob.group(1)).endswith(path) or "/" not in path and "." not in path
                     or " " in label.strip()):
            # "[release.yml](…/blob/<rev>/.github/workflows/release.yml#L18-L24)": the link's whole path and line
            found.append(unquote(blob.group(1)) + (f"#{fragment}" if fragment.startswith("L") else ""))
        elif path and ("://" not in address or "/blob/" in address or address.endswith("/" + path)):
            found.append(label)
    return found


def _files(text: str) -> list[str]:
    """File references: backticked or bold paths, with a line where given.
    A path that leads out of the tree (`../../etc/passwd`) is kept as text."""
    out, seen = [], set()
    # "`ffi/shim.c` line 88": the line said in words after the path
    spans = [f"{m.group(1)}:{line.group(1)}" if (line := _LINE_WORD.match(text, m.end())) and ":" not in m.group(1)
             else m.group(1) for m in _CODE_SPAN.finditer(text)]
    for candidate in [*spans, *_BOLD_PATH.findall(text), *_linked_paths(text)]:
        candidate = candidate.strip().strip("`")
        match = _PATH_LINE.match(candidate)
        path, lines = (match.group(1), match.group(2) or match.group(3)) if match else (candidate, None)
        reference = file_reference(path)
        if not reference or reference.startswith(("#", "-")):
            continue
        inside = repo_path(reference.rstrip("/"), Path("."))
        # "a.py:79,332-348": one reference a place, at the first line of each range
        starts = [part.split("-")[0] for part in lines.split(",") if part.split("-")[0]] if lines else [None]
        for line in starts:
            located = (f"{inside}:{line}" if line else inside) if inside else f"{OUTSIDE}{reference}"
            if located not in seen:
                seen.add(located)
                out.append(located)
    return out


@dataclass(slots=True)
class _ItemText:
    """A list item's first paragraph, and what its start says."""

    text: str
    line: int
    box: re.Match | None
    """Its checkbox."""
    unboxed: str
    """Its text after the checkbox."""
    about: str | None
    """The file an item or heading above names, which the item is about."""
    marked: re.Match | None
    """Under such a file, the line it is about ("L42: …")."""

    @property
    def words(self) -> str:
        return self.unboxed[self.marked.end():] if self.marked else self.unboxed


class _Label(NamedTuple):
    """A list item's severity label and the item's text without it."""

    severity: str | None
    rest: str
    prefix: re.Match | None = None
    """The _PREFIX match, when that is the form."""
    alone: bool = True
    """Whether the label alone makes the item a finding."""


@dataclass(slots=True)
class _HeadingRead:
    """A heading, and what its words say."""

    text: str
    level: int
    name: str
    """Its title without a number or count ("3. Security (6 TODOs)" → "Security")."""
    severity: str | None
    """The severity its words name (or the document's legend gives them)."""
    numbered: bool
    section: ReportSection
    """The section it opens."""


_Candidate = tuple[ReportSection, str, int]
"""A heading not yet known to be a finding's or not: (its section, its title, its line)."""


@dataclass
class _OpenItem:
    """A list item being read: its finding, once its first paragraph made one."""

    finding: Finding | None = None
    started: bool = False
    file: str | None = None
    """The file an item that names only a file is about (its sub-items' file)."""


class _Reader:
    def __init__(self, path: str, priorities: dict[str, str], from_zero: bool = False):
        self.path = path
        self.priorities = priorities
        self.from_zero = from_zero
        """The document's priority levels start at P0 (see severity.counts_from_zero)."""
        self._lead = ""
        """The last paragraph outside a list since the last heading (what introduces a list)."""
        self.candidate: _Candidate | None = None
        """The last heading (section, title, line), until a paragraph says whether it is a finding."""
        self.sections: list[ReportSection] = [ReportSection("", 0, 1)]
        self.stack: list[ReportSection] = []
        self.block: Finding | None = None  # the open `#### N. Title` finding
        self.block_field: str | None = None
        self._part: str | None = None
        """The part of the open finding a heading named ("#### Condition"), whose text follows."""
        self.items: list[_OpenItem] = []
        self.declared_total: int | None = None
        self.severity_counts: dict[str, int] = {}
        self.score: str | None = None
        self.scores: list[tuple[str, str]] = []
        self.tracker: list[tuple[str, str]] = []
        self.title: str | None = None
        self.table_counts: list[tuple[str, int]] = []
        self._header: list[str] = []
        """The names of the columns of the table being read."""
        self._earlier: tuple[dict, dict] | None = None
        """The findings a table's rows may follow up (see _follow_up), by title and by id."""
        self._counts = False
        """The table being read gives counts in its second column ("| Category | Count |")."""
        self._columns: _Columns | None = None
        """The columns of the table being read, when it lists findings."""
        self.table_findings: list[tuple[Finding, str]] = []
        """(finding, its id cell) of every table row read as a finding."""
        self.notices: list[Notice] = []
        # Texts that grow a piece at a time are gathered here and joined once
        # read() is done (each `a = f"{a}\n{b}"` would copy all of `a` again).
        self._details: dict[int, tuple[Finding, list[str]]] = {}
        self._field_parts: dict[tuple[int, str], tuple[Finding, str, list[str]]] = {}
        self._file_sets: dict[int, set[str]] = {}
        self._list_findings: list[Finding] = []
        """The findings made from the items of the list being read."""
        self.bands: tuple[tuple[int, int, str], ...] = ()
        """The score bands the document defines ((low, high, severity))."""
        self.codes: dict[str, str] = {}
        """Severity codes the document's legend defines ("hri" → high, "s1" → critical)."""
        self._rated: set[int] = set()
        """The findings whose severity a severity field gave (a fallback field then gives none)."""

    def _add_detail(self, finding: Finding, text: str) -> None:
        self._details.setdefault(id(finding), (finding, [finding.detail]))[1].append(text)

    def _set_field(self, finding: Finding, name: str, value: str) -> None:
        self._field_parts.pop((id(finding), name), None)
        finding.fields[name] = value

    def _add_to_field(self, finding: Finding, name: str, line: str) -> None:
        parts = self._field_parts.get((id(finding), name))
        if parts is None:
            parts = self._field_parts[(id(finding), name)] = (finding, name, [finding.fields.setdefault(name, "")])
        parts[2].append(line)

    def _add_files(self, finding: Finding, files: list[str]) -> None:
        known = self._file_sets.get(id(finding))
        if known is None:
            known = self._file_sets[id(finding)] = set(finding.files)
        for path in files:
            if path not in known:
                known.add(path)
                finding.files.append(path)

    def _join_pieces(self) -> None:
        for finding, parts in self._details.values():
            finding.detail = "\n".join(parts).strip()
        for finding, name, parts in self._field_parts.values():
            finding.fields[name] = "\n".join(parts).strip()

    # context ------------------------------------------------------------------
    def _context(self, attribute: str) -> str | None:
        for section in reversed(self.stack):
            if getattr(section, attribute):
                return getattr(section, attribute)
        return None

    def _finding(self, title: str, line: int, files: list[str], severity: str | None) -> Finding:
        severity = severity or self._context("severity") or "medium"
        return Finding(
            id="", priority=self.priorities[severity], severity=severity, title=title.strip(),
            status="resolved" if _is_resolved(title) else "open", files=files, source=self.path,
            category=self._context("category"), line=line,
        )

    # headings -----------------------------------------------------------------
    def heading(self, level: int, line: int, text: str) -> None:
        """A heading: a part of the open finding, else a section, whose heading is a
        finding's if one of HEADING_SHAPES says so (or its badges rate it); else,
        if it might be one, the candidate that what follows decides."""
        if self._continues_block(level, text):  # "#### Condition" under "### Finding 1 — …": its field
            self.block_field, self._lead = text.strip().strip("*:"), ""
            self._part = self.block_field
            return
        self._part = None
        self._retract_empty_block(level)
        self._read_overall_score(text)
        self._lead = ""
        self.block = None
        if level == 1 and self.title is None:
            self.title = text.strip()
        heading = self._heading_read(level, line, text)
        section = heading.section
        shape = next(filter(None, (recognise(self, heading) for recognise in self.HEADING_SHAPES)), None)
        title, rating = shape or (heading.name, None)
        resolved = False
        if badged := _badge_rating(text) if "![" in text else None:  # "## Title ![impact: high](…) ![state: fixed](…)"
            title, (rating, resolved) = " ".join(_IMAGE.sub("", title).split()), badged
        is_finding = shape is not None or badged is not None
        under_severity = any(s.severity for s in self.stack if s.level < level)
        if heading.severity is None and not is_finding and (section.declared is not None or under_severity):
            section.category = heading.name  # "Security (6 TODOs)", or "KVM Addon" under "Priority 2 (High)"
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()
        self.stack.append(section)
        self.sections.append(section)
        if is_finding:
            self.block = self._finding(title, line, [], None)
            if rating is not None:
                self._rate(self.block, rating, resolved)
            section.findings.append(self.block)
        # Any other heading may be a finding's own: it is one if a severity field follows it.
        self.candidate = None if is_finding or self._in_summary() else (section, heading.name or text.strip(), line)

    def _heading_read(self, level: int, line: int, text: str) -> _HeadingRead:
        """The section a heading opens, with what its words say (its severity, a count it declares …)."""
        numbered = _NUMBERED.match(text)
        count = _COUNT.search(text)
        declared = number(count.group(1) or count.group(2)) if count else None
        name = _COUNT.sub("", _NUMBERED.sub("", text)).strip(" -–—:")
        severity = _severity_in_heading(text, self.from_zero)
        coded = self.codes.get(name.strip("*_ ").lower()) if severity is None and self.codes else None
        severity = severity or coded  # "## Errors" where the legend says "**Errors** — High"
        section = ReportSection(name or text.strip(), level, line, severity=severity, declared=declared)
        section.names_a_level = bool(coded)
        section.summarises = bool(_NOT_FINDINGS.search(section.title))
        if (rated := self._id_and_rating(text)) is not None:
            section.names_only_an_id = True
            section.severity = section.severity or rated or None
        if (only_code := _ONLY_CODE.fullmatch(text.strip())) and (files := _files(only_code.group())):
            section.file = files[0]
        led = _LEADING_SEVERITY.match(text) if not section.summarises else None
        trailing = _TRAILING_SEVERITY.search(text) if not (led or section.summarises) else None
        if trailing and _heading_title(text[:trailing.start()]).strip(" -–—:"):
            # "### BRM-01-002 WP1: Stored XSS via calendar invites (*Critical*)": a finding if prose
            # follows (see _paragraph), the severity of the items below if a list does
            section.rated_title = (_heading_title(_NUMBERED.sub("", text[:trailing.start()])).strip(" -–—:"),
                                   severities.of_rating(trailing.group(1)))
            section.severity = section.severity or section.rated_title[1]
        return _HeadingRead(text, level, name, severity, bool(numbered), section)

    # headings that are a finding's: (its title, its rating or None), or None ----------------
    def _severity_led_heading(self, heading: _HeadingRead) -> tuple[str, str] | None:
        """"#### HIGH · Sighting drafts are written to shared storage"."""
        if heading.section.summarises or not (led := _LEADING_SEVERITY.match(heading.text)):
            return None
        return led.group(2).strip(), self.codes.get(led.group(1).lower()) or severities.of_word(led.group(1))

    def _mark_led_heading(self, heading: _HeadingRead) -> tuple[str, str] | None:
        """"#### 🟠 `Session.close()` now raises on a second call" (not a severity heading such as "🟠 High")."""
        if heading.section.summarises or not (marked := _LEADING_MARK.match(heading.text)) or \
                len(marked.group(2).split()) < 3 or not (rating := self._rating_mark(marked.group(1))):
            return None
        return marked.group(2).strip(), rating

    def _numbered_heading(self, heading: _HeadingRead) -> tuple[str, None] | None:
        """"#### 3. Title" at level 3 or deeper (not "### 3. Security (6 TODOs)", a count)."""
        if not heading.numbered or heading.section.declared is not None or heading.level < 3:
            return None
        return heading.name, None

    def _heading_under_a_severity(self, heading: _HeadingRead) -> tuple[str, None] | None:
        """"## High Severity" then "### Rewards can be claimed twice": each heading just below is a finding."""
        level, section = heading.level, heading.section
        under = next((s for s in reversed(self.stack) if s.level < level), None)
        if under is None or under.level != level - 1 or not under.severity or \
                not (_names_a_severity(under.title) or under.names_a_level) or section.summarises \
                or heading.severity is not None or section.declared is not None or section.names_only_an_id:
            return None
        return heading.name, None

    # paragraphs ---------------------------------------------------------------
    def paragraph(self, text: str, line: int) -> None:
        self._read_overall_score(text)
        if not self.items:
            self._lead = text
        if self.declared_total is None and (total := _DOC_TOTAL.search(text)):
            self.declared_total = number(total.group(1) or total.group(2))
        elif self.declared_total is None and self._introduces() and (total := _PROSE_TOTAL.search(text)):
            self.declared_total = _count_of(total.group(1))  # "The review found ten findings: …"
        if self.items:
            self._item_paragraph(text, line)
            return
        self._paragraph(text, line)

    def _paragraph(self, text: str, line: int) -> None:
        """A paragraph outside lists: the first shape of PARAGRAPH_SHAPES that
        claims it, else the first of HEADED_PARAGRAPH_SHAPES (which decide
        whether the heading above is a finding's), else a note."""
        self._learn_scale(text)
        if any(claims(self, text, line) for claims in self.PARAGRAPH_SHAPES):
            return
        candidate, self.candidate = self.candidate, None
        if not any(claims(self, candidate, text, line) for claims in self.HEADED_PARAGRAPH_SHAPES):
            self._note(text, line)

    def _learn_scale(self, text: str) -> None:
        """The severity codes or score bands a paragraph defines ("**S1** critical, **S2** high")."""
        if "**" in text:
            self._learn_prose_legend(text)
        if not self.bands and _LEGEND_SECTION.search(self._section_titles()) and (bands := _score_bands(text)):
            self.bands = tuple(bands)

    # paragraphs that are findings of their own ----------------------------------
    def _id_and_rating_finding(self, text: str, line: int) -> bool:
        """"**D-4 · sev 2.** The block cache is keyed by …": a finding, titled by its first sentence."""
        if self._in_summary() or not (opening := _BOLD_OPENING.match(text)) or \
                not (id_rating := self._id_and_rating(opening.group(1))):
            return False
        rest = text[opening.end():].strip()
        found = self._finding(_first_sentence(rest), line, _files(rest), id_rating)
        _set_status_from_lines(found, rest)
        self.block = None
        self.sections[-1].findings.append(found)
        return True

    def _bold_title_heading(self, text: str, line: int) -> bool:
        """"**3. Title.**" then "Severity: High · Status: Open": a heading in all but name."""
        if self._in_summary() or not (titled := _BOLD_TITLE_LINE.match(text)):
            return False
        rest = text[titled.end():]
        if not (_meta_line(rest) or {name.lower() for name, _ in _field_lines(rest)} & {*_SEVERITY_FIELDS}):
            return False
        self.heading(self._level_below(), line, titled.group(1).strip())
        self._paragraph(rest, line + 1)
        return True

    # paragraphs under a heading (`candidate`, until one decides it): is it a finding's? --------
    def _rated_title_finding(self, candidate: _Candidate | None, text: str, line: int) -> bool:
        """"### Title (*Critical*)" then prose (no fields): the heading is the finding."""
        if candidate is None or self.block is not None or not candidate[0].rated_title or _field_lines(text):
            return False
        title, rating = candidate[0].rated_title
        self._open_rated_block((candidate[0], title, candidate[2]), rating, False)
        self._note(text, line)
        return True

    def _legend_level_finding(self, candidate: _Candidate | None, text: str, line: int) -> bool:
        """"### Observation 1: …" then "**Priority 1.** In 11 of …": a level the legend defined."""
        if candidate is None or self.block is not None or not self.codes or not (opening := _BOLD_OPENING.match(text)) \
                or opening.group(1).rstrip().endswith(":") or \
                not (rating := self.codes.get(opening.group(1).strip(" .").lower())):
            return False
        self._open_rated_block(candidate, rating, False)
        self._note(text, line)
        return True

    def _rating_line_finding(self, candidate: _Candidate | None, text: str, line: int) -> bool:
        """A heading, then a line that rates it ("High · Open · web", "CVSS 3.1 **6.2** — …"): a finding."""
        if candidate is None or self.block is not None or not (rated := _meta_line(text, self.codes)):
            return False
        self._open_rated_block(candidate, *rated)
        self._note(text, line)
        return True

    def _rating_line_of_block(self, candidate: _Candidate | None, text: str, line: int) -> bool:
        """A rating line (see _meta_line) in an open finding not rated yet: its rating, then its fields."""
        if self.block is None or id(self.block) in self._rated or not (rated := _meta_line(text, self.codes)):
            return False
        self._rate(self.block, *rated)
        for name, value in _field_lines(text.partition("\n")[2]):
            self._block_field(name, value)
        self._note(text, line)
        return True

    def _fields_paragraph(self, candidate: _Candidate | None, text: str, line: int) -> bool:
        """"**Severity:** High" / "**Status:** Fixed" / …: the open finding's fields, or those
        that make the heading above a finding's (a severity, or where it is)."""
        fields = _field_lines(text)
        if fields and candidate is not None and candidate[0].names_only_an_id and self.block is None:
            self._open_id_block(candidate, fields)
        elif fields and candidate is not None:
            self._open_block_if_a_finding(candidate, [name for name, _ in fields])
        if self.block is None or not fields:
            return False
        for name, value in fields:
            self._block_field(name, value)
        return True

    def _alert_finding(self, text: str, line: int) -> bool:
        """'> [!WARNING]' then '> **Title.** text': a finding, of the severity
        its own "Severity:" gives, else the alert's (see _ALERT_SEVERITY)."""
        if (alert := _ALERT.match(text)) is None:
            return False
        body = text[alert.end():]
        if self.block is not None:  # a note or warning inside a finding's own section: its detail
            self._add_detail(self.block, body)
            self._add_files(self.block, _files(body))
            return True
        title = _BOLD_OPENING.match(body)
        kind = alert.group(1).upper()
        if title is None or kind not in _ALERT_SEVERITY or self._in_summary():
            return False
        named = _FIELD_SEVERITY.match(title.group(1).partition(":")[2]) if title.group(1).lower().startswith(
            "severity:") else None
        if named:  # "**Severity: Medium.** **Title.**"
            body = body[title.end():]
            title = _BOLD_OPENING.match(body) or title
        severity = severities.of_rating(named.group(1)) if named else _ALERT_SEVERITY[kind]
        found = self._finding(title.group(1).strip(), line + 1, _files(body), severity)
        if _ALERT_RESOLVED.search(body):
            found.status = "resolved"
        self.block = None
        self.sections[-1].findings.append(found)
        return True

    def _prose_finding(self, text: str, line: int) -> bool:
        """A paragraph that opens with its title in bold, the severity in
        brackets: "**Open redirect after login (medium).** The `next` …"."""
        if self.block is not None:
            return False
        title = _BOLD_OPENING.match(text)
        named = _BRACKETED_SEVERITY.search(title.group(1)) if title else None
        # (a bold line of its own is a heading, and a field label under a heading its field: see _paragraph)
        inline = _INLINE_RATING.search(text, title.end()) if title and named is None and not _BOLD_TITLE_LINE.match(text) \
            and not (self.candidate is not None and title.group(1).rstrip().endswith(":")) else None
        if (named is None and inline is None) or self._in_summary():
            return False
        # or a rating said in the paragraph: "**Lock expired …** The lock … *Contribution: High. Fixed on …*"
        words = re.sub(r"\s+([.!?])$", r"\1", " ".join(_BRACKETED_SEVERITY.sub("", title.group(1)).split()))
        if words.endswith(":"):  # "**Area for Improvement 1.1:** CI logs never reach the SIEM. …": a label
            words = _first_sentence(text[title.end():].strip())
        rating = severities.of_word(named.group(1)) if named else self._rating_mark(inline.group(1))
        found = self._finding(words, line, _files(text), rating)
        if _ALERT_RESOLVED.search(text) or _says_closed(text):
            found.status = "resolved"
        if said := _INLINE_STATUS.search(text):
            found.status = "resolved" if _closes(said.group(1)) else "open"
        self.sections[-1].findings.append(found)
        self.candidate = None
        return True

    def _retract_empty_block(self, level: int) -> None:
        """A numbered heading ("### 1. Security") with nothing under it but
        deeper headings names a group of findings, not one."""
        block, section = self.block, self.stack[-1] if self.stack else None
        if block is None or section is None or level <= section.level or section.findings != [block]:
            return
        if block.files or block.detail or block.fields or block.criteria or id(block) in self._details:
            return
        section.findings.clear()
        section.category = section.category or section.title

    def _open_block_if_a_finding(self, candidate: _Candidate, field_names: list[str]) -> None:
        """Make the heading `candidate` a finding block if a field under it says it is one."""
        section, title, heading_line = candidate
        names = {name.strip().lower() for name in field_names}
        if self.block is None and (names & {*_SEVERITY_FIELDS, *_FALLBACK_SEVERITY_FIELDS}
                                   or (names & {*_OPENING_FIELDS} and section.level >= 3)):
            rated_title, rating = section.rated_title or (_heading_title(title), None)  # "Title (High)"
            self.block = self._finding(rated_title, heading_line, [], rating)
            if _is_resolved(title):
                self.block.status = "resolved"
            section.findings.append(self.block)

    def _open_id_block(self, candidate: _Candidate, fields: list[tuple[str, str]]) -> None:
        """A heading that is only an id: the finding, titled by the first sentence
        of its Observation (or Issue, Condition, …) field."""
        section, title, heading_line = candidate
        problem = next((value for name, value in fields if name.lower() in _PROBLEM_FIELDS), None)
        self.block = self._finding(_first_sentence(problem) if problem else title, heading_line, [], None)
        section.findings.append(self.block)

    def _continues_block(self, level: int, text: str) -> bool:
        """Whether a heading below the open finding's own names one of its parts
        (the five Cs of an audit finding, Evidence, Status…), not another section."""
        if self.block is None or text.strip().strip("*:").lower() not in _PART_HEADINGS:
            return False
        owner = next((s for s in reversed(self.stack) if any(f is self.block for f in s.findings)), None)
        return owner is not None and level > owner.level

    def _id_and_rating(self, text: str) -> str | None:
        """For a text that is only an id and a rating ("AKS-1 · 🔴", "D-4 · sev 2",
        "F-03"), the rating's severity ("" without one); None for any other text."""
        if (only := _ID_ONLY_HEADING.match(text)) is None:
            return None
        mark = only.group(1).strip().rstrip(".:;,").strip()
        return "" if not mark else self._rating_mark(mark)

    def _rating_of(self, value: str) -> str | None:
        """A severity field's or column's value on this document's scale (see _severity_of_field)."""
        return _severity_of_field(value, self.from_zero, self.bands, self.codes)

    def _rating_mark(self, mark: str) -> str | None:
        """A rating written as a mark or a word: one the legend defined, else the shared tables'."""
        mark = mark.strip("*`_ ")
        return self.codes.get(mark.lower()) or severities.EMOJI.get(mark[:1]) or severities.of_rating(mark)

    def _definition_finding(self, text: str, line: int) -> bool:
        """A definition-list entry ("Title" then ": **Rating:** High", ": **Where:** …",
        ": text" lines) rated by one of its fields: a finding titled by its term."""
        term, _, body = text.partition("\n")
        if not body.startswith(": ") or not term.strip() or self._in_summary():
            return False
        definitions = [d.strip() for d in re.split(r"^: ", body, flags=re.M) if d.strip()]
        fields = [found for d in definitions if (found := _field(d))]
        rating = next((r for name, value in fields if name.lower() in _SEVERITY_FIELDS
                       and (r := self._rating_of(value))), None)
        if rating is None:
            return False
        found = self._finding(term.replace("**", "").strip(), line, [], rating)
        for name, value in fields:
            if name.lower() in _STATUS_FIELDS or name.lower().startswith("status"):
                found.status = "resolved" if _closes(value) else "open"
            if name.lower() not in _ADVICE_FIELDS:
                self._add_files(found, _files(value))
        for definition in definitions:
            if not _field(definition):
                self._add_files(found, _files(definition))
                self._add_detail(found, definition)
        self.sections[-1].findings.append(found)
        self.block = None
        return True

    def _open_rated_block(self, candidate: _Candidate, severity: str, resolved: bool) -> None:
        """The heading `candidate` as a finding, rated by the line under it (see _meta_line)."""
        section, title, heading_line = candidate
        self.block = self._finding(_heading_title(title), heading_line, [], severity)
        self._rate(self.block, severity, resolved or _is_resolved(title))
        section.findings.append(self.block)

    def _rate(self, finding: Finding, severity: str, resolved: bool) -> None:
        finding.severity, finding.priority = severity, self.priorities[severity]
        if resolved:
            finding.status = "resolved"
        self._rated.add(id(finding))

    def _level_below(self) -> int:
        """The level of a heading just below the open ones (at least 3): what a
        `<summary>` or a bold title line stands for."""
        return min(6, max(3, *(s.level + 1 for s in self.stack)) if self.stack else 3)

    def _block_field(self, name: str, value: str) -> None:
        """One "**Name:** value" of the open finding block."""
        self.block_field = name
        if name.lower() in _LOCATION_FIELDS:
            self._add_files(self.block, _files(value))
            return
        if name.lower() not in _ADVICE_FIELDS:  # where the problem is, as the finding describes it
            self._add_files(self.block, _files(value))
        if name.lower() in _FOUND_FIELDS and _names_a_thing(self.block.title) and value.strip():
            self.block.title = _first_sentence(value.strip())  # "### Token-Permissions (0/10)" then "What we found: …"
        if name.lower() == "description":
            self.block.detail = value
        elif name.lower() in _SEVERITY_FIELDS or (
                name.lower() in _FALLBACK_SEVERITY_FIELDS and id(self.block) not in self._rated):
            severity = self._rating_of(value)
            if severity:
                self.block.severity, self.block.priority = severity, self.priorities[severity]
                if name.lower() in _SEVERITY_FIELDS:
                    self._rated.add(id(self.block))
            if value and (severity is None or name.lower() in _FALLBACK_SEVERITY_FIELDS):
                self._set_field(self.block, name, value)
        elif value:
            if name.lower() == "status" or name.lower().startswith("status "):  # "Status at report date: Open."
                self.block.status = "resolved" if _closes(value) else "open"
            elif _FIXED_PROSE.search(value):  # "**Note:** This issue was fixed by the team …"
                self.block.status = "resolved"
            self._set_field(self.block, name, value)

    def _note(self, text: str, line: int) -> None:
        if self.block is not None and self._part:
            self._add_to_field(self.block, self._part, text)  # under "#### Condition" and the like
            if self._part.lower() not in _ADVICE_FIELDS:
                self._add_files(self.block, _files(text))
            if self._part.lower() in _STATUS_PARTS:
                self.block.status = "resolved" if _says_closed(text) or _closes(text) else "open"
        elif self.block is not None:  # a paragraph of the finding's own section
            self._set_field(self.block, f"Note (line {line})", text)
            self._add_files(self.block, _files(text))
            if _says_closed(text) or _FIXED_PROSE.search(text):  # "… **Closed.**", "This issue was fixed"
                self.block.status = "resolved"
            for status in _STATUS_LINE.findall(text):  # "Retest (2.3.0): ~~Open~~ **Resolved** — …"
                self.block.status = "resolved" if _closes(_STRUCK.sub("", status).replace("**", "")) else "open"
        else:
            self.sections[-1].notes.append(Note(text, line))

    def _label(self, text: str) -> _Label | None:
        """An item's label: the first of LABEL_SHAPES that `text` starts with or holds."""
        return next(filter(None, (recognise(self, text) for recognise in self.LABEL_SHAPES)), None)

    # an item's labels ---------------------------------------------------------------
    def _severity_word_label(self, text: str) -> _Label | None:
        """"**HIGH** —", "Low (test gap):", "**[Blocker] L214:**" (see _PREFIX)."""
        if prefix := _PREFIX.match(text):
            word = _prefix_word(prefix)
            return _Label(self.codes.get(word.lower()) or severities.of_word(word), text[prefix.end():], prefix)
        return None

    def _level_label(self, text: str) -> _Label | None:
        """"**P0** — `sender.py:142`", on the document's P scale."""
        if level := _LEVEL_LABEL.match(text):
            return _Label(severities.of_level(level.group(1), self.from_zero), text[level.end():])
        return None

    def _code_span_label(self, text: str) -> _Label | None:
        """"`serious` **Title**"."""
        if span := _CODE_SPAN_LABEL.match(text):
            return _Label(severities.of_rating(span.group(1)), text[span.end():])
        return None

    def _legend_code_label(self, text: str) -> _Label | None:
        """"HRI — …", "**[S1] Title.**": a code the document's legend defines."""
        if not self.codes or not (code := _CODE_LABEL.match(text)) or code.group(1).lower() not in self.codes:
            return None
        rest = text[code.end():]
        if code.group().count("**") % 2:  # "**[S1] Title.**": the bold goes on past the code
            rest = rest.replace("**", "", 1)
        return _Label(self.codes[code.group(1).lower()], rest)

    def _mark_label(self, text: str) -> _Label | None:
        """A coloured circle; a finding by itself when the document's legend defines it."""
        if (mark := text.lstrip()[:1]) in severities.EMOJI or mark in self.codes:
            return _Label(self._rating_mark(mark), text.lstrip()[1:].lstrip(), alone=mark in self.codes)
        return None

    def _inline_rating_label(self, text: str) -> _Label | None:
        """"**Title.** … *Contribution: High.*"."""
        if (inline := _INLINE_RATING.search(text)) and (opening := _BOLD_OPENING.match(text)) and \
                not opening.group(1).rstrip().endswith(":"):
            return _Label(self._rating_mark(inline.group(1)), text)
        return None

    def _tracker_tag_label(self, text: str) -> _Label | None:
        """"… `sev:major` · fixed in #412": an issue tracker's label."""
        if tag := _LABEL_TAG.search(text):
            return _Label(self._rating_mark(tag.group(1)), text)
        return None

    def _tagged_lead_label(self, text: str) -> _Label | None:
        """"**Concern [blocking] (Ulla):** Events carry no schema version …"."""
        if lead := _LABEL_WITH_TAG.match(text):
            return _Label(self._rating_mark(lead.group(1)), text[lead.end():])
        return None

    def _bracket_tag_label(self, text: str) -> _Label | None:
        """"… `Footer.tsx:9`. **[minor]** ✅ Fixed"."""
        if tag := _BRACKET_TAG.search(text):
            return _Label(severities.of_rating(tag.group(1)), text[:tag.start()] + text[tag.end():])
        return None

    def _trailing_rating_label(self, text: str) -> _Label | None:
        """"Title (Risk: High)" on the item's first line."""
        first, _, more = text.partition("\n")
        if rated := _TRAILING_RATING.search(first):
            return _Label(severities.of_rating(rated.group(1)), first[:rated.start()].rstrip() + (f"\n{more}" if more else ""))
        return None

    def _retract_legend(self, found: list[Finding]) -> None:
        """A list that the paragraph before it introduces as a scale ("Each is
        rated by …:"), one item per severity from the most severe down and no
        file named, is the document's legend: its items are notes."""
        ranks = [SEVERITIES.index(f.severity) for f in found]
        if len(found) < 2 or ranks != sorted(set(ranks)) or any(f.files for f in found) or not (
                _LEGEND_LEAD.search(self._lead) or _LEGEND_SECTION.search(self.sections[-1].title)):
            return
        legend = {id(f) for f in found}
        for section in self.sections:
            kept = [f for f in section.findings if id(f) not in legend]
            if len(kept) != len(section.findings):
                section.notes += [Note(f.title, f.line) for f in section.findings if id(f) in legend]
                section.findings[:] = kept

    def _learn_prose_legend(self, text: str) -> None:
        """"We rate each factor on the S-scale: **S1** critical, **S2** high, …": codes in a sentence."""
        pairs = [(code, word) for code, word in _PROSE_LEGEND.findall(text) if code.lower() != word.lower()
                 and code.lower() not in (*_SEVERITY_FIELDS, *_STATUS_FIELDS, *_FALLBACK_SEVERITY_FIELDS)]
        if len(pairs) >= 2 and _LEGEND_LEAD_WORDS.search(text):  # a scale names two levels at least
            for code, word in pairs:  # "**blocking** is high": the document's meaning wins
                self.codes.setdefault(code.lower(), severities.of_word(word))

    def _learn_legend_row(self, cells: list[str]) -> None:
        """"| 🔴 | Data can be lost or corrupted | High |" in a table of meanings: the mark's severity."""
        if not any("meaning" in name for name in self._header):
            return
        rated = next((at for at, name in enumerate(self._header) if name in ("rated", "severity", "rating", "level")), -1)
        mark = cells[0].strip("*`_ ")
        if 0 < rated < len(cells) and mark and (meaning := severities.of_rating(cells[rated].strip("*`_ "))):
            self.codes.setdefault(mark.lower() if mark[:1].isalnum() else mark[:1], meaning)

    def _learn_legend(self, text: str) -> bool:
        """Under a legend ("Risk legend", "Severity scale"), an entry "CODE —
        meaning" that starts with a severity word defines CODE as that
        severity; whether `text` was such an entry."""
        if (pair := _CODE_WORD_ENTRY.match(text)) and pair.group(1).lower() not in severities.WORDS and \
                _LEGEND_SECTION.search(f"{self._section_titles()} {self._lead}"):
            self.codes.setdefault(pair.group(1).lower(), severities.of_word(pair.group(2)))
            return True
        if (entry := _LEGEND_ENTRY.match(text)) and entry.group(2).lower() not in severities.WORDS and \
                _LEGEND_SECTION.search(f"{self._section_titles()} {self._lead}"):
            meaning = severities.of_word(entry.group(3) or entry.group(4))
            self.codes.setdefault(entry.group(2).lower(), meaning)
            if entry.group(1):  # "🔴 **Red** — high risk": the mark means it too
                self.codes.setdefault(entry.group(1).strip()[:1], meaning)
            return True
        return False

    def _is_finding_item(self, text: str, label: _Label | None) -> bool:
        prefix = label.prefix if label else None
        if prefix and (count := _A_COUNT.match(text, prefix.end())):
            # "- CRITICAL: 2", "- **High:** 3 issues (1 resolved)": a number, not a finding;
            # in a list of totals, what the document counts of that severity
            if self._among_totals():
                self._declare_count(_prefix_word(prefix), count.group(1))
            return False
        if self.block is not None or self._in_summary() or _VOTE.match(text) or text.lstrip().startswith("💡"):
            return False
        if (label and label.alone) or self._context("severity") or self._context("category"):
            return True
        if _ONLY_LINKS.fullmatch(text):  # "[Changelog](…/blob/…/CHANGELOG.md)": a link list, not findings
            return False
        return bool(_files(text)) or any(  # "**Threat:** … \n **Score:** 4/9": rated by its own field
            name.lower() in _SEVERITY_FIELDS and self._rating_of(value)
            for name, value in _field_lines(text))

    def _enclosing_finding(self, items: list[_OpenItem]) -> Finding | None:
        return next((item.finding for item in reversed(items) if item.finding is not None), None)

    def _item_paragraph(self, text: str, line: int) -> None:
        """A paragraph in a list item: its first is read by the first shape of
        ITEM_SHAPES that claims it, else it is a note; a later one is its finding's detail."""
        item = self.items[-1]
        if item.finding is None and not item.started:
            item.started = True
            said = self._item_text(text, line)
            if not any(claims(self, item, said) for claims in self.ITEM_SHAPES):
                self._note(said.words, line)
            return
        self._detail_or_note(text, line)

    def _detail_or_note(self, text: str, line: int) -> None:
        """`text` as the detail of the finding of a list item around it, else as a note."""
        owner = self._enclosing_finding(self.items)
        if owner is not None:
            self._add_detail(owner, text)
        else:
            self._note(text, line)

    def _item_text(self, text: str, line: int) -> _ItemText:
        box = _CHECKBOX.match(text)
        unboxed = text[box.end():] if box else text
        about = next((i.file for i in reversed(self.items[:-1]) if i.file), None) or self._context("file")
        return _ItemText(text, line, box, unboxed, about, _LINE_MARK.match(unboxed) if about else None)

    def _legend_entry_item(self, item: _OpenItem, said: _ItemText) -> bool:
        """"**S1** — critical: …" under a legend: defines a label, finds nothing."""
        if not self._learn_legend(said.text):
            return False
        self._note(said.text, said.line)
        return True

    def _detail_item(self, item: _OpenItem, said: _ItemText) -> bool:
        """A sub-bullet of a finding: its detail, its files, maybe its status or title."""
        parent = self._enclosing_finding(self.items[:-1])
        if parent is None:
            return False
        text = said.text
        self._add_detail(parent, text)
        self._add_files(parent, _files(text))
        _set_status_from_lines(parent, text)
        if text.lstrip().startswith(("✅", "✔")):  # "  - ✅ *resolved* in `3f9a1c0`."
            parent.status = "resolved"
        if (field_line := _field(text)) and field_line[0].lower() in _PROBLEM_FIELDS \
                and _names_only_locations(parent.title):
            parent.title = _first_sentence(field_line[1])  # "N. **HIGH** — `a.py:3`" then "**Issue:** …"
        return True

    def _block_field_item(self, item: _OpenItem, said: _ItemText) -> bool:
        """An item of the open finding block ("- **Severity:** High", an acceptance criterion);
        under a heading not yet decided, a field item makes it a finding's."""
        if self.block is None and self.candidate is not None and len(self.items) == 1:
            candidate, self.candidate = self.candidate, None
            if field_line := _field(said.text):
                self._open_block_if_a_finding(candidate, [field_line[0]])
        if self.block is None:
            return False
        self._block_item(said.text)
        return True

    def _tracker_or_score_item(self, item: _OpenItem, said: _ItemText) -> bool:
        if not self._read_tracker_or_score(said.text):
            return False
        self._note(said.text, said.line)
        return True

    def _file_item(self, item: _OpenItem, said: _ItemText) -> bool:
        """"1. `queue/delayed.go`" then its comments as sub-items: the file they are about."""
        if not (only := _ONLY_CODE.fullmatch(said.unboxed.strip())) or not (named := _files(only.group())):
            return False
        item.file = named[0]
        self._note(said.unboxed, said.line)
        return True

    def _finding_item(self, item: _OpenItem, said: _ItemText) -> bool:
        """An item with a severity label, in a findings section, or naming a file: a finding."""
        text, marked, about = said.words, said.marked, said.about
        label = self._label(text)
        if not self._is_finding_item(text, label):
            return False
        severity, rest, prefix, _ = label or (None, text, None, False)
        files = _files(rest)
        if marked or (about and not files and not self._context("file")):  # "L42: **blocking** — …" under its file's item
            files = list(dict.fromkeys([f"{about}:{marked.group(1)}" if marked else about, *files]))
        if not files and (about := self._context("file")):  # a comment under its file's heading
            files = [f"{about}:{prefix.group(4)}" if prefix and prefix.group(4) else about]
        found = self._finding(_title_after_locations(rest), said.line, files, severity)
        _set_status_from_lines(found, rest)
        if (rated := _meta_sentence(rest)) and severity is None:  # "… Impact: High · P1 · open."
            self._rate(found, *rated)
        for name, value in _field_lines(rest) if severity is None else ():  # "**Score:** 6/9" in the item
            if name.lower() in _SEVERITY_FIELDS and (rating := self._rating_of(value)):
                self._rate(found, rating, False)
                break
        if text.lstrip().startswith("~~") and _is_resolved(text):  # "~~**Major:** …~~" struck as a whole
            found.status = "resolved"
        if said.box and said.box.group(1) != " ":
            found.status = "resolved"
        self.sections[-1].findings.append(found)
        self._list_findings.append(found)
        item.finding = found
        return True

    def _introduces(self) -> bool:
        """Whether the text being read comes before the first section below the
        title, or in a summary: where a document states how much it found."""
        sections = [s for s in self.stack if s.level >= 2]
        return not sections or bool(_SUMMARY_SECTION.search(" ".join(s.title for s in sections)))

    def _in_summary(self) -> bool:
        """Whether a section being read (not the document's title) summarises or plans."""
        return any(s.summarises for s in self.stack if s.level >= 2)

    def _section_titles(self) -> str:
        """The titles of the sections being read, the document's own left out."""
        return " ".join(s.title for s in self.stack if s.level >= 2)

    def _read_overall_score(self, text: str) -> None:
        # (Every heading and paragraph passes here: the word is looked for before the regex runs.)
        if self.score is None and ("verall" in text or "VERALL" in text) and \
                (overall := _OVERALL_SCORE.search(text.replace("*", ""))):
            self.score = re.sub(r"\s+", "", overall.group(1))

    def _read_tracker_or_score(self, text: str) -> bool:
        """Whether `text` is a readiness tracker's "✅ check" line or a
        scorecard's "Area … 8/10" line (taken as such, and not a finding)."""
        titles = self._section_titles()
        if _TRACKER_SECTION.search(titles) and (mark := _TRACKER_MARK.match(text)):
            self.tracker.append((text[mark.end():].strip(), _TRACKER_STATUS[mark.group(1)]))
            return True
        if _SCORE_SECTION.search(titles) and (scored := _AREA_SCORE.match(text.replace("*", ""))):
            self.scores.append((scored.group(1).strip(), re.sub(r"\s+", "", scored.group(2))))
            return True
        return False

    def _among_totals(self) -> bool:
        """Whether the list being read gives totals: its heading, or the paragraph
        just before it, speaks of totals, a breakdown, a summary or severities."""
        return bool(_TOTALS_CONTEXT.search(self._section_titles()) or _TOTALS_CONTEXT.search(self._lead))

    def _declare_count(self, word: str, digits: str) -> None:
        """A total the document gives for one severity (the first one it gives)."""
        severity, count = severities.of_word(word), number(digits)
        if severity and count is not None:
            self.severity_counts.setdefault(severity, count)

    def _finding_row(self, cells: list[str]) -> bool:
        """A row of a table of findings (see _Columns) as a finding."""
        if (columns := self._columns) is None:
            return False
        title = _cell(cells, columns.title)
        severity = self._rating_of(_cell(cells, columns.severity))
        if not title or severity is None or self.block is not None or \
                self._in_summary():
            return False
        if any(_SEE_FINDING.search(cell) for cell in cells):  # "raised again as finding 2": listed there
            return False
        if _NOT_A_DEFECT.match(_cell(cells, columns.status)):  # "Rejected – works as designed", "Duplicate of …"
            return False
        line = self.sections[-1].line  # (a row's finding has its section's line)
        located = " ".join(_cell(cells, at) for at in columns.locations)
        if columns.locations and (number_cell := _LINE_CELL.match(_cell(cells, columns.line))):
            # "| `src/a.ts` | 57 |": the file's line; "88–104": where the range starts
            path = _cell(cells, columns.locations[0]).strip().strip("`")
            located = f"`{path}:{number_cell.group(1)}` {located}"
        others = " ".join(cell for at, cell in enumerate(cells)  # every path in the row names where it is
                          if at not in (columns.title, columns.severity, columns.id, *columns.locations))
        cell = title
        if _LABEL_LEAD.match(title):  # "**Web:** Seat icons have no accessible name. Other images …"
            title = _first_sentence(_LABEL_LEAD.sub("", title))
        found = self._finding(title, line, _files(f"{located} {cell} {others}"), severity)
        status = _cell(cells, columns.status)
        found.status = "resolved" if _TABLE_CLOSED.search(status) and not _NEGATED.search(status) else "open"
        self.sections[-1].findings.append(found)
        self.table_findings.append((found, _cell(cells, columns.id)))
        return True

    def _fields_in_cells(self, cells: list[str]) -> bool:
        """"| Severity: **High** | Difficulty: **Low** | Target: `src/a.rs` |" under a finding's
        heading: its fields (and the row is still read as whatever else it is: declines)."""
        if self.block is not None and not self.items and any(":" in cell for cell in cells):
            for name, value in filter(None, (_field(cell.replace("**", "").strip()) for cell in cells)):
                self._block_field(name, value)
        return False

    def _field_columns_row(self, cells: list[str]) -> bool:
        """"| Severity | Difficulty | Target | Status |" then one row, under a finding's heading
        ("### QP-01: …", with an id): its fields."""
        if self._columns is not None or not (self.candidate or self.block) or self.items \
                or not len(self._header) == len(cells) > 2 or not {*self._header} & {*_SEVERITY_FIELDS}:
            return False
        if self.candidate is not None and (an_id := _FINDING_ID.match(self.candidate[0].title)) and an_id.group().strip():
            self._open_block_if_a_finding(self.candidate, self._header)
        if self.block is None:
            return False
        self.candidate = None
        for name, cell in zip(self._header, cells):
            self._block_field(name.capitalize(), cell)
        return True

    def _field_row(self, cells: list[str]) -> bool:
        """"| Severity | High |" under a finding's heading: its field (a severity field
        makes the heading a finding's)."""
        if len(cells) != 2 or not (self.candidate or self.block) or self.items:
            return False
        name = cells[0].strip("* ")
        if self.candidate is not None:
            self._open_block_if_a_finding(self.candidate, [name])
        if self.block is None or name.lower() not in _FINDING_FIELDS:
            return False
        self.candidate = None
        self._block_field(name, cells[1])
        return True

    def _other_row(self, cells: list[str]) -> None:
        """A row no shape claimed: a legend's entry, a control's exception, a later word on an
        earlier finding (_follow_up), or nothing; kept as a note, and maybe a count."""
        self.candidate = None  # a table of anything else: the heading is not a finding's
        if cells:
            self._learn_legend(cells[0])
            self._learn_legend_row(cells)
        if not self._in_summary() and (exception := next(filter(None, map(_EXCEPTION_NOTED.match, cells)), None)):
            self._exception_finding(exception.group(1), self.sections[-1].line)
        elif cells and self.block is None:
            self._follow_up(cells)
        self._note(" | ".join(cells), self.sections[-1].line)
        self._read_count(cells)

    def _read_count(self, cells: list[str]) -> None:
        """A row "name | count | …" of a table of counts declares a count."""
        if not self._counts or not cells[1].strip("* ").isdecimal() or (count := number(cells[1].strip("* "))) is None:
            return
        name = cells[0].strip("* ")
        # Rows per severity or the total are not categories; scores ("| Security | 55 |") are not counts.
        if name.casefold() == "total" and self.declared_total is None:
            self.declared_total = count  # "| **Total** | **15** |" under a table of counts
        if severities.of_word(name):
            self._declare_count(name, cells[1].strip("* "))
        if name.casefold() not in {*severities.WORDS, "total"}:
            self.table_counts.append((name, count))

    def _follow_up(self, cells: list[str]) -> None:
        """A later table's row about a finding listed earlier by its id ("| 1 | … |
        Yes — implemented |", a fix review): its status and paths are that finding's."""
        if self._earlier is None:  # made once a table: a table of thousands of rows would rebuild it each row
            rows = {id(row) for row, _ in self.table_findings}
            self._earlier = (
                {f.title.casefold(): f for section in self.sections for f in section.findings if id(f) not in rows},
                {row_id.strip("`[]* ").lower(): found for found, row_id in self.table_findings if row_id.strip()})
        described, earlier = self._earlier
        found = next((described[key] for cell in cells if (key := cell.strip().casefold()) in described), None) \
            or earlier.get(cells[0].strip("`[]* ").lower())
        if found is None:
            return
        for name, cell in zip(self._header, cells):
            if name.split()[:1] and (name in _STATUS_FIELDS or name.split()[0] in _STATUS_FIELDS or "approved" in name):
                found.status = "resolved" if _closes(cell.replace("**", "")) else "open"
        self._add_files(found, _files(" ".join(cells[1:])))

    def _exception_finding(self, text: str, line: int) -> None:
        """A control test's result "**Exception noted.** Two of 14 users had … Rated High."
        (the wording of SOC 2 reports): a finding in the exception's own words."""
        rated = _RATED.search(text)
        found = self._finding(_first_sentence(text.strip()), line, _files(text),
                              severities.of_rating(rated.group(1)) if rated else None)
        self.sections[-1].findings.append(found)

    def drop_indexed_findings(self) -> None:
        """A table row that indexes a finding described under its own heading
        (same id or same title) is that finding, not another."""
        if not self.table_findings:
            return
        rows = {id(row) for row, _ in self.table_findings}
        titles = {f.title.casefold() for section in self.sections for f in section.findings if id(f) not in rows}
        heading_ids = {_ID_WORD.search(found.group()).group() for section in self.sections
                       if (found := _FINDING_ID.match(section.title)) and found.group().strip()}
        dropped = {id(row) for row, row_id in self.table_findings
                   if row.title.casefold() in titles or row_id.strip("`[]* ") in heading_ids}
        if dropped:
            for section in self.sections:
                section.findings[:] = [f for f in section.findings if id(f) not in dropped]

    def _block_item(self, text: str) -> None:
        if (box := _CHECKBOX.match(text)) and (self.block_field or "").lower().startswith("acceptance"):
            self.block.criteria.append([text[box.end():].strip(), box.group(1) != " "])
        elif len(self.items) == 1 and (field_line := _field(text)) and \
                field_line[0].lower() in (*_FINDING_FIELDS, *_FALLBACK_SEVERITY_FIELDS, "description"):
            self._block_field(field_line[0], field_line[1].strip())
        else:
            if (self.block_field or "").lower() in _LOCATION_FIELDS:  # "- **Files:**" then "  - `a.ts`"
                self._add_files(self.block, _files(text))
            self._add_to_field(self.block, self.block_field or "Details", f"- {text}")

    # the tree -----------------------------------------------------------------
    def read(self, section: mdtree.Section) -> None:
        """`section`, then the sections below it, in the document's order."""
        if (heading := section.heading) is not None:
            self.heading(heading.level, heading.line, heading.text)
        self.blocks(section.blocks)
        for below in section.sections:
            self.read(below)

    def blocks(self, blocks: list[mdtree.Block]) -> None:
        for block in blocks:
            kind = type(block)
            if kind is mdtree.Paragraph:
                self.paragraph(block.text, block.line)
            elif kind is mdtree.List:
                self.list(block)
            elif kind is mdtree.Table:
                self.table(block)
            elif kind is mdtree.Heading:
                self.heading(block.level, block.line, block.text)
            elif kind is mdtree.Quote:
                self.blocks(block.blocks)
            elif kind is mdtree.Code:
                self.code(block)
            elif kind is mdtree.TooDeep:
                self._too_deep(block)

    def list(self, block: mdtree.List) -> None:
        outermost = not self.items
        if outermost:
            self._list_findings = []
        for item in block.items:
            self.items.append(_OpenItem())
            self.blocks(item.blocks)
            self.items.pop()
        if outermost:
            self._retract_legend(self._list_findings)

    def table(self, table: mdtree.Table) -> None:
        self._columns, self._earlier = None, None
        if table.header is not None:
            cells = table.header.cells
            self._header = _column_names(cells)
            self._columns = _Columns.of(self._header)
            self._counts = len(cells) >= 2 and cells[1].strip("* ").lower() in _COUNT_HEADERS
            self._fields_in_cells(cells)
            self._note(" | ".join(cells), self.sections[-1].line)
        for row in table.rows:
            if not any(claims(self, row.cells) for claims in self.ROW_SHAPES):
                self._other_row(row.cells)

    def code(self, block: mdtree.Code) -> None:
        if block.kind == "html_block" and not self.items and (summary := _SUMMARY.search(block.text)):
            # "<details><summary>Finding 3 — Title (High)</summary>": a heading one below the open ones
            self.heading(self._level_below(), block.line, html.unescape(_TAG.sub("", summary.group(1))).strip())
        elif block.kind == "fence" and self.block is not None and not self.items:
            code = block.text.strip()
            self._set_field(self.block, "Code", code)
            if not self.block.files:
                self._add_files(self.block, _files(f"`{code}`"))
        elif block.text.strip():
            self.candidate = None  # a heading with code under it first is not a finding's
            self._note(block.text.strip(), block.line)

    def _too_deep(self, block: mdtree.TooDeep) -> None:
        """The rest of a container nested deeper than blocks.MAX_LEVEL: text."""
        self._detail_or_note(block.text, block.first)
        self.notices.append(Notice(blocks.too_deep_warning(block.first, block.last), self.path, block.first))


    # The shapes a block may have, each table tried in its order: the first recogniser that
    # claims the block (True, or a result) reads it; one that declines (False, None) leaves
    # it to the next. A new shape is one recogniser, put in its place in its table.
    HEADING_SHAPES = (_severity_led_heading, _mark_led_heading, _numbered_heading, _heading_under_a_severity)
    """A heading that is a finding's by itself: (its _HeadingRead) → (title, rating or None).
    Badges ("![impact: high](…)") make any heading a finding's, rated by them; any other
    heading is decided by what follows it (HEADED_PARAGRAPH_SHAPES, ITEM_SHAPES, ROW_SHAPES)."""
    PARAGRAPH_SHAPES = (_alert_finding, _prose_finding, _id_and_rating_finding, _definition_finding,
                        _bold_title_heading)
    """A paragraph outside lists: (text, line)."""
    HEADED_PARAGRAPH_SHAPES = (_rated_title_finding, _legend_level_finding, _rating_line_finding,
                               _rating_line_of_block, _fields_paragraph)
    """A paragraph outside lists that PARAGRAPH_SHAPES declined: (the heading above it if still
    undecided, text, line). None claims it: a note."""
    ITEM_SHAPES = (_legend_entry_item, _detail_item, _block_field_item, _tracker_or_score_item, _file_item,
                   _finding_item)
    """The first paragraph of a list item: (the item, its _ItemText). None claims it: a note."""
    LABEL_SHAPES = (_severity_word_label, _level_label, _code_span_label, _legend_code_label, _mark_label,
                    _inline_rating_label, _tracker_tag_label, _tagged_lead_label, _bracket_tag_label,
                    _trailing_rating_label)
    """How a list item says its severity, for _finding_item: (text) → _Label."""
    ROW_SHAPES = (_finding_row, _fields_in_cells, _field_columns_row, _field_row)
    """A table's body row: (its cells). None claims it: _other_row reads it.
    (A row has its section's line, as when the reader read tokens, which gave rows none.)"""


def parse_report(text: str, path: str, priorities: dict[str, str]) -> Report:
    _, body, _ = split_front_matter(text.replace("\r\n", "\n"))
    reader = _Reader(path, priorities, severities.counts_from_zero(body))
    reader.read(mdtree.section_tree(_markdown().parse(body)))
    reader._join_pieces()
    reader.drop_indexed_findings()
    sections = [s for s in reader.sections if s.level or s.findings or s.notes]
    return Report(path=path, title=reader.title or path, sections=sections,
                  declared_total=reader.declared_total, severity_counts=reader.severity_counts,
                  score=reader.score, scores=reader.scores, tracker=reader.tracker,
                  table_counts=reader.table_counts,
                  notices=reader.notices)
