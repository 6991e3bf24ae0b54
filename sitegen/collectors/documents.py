"""Which files of the tree are checklist documents, and the slug each one's
page is known by: all a build needs of them when none has changed, without
the parser's modules (collectors/checklists.py and what it imports take
35-40 ms to import, 4 % of such a build of 1,000 documents)."""

from __future__ import annotations

from sitegen.ids import SlugSet
from sitegen.walk import Listing, WalkSummary, glob_spec


def find_documents(tree: Listing, patterns: tuple[str, ...],
                   summary: WalkSummary | None = None) -> list[tuple[str, str]]:
    """(relative path, absolute path) of each file in `tree` the patterns match."""
    spec = glob_spec(patterns)
    return [(rel, path) for rel, path in tree.files(summary) if spec.match_file(rel)]


def document_jobs(tree: Listing, patterns: tuple[str, ...],
                  summary: WalkSummary | None = None) -> list[tuple[str, str, str]]:
    """(relative path, absolute path, slug) of every checklist document, sorted."""
    slugs = SlugSet()
    return [
        (rel, str(path), slugs.claim(rel.rsplit(".", 1)[0] if "." in rel else rel, "document"))
        for rel, path in find_documents(tree, patterns, summary)
    ]
