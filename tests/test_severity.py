"""The one severity table the report readers share (sitegen/severity.py)."""

from __future__ import annotations

import pytest

from sitegen import severity
from sitegen.collectors.reports import parse_report
from sitegen.config import DEFAULT_SEVERITY_PRIORITIES


@pytest.mark.parametrize(("text", "expected"), [
    ("CVSS 7.5", "high"),
    ("CVSS 3.1 6.2 — AV:L/AC:L", "medium"),          # a version, then the score
    ("CVSS:3.1 9.8", "critical"),
    ("CVSS v3.1 base score: 6.1", "medium"),
    ("High (CVSS 8.1)", "high"),
    ("3.9", "low"),                                    # a field value that is a score
    ("0.0", "info"),
    ("CVSS 3.1 base scores are given where known", None),   # a version on its own is no score
    ("CVSS 11.2", None),
    ("no score here", None),
])
def test_cvss_scores_map_to_their_bands(text, expected):
    assert severity.of_cvss(text) == expected


@pytest.mark.parametrize(("word", "expected"), [
    ("Material weakness", "critical"), ("significant  deficiency", "high"), ("Deficiency", "medium"),
    ("Observation", "low"), ("Note", "info"), ("HRI", "high"), ("MRI", "medium"), ("serious", "high"),
    ("Blocker", "critical"), ("moderate", "medium"), ("whatever", None),
])
def test_ratings_are_read_as_field_values(word, expected):
    assert severity.of_rating(word) == expected


def _findings(text: str):
    return parse_report(text, "REVIEW.md", dict(DEFAULT_SEVERITY_PRIORITIES)).findings()


def test_rating_words_are_no_severity_in_prose():
    found = _findings("# Review\n\n## Findings\n\n- Note: the cache is warmed at start (`app/cache.py:3`)\n")
    assert [f.severity for f in found] == ["medium"]      # "Note:" is not the info rating here


def test_a_legend_defines_the_codes_the_findings_use():
    text = ("# Review\n\n## Severity scale\n\n- **S1** — critical: breaks an SLO today\n"
            "- **S2** — high: breaks it at peak\n\n## Findings\n\n"
            "1. **[S1] Search reloads its synonyms on every query.**\n   - Where: `search/syn.py:33`\n"
            "2. **[S2] The pool runs dry at peak.**\n   - Status: fixed in !12\n")
    found = _findings(text)
    assert [(f.title, f.severity, f.status, f.files) for f in found] == [
        ("Search reloads its synonyms on every query.", "critical", "open", ["search/syn.py:33"]),
        ("The pool runs dry at peak.", "high", "resolved", []),
    ]
