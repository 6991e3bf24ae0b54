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
import stat
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

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


def glob_spec(patterns: list[str] | tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """Gitignore-style glob patterns, as used for every path option in the config."""
    return pathspec.GitIgnoreSpec.from_lines(patterns)


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


@dataclass(frozen=True)
class _Rules:
    root: str
    use_gitignore: bool
    excluded: frozenset[str]
    skip_vendored: bool
    exclude: pathspec.GitIgnoreSpec | None
    include: pathspec.GitIgnoreSpec | None
    follow_symlinks: str = "inside"


@dataclass(frozen=True)
class SourceTree:
    """The tree the collectors read: its root, the folders sitegen writes
    there (never read as sources), and which symbolic links are followed."""

    root: Path
    skip: tuple[Path, ...] = ()
    follow_symlinks: str = "inside"

    def walk(self, summary: WalkSummary | None = None, **rules) -> Iterator[tuple[str, str]]:
        """`walk` of this tree; `rules` are walk's other options."""
        return walk(self.root, exclude_dirs=self.skip, follow_symlinks=self.follow_symlinks,
                    summary=summary, **rules)


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
    """Yield (repo-relative posix path, absolute path to read) for every file, sorted.

    The absolute path is the file's real path (a link's target). `include` and
    `exclude` are gitignore-style patterns; an empty `include` means every
    file. Every file or folder passed over is counted in `summary`, and every
    link or special file that is not read is also named there, with a notice.
    Paths are plain strings: a tree of 100,000 files makes Path objects costly.
    """
    summary = summary if summary is not None else WalkSummary()
    real_root = os.path.realpath(root)
    rules = _Rules(
        real_root, use_gitignore, frozenset(os.path.realpath(p) for p in exclude_dirs), skip_vendored,
        glob_spec(exclude) if exclude else None, glob_spec(include) if include else None, follow_symlinks,
    )
    found = list(_walk_folder(real_root, "", [], rules, summary, {real_root}))
    # A link inside the root is read only where its target is a file this walk
    # reads at its own path: a link never reveals .git/config, a gitignored
    # .env or anything else the walk passes over.
    read_directly = {real for _, real, link in found if link is _NOT_A_LINK}
    for rel, real, link in found:
        if link is _LINK_INSIDE and real not in read_directly:
            summary.skip_link(rel, UNREAD_TARGET, f"a symbolic link to {_link_text(os.path.join(real_root, rel))}, "
                                                  "a file that is not read itself (ignored, skipped or excluded): not read")
            continue
        summary.files += 1
        yield rel, real


# How a walked file was reached.
_NOT_A_LINK, _LINK_INSIDE, _LINK_OUTSIDE = "file", "link inside", "link outside"


def _resolve_link(path: str, rel: str, rules: _Rules, summary: WalkSummary) -> tuple[str, bool, str] | None:
    """(the real path, whether it is a folder, how it was reached) of a link
    the walk may follow, or None when it is skipped (counted and warned about)."""
    if rules.follow_symlinks == "none":
        summary.skipped["symlink (follow_symlinks: none)"] += 1
        return None
    target = _link_text(path)
    try:
        real = os.path.realpath(path, strict=True)
        mode = os.stat(real).st_mode
    except OSError:
        summary.skip_link(rel, BROKEN_LINK, f"a symbolic link to {target} that leads nowhere (dangling, or a loop): not read")
        return None
    is_inside = within(real, rules.root)
    if stat.S_ISDIR(mode) and is_inside:
        # Its target is walked at its own path: following it would read the
        # same files twice, and could loop.
        summary.skipped["symlinked folder"] += 1
        return None
    if not is_inside and (rules.follow_symlinks != "outside" or any(within(real, p) for p in _NEVER_READ)):
        summary.skip_link(rel, OUTSIDE, f"a symbolic link to {target}, outside the root: not read")
        return None
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        summary.skip_link(rel, NOT_REGULAR, f"a symbolic link to {target}, which is not a regular file: not read")
        return None
    return real, stat.S_ISDIR(mode), _LINK_INSIDE if is_inside else _LINK_OUTSIDE


def _shown_name(name: str, rel: str, summary: WalkSummary) -> str:
    """A file name as text: names that are not UTF-8 are read as Latin-1 (as
    file contents are), with a warning, so every path sitegen handles is text."""
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = os.fsencode(name).decode("latin-1")
        summary.notices.append(Notice("this name is not valid UTF-8; shown as Latin-1", rel + name))
    return name


def _link_text(path: str) -> str:
    """What a link says it points to, as the repository wrote it."""
    try:
        return repr(os.readlink(path))
    except OSError:
        return "(unreadable)"


def _walk_folder(folder: str, rel: str, ignores: list[_Ignore], rules: _Rules, summary: WalkSummary,
                 walked: set[str]):
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        summary.skipped["unreadable folder"] += 1
        return
    # As git does since 2.32, a .gitignore that is a link is not read.
    if rules.use_gitignore and any(e.name == ".gitignore" and e.is_file(follow_symlinks=False) for e in entries):
        if (found := _gitignore(os.path.join(folder, ".gitignore"), rel)) is not None:
            ignores = [*ignores, found]
    check_ignores = rules.use_gitignore and bool(ignores)
    for entry in entries:
        path = rel + _shown_name(entry.name, rel, summary)
        real, reached = entry.path, _NOT_A_LINK
        try:
            is_link = entry.is_symlink()
            is_dir = not is_link and entry.is_dir(follow_symlinks=False)
            is_file = not is_link and not is_dir and entry.is_file(follow_symlinks=False)
        except OSError:
            summary.skipped["unreadable"] += 1
            continue
        if is_link:
            if (resolved := _resolve_link(entry.path, path, rules, summary)) is None:
                continue
            real, is_dir, reached = resolved
            is_file = not is_dir
            if is_dir and real in walked:
                summary.skipped["symlinked folder"] += 1  # a loop, or a folder read already
                continue
        if is_dir:
            if (reason := _folder_skipped(entry.name, path, real, rules, ignores if check_ignores else None)) is None:
                if is_link:
                    walked.add(real)
                yield from _walk_folder(real, path + "/", ignores, rules, summary, walked)
            elif reason == DEEP:
                summary.skipped[reason] += 1
                summary.notices.append(Notice(f"folders nested over {MAX_DEPTH} deep: not read", path))
            elif reason:
                summary.skipped[reason] += 1
        elif not is_file:
            summary.skip_link(path, NOT_REGULAR, "not a regular file (a FIFO, socket or device): not read")
        elif (reason := _file_skipped(path, rules, ignores if check_ignores else None)) is not None:
            summary.skipped[reason] += 1
        else:
            yield path, real, reached


def _folder_skipped(name: str, path: str, real: str, rules: _Rules, ignores: list[_Ignore] | None) -> str | None:
    """Why the walk does not go into a folder ("" for sitegen's own folders,
    which are not counted), or None."""
    if name in SKIPPED_DIRS:
        return "tool or dependency folder"
    if rules.skip_vendored and name in VENDORED_DIRS:
        return "vendored or generated folder"
    if real in rules.excluded:
        return ""  # sitegen's own output and content: not part of the source tree
    if rules.follow_symlinks == "outside" and any(within(real, p) for p in _NEVER_READ):
        return OUTSIDE  # reached through a link that left the root
    if ignores and _ignored(path + "/", ignores):
        return "gitignored"
    if rules.exclude is not None and rules.exclude.match_file(path + "/"):
        return "excluded by config"
    if path.count("/") + 1 >= MAX_DEPTH:
        return DEEP
    return None


def _file_skipped(path: str, rules: _Rules, ignores: list[_Ignore] | None) -> str | None:
    """Why the walk passes over a regular file, or None."""
    if ignores and _ignored(path, ignores):
        return "gitignored"
    if rules.exclude is not None and rules.exclude.match_file(path):
        return "excluded by config"
    if rules.include is not None and not rules.include.match_file(path):
        return "not included by config"
    return None
