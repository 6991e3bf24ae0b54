"""Walking a source tree the way its owners see it: .gitignore files at every
level are honoured, tool and dependency folders are skipped, and the order is
stable.

The tree is untrusted (CI builds pull requests), so the walk is where the
confinement rule lives: it yields only regular files that lie inside the
root once every symbolic link is resolved. A link to a file inside the root
is followed only where the walk reads that file at its own path anyway (so
no link reaches .git/config or a gitignored file); a link to a folder inside
the root is not (its target is walked
at its own path, so nothing is read twice and no link can make a loop); a
link that leads outside the root, nowhere (dangling, or a loop) or to
something that is not a regular file is skipped, counted and warned about,
and never read. FIFOs, sockets and devices are never opened.
`follow_symlinks: outside` lets links lead out of the root (never into
/proc, /sys or /dev); `none` skips every link.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from sitegen.cache import load_keyed, save_keyed, settings_key
from sitegen.errors import Notice
from sitegen.files import NotRead, read_regular, within

SKIPPED_DIRS = frozenset(
    """.git .hg .svn .bzr node_modules bower_components jspm_packages .venv venv .tox .nox
    __pycache__ .mypy_cache .pytest_cache .ruff_cache .cache .idea .vscode .next .nuxt
    .gradle .terraform site-packages""".split()
)


# Third-party code and build output: its TODOs are not the project's.
VENDORED_DIRS = frozenset(
    """vendor vendors third_party third-party thirdparty external externals Pods Carthage
    dist build target _build __generated__ generated""".split()
)


# pathspec's regex for a glob that matches a path's any one name, whole
# ("node_modules", "**/tmp") or by its end ("*.py"): the literal, escaped
# (one name: "**/a/b" is a path, matched by the regex).
_ANY_NAME = re.compile(r"\^\(\?:\.\+/\)\?(\[\^/\]\*)?((?:\\.|[^\\()\[\]{}*+?.^$|/])+)"
                       r"\(\?:\(\?P<ps_d>/\)\|\$\)")
_UNESCAPE = re.compile(r"\\(.)")


class Globs:
    """Gitignore-style glob patterns, as used for every path option in the
    config. Patterns that include only (none starts with "!", as config
    patterns rarely do) are matched at once: a path is in when any matches,
    which is pathspec's answer in a fraction of its time (the collectors test
    every file of the tree). Those that match one name of a path, whole or
    by its end ("node_modules", "*.py"), are compared with the path's names;
    the rest are matched as one regular expression."""

    def __init__(self, patterns: list[str] | tuple[str, ...]):
        self.spec = pathspec.GitIgnoreSpec.from_lines(patterns)
        active = [p for p in self.spec.patterns if p.include is not None]
        self._search = None
        self._names: set[str] = set()
        self._endings: tuple[str, ...] = ()
        if all(p.include for p in active):
            rest, endings = [], []
            for pattern in active:
                shape = _ANY_NAME.fullmatch(pattern.regex.pattern)
                if shape is None:
                    rest.append(pattern)
                elif shape.group(1):  # "*.py": a name's end
                    endings.append(_UNESCAPE.sub(r"\1", shape.group(2)))
                else:  # "node_modules": a whole name
                    self._names.add(_UNESCAPE.sub(r"\1", shape.group(2)))
            self._endings = tuple(endings)
            # pathspec names a group in every pattern; names may not repeat in one expression
            joined = "|".join(f"(?:{p.regex.pattern.replace('(?P<ps_d>', '(?:')})" for p in rest)
            self._search = re.compile(joined or "(?!)").search

    def match_file(self, path: str) -> bool:
        if self._search is None:
            return self.spec.match_file(path)
        if self._names or self._endings:
            # (In the regex, "." stops at a newline and "$" matches before a
            # last one; such paths, and those that start with "/", take it.)
            if "\n" in path or path.startswith("/"):
                return self.spec.match_file(path)
            for name in path.split("/"):
                if name in self._names or (self._endings and name.endswith(self._endings)):
                    return True
        return self._search(path) is not None


def glob_spec(patterns: list[str] | tuple[str, ...]) -> Globs:
    return Globs(patterns)


FOLLOW_SYMLINKS = ("inside", "outside", "none")
"""Which symbolic links the walk follows: those that stay inside the root
(the default), also those that lead out of it, or none."""

# Pseudo-file systems: their "files" are the machine's state (a process's
# environment, say), whatever follow_symlinks allows.
_NEVER_READ = ("/proc", "/sys", "/dev")
MAX_GITIGNORE_BYTES = 1 << 20

MAX_DEPTH = 100
"""Folders nested deeper than this are not walked (a warning names the first
one): real trees stay far below it, and each level costs the site's file
tree a level of nesting."""

OUTSIDE = "outside the root"
NOT_REGULAR = "not a regular file"
BROKEN_LINK = "broken symlink"
UNREAD_TARGET = "symlink to a file not read"
DEEP = "nested too deep"


@dataclass
class WalkSummary:
    files: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    links: dict[str, str] = field(default_factory=dict)
    """Each symbolic link or special file passed over (repo-relative path) → why."""
    notices: list[Notice] = field(default_factory=list)

    def skip_link(self, rel: str, reason: str, message: str) -> None:
        self.skipped[reason] += 1
        self.links[rel] = reason
        self.notices.append(Notice(message, rel))


@dataclass(frozen=True)
class _Ignore:
    base: str  # the folder holding the .gitignore, "" or "a/b/"
    spec: pathspec.GitIgnoreSpec


def _gitignore(path: str, rel: str) -> _Ignore | None:
    try:
        text = read_regular(path, MAX_GITIGNORE_BYTES).decode("utf-8", errors="replace")
    except (OSError, NotRead):
        return None  # a link, a special file or a huge one: no rules from it
    return _Ignore(rel, pathspec.GitIgnoreSpec.from_lines(text.splitlines()))


def _ignored(rel: str, ignores: list[_Ignore]) -> bool:
    # The deepest .gitignore with an opinion wins, as in git.
    for ignore in reversed(ignores):
        verdict = ignore.spec.check_file(rel[len(ignore.base):]).include
        if verdict is not None:
            return verdict
    return False


# Why a folder or file is passed over by some readers of a listing and not by
# others: each reader says which of these apply to it.
GITIGNORED = "gitignored"
VENDORED = "vendored or generated folder"
EXCLUDED = "excluded by config"
NOT_INCLUDED = "not included by config"

# How a listed file was reached.
_NOT_A_LINK, _LINK_INSIDE, _LINK_OUTSIDE = "file", "link inside", "link outside"


# What the walk met, in walk order. `gate` is the folder (an index into the
# listing's gates) whose readers see the event: a reader that passes over a
# folder sees nothing below it.
class _Gate(NamedTuple):
    """A folder the walk went into, which readers may pass over for `reasons`."""
    gate: int
    path: str
    reasons: tuple[str, ...]


class _File(NamedTuple):
    gate: int
    rel: str
    real: str
    reached: str
    ignored: bool


class _FolderSkip(NamedTuple):
    """A folder the walk did not go into: a reader passes over it for the first
    of `reasons` that applies to it, else for `final` ("": not counted)."""
    gate: int
    path: str
    reasons: tuple[str, ...]
    final: str
    notice: Notice | None = None


class _Count(NamedTuple):
    gate: int
    reason: str


class _LinkSkip(NamedTuple):
    gate: int
    rel: str
    reason: str
    message: str


class _Note(NamedTuple):
    gate: int
    notice: Notice


# A folder's entries by kind: what the walk needs to know of each before its rules apply.
_FILE, _FOLDER, _LINK, _OTHER, _UNREADABLE = "f", "d", "l", "o", "e"
_SETTLED_NS = 2_000_000_000


class FolderCache:
    """The entries of each folder as last listed, kept while the folder's own
    stat (modification and change times, inode, device) is unchanged: adding,
    removing or renaming an entry changes them, so such a folder lists the
    same names of the same kinds and is not read again.

    Kept are only folders that hold nothing but regular files and folders (a
    link's target can change while its folder does not) and that had not
    changed for two seconds when listed (a change within the file system's
    timestamp granularity would not show). The cache folder may come from
    elsewhere, so a stored name is used only if it is one plain name, and a
    folder is taken from the cache only after lstat shows it is a folder."""

    def __init__(self, path: Path | None, key: str):
        self.path, self.key = path, key
        stored = load_keyed(path, key) if path is not None else None
        self._old: dict = stored if stored is not None else {}
        self._new: dict[str, list] = {}

    def entries(self, folder: str, rel: str) -> list[tuple[str, str]] | None:
        """[(name, kind), …] of `folder` sorted by name, or None if it cannot be listed."""
        try:
            info = os.lstat(folder)
        except OSError:
            return None
        stamp = [info.st_mtime_ns, info.st_ctime_ns, info.st_ino, info.st_dev]
        old = self._old.get(rel)
        if stat.S_ISDIR(info.st_mode) and _sound(old) and old[0] == stamp:
            self._new[rel] = old
            return list(zip(old[1], old[2]))
        listed = _list_folder(folder)
        if listed is not None and self.path is not None and _settled(info) and all(
                kind in (_FILE, _FOLDER) for _, kind in listed):
            self._new[rel] = [stamp, [name for name, _ in listed], "".join(kind for _, kind in listed)]
        return listed

    def save(self) -> None:
        if self.path is not None and self._new != self._old:
            save_keyed(self.path, self.key, self._new)


def _sound(entry) -> bool:
    """Whether a stored entry has the shape FolderCache writes, with plain names only."""
    if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[1], list)
            and isinstance(entry[2], str) and len(entry[1]) == len(entry[2])):
        return False
    names = entry[1]
    try:
        joined = "/".join(names)  # (a TypeError if one is not a string)
    except TypeError:
        return False
    return (joined.count("/") == len(names) - 1 and "\0" not in joined
            and _NOT_NAMES.isdisjoint(names) and set(entry[2]) <= {_FILE, _FOLDER})


_NOT_NAMES = frozenset(("", ".", ".."))


def _settled(info: os.stat_result) -> bool:
    now = time.time_ns()
    return now - info.st_mtime_ns > _SETTLED_NS and now - info.st_ctime_ns > _SETTLED_NS


def _list_folder(folder: str) -> list[tuple[str, str]] | None:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        return None
    return [(entry.name, _kind(entry)) for entry in entries]


def _kind(entry: os.DirEntry) -> str:
    try:
        if entry.is_symlink():
            return _LINK
        if entry.is_dir(follow_symlinks=False):
            return _FOLDER
        return _FILE if entry.is_file(follow_symlinks=False) else _OTHER
    except OSError:
        return _UNREADABLE


@dataclass(frozen=True)
class SourceTree:
    """The tree the collectors read: its root, the folders sitegen writes
    there (never read as sources), and which symbolic links are followed."""

    root: Path
    skip: tuple[Path, ...] = ()
    follow_symlinks: str = "inside"

    def listing(self, *, read_gitignore: bool = True, walk_ignored: bool = True, cache: Path | None = None) -> Listing:
        """The tree walked once, for every reader. `read_gitignore`: some
        reader honours .gitignore files; `walk_ignored`: some reader does not
        (the walk then goes into gitignored folders too); `cache`: see Listing.of."""
        return Listing.of(self.root, skip=self.skip, follow_symlinks=self.follow_symlinks,
                          read_gitignore=read_gitignore, walk_ignored=walk_ignored, cache=cache)


class Listed(NamedTuple):
    files: frozenset[str]
    """Every file listed (relative paths)."""
    folders: frozenset[str]
    """Every folder gone into."""
    passed_over: tuple[str, ...]
    """Every folder not gone into, with a "/" after it."""


@dataclass(frozen=True)
class Listing:
    """Every file of a tree and everything passed over, walked once; each
    collector reads its own selection with `files`, as if it had walked the
    tree with its own rules."""

    root: Path
    read_gitignore: bool
    walk_ignored: bool
    events: tuple

    @classmethod
    def of(cls, root: Path, *, skip: tuple[Path, ...] = (), follow_symlinks: str = "inside",
           read_gitignore: bool = True, walk_ignored: bool = True, cache: Path | None = None) -> Listing:
        """The listing of `root`; with `cache`, a FolderCache file there spares
        reading the folders that have not changed since the last listing."""
        real_root = os.path.realpath(root)
        folders = FolderCache(cache, settings_key("folders", real_root) if cache else "")
        lister = _Lister(real_root, frozenset(os.path.realpath(p) for p in skip), follow_symlinks,
                         read_gitignore, walk_ignored and read_gitignore, folders)
        lister.walk_folder(lister.root, "", [], 0, False)
        folders.save()
        return cls(root, read_gitignore, walk_ignored, tuple(lister.events))

    def listed(self) -> Listed:
        """What the listing holds, to tell whether a changed path is new to it."""
        return Listed(frozenset(e.rel for e in self.events if type(e) is _File),
                      frozenset(e.path for e in self.events if type(e) is _Gate),
                      tuple(e.path + "/" for e in self.events if type(e) is _FolderSkip))

    def _serves(self, use_gitignore: bool) -> bool:
        """Whether the walk kept what a reader with this .gitignore rule reads:
        the rules themselves, or the gitignored folders' files."""
        if use_gitignore:
            return self.read_gitignore
        return self.walk_ignored or not self.read_gitignore

    def files(self, summary: WalkSummary | None = None, *, use_gitignore: bool = True, skip_vendored: bool = False,
              include: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
        """Yield (repo-relative posix path, absolute path to read) of every file
        a reader with these rules reads, sorted; count and name in `summary`
        what it passes over.

        The absolute path is the file's real path (a link's target). `include`
        and `exclude` are gitignore-style patterns; an empty `include` means
        every file.
        """
        if not self._serves(use_gitignore):
            raise ValueError("this listing was not made for a reader with these .gitignore rules")
        summary = summary if summary is not None else WalkSummary()
        applies = {GITIGNORED: use_gitignore, VENDORED: skip_vendored}
        exclude_spec, include_spec = glob_spec(exclude) if exclude else None, glob_spec(include) if include else None

        def passed_over(path: str, reasons: tuple[str, ...]) -> str | None:
            for reason in reasons:
                if reason == EXCLUDED:
                    if exclude_spec is not None and exclude_spec.match_file(path):
                        return reason
                elif applies[reason]:
                    return reason
            return None

        visible = [True]
        found = []
        for event in self.events:
            seen = visible[event.gate]
            if type(event) is _File:
                if not seen:
                    continue
                if use_gitignore and event.ignored:
                    summary.skipped[GITIGNORED] += 1
                elif exclude_spec is not None and exclude_spec.match_file(event.rel):
                    summary.skipped[EXCLUDED] += 1
                elif include_spec is not None and not include_spec.match_file(event.rel):
                    summary.skipped[NOT_INCLUDED] += 1
                else:
                    found.append(event)
            elif type(event) is _Gate:
                reason = passed_over(event.path + "/", event.reasons) if seen else None
                if reason:
                    summary.skipped[reason] += 1
                visible.append(seen and reason is None)
            elif not seen:
                continue
            elif type(event) is _FolderSkip:
                reason = passed_over(event.path + "/", event.reasons) or event.final
                if reason:
                    summary.skipped[reason] += 1
                if reason == event.final and event.notice is not None:
                    summary.notices.append(event.notice)
            elif type(event) is _Count:
                summary.skipped[event.reason] += 1
            elif type(event) is _LinkSkip:
                summary.skip_link(event.rel, event.reason, event.message)
            else:
                summary.notices.append(event.notice)
        # A link inside the root is read only where its target is a file this
        # reader reads at its own path: a link never reveals .git/config, a
        # gitignored .env or anything else the reader passes over.
        read_directly = {file.real for file in found if file.reached is _NOT_A_LINK}
        for file in found:
            if file.reached is _LINK_INSIDE and file.real not in read_directly:
                target = _link_text(os.path.join(self.root, file.rel))
                summary.skip_link(file.rel, UNREAD_TARGET, f"a symbolic link to {target}, a file that is not read "
                                                           "itself (ignored, skipped or excluded): not read")
                continue
            summary.files += 1
            yield file.rel, file.real


def walk(
    root: Path,
    *,
    use_gitignore: bool = True,
    exclude_dirs: tuple[Path, ...] = (),
    summary: WalkSummary | None = None,
    skip_vendored: bool = False,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
    follow_symlinks: str = "inside",
) -> Iterator[tuple[str, str]]:
    """The files of `root` one reader reads (see `Listing.files`), for a
    reader that walks the tree alone."""
    listing = Listing.of(root, skip=exclude_dirs, follow_symlinks=follow_symlinks,
                         read_gitignore=use_gitignore, walk_ignored=False)
    return listing.files(summary, use_gitignore=use_gitignore, skip_vendored=skip_vendored,
                         include=include, exclude=exclude)


@dataclass
class _Lister:
    root: str
    excluded: frozenset[str]
    follow_symlinks: str
    read_gitignore: bool
    walk_ignored: bool
    folders: FolderCache
    events: list = field(default_factory=list)
    gates: int = 1
    walked: set[str] = field(default_factory=set)

    def __post_init__(self):
        self.walked.add(self.root)

    def resolve_link(self, path: str, rel: str, gate: int) -> tuple[str, bool, str] | None:
        """(the real path, whether it is a folder, how it was reached) of a link
        the walk may follow, or None when it is skipped (counted and warned about)."""
        if self.follow_symlinks == "none":
            self.events.append(_Count(gate, "symlink (follow_symlinks: none)"))
            return None
        target = _link_text(path)
        try:
            real = os.path.realpath(path, strict=True)
            mode = os.stat(real).st_mode
        except OSError:
            self.events.append(_LinkSkip(gate, rel, BROKEN_LINK, f"a symbolic link to {target} that leads nowhere "
                                                                 "(dangling, or a loop): not read"))
            return None
        is_inside = within(real, self.root)
        if stat.S_ISDIR(mode) and is_inside:
            # Its target is walked at its own path: following it would read the
            # same files twice, and could loop.
            self.events.append(_Count(gate, "symlinked folder"))
            return None
        if not is_inside and (self.follow_symlinks != "outside" or any(within(real, p) for p in _NEVER_READ)):
            self.events.append(_LinkSkip(gate, rel, OUTSIDE, f"a symbolic link to {target}, outside the root: not read"))
            return None
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            self.events.append(_LinkSkip(gate, rel, NOT_REGULAR,
                                         f"a symbolic link to {target}, which is not a regular file: not read"))
            return None
        return real, stat.S_ISDIR(mode), _LINK_INSIDE if is_inside else _LINK_OUTSIDE

    def shown_name(self, name: str, rel: str, gate: int) -> str:
        """A file name as text: names that are not UTF-8 are read as Latin-1 (as
        file contents are), with a warning, so every path sitegen handles is text."""
        if name.isascii():
            return name
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            name = os.fsencode(name).decode("latin-1")
            self.events.append(_Note(gate, Notice("this name is not valid UTF-8; shown as Latin-1", rel + name)))
        return name

    def walk_folder(self, folder: str, rel: str, ignores: list[_Ignore], gate: int, in_ignored: bool) -> None:
        """List `folder`; `in_ignored`: it lies in a gitignored folder, where
        no .gitignore matters (every reader that honours them passed over it)."""
        entries = self.folders.entries(folder, rel)
        if entries is None:
            self.events.append(_Count(gate, "unreadable folder"))
            return
        # As git does since 2.32, a .gitignore that is a link is not read.
        if self.read_gitignore and not in_ignored and (".gitignore", _FILE) in entries:
            if (found := _gitignore(os.path.join(folder, ".gitignore"), rel)) is not None:
                ignores = [*ignores, found]
        check_ignores = self.read_gitignore and not in_ignored and bool(ignores)
        prefix = folder if folder.endswith(os.sep) else folder + os.sep
        for name, kind in entries:
            path = rel + (name if name.isascii() else self.shown_name(name, rel, gate))
            real = entry_path = prefix + name
            reached = _NOT_A_LINK
            if kind == _UNREADABLE:
                self.events.append(_Count(gate, "unreadable"))
                continue
            is_link, is_dir, is_file = kind == _LINK, kind == _FOLDER, kind == _FILE
            if is_link:
                if (resolved := self.resolve_link(entry_path, path, gate)) is None:
                    continue
                real, is_dir, reached = resolved
                is_file = not is_dir
                if is_dir and real in self.walked:
                    self.events.append(_Count(gate, "symlinked folder"))  # a loop, or a folder read already
                    continue
            if is_dir:
                self.list_folder(name, path, real, is_link, ignores if check_ignores else None, gate, in_ignored)
            elif not is_file:
                self.events.append(_LinkSkip(gate, path, NOT_REGULAR,
                                             "not a regular file (a FIFO, socket or device): not read"))
            else:
                self.events.append(_File(gate, path, real, reached, bool(check_ignores and _ignored(path, ignores))))

    def list_folder(self, name: str, path: str, real: str, is_link: bool, ignores: list[_Ignore] | None,
                    gate: int, in_ignored: bool) -> None:
        """Go into a folder, or record why not; the checks run in the order
        in which a reader passes over a folder for the first that applies."""
        reasons: tuple[str, ...] = ()
        if name in SKIPPED_DIRS:
            return self.events.append(_FolderSkip(gate, path, (), "tool or dependency folder"))
        if name in VENDORED_DIRS:
            reasons += (VENDORED,)
        if real in self.excluded:
            return self.events.append(_FolderSkip(gate, path, reasons, ""))  # sitegen's own folders: not counted
        if self.follow_symlinks == "outside" and any(within(real, p) for p in _NEVER_READ):
            return self.events.append(_FolderSkip(gate, path, reasons, OUTSIDE))  # reached through a link
        if ignores and _ignored(path + "/", ignores):
            if not self.walk_ignored:
                return self.events.append(_FolderSkip(gate, path, reasons, GITIGNORED))
            reasons, in_ignored = reasons + (GITIGNORED,), True
        reasons += (EXCLUDED,)
        if path.count("/") + 1 >= MAX_DEPTH:
            notice = Notice(f"folders nested over {MAX_DEPTH} deep: not read", path)
            return self.events.append(_FolderSkip(gate, path, reasons, DEEP, notice))
        if is_link:
            self.walked.add(real)
        self.events.append(_Gate(gate, path, reasons))
        self.gates += 1
        self.walk_folder(real, path + "/", ignores or [], self.gates - 1, in_ignored)


def _link_text(path: str) -> str:
    """What a link says it points to, as the repository wrote it."""
    try:
        return repr(os.readlink(path))
    except OSError:
        return "(unreadable)"
