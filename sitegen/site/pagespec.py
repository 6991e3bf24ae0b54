"""A page of the site, as what it is made from: the unit the page list,
the renderer and the ledger of rendered pages share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # not imported at run time: views import paging, which imports this, and collect needs no pygments
    from sitegen.site.highlight import Snippets


@dataclass(frozen=True)
class Resources:
    """What a page's context may draw on besides its inputs, in whichever
    process renders it."""

    snippets: Snippets
    content_file: Path
    """checklists.yaml, named in errors about a document's content."""


ContextMaker = Callable[[Any, Any, Resources], tuple[dict, dict[str, str]]]


@dataclass(frozen=True)
class PageSpec:
    url: str
    """Path of the output file, relative to the site root (posix); from `urls`."""
    template: str | None
    """None for a generated file that is no template's (data/health.json, the
    scripts' data files): its context is its text, written as it is."""
    inputs: Any
    """Everything the page shows, as plain data and dataclasses: its hash
    decides whether the page is rendered again."""
    make_context: ContextMaker | None = None
    """Turns `inputs` (and `parsed`) into the template's context; by default
    the inputs are the context."""
    parsed: Any = field(default=None, compare=False, repr=False)
    """The inputs already parsed, when this build has them at hand (a document
    it has just read): the same context, sooner. Not part of the hash."""
    weight: int = field(default=0, compare=False, repr=False)
    """For a page whose inputs are a key rather than what it shows (a file of
    every item, data/health.json say): how much work it is to make, in the
    bytes of hashed inputs a template page of that much work has, which tell
    whether pages are worth the render workers. Not part of the hash."""

    def context(self, resources: Resources) -> tuple[dict, dict[str, str]]:
        """(the template's context, the highlighted snippets it holds by key)."""
        if self.make_context is None:
            return self.inputs, {}
        return self.make_context(self.inputs, self.parsed, resources)
