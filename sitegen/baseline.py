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
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sitegen import content, gittree, pipeline
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


def _from_revision(config: Config, ref: str) -> Baseline:
    top = gittree.repository_top(config.root_dir)
    commit = gittree.commit_of(top, ref)
    if commit is None:
        raise SitegenError(f"--baseline: {ref!r} is neither a folder nor a revision of the repository")
    label = f"{ref} ({commit[:12]})"
    content_at = gittree.inside(top, config.content_dir)
    texts = {kind: gittree.committed(top, commit, content_at and f"{content_at}/{kind}.yaml")
             for kind in CONTENT_KINDS}
    triage_text = gittree.committed(top, commit, content_at and f"{content_at}/triage.yaml")
    triage = (parse_triage(triage_text.decode("utf-8", "replace"), f"{label}:triage.yaml")
              if triage_text is not None else pipeline.read_triage_of(config))
    with tempfile.TemporaryDirectory(prefix="sitegen-baseline-") as tmp:
        if all(text is not None for text in texts.values()):  # content is committed: no need to collect
            folder = Path(tmp)
            for kind, text in texts.items():
                content.content_path(folder, kind).write_bytes(text)
            there = dataclasses.replace(config, content=str(folder))
            return Baseline(label, _items(there, pipeline.read_collected(there, there.output_dir), triage))
        there = gittree.PastTree(config, Path(tmp)).checkout(commit)
        return Baseline(label, _items(there, pipeline.collect(there), triage))
