"""Stable ids and URL-safe slugs."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")


def normalised(text: str) -> str:
    """Text compared for identity: case and runs of whitespace do not matter."""
    # str.split() and the regex \s agree on what whitespace is (tests/test_content.py).
    return " ".join(text.split()).casefold()


def stable_id(prefix: str, *parts: object) -> str:
    """A short id from what identifies an item; never from its line number,
    so an item that only moves keeps its id (and its triage)."""
    digest = hashlib.sha1("\0".join(map(str, parts)).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:10]}"


def slugify(text: str, fallback: str = "item") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_WORD.sub("-", ascii_text.lower()).strip("-")[:80].strip("-") or fallback


class SlugSet:
    """Hands out slugs unique within one namespace: "a", "a-2", "a-3"…"""

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._counter: dict[str, int] = {}
        """The last n tried for a base: the ones before it are taken, so
        10,000 headings alike cost 10,000 tries, not 50 million."""

    def claim(self, text: str, fallback: str = "item") -> str:
        base = slugify(text, fallback)
        slug, n = base, self._counter.get(base, 1)
        if n > 1:
            slug = f"{base}-{n}"
        while slug in self._taken:
            n += 1
            slug = f"{base}-{n}"
        self._counter[base] = n
        self._taken.add(slug)
        return slug
