"""Words, markers and numbers people use for priority → P1 (critical) … P4 (low)."""

from __future__ import annotations

import re

WORDS = {
    "critical": "P1", "blocker": "P1", "blocking": "P1", "urgent": "P1", "highest": "P1",
    "high": "P2", "important": "P2",
    "medium": "P3", "normal": "P3", "moderate": "P3",
    "low": "P4", "lowest": "P4", "minor": "P4", "trivial": "P4",
}
# Obsidian Tasks' priority emoji.
EMOJI = {"🔺": "P1", "⏫": "P2", "🔼": "P3", "🔽": "P4", "⏬": "P4"}

_WORD = "|".join(sorted(WORDS, key=len, reverse=True))
_HEADING_PATTERNS = [
    re.compile(rf"\b({_WORD})[\s-]+priority\b", re.I),       # "High Priority"
    re.compile(rf"\bpriority\s*(?:[:=-]\s*)?({_WORD})\b", re.I),   # "Priority: high"
    re.compile(r"\bpriority\s*(?:[:=-]\s*)?([0-4])\b", re.I),      # "Priority 2 (High)"
    re.compile(r"\b(P[0-4])\b"),                               # "P0", "P1 items"
    re.compile(rf"\(({_WORD})\)", re.I),                       # "Infrastructure (High)"
    re.compile(r"^\W*(critical|blockers?|urgent)\b", re.I),    # "Critical issues"
]
_ITEM_PATTERNS = [
    re.compile(r"^\(([A-Z])\)\s"),                             # todo.txt "(A) call Bob"
    re.compile(r"(?<![\w-])\[?(P[0-4])\]?(?![\w-])"),          # "[P1] …", "P2: …"
    re.compile(rf"\bpriority\s*[:=]\s*({_WORD}|[0-4])\b", re.I),
]


def from_token(token: str) -> str:
    """One matched priority token ("high", "P0", "2", "A") → P1…P4."""
    token = token.strip().lower()
    if token in WORDS:
        return WORDS[token]
    if token.startswith("blocker"):
        return "P1"
    if token.startswith("p") and token[1:].isdigit():
        token = token[1:]
    if token.isdigit():
        # P0 and P1 both mean "critical": the scale has four steps.
        return f"P{min(max(int(token), 1), 4)}"
    if len(token) == 1 and token.isalpha():  # todo.txt letters: A highest
        return f"P{min(ord(token) - ord('a') + 1, 4)}"
    raise ValueError(f"not a priority: {token!r}")


def most_urgent(priorities) -> str | None:
    found = sorted(p for p in priorities if p)
    return found[0] if found else None


# Every heading pattern needs one of these; most headings hold none.
_HEADING_MARKERS = re.compile(r"P[0-4]|\(|(?i:priority|critical|blocker|urgent)")


def in_heading(text: str) -> str | None:
    """The most urgent priority a heading names ("Critical / High Priority" → P1)."""
    if not _HEADING_MARKERS.search(text):
        return None
    return most_urgent(
        from_token(m.group(1)) for pattern in _HEADING_PATTERNS for m in pattern.finditer(text)
    )


# A cheap test that rules out most task texts before the patterns run: it
# matches wherever one of them could (case-insensitive only where they are),
# and case-sensitive alternatives make it twice as fast as one re.I pattern.
_ITEM_MARKERS = re.compile("[" + "".join(EMOJI) + r"]|\([A-Z]\)|P[0-4]|(?i:priority)")


def in_item(text: str) -> str | None:
    """A priority marked on a task itself: emoji, "(A)", "P1", "priority: high"."""
    if not _ITEM_MARKERS.search(text):
        return None
    found = [p for emoji, p in EMOJI.items() if emoji in text]
    found += [from_token(m.group(1)) for pattern in _ITEM_PATTERNS for m in pattern.finditer(text)]
    return most_urgent(found)
