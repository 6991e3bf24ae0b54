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


# Third-party code and build output: its TODOs are not the project's.
VENDORED_DIRS = frozenset(
    """vendor vendors third_party third-party thirdparty external externals Pods Carthage
    dist build target _build __generated__ generated""".split()
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


def _gitignore(path: str, rel: str) -> _Ignore | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return _Ignore(rel, pathspec.GitIgnoreSpec.from_lines(handle.read().splitlines()))
    except OSError:
        return None


def _ignored(rel: str, ignores: list[_Ignore]) -> bool:
    # The deepest .gitignore with an opinion wins, as in git.
    for ignore in reversed(ignores):
        verdict = ignore.spec.check_file(rel[len(ignore.base):]).include
        if verdict is not None:
            return verdict
    return False


@dataclass(frozen=True)
class _Rules:
    use_gitignore: bool
    excluded: frozenset[str]
    skip_vendored: bool
    exclude: pathspec.GitIgnoreSpec | None
    include: pathspec.GitIgnoreSpec | None


def walk(
    root: Path,
    *,
    use_gitignore: bool = True,
    exclude_dirs: tuple[Path, ...] = (),
    summary: WalkSummary | None = None,
    skip_vendored: bool = False,
    include: tuple[str, ...] = (),
    exclude: tuple[str, ...] = (),
) -> Iterator[tuple[str, str]]:
    """Yield (repo-relative posix path, absolute path) for every file, sorted.

    `include` and `exclude` are gitignore-style patterns; an empty `include`
    means every file. Every file or folder passed over is counted in `summary`.
    Paths are plain strings: a tree of 100,000 files makes Path objects costly.
    """
    summary = summary if summary is not None else WalkSummary()
    rules = _Rules(
        use_gitignore, frozenset(str(p.resolve()) for p in exclude_dirs), skip_vendored,
        glob_spec(exclude) if exclude else None, glob_spec(include) if include else None,
    )
    yield from _walk_folder(str(root.resolve()), "", [], rules, summary)


def _walk_folder(folder: str, rel: str, ignores: list[_Ignore], rules: _Rules, summary: WalkSummary):
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        summary.skipped["unreadable folder"] += 1
        return
    if rules.use_gitignore and any(e.name == ".gitignore" for e in entries):
        if (found := _gitignore(os.path.join(folder, ".gitignore"), rel)) is not None:
            ignores = [*ignores, found]
    check_ignores = rules.use_gitignore and bool(ignores)
    for entry in entries:
        path = rel + entry.name
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            is_link = not is_dir and entry.is_symlink()
        except OSError:
            summary.skipped["unreadable"] += 1
            continue
        if is_dir:
            if entry.name in SKIPPED_DIRS:
                summary.skipped["tool or dependency folder"] += 1
            elif rules.skip_vendored and entry.name in VENDORED_DIRS:
                summary.skipped["vendored or generated folder"] += 1
            elif entry.path in rules.excluded:
                pass  # sitegen's own output and content: not part of the source tree
            elif check_ignores and _ignored(path + "/", ignores):
                summary.skipped["gitignored"] += 1
            elif rules.exclude is not None and rules.exclude.match_file(path + "/"):
                summary.skipped["excluded by config"] += 1
            else:
                yield from _walk_folder(entry.path, path + "/", ignores, rules, summary)
        elif is_link and entry.is_dir():
            summary.skipped["symlinked folder"] += 1
        elif check_ignores and _ignored(path, ignores):
            summary.skipped["gitignored"] += 1
        elif rules.exclude is not None and rules.exclude.match_file(path):
            summary.skipped["excluded by config"] += 1
        elif rules.include is not None and not rules.include.match_file(path):
            summary.skipped["not included by config"] += 1
        elif entry.is_file():
            summary.files += 1
            yield path, entry.path
