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
}
EMOJI = {"🔴": "critical", "🟠": "high", "🟡": "medium", "🟢": "low", "🔵": "info"}
"""A coloured circle before a finding's text: its severity, when nothing else gives one."""
WORD_PATTERN = "|".join(sorted(WORDS, key=len, reverse=True))
"""The words, as one regex alternation (longest first: "informational" before "info")."""

_P_LEVEL = re.compile(r"\bP([0-4])\b")
_P0 = re.compile(r"\bP0\b")


def of_word(word: str) -> str | None:
    return WORDS.get(word.strip().lower())


def counts_from_zero(text: str) -> bool:
    """Whether a document's priority levels start at P0 (P0 the most urgent,
    P1 the next): then its P1 is high, not critical, as it is on a P1–P4 scale."""
    return _P0.search(text) is not None


def of_level(text: str, from_zero: bool) -> str | None:
    """The severity of the most urgent priority level "P0"–"P4" in `text`,
    on the document's scale (see counts_from_zero)."""
    levels = [int(level) for level in _P_LEVEL.findall(text)]
    if not levels:
        return None
    step = min(levels) - (0 if from_zero else 1)
    return SEVERITIES[min(max(step, 0), len(SEVERITIES) - 1)]
