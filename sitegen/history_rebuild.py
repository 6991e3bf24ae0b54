"""`sitegen history --rebuild`: content/history.yaml filled from past
revisions, each collected from its own tree (gittree.PastTree) with today's
config and triage, so that the entries compare like with like."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from sitegen import gittree, history, pipeline
from sitegen.config import Config
from sitegen.errors import SitegenError
from sitegen.items import items_of


def revisions(top: Path, since: str | None) -> list[str]:
    """The commits of HEAD's first-parent line, oldest first; after `since` when given."""
    excluded = []
    if since is not None:
        commit = gittree.commit_of(top, since)
        if commit is None:
            raise SitegenError(f"--since: {since!r} is not a revision of the repository")
        excluded = [f"^{commit}"]
    listed = gittree.git(top, "rev-list", "--first-parent", "--reverse", "HEAD", *excluded)
    if listed.returncode != 0:
        raise SitegenError("the repository has no commits yet", top)
    return listed.stdout.decode().split()


def rebuild(config: Config, since: str | None, say: Callable[[str], None] = lambda _: None) -> list[history.Entry]:
    """Every revision's entry (after `since`'s), written to content/history.yaml;
    the entries of other revisions are kept before them."""
    path = history.history_path(config.content_dir)
    existing = history.read_history(path)  # a damaged file stops the rebuild before any work
    top = gittree.repository_top(config.root_dir)
    commits = revisions(top, since)
    triage = pipeline.read_triage_of(config)
    rebuilt = set(commits)
    entries = [entry for entry in existing if entry.revision not in rebuilt] if since else []
    open_now = history.open_ids(entries)
    with tempfile.TemporaryDirectory(prefix="sitegen-history-") as tmp:
        past = gittree.PastTree(config, Path(tmp))
        for number, commit in enumerate(commits, start=1):
            there = past.checkout(commit)
            views = pipeline.views_of(there, pipeline.collect(there), triage)
            entry = history.entry_of(items_of(views, triage), views.documents, commit,
                                     history.commit_date(top, commit), open_now)
            open_now = (open_now - set(entry.resolved)) | set(entry.new)
            entries.append(entry)
            say(f"{number}/{len(commits)} {commit[:12]}: {entry.open} open, "
                f"{len(entry.new)} new, {len(entry.resolved)} resolved")
    config.content_dir.mkdir(parents=True, exist_ok=True)
    history.write_history(path, entries)
    return entries
