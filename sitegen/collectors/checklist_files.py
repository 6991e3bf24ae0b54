"""The checklist documents of a tree: the files `checklists.paths` selects,
each with the slug its page is known by; each read by checklists.py.

Kept apart from the reader, whose modules take 35-43 ms to import: a build in
which no document changed reads them all from the cache (4 % of such a build
of 1,000 documents).
"""

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
