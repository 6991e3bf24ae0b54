"""Walking a source tree the way its owners see it: .gitignore files at every
level are honoured, tool and dependency folders are skipped, symlinked folders
are not followed (so symlink loops are harmless), and the order is stable."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

SKIPPED_DIRS = frozenset(
    """.git .hg .svn .bzr node_modules bower_components jspm_packages .venv venv .tox .nox
    __pycache__ .mypy_cache .pytest_cache .ruff_cache .cache .idea .vscode .next .nuxt
    .gradle .terraform site-packages""".split()
)


def glob_spec(patterns: list[str] | tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    """Gitignore-style glob patterns, as used for every path option in the config."""
    return pathspec.GitIgnoreSpec.from_lines(patterns)


@dataclass
class WalkSummary:
    files: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class _Ignore:
    base: str  # the folder holding the .gitignore, "" or "a/b/"
    spec: pathspec.GitIgnoreSpec


def _gitignore_in(folder: Path, rel: str) -> _Ignore | None:
    try:
        lines = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return _Ignore(rel, pathspec.GitIgnoreSpec.from_lines(lines))


def _ignored(rel: str, ignores: list[_Ignore]) -> bool:
    # The deepest .gitignore with an opinion wins, as in git.
    for ignore in reversed(ignores):
        verdict = ignore.spec.check_file(rel[len(ignore.base):]).include
        if verdict is not None:
            return verdict
    return False


def walk(
    root: Path,
    *,
    use_gitignore: bool = True,
    exclude_dirs: tuple[Path, ...] = (),
    summary: WalkSummary | None = None,
) -> Iterator[tuple[str, Path]]:
    """Yield (repo-relative posix path, absolute path) for every file, sorted."""
    summary = summary if summary is not None else WalkSummary()
    excluded = {p.resolve() for p in exclude_dirs}
    yield from _walk_folder(root, "", [], use_gitignore, excluded, summary)


def _walk_folder(folder, rel, ignores, use_gitignore, excluded, summary):
    if use_gitignore and (found := _gitignore_in(folder, rel)) is not None:
        ignores = [*ignores, found]
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        summary.skipped["unreadable folder"] += 1
        return
    for entry in entries:
        path = rel + entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_link = entry.is_symlink()
        except OSError:
            summary.skipped["unreadable"] += 1
            continue
        if is_dir:
            if entry.name in SKIPPED_DIRS:
                summary.skipped["tool or dependency folder"] += 1
            elif Path(entry.path).resolve() in excluded:
                summary.skipped["sitegen's own output"] += 1
            elif use_gitignore and _ignored(path + "/", ignores):
                summary.skipped["gitignored"] += 1
            else:
                yield from _walk_folder(Path(entry.path), path + "/", ignores, use_gitignore,
                                        excluded, summary)
        elif is_link and entry.is_dir():
            summary.skipped["symlinked folder"] += 1
        elif use_gitignore and _ignored(path, ignores):
            summary.skipped["gitignored"] += 1
        elif entry.is_file():
            summary.files += 1
            yield path, Path(entry.path)
