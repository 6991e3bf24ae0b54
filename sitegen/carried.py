"""What a long-lived process (`sitegen serve`) carries from one build to the
next, so that an item unchanged since the last build keeps its objects: its
Todo, its view and what it was hashed as. A save then makes, views and
hashes again only what it changed; at 100,000 files, making the 10,000
TODOs' objects and hashing every page's inputs anew was over a second of
each save.

Each memo holds what the last build used, and is replaced by what the next
one uses, so nothing accumulates. Everything carried is only read: an
object found again stands for the same values (Todo is frozen; views are
copied with `dataclasses.replace`, never changed in place).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sitegen.cache import KeptFiles


@dataclass
class Carried:
    files: KeptFiles = field(default_factory=KeptFiles)
    """The cache files as last read or written (the ledger, the snippets)."""
    todos: dict[str, Any] = field(default_factory=dict)
    """todos.yaml line → the Todo made from it (content.TodosOfLines)."""
    todo_views: dict[int, tuple] = field(default_factory=dict)
    """id of a Todo → (the Todo, what its view was made from, the view) (views.todo_views)."""
    hashes: dict[int, tuple] = field(default_factory=dict)
    """id of an object → what it was hashed as (ledger.Known)."""
    file_parts: dict[str, tuple] = field(default_factory=dict)
    """Path of a source file → its items and its page's one part (todo_pages.file_layout)."""
    file_pages: dict[str, tuple] = field(default_factory=dict)
    """URL of a file's page → what it was made from and the page (todo_pages.file_pages)."""
    pages: dict[str, tuple] = field(default_factory=dict)
    """URL of a page → (the build's key, the page, the hash of its inputs) (render._hashed)."""
