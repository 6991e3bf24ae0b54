"""What `sitegen serve` keeps in memory between rebuilds, and how a batch of
changed paths becomes a rebuild that redoes only what they affect.

The collected state is held per file: each scanned source file's result,
each checklist document as parsed, the findings as a whole. A changed
source file is scanned again alone, a changed checklist document parsed
again alone; a change to a report or tool output reads the findings again
(their ids and the merging of tools' results span every report). Files
added or removed, or a changed .gitignore, list the tree again (the folder
cache spares the unchanged folders); files whose place in the listing did
not change keep their results. A template or static file of the theme
makes a new renderer; sitegen.yaml starts over. Every rebuild then runs the
build's own last steps (views, page list, render what changed, publish), so
the site equals what `sitegen build` makes of the same files.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import pipeline
from sitegen.carried import Carried
from sitegen.collectors import todos
from sitegen.collectors.checklist_files import document_jobs
from sitegen.config import CONFIG_NAME, Config, find_config, load_config
from sitegen.site import claim
from sitegen.site.pagespec import PageSpec
from sitegen.walk import Listing, WalkSummary, glob_spec, is_utf8

ADDED, MODIFIED, DELETED = "added", "modified", "deleted"


@dataclass(frozen=True)
class Change:
    path: str
    """Absolute."""
    kind: str
    """ADDED, MODIFIED or DELETED."""


@dataclass
class Plan:
    """What a batch of changes makes a rebuild redo."""

    everything: bool = False
    renderer: bool = False
    content: bool = False
    sources: list[Change] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.everything or self.renderer or self.content or bool(self.sources)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@dataclass
class _Sources:
    """The collectors' results, per file where a file can be read again alone."""

    tree: Listing
    todo_files: todos.ScannedFiles
    documents: pipeline.ChecklistParts
    findings: pipeline.Collected

    @functools.cached_property
    def todo_paths(self) -> dict[str, str]:
        """Each scanned file's relative path → the path it is read at."""
        return dict(self.todo_files.files)

    @functools.cached_property
    def rels_by_real_path(self) -> dict[str, list[str]]:
        """Each file read through a link is known by its target's path: a change
        there is the link's too. (Made once: a rebuild that lists the tree
        again makes new _Sources; 25 ms a save at 10,000 files.)"""
        found: dict[str, list[str]] = {}
        for rel, real in self.todo_files.files:
            found.setdefault(real, []).append(rel)
        for rel, real, _ in self.documents.jobs:
            found.setdefault(real, []).append(rel)
        return found


class Session:
    """A build kept alive: `start` builds everything (with the caches, as
    `sitegen build` does), `rebuild` redoes what a batch of changes affects."""

    def __init__(self, config_path: Path | None, *, run_collectors: bool = True, cwd: Path | None = None,
                 waiting: Callable[[], None] = lambda: None):
        self.config_path = config_path
        self.run_collectors = run_collectors
        self.cwd = cwd or Path.cwd()
        self.waiting = waiting
        """Called when a rebuild must wait for a build of the same repository in another process."""
        self._building = False
        self.config: Config | None = None
        self.out_dir: Path | None = None
        self._renderer = None
        self._sources: _Sources | None = None
        self._todo_settings = None
        self._carried = Carried()
        """The ledger and snippet cache as last read or written (19 MB of snippets at 100,000 files), and
        the last build's objects, which an unchanged item keeps (carried.py)."""

    # --- what to watch ---------------------------------------------------------------

    def watched(self) -> list[Path]:
        """The folders and files whose changes matter (the config's folder
        at least, so that a broken first config can still be fixed)."""
        config = self.config
        if config is None:
            return [(self._config_file() or self.cwd / CONFIG_NAME).parent]
        places = [config.base_dir, config.root_dir, config.content_dir]
        if config.theme_override_dir is not None:
            places.append(config.theme_override_dir)
        real = dict.fromkeys(Path(os.path.realpath(p)) for p in places if p.exists())
        return [p for p in real if not any(p != q and p.is_relative_to(q) for q in real)]

    def never_read(self) -> tuple[str, ...]:
        """Folders whose changes never matter: sitegen's own output and cache (and .git)."""
        if self.config is None or self.out_dir is None:
            return ()
        from sitegen.site import output

        out = self.out_dir
        return tuple(os.path.realpath(p) for p in (
            out, output.staging_dir(out), output.retired_dir(out), pipeline.cache_dir(self.config)))

    def _config_file(self) -> Path | None:
        """The config file, found once (as `sitegen build` finds it); None: the defaults."""
        if self.config_path is None:
            self.config_path = find_config(self.cwd)
        return self.config_path

    # --- building ----------------------------------------------------------------------

    def load(self) -> Config:
        """The config read again (None as its file: the defaults, rooted at the current folder)."""
        self.config = self._sources = self._renderer = None
        self.config = load_config(self._config_file())
        self.out_dir = pipeline.claimed_output(self.config)
        return self.config

    def start(self) -> pipeline.Built:
        """Everything from scratch: the config read again, every collector run."""
        config = self.load()
        triage = pipeline.read_triage_of(config)
        self._renderer = pipeline.make_renderer(config)
        if self.run_collectors:
            self._todo_settings = todos.settings(config.todos)
            self._sources = self._collect_all()
        return self._render(triage)

    def rebuild(self, changes: list[Change], later: Callable[[PageSpec], bool] | None = None) -> pipeline.Built | None:
        """Redo what `changes` affect; None when they affect nothing. A
        SitegenError leaves the published site as it was; the state keeps
        what was read, so the next rebuild picks up from there. Pages that
        `later` picks are left for `finish`."""
        plan = self.plan(changes)
        if not plan:
            return None
        if plan.everything or self.config is None or self._renderer is None and not plan.renderer:
            return self.start()
        if plan.renderer:
            self._renderer = None
            self._renderer = pipeline.make_renderer(self.config)
        if plan.sources and self._sources is not None and not self._apply(plan.sources) \
                and not (plan.renderer or plan.content):
            return None  # no file any collector reads
        return self._render(pipeline.read_triage_of(self.config), later)

    def warm(self) -> None:
        """Make ahead, while no save waits, what the first save would make
        first: the maps that tell which listed file a changed path is (0.35 s
        of the first save at 100,000 files; each is made once per listing),
        and where each scanned file's TODOs stand in the scan."""
        sources = self._sources
        if sources is not None:
            sources.tree.listed()
            sources.rels_by_real_path
            sources.todo_paths
            sources.todo_files.positions()

    def stop_publishing(self, timeout: float = 5.0) -> None:
        """Wait until no build is writing into the published site, and keep any
        from starting (the session is being stopped)."""
        self._carried.publishing.acquire(timeout=timeout)

    def finish(self, built: pipeline.Built) -> None:
        """Render the pages a rebuild left for later into the published site
        (within the same `building` as the rebuild, or another build could
        publish its site between the two)."""
        if built.finish is not None:
            with self.building():
                built.finish()

    @contextmanager
    def building(self) -> Iterator[None]:
        """Hold the repository's build lock (claim.one_build_at_a_time) for
        the block, unless this session holds it already (a second flock of
        the folder in this process would wait for the first)."""
        if self._building or self.config is None:  # no config yet: start() takes the lock when it renders
            yield
            return
        with claim.one_build_at_a_time(self.config, self.waiting):
            self._building = True
            try:
                yield
            finally:
                self._building = False

    def plan(self, changes: list[Change]) -> Plan:
        plan = Plan()
        config = self.config
        if config is None:
            plan.everything = True
            return plan
        config_file = os.path.realpath(self._config_file() or self.cwd / CONFIG_NAME)
        content = os.path.realpath(config.content_dir)
        triage = os.path.join(content, "triage.yaml")
        theme = os.path.realpath(config.theme_override_dir) if config.theme_override_dir else None
        root = os.path.realpath(config.root_dir)
        never = self.never_read()
        for change in changes:
            path = change.path
            if path == config_file:
                plan.everything = True
            elif any(_within(path, folder) for folder in never):
                continue
            elif _within(path, content):
                # content/*.yaml other than triage are the collectors' own output, unless nothing is collected
                plan.content |= path == triage or not self.run_collectors
            elif theme is not None and _within(path, theme):
                plan.renderer = True
            elif self.run_collectors and _within(path, root):
                plan.sources.append(change)
        return plan

    def _render(self, triage, later: Callable[[PageSpec], bool] | None = None) -> pipeline.Built:
        # The content files and the site's folders are written under the lock that `sitegen build`
        # holds, so a build of the same repository in another process and this rebuild take turns
        # (the collectors' caches, written before, are each replaced in one step).
        # With `later`, content/checklists.yaml (20 MB at 100,000 tasks) is written after the pages too.
        with self.building():
            return pipeline.render_site(self.config, self.out_dir, self._collected(write_later=later is not None),
                                        triage, self._renderer, later=later, carried=self._carried)

    # --- the collected state -------------------------------------------------------------

    def _collect_all(self) -> _Sources:
        config = self.config
        tree = pipeline.listing(config, self.out_dir)
        return _Sources(tree, todos.scan_files(tree, config.todos, pipeline.cache_dir(config)),
                        pipeline.checklist_parts(config, tree), pipeline.findings_collected(config, tree))

    def _collected(self, write_later: bool = False) -> pipeline.Collected:
        """The items as `pipeline.build` would collect them (content/ written
        the same way, checklists.yaml and todos.yaml left in `writes_later` if `write_later`)."""
        if self._sources is None:
            return pipeline.read_collected(self.config, self.out_dir)
        sources = self._sources
        collected = pipeline.Collected()
        collected.merge(pipeline.checklists_collected(self.config, sources.documents, write_later=write_later))
        revision = todos.git_revision(sources.tree.root)
        collected.merge(pipeline.todos_collected(self.config, sources.todo_files.summary(revision),
                                                 carried=self._carried, write_later=write_later))
        collected.merge(sources.findings)
        return collected

    def _apply(self, changes: list[Change]) -> bool:
        """Read again what `changes` affect; False when no collector reads any of them."""
        sources = self._sources
        root = os.path.realpath(self.config.root_dir)
        listed = sources.tree.listed()
        changed: set[str] = set()
        relist = False
        by_real = sources.rels_by_real_path
        for change in changes:
            rel = os.path.relpath(change.path, root).replace(os.sep, "/")
            changed.add(rel)
            changed.update(by_real.get(change.path, ()))
            relist = relist or _moves_in_listing(change.path, rel, listed, root)
        if relist:
            self._relist(changed)
            return True
        todo_paths = sources.todo_paths
        rescanned = [rel for rel in changed if rel in todo_paths]
        for rel in rescanned:
            sources.todo_files.rescanned(rel, todos.scan_one(self._todo_settings, rel, todo_paths[rel]))
        reparsed = self._reparse_documents(changed)
        if findings := self._findings_read_any(changed):
            sources.findings = pipeline.findings_collected(self.config, sources.tree)
        return bool(rescanned or reparsed or findings)

    def _reparse_documents(self, changed: set[str]) -> bool:
        parts = self._sources.documents
        reparsed = False
        for position, (rel, absolute, slug) in enumerate(parts.jobs):
            if rel in changed:
                parts.found[position] = pipeline.parse_document(rel, absolute, slug)
                reparsed = True
        return reparsed

    def _findings_read_any(self, rels: set[str]) -> bool:
        findings = self.config.findings
        spec = glob_spec([*findings.paths, *findings.sarif, *findings.json])
        return any(spec.match_file(rel) for rel in rels)

    def _relist(self, changed: set[str]) -> None:
        """List the tree again; a file whose place in the listing is unchanged
        keeps its result unless it changed itself."""
        config, old = self.config, self._sources
        tree = pipeline.listing(config, self.out_dir)
        walked = WalkSummary()
        files = todos.selected_files(tree, config.todos, walked)
        before = dict(old.todo_files.files)
        results = {rel: old.todo_files.results[rel] if before.get(rel) == real and rel not in changed
                   else todos.scan_one(self._todo_settings, rel, real) for rel, real in files}
        doc_walked = WalkSummary()
        jobs = document_jobs(tree, config.checklists.paths, doc_walked)
        kept = {job: found for job, found in zip(old.documents.jobs, old.documents.found) if job[0] not in changed}
        documents = [kept.get(job) or pipeline.parse_document(*job) for job in jobs]
        self._sources = _Sources(tree, todos.ScannedFiles(files, results, walked),
                                 pipeline.ChecklistParts(jobs, documents, doc_walked),
                                 pipeline.findings_collected(config, tree))


def _moves_in_listing(path: str, rel: str, listed, root: str) -> bool:
    """Whether a change at `path` (`rel` in `root`) may add a file to the
    listing or take one away (then the tree is listed again), not only change
    a listed file."""
    if rel.rsplit("/", 1)[-1] == ".gitignore" or (not rel.isascii() and _named_as_latin1_may_be(root, rel)):
        return True
    if any((rel + "/").startswith(folder) for folder in listed.passed_over):
        return False
    if os.path.isdir(path):
        return rel not in listed.folders
    if os.path.lexists(path):
        return rel not in listed.files
    return rel in listed.files or rel in listed.folders


def _named_as_latin1_may_be(root: str, rel: str) -> bool:
    """Whether a part of `rel` is a name that is not UTF-8, or a name whose
    Latin-1 bytes name a file beside it: the listing shows such names
    otherwise than they are written (walk.shown_names), so a change to one
    cannot be matched to the listing by its path."""
    parts = rel.split("/")
    for n, name in enumerate(parts):
        if name.isascii():
            continue
        if not is_utf8(name):
            return True
        try:
            twin = os.fsdecode(name.encode("latin-1"))
        except UnicodeEncodeError:
            continue  # no Latin-1 name reads as it
        if os.path.lexists(os.path.join(root, *parts[:n], twin)):
            return True
    return False
