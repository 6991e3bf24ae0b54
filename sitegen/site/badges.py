"""README badges (badges/*.svg) in the shields.io style, made from the same
numbers the dashboard shows: open TODOs, open P1 items, checklist progress
and, when the config has a gate, whether it passes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.site import urls
from sitegen.site.pagespec import PageSpec
from sitegen.site.views import Totals

LABEL_COLOUR = "#555"
GREEN, YELLOW, ORANGE, RED, BLUE, GREY = "#3c8527", "#8a6d00", "#b35410", "#c0392b", "#0a6ab5", "#6b6b6b"
"""shields.io's colours, darkened until white text on them reaches 4.5:1 (WCAG AA)."""
_NARROW, _WIDE = set("fijlrtI1.,:;!|' "), set("mwMW%@")


def text_width(text: str) -> int:
    """Pixels of `text` in 11 px Verdana, near enough for a badge's box."""
    return round(sum(4 if c in _NARROW else 10 if c in _WIDE else 7 for c in text))


@dataclass(frozen=True)
class Badge:
    label: str
    message: str
    colour: str

    @property
    def label_width(self) -> int:
        return text_width(self.label) + 10

    @property
    def message_width(self) -> int:
        return text_width(self.message) + 10

    @property
    def width(self) -> int:
        return self.label_width + self.message_width


def _count_colour(count: int, warn: int, bad: int) -> str:
    return GREEN if count == 0 else YELLOW if count < warn else ORANGE if count < bad else RED


def _progress_colour(percent: int) -> str:
    return GREEN if percent >= 90 else BLUE if percent >= 50 else YELLOW if percent >= 25 else ORANGE


def badges(open_todos: int, overall: Totals, p1_open: int, gate_passed: bool | None) -> dict[str, Badge]:
    """Badge name → badge; `open_todos`: the TODOs not settled (items.SETTLED);
    `overall`: the documents' totals (views.totals); `gate_passed` is None
    without gate rules (no gate badge)."""
    percent = round(100 * overall.done / overall.total) if overall.total else 100
    made = {
        "todos": Badge("TODOs", str(open_todos), _count_colour(open_todos, 50, 200)),
        "p1": Badge("P1 open", str(p1_open), _count_colour(p1_open, 1, 5)),
        "progress": Badge("checklists", f"{percent}% done" if overall.total else "none", _progress_colour(percent)),
    }
    if gate_passed is not None:
        made["gate"] = Badge("gate", "passing" if gate_passed else "failing", GREEN if gate_passed else RED)
    return made


def badge_pages(made: dict[str, Badge]) -> Sequence[PageSpec]:
    return [PageSpec(urls.badge(name), "badge.svg", {"badge": badge}) for name, badge in made.items()]
