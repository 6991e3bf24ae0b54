"""The quality gate of `sitegen check`: the rules of the config's `gate:`
section, each judged on today's items (and a baseline's, for the rules that
compare), with the items that make a rule fail."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sitegen.config import GateConfig, ProgressRule, Selector
from sitegen.export.markdown import text as markdown_cell
from sitegen.items import Item
from sitegen.site.views import DocumentSummary
from sitegen.triage import CLOSED

SHOWN_ITEMS = 10
"""Items listed under a failed rule in the terminal; the rest are counted."""


@dataclass(frozen=True)
class Outcome:
    rule: str
    """As the config names it: "max_open P1", "min_progress TODO.md phase 1"."""
    passed: bool
    said: str
    """What was found against what is allowed, in a few words."""
    items: list[Item] = field(default_factory=list)
    """The items that make it fail (none for a progress rule)."""
    skipped: bool = False
    """Not judged (it needs a baseline, and none was given)."""


def _selected(items: Sequence[Item], selector: Selector) -> list[Item]:
    return [item for item in items if item.counts and (selector.kind is None or item.kind == selector.kind)
            and (selector.priority is None or item.priority == selector.priority)]


def _limit(rule: str, found: list[Item], limit: int, noun: str) -> Outcome:
    return Outcome(rule, len(found) <= limit, f"{len(found)} {noun}, at most {limit} allowed",
                   found if len(found) > limit else [])


def _max_open(gate: GateConfig, items: Sequence[Item]) -> list[Outcome]:
    return [_limit(f"max_open {selector.shown()}", _selected(items, selector), limit, "open")
            for selector, limit in gate.max_open]


def _max_new(gate: GateConfig, items: Sequence[Item], before: Sequence[Item] | None, label: str) -> list[Outcome]:
    if before is None:
        return [Outcome(f"max_new {selector.shown()}", True, "not judged: no --baseline given", skipped=True)
                for selector, _ in gate.max_new]
    known = {item.id for item in before}
    new = [item for item in items if item.id not in known]
    return [_limit(f"max_new {selector.shown()}", _selected(new, selector), limit, f"new since {label}")
            for selector, limit in gate.max_new]


def reopened(items: Sequence[Item], before: Sequence[Item]) -> list[Item]:
    """Items closed in the baseline (a task done, a finding resolved, triage's
    done or wontfix) that count again now."""
    closed = {item.id for item in before if item.status in CLOSED}
    return [item for item in items if item.id in closed and item.counts]


def _max_reopened(gate: GateConfig, items: Sequence[Item], before: Sequence[Item] | None,
                  label: str) -> list[Outcome]:
    if gate.max_reopened is None:
        return []
    if before is None:
        return [Outcome("max_reopened", True, "not judged: no --baseline given", skipped=True)]
    return [_limit("max_reopened", reopened(items, before), gate.max_reopened, f"reopened since {label}")]


_PHASE_NUMBER = re.compile(r"\S+ (\d+(?:\.\d+)*)(?: · |$)")


def _same_number(written: str, wanted: str) -> bool:
    return float(written) == float(wanted) if written.count(".") <= 1 and wanted.count(".") <= 1 \
        else written == wanted


def _progress_of(rule: ProgressRule, documents: Sequence[DocumentSummary]) -> list[tuple[str, int, int]]:
    """(what, done, total) of each document or phase the rule names."""
    matched = [doc for doc in documents if doc.path == rule.document or fnmatch.fnmatchcase(doc.path, rule.document)]
    if rule.phase is None:
        return [(doc.path, doc.done, doc.total) for doc in matched]
    return [(f"{doc.path} › {phase.label}", phase.done, phase.total) for doc in matched for phase in doc.phases
            if (number := _PHASE_NUMBER.match(phase.label)) and _same_number(number[1], rule.phase)]


def _percent(done: int, total: int) -> float:
    return 100.0 if total == 0 else 100.0 * done / total


def _min_progress(gate: GateConfig, documents: Sequence[DocumentSummary]) -> list[Outcome]:
    outcomes = []
    for rule in gate.min_progress:
        name = f"min_progress {rule.shown()}"
        parts = _progress_of(rule, documents)
        if not parts:
            outcomes.append(Outcome(name, False, "no checklist document or phase matches it"))
            continue
        short = [(what, _percent(done, total)) for what, done, total in parts
                 if _percent(done, total) < rule.percent]
        if short:
            said = "; ".join(f"{what} {percent:.0f}% done" for what, percent in short)
            outcomes.append(Outcome(name, False, f"{said}, at least {rule.percent:g}% required"))
        else:
            low = min(_percent(done, total) for _, done, total in parts)
            outcomes.append(Outcome(name, True, f"{low:.0f}% done or more, at least {rule.percent:g}% required"))
    return outcomes


def judge(gate: GateConfig, items: Sequence[Item], documents: Sequence[DocumentSummary],
          before: Sequence[Item] | None = None, label: str = "the baseline") -> list[Outcome]:
    """Every rule of `gate`, in the config's order of sections."""
    return [*_max_open(gate, items), *_max_new(gate, items, before, label),
            *_min_progress(gate, documents), *_max_reopened(gate, items, before, label)]


# --- what the terminal, GitHub's workflow log and its step summary show ---------------

def _place(item: Item) -> str:
    return item.place or item.source


def _one_line(text: str, width: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[:width - 1] + "…"


def item_line(item: Item) -> str:
    return f"{item.priority or '--'} {item.kind:<7} {_place(item)}  {_one_line(item.title, 60)}  [{item.id}]"


def text_report(outcomes: Sequence[Outcome]) -> list[str]:
    """One screen: each rule's verdict, and the first items of each that failed."""
    failed = [o for o in outcomes if not o.passed]
    lines = [f"{'FAIL' if not o.passed else 'skip' if o.skipped else 'ok  '} {o.rule}: {o.said}" for o in outcomes]
    for outcome in failed:
        if outcome.items:
            lines.append(f"{outcome.rule}:")
            lines += [f"  {item_line(item)}" for item in outcome.items[:SHOWN_ITEMS]]
            if len(outcome.items) > SHOWN_ITEMS:
                lines.append(f"  … and {len(outcome.items) - SHOWN_ITEMS} more")
    return lines


def verdict(outcomes: Sequence[Outcome]) -> str:
    failed = sum(not o.passed for o in outcomes)
    if failed:
        return f"the gate failed: {failed} of {len(outcomes)} rule(s)"
    return f"the gate passed: {len(outcomes)} rule(s)"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotations(outcomes: Sequence[Outcome]) -> list[str]:
    """GitHub Actions workflow commands: an error on each failing item's line
    (shown on the pull request's diff), or on the rule when it has no items."""
    lines = []
    for outcome in outcomes:
        if outcome.passed:
            continue
        title = _escape_property(f"sitegen gate: {outcome.rule}")
        if not outcome.items:
            lines.append(f"::error title={title}::{_escape_data(outcome.said)}")
        for item in outcome.items:
            where = ""
            if item.path is not None:
                where = f"file={_escape_property(item.path)}," + (f"line={item.line}," if item.line else "")
            message = f"{item.priority or ''} {item.kind}: {_one_line(item.title, 200)} (id {item.id})".strip()
            lines.append(f"::error {where}title={title}::{_escape_data(message)}")
    return lines


def _cell(value: str) -> str:
    """Text safe in a Markdown table cell (export/markdown.py's escaping)."""
    return markdown_cell(value, 120)


def markdown_summary(outcomes: Sequence[Outcome], heading: str = "sitegen quality gate") -> str:
    """For $GITHUB_STEP_SUMMARY: the verdict, a table of rules and the failing items."""
    lines = [f"## {heading}: {'failed' if any(not o.passed for o in outcomes) else 'passed'}", "",
             "| Rule | Result | Found |", "|---|---|---|"]
    lines += [f"| {_cell(o.rule)} | {'❌ failed' if not o.passed else '➖ skipped' if o.skipped else '✅ passed'} "
              f"| {_cell(o.said)} |" for o in outcomes]
    for outcome in (o for o in outcomes if o.items):
        lines += ["", f"### {_cell(outcome.rule)}", "", "| Priority | Kind | Where | Item | Id |", "|---|---|---|---|---|"]
        lines += [f"| {item.priority or ''} | {item.kind} | {_cell(_place(item))} | {_cell(item.title)} | `{item.id}` |"
                  for item in outcome.items[:50]]
        if len(outcome.items) > 50:
            lines.append(f"\n… and {len(outcome.items) - 50} more")
    return "\n".join(lines) + "\n"

