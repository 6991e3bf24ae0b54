"""The Markdown reports of a tree: the files `findings.paths` selects, each read by reports.py.

Kept apart from the reader, which compiles some 90 patterns when imported
(55 ms): every build looks for reports, and most trees have none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitegen.errors import Notice
from sitegen.files import NotRead, why_not_read
from sitegen.textio import read_text
from sitegen.walk import Listing, WalkSummary, glob_spec

if TYPE_CHECKING:
    from sitegen.collectors.reports import Report


def collect(tree: Listing, patterns: tuple[str, ...],
            priorities: dict[str, str]) -> tuple[list[Report], list[Notice]]:
    """Every report in `tree` matching `patterns`, and notices about them."""
    spec = glob_spec(patterns)
    walked = WalkSummary()
    reports, notices = [], []
    for rel, path in tree.files(walked):
        if not spec.match_file(rel):
            continue
        try:
            text, notice = read_text(path, rel)
        except (NotRead, OSError) as exc:
            notices.append(Notice(f"not read: {why_not_read(exc)}", rel))
            continue
        if notice:
            notices.append(notice)
        from sitegen.collectors.reports import parse_report

        report = parse_report(text, rel, priorities)
        reports.append(report)
        # A count the report gives that its findings do not bear out: on its page, and said in the build.
        notices += report.notices + [Notice(mismatch, rel) for mismatch in report.mismatches()]
    return reports, walked.notices + notices
