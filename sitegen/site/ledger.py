"""Which page files were rendered from which inputs, so that a build renders
only the pages whose inputs changed (as coverage.py's HTML report does).

A build renders into a staging folder that holds an earlier site (see
`output`). A page there is current, and is not rendered again, when the
ledger says that file — the same inode, size, modification and change time,
as `os.stat` gives them now — was written from inputs of the same hash. The
hash covers the page's inputs, its URL and template, and the build's key:
the config, every template of the theme chain and sitegen's code. Any other
file at that URL (a failed build's half-finished page, one edited by hand,
the site of another build) does not match and is rendered again.

The ledger lives in the cache folder, like every other cache: deleting it
costs one full render.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sitegen.cache import KeptFiles, exact_stamp, load_with, save_with

LEDGER_FILE = "pages.marshal"
_KEPT = 3
"""Entries kept per URL: this build's file and the two sites before it (the
next build's staging folder holds one of them)."""


class Known(dict):
    """id of an object → (the object, what stands for it in a page's hash, the
    bytes that took). `earlier`: the Known of an earlier build (Carried.hashes),
    whose entry is taken over while its object is the same one."""

    __slots__ = ("earlier",)

    def __init__(self, earlier: dict[int, tuple[Any, bytes, int]] | None = None):
        super().__init__()
        self.earlier = earlier if earlier is not None else {}


def hashed_inputs(build_key: str, url: str, template: str, inputs: Any,
                  known: Known | None = None) -> tuple[str, int]:
    """(the hash of what a page is rendered from, how many bytes were hashed):
    the second is a measure of how much the page shows, so of the work of
    rendering it. `inputs` are plain data and dataclasses. `known`, shared by
    the pages of a build, keeps what each dataclass was hashed as (with the
    object, so that its id is not reused): every TODO on its file's page is on
    three lists too, and the pages that span documents show the same summaries."""
    digest = hashlib.blake2b(digest_size=16)
    size = _feed(digest, (build_key, url, template, inputs), Known() if known is None else known)
    return digest.hexdigest(), size


def _feed(digest, value: Any, known: Known) -> int:
    # Strings (a document's whole content, say) are hashed as they are:
    # making their repr took as long as the rest of an unchanged build.
    kind = type(value)
    if kind is str:
        data = value.encode("utf-8", "surrogatepass")
        digest.update(b"s%d:" % len(data))
        digest.update(data)
        return len(data)
    if kind is tuple or kind is list:
        digest.update(b"(%d:" % len(value))
        # The items this build hashed already (the rows of a list page: each is on
        # three lists and its file's page) are taken here, without a call each.
        size, update, found_in = 0, digest.update, known.get
        for item in value:
            found = found_in(id(item))
            if found is not None and found[0] is item:
                update(found[1])
                size += found[2]
            else:
                size += _feed(digest, item, known)
        return size
    if kind is dict:  # opened, as lists are, so that the items in it meet `known`
        digest.update(b"{%d:" % len(value))
        return sum(_feed(digest, key, known) + _feed(digest, item, known) for key, item in value.items())
    found = known.get(id(value))
    if found is None or found[0] is not value:
        found = known.earlier.get(id(value))
        if found is None or found[0] is not value:
            found = (value, *_hashed_as(value, known))
        known[id(value)] = found
    digest.update(found[1])
    return found[2]


def _hashed_as(value: Any, known: Known) -> tuple[bytes, int]:
    """(what stands for `value` in the hash, the bytes that took): its repr,
    which shows the fields a dataclass shows (every field but those declared
    `repr=False`) and no object address. A dataclass holding others in a
    list, tuple or dict (a part of a list page and its rows, a document's
    phases) is hashed as those same fields, the dataclasses in them each
    through `known`, so that an item shown on many pages is hashed once."""
    shown = _shown_fields(type(value))
    if shown:
        fields = _field_getter(type(value))(value)
        fields = fields if len(shown) > 1 else (fields,)
        holding = list(map(_holds_dataclasses, fields))
        if any(holding):
            sub = hashlib.blake2b(digest_size=16)
            sub.update(type(value).__qualname__.encode())
            size = 0
            for field, holds in zip(fields, holding):
                if holds:
                    size += _feed(sub, field, known)
                else:
                    data, length = _as_repr(field)
                    sub.update(data)
                    size += length
            return b"d" + sub.digest(), size
    return _as_repr(value)


def same_shown(before: Any, now: Any) -> bool:
    """Whether `hashed_inputs` would feed the same bytes for `now` as for
    `before`, told without hashing: each is the very object, or lists,
    tuples or dicts of such, or dataclasses of one type whose shown fields
    are, or plain values of one type that are equal (False when unsure). A
    list page a save did not change is a new page of the same rows, whose
    1,000 rows are compared here by identity, where hashing them took 3 ms."""
    if before is now:
        return True
    kind = type(now)
    if kind is not type(before):
        return False
    if kind is list or kind is tuple:
        return len(before) == len(now) and (all(map(operator.is_, before, now)) or all(map(same_shown, before, now)))
    if kind is dict:  # in order, as they are hashed (and shown)
        return len(before) == len(now) and all(map(same_shown, before.items(), now.items()))
    if kind in _EQUAL_SHOWN:
        return before == now
    shown = _shown_fields(kind)
    if not shown:
        return False
    if len(shown) == 1:
        return same_shown(_field_getter(kind)(before), _field_getter(kind)(now))
    return all(map(same_shown, _field_getter(kind)(before), _field_getter(kind)(now)))


_EQUAL_SHOWN = frozenset({str, int, bool, type(None)})
"""Types whose equal values have one repr (not float: 0.0 == -0.0)."""


def _as_repr(value: Any) -> tuple[bytes, int]:
    data = repr(value).encode("utf-8", "surrogatepass")
    return b"r%d:" % len(data) + data, len(data)


def _holds_dataclasses(value: Any) -> bool:
    kind = type(value)
    return kind is dict or (kind is list or kind is tuple) and bool(value) and bool(_shown_fields(type(value[0])))


@functools.cache
def _shown_fields(kind: type) -> tuple[str, ...]:
    """The fields a dataclass's repr shows, in order; () for anything else."""
    return tuple(f.name for f in dataclasses.fields(kind) if f.repr) if dataclasses.is_dataclass(kind) else ()


@functools.cache
def _field_getter(kind: type) -> Callable[[Any], Any]:
    """A getter of those fields, in C (a tuple of them when there are several)."""
    return operator.attrgetter(*_shown_fields(kind))


class Ledger:
    def __init__(self, cache_dir: Path, build_key: str, enabled: bool = True, kept: KeptFiles | None = None):
        self.path = cache_dir / LEDGER_FILE
        self.build_key = build_key
        self.enabled = enabled
        self.kept = kept
        known = load_with(kept, self.path, build_key) if enabled else None
        self.loaded = known
        """What was read (shared with `kept`: only read); see render_in_place."""
        self._old: dict[str, list] = known or {}
        self._new: dict[str, list] = {}
        self.saved: dict | None = None
        """What `save` wrote."""

    @property
    def noted(self) -> dict[str, list]:
        """URL → this build's entry of each page noted so far: [key, stamp, extras]."""
        return self._new

    def start_from(self, entries: dict[str, list], gone: list[str]) -> None:
        """Note the pages of `entries` (the `noted` of the build that published
        the site this build writes into, see render.render_in_place) but
        those `gone` as this build's, unless recorded anew."""
        self._new = dict(entries)
        for url in gone:
            self._new.pop(url, None)

    def has_entry(self, url: str) -> bool:
        """Whether a page at `url` may be current (else it is rendered whatever its hash)."""
        return isinstance(self._old.get(url), list)

    def keep(self, staging: Path, url: str, key: str) -> list | None:
        """If the page at `url` in staging was rendered from inputs hashed to
        `key`: its entry, noted as this build's; else None (render it)."""
        entries = self._old.get(url)
        if not isinstance(entries, list):
            return None
        stamp = exact_stamp(os.path.join(staging, url))
        for entry in entries:
            if _is_entry(entry) and entry[0] == key and entry[1] == stamp:
                kept = self._new[url] = [key, stamp, extras_of(entry)]
                return kept
        return None

    def record(self, staging: Path, url: str, key: str, extras: list) -> None:
        """Note that the page at `url` in staging was made from inputs hashed to `key`."""
        self._new[url] = [key, exact_stamp(os.path.join(staging, url)), extras]

    def save(self) -> None:
        """Keep this build's entries, then the earlier ones of the same URLs
        (pages this build did not make drop out)."""
        if not self.enabled:
            return
        kept = {}
        for url, entry in self._new.items():
            older = [e for e in self._old.get(url, ()) if _is_entry(e) and e[1] != entry[1]]
            kept[url] = [entry, *older[:_KEPT - 1]]
        save_with(self.kept, self.path, self.build_key, kept)
        self.saved = kept


def _is_entry(entry: Any) -> bool:
    """Whether a stored entry has the shape [key, stamp, extras] (the cache file is only trusted so far)."""
    return isinstance(entry, list) and len(entry) == 3


def extras_of(entry: list) -> list:
    """The extras stored with an entry (the highlighted snippets' keys its page holds)."""
    return entry[2] if isinstance(entry[2], list) else []
