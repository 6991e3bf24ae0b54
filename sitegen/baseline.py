"""The items of an earlier state of the repository, to compare today's with
by id: what `sitegen check --baseline REF|DIR` reads.

A folder is a content folder saved by an earlier run (a CI artifact, say).
A git revision is read from its committed content files when it has them;
otherwise its tree is taken from `git archive` (the user's checkout is never
touched) and collected with today's config, so that a changed rule does not
make every item look new.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sitegen import content, pipeline
from sitegen.config import Config
from sitegen.errors import SitegenError
from sitegen.items import Item, items_of
from sitegen.triage import Triage, parse_triage, read_triage

CONTENT_KINDS = pipeline.KINDS


@dataclass(frozen=True)
class Baseline:
    label: str
    """How messages name it: the folder, or the revision and its commit."""
    items: list[Item]


def load_baseline(config: Config, where: str) -> Baseline:
    """The items at `where`: a content folder, else a git revision."""
    folder = Path(where)
    if folder.is_dir():
        return _from_folder(config, folder)
    return _from_revision(config, where)


def _items(config: Config, collected: pipeline.Collected, triage: Triage) -> list[Item]:
    return items_of(pipeline.views_of(config, collected, triage), triage)


def _from_folder(config: Config, folder: Path) -> Baseline:
    kinds = tuple(kind for kind in CONTENT_KINDS if content.content_path(folder, kind).is_file())
    if not kinds:
        raise SitegenError("--baseline: no content files (todos.yaml, checklists.yaml, findings.yaml) here", folder)
    there = dataclasses.replace(config, content=str(folder.resolve()))
    collected = pipeline.read_collected(there, there.output_dir, kinds)
    triage = read_triage(folder / "triage.yaml", str(folder / "triage.yaml"))
    return Baseline(str(folder), _items(there, collected, triage))


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise SitegenError("--baseline: a git revision needs git, which is not installed") from None


def _commit(top: Path, ref: str) -> str:
    if ref.startswith("-"):
        raise SitegenError(f"--baseline: {ref!r} is neither a folder nor a git revision")
    found = _git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if found.returncode != 0:
        raise SitegenError(f"--baseline: {ref!r} is neither a folder nor a revision of the repository")
    return found.stdout.decode().strip()


def repository_top(root: Path) -> Path:
    found = _git(root, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise SitegenError("--baseline: not a folder, and the root is not in a git repository", root)
    return Path(found.stdout.decode().strip()).resolve()


def _inside(top: Path, path: Path) -> str | None:
    """`path` relative to `top` (posix), or None when it is outside."""
    relative = os.path.relpath(path.resolve(), top)
    return None if relative == ".." or relative.startswith("../") else Path(relative).as_posix()


def _committed(top: Path, commit: str, path: str | None) -> bytes | None:
    if path is None:
        return None
    shown = _git(top, "show", f"{commit}:{path}")
    return shown.stdout if shown.returncode == 0 else None


def _from_revision(config: Config, ref: str) -> Baseline:
    top = repository_top(config.root_dir)
    commit = _commit(top, ref)
    label = f"{ref} ({commit[:12]})"
    content_at = _inside(top, config.content_dir)
    texts = {kind: _committed(top, commit, content_at and f"{content_at}/{kind}.yaml") for kind in CONTENT_KINDS}
    triage_text = _committed(top, commit, content_at and f"{content_at}/triage.yaml")
    triage = (parse_triage(triage_text.decode("utf-8", "replace"), f"{label}:triage.yaml")
              if triage_text is not None else pipeline.read_triage_of(config))
    with tempfile.TemporaryDirectory(prefix="sitegen-baseline-") as tmp:
        if all(text is not None for text in texts.values()):  # content is committed: no need to collect
            folder = Path(tmp)
            for kind, text in texts.items():
                content.content_path(folder, kind).write_bytes(text)
            there = dataclasses.replace(config, content=str(folder))
            return Baseline(label, _items(there, pipeline.read_collected(there, there.output_dir), triage))
        there = _tree_at(config, top, commit, Path(tmp))
        return Baseline(label, _items(there, pipeline.collect(there), triage))


def _tree_at(config: Config, top: Path, commit: str, into: Path) -> Config:
    """`config` moved onto the tree of `commit`, extracted into `into`."""
    root_at = _inside(top, config.root_dir)
    if root_at is None:
        raise SitegenError("--baseline: the root is outside the git repository", config.root_dir)
    tree = into / "tree"
    tree.mkdir()
    paths = [] if root_at == "." else ["--", root_at]
    archive = subprocess.Popen(["git", "-C", str(top), "archive", "--format=tar", commit, *paths],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
            tar.extractall(tree, filter="data")  # no member lands outside `tree`, none is a device
    except (tarfile.TarError, OSError) as exc:
        raise SitegenError(f"--baseline: the tree of {commit[:12]} could not be read ({exc})") from None
    finally:
        archive.stdout.close()
        archive.wait()
    base_at = _inside(top, config.base_dir)
    base = tree / base_at if base_at is not None else tree
    base.mkdir(parents=True, exist_ok=True)
    return dataclasses.replace(config, base_dir=base, root=os.path.relpath(tree / root_at, base),
                               content=str(into / "content"), output=str(into / "public"))
