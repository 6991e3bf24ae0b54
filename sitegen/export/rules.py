"""What the code-scanning formats (SARIF, GitLab Code Quality) share: which
items they report, and the rule each is reported under."""

from __future__ import annotations

from sitegen.items import Item


def reported(items: list[Item]) -> list[Item]:
    """The items a code-scanning format reports: TODOs and findings that still
    count (not closed, not accepted) and have a place in the tree. Checklist
    tasks are plans, not problems at a line of code: as alerts they would
    flood the code-scanning view with every open box of TODO.md."""
    return [item for item in items if item.kind != "task" and item.counts and item.path]


def rule_id(item: Item) -> str:
    """"todo/FIXME" for a TODO; "ruff/S101" for a tool's finding; for a
    finding without a rule (a report's), "finding/<severity>"."""
    if item.kind == "todo":
        return f"todo/{item.source}"
    if item.rule:
        return f"{item.source}/{item.rule}"
    return f"finding/{item.severity or 'medium'}"


def rule_description(item: Item) -> str:
    if item.kind == "todo":
        return f"A {item.source} comment"
    if item.rule:
        return f"{item.source} rule {item.rule}"
    return f"A {item.severity or 'medium'}-severity finding of a review or audit report"
