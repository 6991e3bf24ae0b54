"""What a Markdown heading says about its section: phase, title, priority and
declared progress. Messy headings (merge artefacts) degrade to a sensible
phase and title plus a warning, never an exception."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitegen import priority
from sitegen.model import DeclaredStatus

_NUMBER = r"(\d+(?:\.\d+)*)"
# Whitespace is matched by one quantifier at a time (two in a row would try
# every split of a long run of spaces), and a pattern that is searched for
# starts a run of whitespace only at its beginning ((?<!\s)) and takes it
# whole: else each space of a long run would start a scan of the rest of it.
_PHASE = re.compile(rf"^\W*(phase|stage|milestone|version)\s*(?:#\s*)?{_NUMBER}\b\s*[:.)\-–—]*\s*", re.I)
_VERSION = re.compile(rf"^\W*v{_NUMBER}\b\s*[:.)\-–—]*\s*", re.I)
_EMBEDDED_HEADING = re.compile(r"(?<!\s)\s++#{1,6}\s+")

_COMPLETE = re.compile(
    r"(?<!\s)\s*+(?:[✅✔☑]\uFE0F?\s*(?:completed?|done|finished)?"
    r"|[(\[]\s*(?:completed?|done|finished)\s*[)\]]"
    r"|[-–—:|]\s*(?:completed?|done|finished)\s*$)",
    re.I,
)
_FRACTION = re.compile(r"(?<!\s)\s*+[(\[]\s*(\d+)\s*/\s*(\d+)\s*[)\]]")
_COUNT_DONE = re.compile(r"\b(?:completed?|done)\s*:\s*(\d+)\b", re.I)
_REPEATED_WORD = re.compile(r"\b(\w+)(\s+\1\b)+", re.I)


@dataclass
class HeadingInfo:
    title: str
    phase: str | None = None
    phase_kind: str | None = None
    priority: str | None = None
    declared: DeclaredStatus | None = None
    warning: str | None = None


MAX_DIGITS = 100
"""A declared count longer than this is not a count (and int() refuses
numbers of more than 4,300 digits)."""


def number(digits: str) -> int | None:
    """The count `digits` spell, or None when there are too many of them."""
    return int(digits) if len(digits) <= MAX_DIGITS else None


# Every claim needs one of these; most headings hold none.
_CLAIM_MARKERS = re.compile(r"[✅✔☑/]|(?i:complete|done|finished)")


def declared_status(text: str) -> tuple[DeclaredStatus | None, str]:
    """The progress `text` claims, and `text` without the claim."""
    if not _CLAIM_MARKERS.search(text):
        return None, text
    claims: list[str] = []
    status = DeclaredStatus(text="")
    if match := _COMPLETE.search(text):
        status.complete = True
        claims.append(match.group().strip())
        text = text[: match.start()] + text[match.end():]
    if match := _FRACTION.search(text):
        status.done, status.total = number(match.group(1)), number(match.group(2))
        claims.append(match.group().strip())
        text = text[: match.start()] + text[match.end():]
    elif match := _COUNT_DONE.search(text):
        status.done = number(match.group(1))
        claims.append(match.group().strip())
    if not claims:
        return None, text
    status.text = " ".join(claims)
    return status, text.strip()


def declared_status_in_prose(text: str) -> tuple[DeclaredStatus | None, str]:
    """A "Completed: 12" claim in a paragraph (fractions and ✅ are too common
    in prose to be read as claims there)."""
    if match := _COUNT_DONE.search(text):
        return DeclaredStatus(text=match.group(), done=number(match.group(1))), text
    return None, text


def _phase_of(text: str) -> tuple[str | None, str | None, str]:
    """(kind, number, text after the phase label) for one heading segment."""
    if match := _PHASE.match(text):
        return match.group(1).capitalize(), match.group(2), text[match.end():]
    if match := _VERSION.match(text):
        return "Version", match.group(1), text[match.end():]
    return None, None, text


def _one_line(text: str, limit: int = 120) -> str:
    """`text` as a warning quotes it: on one line (a setext heading may span
    several), and shortened."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def analyse(heading: str) -> HeadingInfo:
    segments = [s for s in _EMBEDDED_HEADING.split(heading.strip()) if s.strip()] or [heading]
    parsed = [_phase_of(s) for s in segments]
    kind, number = next(((k, n) for k, n, _ in parsed if n is not None), (None, None))
    declared, _ = declared_status(heading)
    titles = [declared_status(rest)[1].strip(" :-–—") for _, _, rest in parsed]
    info = HeadingInfo(
        title=max(titles, key=len) if len(segments) > 1 else titles[0],
        phase=number,
        phase_kind=kind,
        priority=priority.in_heading(heading),
        declared=declared,
    )
    if len(segments) > 1:
        info.title = _REPEATED_WORD.sub(r"\1", info.title)
        phases = [f"{k} {n}" for k, n, _ in parsed if n is not None]
        info.warning = (
            f"heading holds {len(segments)} headings run together "
            f"({_one_line(', '.join(phases)) or 'no phase'}): read as "
            + (f"{kind} {_one_line(number)}, " if number else "")
            + f"'{_one_line(info.title)}'"
        )
    if not info.title and info.phase is None:
        info.title = heading.strip() or "(untitled)"
    return info
