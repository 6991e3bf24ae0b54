"""What the dashboard draws of content/history.yaml: open items over the last
entries (as an inline SVG with a table for those who cannot see it), and the
items new and resolved since the entry before the last."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sitegen.history import Entry, first_seen

SHOWN_ENTRIES = 60
"""Entries the chart draws: the latest ones."""
WIDTH, HEIGHT, MARGIN = 600, 120, 4


@dataclass(frozen=True)
class Point:
    revision: str
    date: str
    """The day (YYYY-MM-DD), or "" when unknown."""
    open: int
    new: int
    resolved: int
    x: float
    y: float


@dataclass(frozen=True)
class Trend:
    points: list[Point]
    top: int
    """The largest open count drawn (the chart's scale)."""
    new: list[str]
    """Ids counted at the last entry and not at the one before."""
    resolved: list[str]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def summary(self) -> str:
        first, last = self.points[0], self.points[-1]
        return (f"Open items from {first.open} at {first.revision[:12]} to {last.open} at {last.revision[:12]}, "
                f"over {len(self.points)} revision(s); highest {self.top}.")


def trend(entries: Sequence[Entry]) -> Trend | None:
    """The dashboard's trend, once there are two entries to compare."""
    if len(entries) < 2:
        return None
    shown = entries[-SHOWN_ENTRIES:]
    top = max(entry.open for entry in shown) or 1
    step = (WIDTH - 2 * MARGIN) / (len(shown) - 1)
    points = [Point(e.revision, (e.date or "")[:10], e.open, len(e.new), len(e.resolved), MARGIN + n * step,
                    HEIGHT - MARGIN - (HEIGHT - 2 * MARGIN) * e.open / top)
              for n, e in enumerate(shown)]
    return Trend(points, top, list(entries[-1].new), list(entries[-1].resolved))


def seen_dates(entries: Sequence[Entry]) -> dict[str, str]:
    """Item id → the day (or revision, without a date) it was first counted."""
    return {item_id: (entry.date or "")[:10] or entry.revision[:12] for item_id, entry in first_seen(entries).items()}
