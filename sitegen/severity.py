"""The words and priority levels reports use for a finding's severity → one
of critical, high, medium, low, info. One table for the report readers
(README: "Severity words"); tools' own scales are mapped in collectors/sarif.py.
"""

from __future__ import annotations

import re

SEVERITIES = ("critical", "high", "medium", "low", "info")

WORDS = {
    "critical": "critical", "blocker": "critical",
    "high": "high", "major": "high",
    "medium": "medium", "moderate": "medium",
    "low": "low", "minor": "low",
    "info": "info", "informational": "info", "trivial": "info", "gas": "info",
    # review comment labels (Conventional Comments and the like) and review sections
    "blocking": "critical", "nit": "info", "nitpick": "info",
    "must fix": "critical", "should fix": "high", "could fix": "low",
}
RATINGS = {
    "material weakness": "critical", "significant deficiency": "high", "deficiency": "medium",
    "observation": "low", "note": "info",
    "high risk issue": "high", "hri": "high", "medium risk issue": "medium", "mri": "medium",
    "serious": "high", "important": "high", "undetermined": "info",
    "red": "high", "amber": "medium", "green": "low", "grey": "info", "gray": "info",
    # ISO-style audit grades
    "major non-conformity": "high", "major nonconformity": "high",
    "minor non-conformity": "medium", "minor nonconformity": "medium",
    # an accessibility conformance report's (VPAT) levels that are failures
    "does not support": "high", "partially supports": "medium",
}
"""More ratings, read only as the value of a severity field or column ("Rating:
Significant deficiency", "Overall risk: Note"): audit deficiency levels,
OWASP's Note, AWS Well-Architected's high and medium risk issues, axe's
"serious", the Microsoft bug bar's "Important", RAG colours (a document's legend may say otherwise). In prose these
words are not severities ("Note: …")."""
EMOJI = {"🔴": "critical", "🟠": "high", "🟡": "medium", "🟢": "low", "🔵": "info"}
"""A coloured circle before a finding's text: its severity, when nothing else gives one."""
WORD_PATTERN = "|".join(sorted(WORDS, key=len, reverse=True)).replace(" ", r"[ \t]+")
"""The words, as one regex alternation (longest first: "informational" before "info")."""

RATING_PATTERN = "|".join(sorted({*WORDS, *RATINGS}, key=len, reverse=True)).replace(" ", r"\s+")
# "CVSS 7.5", "CVSS:3.1 9.8", "CVSS v3.1 base score: 6.1", or a value that starts with a score.
# A version on its own ("CVSS 3.1 base scores are given …") is no score.
_CVSS = re.compile(r"\bCVSS(?:\s*+[:v]?\s*+([234]\.[01])(?![\d.]))?(?:\s++base)?(?:\s++score\b)?\s*+[:=]?\s*+"
                   r"(\d{1,2}(?:\.\d)?)(?![\d.])(?!\s++(?:base|scores?|vectors?|metrics|calculator|spec)\b)"
                   r"|^\s*+(\d{1,2}\.\d)(?![\d.])", re.I)
_P_LEVEL = re.compile(r"\bP([0-4])\b")
_P0 = re.compile(r"\bP0\b")


def of_word(word: str) -> str | None:
    return WORDS.get(" ".join(word.lower().split()))


def of_rating(word: str) -> str | None:
    """A severity field's or column's word: one of WORDS or RATINGS."""
    word = " ".join(word.lower().split())
    return WORDS.get(word) or RATINGS.get(word)


def of_cvss(text: str) -> str | None:
    """The severity of a CVSS v3 base score ("CVSS 7.5", "CVSS:3.1 9.8", or a
    field value that starts with the score): 9.0+ critical, 7.0+ high, 4.0+
    medium, 0.1+ low, 0.0 info."""
    found = _CVSS.search(text)
    if found is None:
        return None
    score = float(found.group(2) or found.group(3))
    if score > 10:
        return None
    return next(name for floor, name in ((9, "critical"), (7, "high"), (4, "medium"), (0.1, "low"), (0, "info"))
                if score >= floor)


def counts_from_zero(text: str) -> bool:
    """Whether a document's priority levels start at P0 (P0 the most urgent,
    P1 the next): then its P1 is high, not critical, as it is on a P1–P4 scale."""
    return _P0.search(text) is not None


_SEV = re.compile(r"\bsev(?:erity)?[ -]?([0-5])\b", re.I)


def of_sev(text: str) -> str | None:
    """An incident-style severity level ("Sev-1", "SEV 2", "severity 3"): Sev-0 and
    Sev-1 critical, Sev-2 high, Sev-3 medium, Sev-4 low, Sev-5 info."""
    if (found := _SEV.search(text)) is None:
        return None
    return SEVERITIES[max(int(found.group(1)) - 1, 0)]


def of_level(text: str, from_zero: bool) -> str | None:
    """The severity of the most urgent priority level "P0"–"P4" in `text`,
    on the document's scale (see counts_from_zero)."""
    levels = [int(level) for level in _P_LEVEL.findall(text)]
    if not levels:
        return None
    step = min(levels) - (0 if from_zero else 1)
    return SEVERITIES[min(max(step, 0), len(SEVERITIES) - 1)]
