"""The two jobs sitegen does, each one linear function with named phases:
`collect` (sources → content/*.yaml) and `build` (content → public/).

The build runs one way: collect every item (or read content/), make the
views (triage applied, warnings gathered: `--strict` fails here, before any
page is rendered), list every page, render the pages whose inputs changed,
publish exactly the listed pages.

Checklist documents are parsed in parallel, each to its part of
checklists.yaml and its outline (what the pages that span documents need);
a document unchanged since the last build takes both from the cache, so it
is not read, parsed or rendered again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import content
from sitegen.cache import CACHE_DIR, FileCache, WrittenFiles, file_stamp, settings_key
from sitegen.carried import Carried, Published, reuse
from sitegen.collectors import todos
from sitegen.config import Config
from sitegen.errors import Notice, SitegenError, StrictFailure, shown
from sitegen.model import Finding, Todo
from sitegen.parallel import process_map
from sitegen.site import claim, output
from sitegen.triage import Triage, read_triage
from sitegen.walk import Listing, SourceTree, WalkSummary

if TYPE_CHECKING:
    from sitegen.collectors.reports import Report
    from sitegen.export.snapshot import Snapshot
    from sitegen.items import Item
    from sitegen.site.pagespec import PageSpec
    from sitegen.site.render import Renderer
    from sitegen.site.views import Outline, Views

KINDS = ("checklists", "todos", "findings")


@dataclass(frozen=True)
class CollectedDocument:
    """A checklist document as collected: its part of checklists.yaml (from
    which its page is made) and its outline."""

    chunk: str
    outline: Outline
    record: bytes | None = field(default=None, compare=False, repr=False)
    """The chunk's values (marshal), when the document was parsed by this
    build: its page is rendered from them rather than by parsing the chunk
    again. Bytes, which the garbage collector never scans: a thousand
    documents' values as objects made it walk 100,000 more dicts each pass."""
    digest: str = ""
    """A hash of the chunk: what the document's page is known by."""

    def __post_init__(self):
        if not self.digest:
            object.__setattr__(self, "digest", _digest(self.chunk))

    @property
    def total(self) -> int:
        return self.outline.total

    @property
    def task_ids(self) -> tuple[str, ...]:
        return self.outline.task_ids


def _collected(checklist) -> CollectedDocument:
    from sitegen.site.views import Outline

    record = content.checklist_record(checklist)
    return CollectedDocument(content.chunk_of_record(record), Outline.of(checklist), marshal.dumps(record))


@dataclass(frozen=True)
class _Document:
    """A checklist document to parse: its Markdown has changed since it was
    last collected (or was never collected)."""

    rel: str
    absolute: str
    slug: str


def _parse_document(_, document: _Document) -> tuple[CollectedDocument, list[Notice]]:
    from sitegen.collectors import checklists

    checklist, notices = checklists.read_document(document.rel, document.absolute, document.slug)
    return _collected(checklist), notices


def _parse_chunk(content_file: Path, chunk: str) -> CollectedDocument:
    from sitegen.site.views import Outline

    return CollectedDocument(chunk, Outline.of(content.checklist_from_chunk(chunk, content_file)))


def cache_entry(slug: str, document: CollectedDocument, notices: list[Notice]) -> list:
    """What the checklist cache keeps of a document: [digest of the chunk,
    slug, chunk, outline record, [[notice, line], …]]. The outline is checked
    as it is read; the chunk is not hashed again (0.08 s for 100,000 tasks in
    every build): the cache file's checksum finds a damaged one."""
    return [document.digest, slug, document.chunk, document.outline.record(),
            [[n.message, n.line] for n in notices]]


def _digest(chunk: str) -> str:
    return hashlib.blake2b(chunk.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _cached_document(entry, rel: str, slug: str) -> tuple[CollectedDocument, list[Notice]] | None:
    """The document a `cache_entry` holds, if the entry is sound and the slug
    (which depends on the other documents' paths) is still the document's."""
    from sitegen.site.views import Outline

    try:
        digest, cached_slug, chunk, record, notices = entry
        if cached_slug != slug or not isinstance(chunk, str) or not isinstance(digest, str):
            return None
        document = CollectedDocument(chunk, Outline.from_record(record), digest=digest)
        return document, [Notice(m, rel, line) for m, line in notices]
    except (TypeError, ValueError, UnicodeError):
        return None


@dataclass
class Collected:
    documents: list[CollectedDocument] = field(default_factory=list)
    todos: Sequence[Todo] = field(default_factory=list)
    todo_meta: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    finding_warnings: list[str] = field(default_factory=list)
    report_documents: list[dict] = field(default_factory=list)
    tool_summary: dict = field(default_factory=dict)
    """How many static-analysis results were read, left out by findings.exclude
    (per exclusion) and folded into another tool's report of the same problem."""
    notices: list[Notice] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    writes_later: list[Callable[[], None]] = field(default_factory=list)
    """Content files left to write once the pages are published (sitegen
    serve: no page reads them); `Built.finish` writes them."""
    complete: bool = False
    """Every kind was collected from the sources (not read from content/): the
    history gets an entry for it (record_history)."""
    history: list | None = None
    """content/history.yaml's entries (history.Entry) once this collect's was recorded."""
    said: list[str] = field(default_factory=list)
    """What a collector did, in a line each, for -v."""
    todos_made_from: str | None = None
    """What content/todos.yaml is made from, hashed, when the TODOs come from a
    scan (None: read from that file): what the data files holding every TODO
    are known by (content.content_digests), as the file may be written after them."""

    def merge(self, other: Collected) -> None:
        """Take in what another collector found (each kind comes from one collector)."""
        for name in ("documents", "findings", "finding_warnings", "report_documents", "notices", "written",
                     "writes_later", "said"):
            getattr(self, name).extend(getattr(other, name))
        self.todos = self.todos or other.todos  # as it is: TodosOfLines makes its Todo objects only if read
        self.todo_meta = self.todo_meta or other.todo_meta
        self.todos_made_from = self.todos_made_from or other.todos_made_from
        self.tool_summary = self.tool_summary or other.tool_summary
        # Every collector's selection of the listing warns of the same links: each is said once.
        self.notices = list(dict.fromkeys(self.notices))

    def item_ids(self) -> set[str]:
        ids = set().union(*(doc.task_ids for doc in self.documents))
        return ids | {t.id for t in self.todos} | {f.id for f in self.findings}

    def warnings(self) -> list[str]:
        """The inputs' own warnings, as stored in content (so --no-collect shows them too)."""
        return list(dict.fromkeys([w for doc in self.documents for w in doc.outline.warnings]
                                  + self.todo_meta.get("warnings", []) + self.finding_warnings))


@dataclass
class Built:
    output: Path
    pages: int
    rendered: int
    """Pages rendered by this build (with those left for `finish`); the others were unchanged."""
    collected: Collected
    warnings: list[str]
    finish: Callable[[], None] | None = None
    """Renders the pages render_site was asked to leave until after publishing
    (`later`) into the published site, saves the ledger and snippet cache, then
    writes the collected content left for later; None when there is nothing
    left."""


def _first(lines: list[str], count: int) -> list[str]:
    return lines[:count] + ([f"… and {len(lines) - count} more"] if len(lines) > count else [])


def cache_dir(config: Config) -> Path:
    """.sitegen-cache/ beside the config: every cache of a build."""
    return config.base_dir / CACHE_DIR


def _not_sources(config: Config, out_dir: Path) -> tuple[Path, ...]:
    """Folders sitegen writes, which its collectors must never read (the
    configured output's too, when this build writes elsewhere)."""
    sites = dict.fromkeys((out_dir, config.output_dir.resolve()))
    return (*(folder for site in sites for folder in (site, output.staging_dir(site), output.retired_dir(site))),
            config.content_dir, cache_dir(config))


def _source_tree(config: Config, out_dir: Path) -> SourceTree:
    return SourceTree(config.root_dir, _not_sources(config, out_dir), config.follow_symlinks)


def _checklist_cache(config: Config, use_cache: bool) -> FileCache:
    return FileCache(cache_dir(config) / "checklists.marshal", settings_key("checklists"), enabled=use_cache)


@dataclass
class ChecklistParts:
    """The checklist collector's work before it is written: each document
    (in path order) as collected, with its notices, and what the walk passed over."""

    jobs: list[tuple[str, str, str]]
    """(relative path, absolute path, slug) of every document, sorted."""
    found: list[tuple[CollectedDocument, list[Notice]]]
    walked: WalkSummary


def parse_document(rel: str, absolute: str, slug: str) -> tuple[CollectedDocument, list[Notice]]:
    """One checklist document, read and parsed in this process."""
    return _parse_document(None, _Document(rel, absolute, slug))


def checklist_parts(config: Config, tree: Listing, use_cache: bool = True) -> ChecklistParts:
    from sitegen.collectors.checklist_files import document_jobs

    cache = _checklist_cache(config, use_cache)
    found: list[tuple[CollectedDocument, list[Notice]] | None] = []
    to_parse, stamps, walked = [], {}, WalkSummary()
    jobs = document_jobs(tree, config.checklists.paths, walked)
    for rel, absolute, slug in jobs:
        stamps[rel] = stamp = file_stamp(absolute)
        cached = cache.get(rel, stamp) if stamp is not None else None
        found.append(_cached_document(cached, rel, slug) if cached is not None else None)
        if found[-1] is None:
            to_parse.append((len(found) - 1, _Document(rel, absolute, slug)))
    if to_parse:  # the parser, imported here so that the workers forked below start with it
        import_module("sitegen.collectors.checklists")
    parsed = process_map(_parse_document, [document for _, document in to_parse], min_items=100)
    for (position, document), (collected, notices) in zip(to_parse, parsed):
        found[position] = (collected, notices)
        if stamps[document.rel] is not None:
            cache.put(document.rel, stamps[document.rel], cache_entry(document.slug, collected, notices))
    cache.save()
    return ChecklistParts(jobs, found, walked)


def checklists_collected(config: Config, parts: ChecklistParts, use_cache: bool = True,
                         write_later: bool = False) -> Collected:
    """The checklists as collected, content/checklists.yaml written (unless
    it holds these documents' chunks already), or left in `writes_later`."""
    documents = [document for document, _ in parts.found]
    return Collected(
        documents=documents,
        notices=parts.walked.notices + [n for _, notices in parts.found for n in notices],
        written=[content.content_path(config.content_dir, "checklists")],
        writes_later=_content_written(
            config, "checklists", _digest("\n".join(document.digest for document in documents)),
            lambda: content.write_checklists(config.content_dir, [document.chunk for document in documents]),
            use_cache, later=write_later),
    )


def _content_written(config: Config, kind: str, made_from: str, write: Callable[[], object], use_cache: bool,
                     later: bool = False) -> list[Callable[[], None]]:
    """Write content/<kind>.yaml with `write`, unless it holds what it would
    be written with (WrittenFiles: it was written from inputs hashed to
    `made_from` and not touched since); with `later`, the writing is returned
    instead, to be done once the pages are published."""
    path = content.content_path(config.content_dir, kind)
    written = WrittenFiles(cache_dir(config), enabled=use_cache)
    if written.holds(path, made_from):
        return []

    def write_and_note() -> None:
        write()
        written.wrote(path, made_from)

    if later:
        return [write_and_note]
    write_and_note()
    return []


def _checklists(config: Config, tree: Listing | None, use_cache: bool = True) -> Collected:
    if tree is None:
        chunks = content.read_checklist_chunks(config.content_dir)
        content_file = content.content_path(config.content_dir, "checklists")
        return Collected(documents=process_map(_parse_chunk, chunks, shared=content_file, min_items=100))
    return checklists_collected(config, checklist_parts(config, tree, use_cache), use_cache)


def _todos(config: Config, tree: Listing | None, use_cache: bool = True) -> Collected:
    if tree is None:
        items, meta = content.read_todos(config.content_dir)
        return Collected(todos=items, todo_meta=meta)
    return todos_collected(config, todos.collect(tree, config.todos,
                                                 cache_dir=cache_dir(config) if use_cache else None), use_cache)


def todos_collected(config: Config, scan: todos.TodoScan, use_cache: bool = True,
                    carried: Carried | None = None, write_later: bool = False) -> Collected:
    """The TODOs of a scan as collected (and blamed, with todos.blame),
    content/todos.yaml written (unless it holds them), or left in
    `writes_later` (5 MB at 10,000 TODOs); `carried`: the Todos of an
    earlier build, taken for the lines that did not change."""
    # The same lines (a save that no source file was in) are the same Todo objects, made once.
    found = reuse(carried, "todos_of_lines", (scan.item_lines,),
                  lambda: content.TodosOfLines(scan.item_lines, carried.todos if carried is not None else None))
    blame, said = None, []
    if config.todos.blame:
        from sitegen.collectors.blame import blame_todos

        blamed = blame_todos(config.root_dir, found, cache_dir(config) if use_cache else None)
        blame, said = blamed.lines, [blamed.said()]
    meta = content.todo_meta(scan, blame)

    made_from = todos.scan_digest(scan, repr(meta))
    # 51,000 files of real code, 10,899 TODOs: 60 ms to make todos.yaml again and compare it.
    return Collected(todos=found, todo_meta=meta, notices=scan.notices,
                     written=[content.content_path(config.content_dir, "todos")], said=said,
                     writes_later=_content_written(config, "todos", made_from,
                                                   lambda: content.write_todos(config.content_dir, scan, blame),
                                                   use_cache, later=write_later),
                     todos_made_from=made_from)


def _report_document(report: Report) -> dict:
    """What the findings page shows of a report beyond its findings."""
    return {
        "path": report.path, "title": report.title, "mismatches": report.mismatches(),
        "score": report.score, "scores": [list(pair) for pair in report.scores],
        "tracker": [{"text": text, "status": status} for text, status in report.tracker],
        "notes": [{"section": s.title, "text": n.text, "line": n.line} for s in report.sections for n in s.notes],
    }


def findings_collected(config: Config, tree: Listing | None) -> Collected:
    if tree is None:
        stored = content.read_findings(config.content_dir)
        return Collected(findings=stored.findings, finding_warnings=stored.warnings,
                         report_documents=stored.documents, tool_summary=stored.tools)
    priorities = dict(config.findings.severity)
    # Imported here: what a `collect --only todos` or `--only checklists` never needs.
    from sitegen.collectors import report_files, sarif, tool_results

    found_reports, report_notices = report_files.collect(tree, config.findings.paths, priorities)
    imported = sarif.collect(tree, config.findings.sarif, config.findings.json, priorities)
    tools = tool_results.refine(imported.findings, config.findings.exclude)
    notices = list(dict.fromkeys(report_notices + imported.notices))  # both selections warn of the same links
    findings = [f for report in found_reports for f in report.findings()] + tools.findings
    sarif.assign_ids(findings)
    warnings = [str(n) for n in notices]
    documents = [_report_document(r) for r in found_reports]
    tool_summary = {"read": len(imported.findings), "excluded": [list(pair) for pair in tools.excluded],
                    "merged": tools.merged}
    written = content.write_findings(config.content_dir, findings, warnings, documents, tool_summary)
    return Collected(findings=findings, finding_warnings=warnings, report_documents=documents,
                     tool_summary=tool_summary, notices=notices, written=[written])


def _collect_all(config: Config, out_dir: Path, *, kinds: tuple[str, ...] = KINDS,
                 from_content: bool = False, use_cache: bool = True) -> Collected:
    if from_content:
        _require_content(config, kinds)
    tree = None if from_content else listing(config, out_dir, kinds, use_cache)
    collected = Collected()
    if "checklists" in kinds:
        collected.merge(_checklists(config, tree, use_cache))
    if "todos" in kinds:
        collected.merge(_todos(config, tree, use_cache))
    if "findings" in kinds:
        collected.merge(findings_collected(config, tree))
    collected.complete = not from_content and kinds == KINDS
    return collected


def record_history(config: Config, collected: Collected, triage: Triage, views: Views | None = None,
                   items: Callable[[], list[Item]] | None = None) -> None:
    """A complete collect at a git revision: its entry in content/history.yaml
    (made from `views` and `items` when the caller has them, as a build does)."""
    revision = collected.todo_meta.get("revision")
    if not (collected.complete and revision) or collected.history is not None:
        return
    from sitegen import history
    from sitegen.items import items_of

    views = views or views_of(config, collected, triage)
    collected.history = history.record(config.content_dir, items() if items else items_of(views, triage),
                                       views.documents, revision, history.commit_date(config.root_dir, revision))
    collected.written.append(history.history_path(config.content_dir))


def listing(config: Config, out_dir: Path, kinds: tuple[str, ...] = KINDS, use_cache: bool = True) -> Listing:
    """The source tree, walked once for the collectors of `kinds`, each of
    which then reads its own selection of it."""
    honours_gitignore = {  # per collector, per walk it needs
        "checklists": (True,),
        "todos": (config.todos.gitignore,),
        "findings": (True, False),  # Markdown reports; SARIF and tool JSON, often gitignored build output
    }
    rules = [honours for kind in kinds for honours in honours_gitignore[kind]]
    return _source_tree(config, out_dir).listing(read_gitignore=any(rules), walk_ignored=not all(rules),
                                                 cache=cache_dir(config) / "folders.marshal" if use_cache else None)


def _require_content(config: Config, kinds: tuple[str, ...]) -> None:
    """Every content file the pages are made from is there (the readers take an
    absent file as empty, which a page of an uncollected kind cannot show)."""
    for kind in kinds:
        path = content.content_path(config.content_dir, kind)
        if not path.is_file():
            raise SitegenError("not collected yet; run `sitegen collect` first, or build without --no-collect",
                               path)


def read_collected(config: Config, out_dir: Path, kinds: tuple[str, ...] = KINDS) -> Collected:
    """Every item as content/ holds it (a build with --no-collect)."""
    return _collect_all(config, out_dir, kinds=kinds, from_content=True)


def collect(config: Config, kinds: tuple[str, ...] = KINDS, use_cache: bool = True,
            record: bool = True) -> Collected:
    """Every item of `kinds` from the sources, content/ written; `record`: the
    history entry too (callers that make the views themselves record it from those)."""
    claim.claim_folders(config, cache_dir(config))
    collected = _collect_all(config, config.output_dir, kinds=kinds, use_cache=use_cache)
    if record:
        record_history(config, collected, read_triage_of(config))
    return collected


@dataclass
class Current:
    """Every item now, as `check` and `export` judge and write them."""

    collected: Collected
    triage: Triage
    views: Views
    items: list[Item]
    warnings: list[str]


def current(config: Config, run_collectors: bool = True) -> Current:
    """Every item, collected (its history entry recorded) or read from content/,
    with triage applied."""
    from sitegen.items import items_of

    triage = read_triage_of(config)
    collected = collect(config, record=False) if run_collectors else read_collected(config, config.output_dir)
    warnings = _build_warnings(config, collected, triage)
    views = views_of(config, collected, triage, warnings)
    items = items_of(views, triage)
    record_history(config, collected, triage, views, lambda: items)
    return Current(collected, triage, views, items, warnings)


def build(
    config: Config, *, run_collectors: bool = True, strict: bool = False,
    out_dir: Path | None = None, adopt: bool = False, waiting: Callable[[], None] = lambda: None,
) -> Built:
    # 0. one build of the repository at a time (`waiting` is called if another
    #    runs), writing into sitegen's own folders only
    with claim.one_build_at_a_time(config, waiting):
        out_dir = claimed_output(config, out_dir, adopt)

        # 1. inputs that every page needs: triage overrides and the theme
        triage = read_triage_of(config)
        renderer = make_renderer(config)

        # 2. every item: collected (or read from content/)
        collected = _collect_all(config, out_dir, from_content=not run_collectors)
        return render_site(config, out_dir, collected, triage, renderer, strict=strict)


def claimed_output(config: Config, out_dir: Path | None = None, adopt: bool = False) -> Path:
    """The output folder, resolved, once checked to be sitegen's own (see site/claim.py)."""
    return claim.claim_folders(config, cache_dir(config), out_dir or config.base_dir / config.output, adopt)


def triage_path(config: Config) -> Path:
    return config.content_dir / "triage.yaml"


def read_triage_of(config: Config) -> Triage:
    return read_triage(triage_path(config), shown(triage_path(config)))


def _published_as_ledger_says(published: Published | None, out_dir: Path, renderer: Renderer, ledger) -> bool:
    """Whether `out_dir` is the site this session published last
    (`published`), with these templates, and the ledger just read is the one
    it saved then (no other build has published or saved since): its latest
    entries describe the site."""
    return (published is not None and published.output == out_dir and published.renderer_key == renderer.key
            and published.ledger is not None and ledger.loaded is published.ledger
            and published.folder == _folder_id(out_dir) and (out_dir / output.MARKER).is_file())


def _folder_id(folder: Path) -> tuple[int, int] | None:
    """The folder's identity (another build's publish puts a new folder in its place)."""
    try:
        found = os.stat(folder)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def make_renderer(config: Config) -> Renderer:
    # Rendering's modules (Jinja, pygments): a tenth of a second of imports that
    # `collect` never needs, so only a build loads them.
    from sitegen.site.render import Renderer

    return Renderer(config)


@dataclass
class Exported:
    snapshot: Snapshot
    collected: Collected
    warnings: list[str]


def export_snapshot(config: Config, *, run_collectors: bool = True, baseline: str | None = None) -> Exported:
    """Every item, collected (or read from content/) with triage applied, as
    the exports take it; with the items at `baseline` (a revision or a
    content folder, see baseline.py) to compare with."""
    from sitegen.baseline import load_baseline
    from sitegen.export.snapshot import snapshot_of

    now = current(config, run_collectors)
    before = load_baseline(config, baseline).items if baseline else None
    return Exported(snapshot_of(now.views, now.triage, config.base_url, before, items=now.items),
                    now.collected, now.warnings)


def _build_warnings(config: Config, collected: Collected, triage: Triage) -> list[str]:
    """The inputs' warnings, and triage entries whose item is gone (naming
    triage.yaml from the config's folder, as the site shows it wherever the
    repository is and whichever folder sitegen runs in)."""
    if not triage.lines:  # (100,000 ids, for no entry)
        return collected.warnings()
    triage_file, base = triage_path(config), Path(os.path.abspath(config.base_dir))
    named = triage_file.relative_to(base).as_posix() if triage_file.is_relative_to(base) else triage.path
    return collected.warnings() + [str(n) for n in triage.stale(collected.item_ids(), named)]


def views_of(config: Config, collected: Collected, triage: Triage, warnings: list[str] = (),
             carried: Carried | None = None) -> Views:
    """Every collected item as pages and reports show it, triage applied
    (the views of an earlier build of this process that are the same, reused)."""
    from sitegen.site.views import make_views

    return make_views([d.outline for d in collected.documents], collected.todos, collected.todo_meta,
                      collected.findings, collected.report_documents, collected.tool_summary, list(warnings),
                      triage, config.source_url, carried)


def _gate_passed(config: Config, views: Views, items: Callable[[], list[Item]]) -> bool | None:
    """Whether the gate's rules pass without a baseline (the site's gate badge); None without rules."""
    if not config.gate.rules:
        return None
    from sitegen import gate

    return all(outcome.passed for outcome in gate.judge(config.gate, items(), views.documents))


def render_site(config: Config, out_dir: Path, collected: Collected, triage: Triage, renderer: Renderer, *,
                strict: bool = False, later: Callable[[PageSpec], bool] | None = None,
                carried: Carried | None = None) -> Built:
    """Steps 3 to 6 of a build: from the collected items to the published site.
    The pages `later` picks, if they must be rendered, are left for
    `Built.finish` (sitegen serve: its data files, after the reload signal),
    and so is saving the ledger and the snippet cache. `carried` holds what
    earlier builds of this process read and made (see carried.py)."""
    from sitegen import history
    from sitegen.items import items_of
    from sitegen.site import links
    from sitegen.site.highlight import load_snippets, save_snippets
    from sitegen.site.ledger import Ledger
    from sitegen.site.pages import site_pages
    from sitegen.site.pagespec import Resources
    from sitegen.site.render import note_unhashed, render_in_place, render_later, render_pages, settle_hashes

    # 3. the views: triage applied, the inputs' warnings and triage entries
    #    whose item is gone gathered; --strict decides here, before any page is rendered
    warnings = _build_warnings(config, collected, triage)
    if strict and warnings:
        raise StrictFailure(f"--strict: {len(warnings)} warning(s); the site was not rebuilt", warnings)
    views = views_of(config, collected, triage, warnings, carried)
    items = functools.cache(lambda: items_of(views, triage))  # made once, for the history, the gate and health.json
    record_history(config, collected, triage, views, items)
    entries = collected.history
    if entries is None:
        entries = history.read_history(history.history_path(config.content_dir))

    # 4. the page list: every page the site has
    pages = site_pages(views, [(d.digest, d.chunk, d.record) for d in collected.documents], triage,
                       config.base_url, entries,
                       _gate_passed(config, views, items),
                       content.content_digests(config.content_dir, [d.digest for d in collected.documents],
                                               collected.todos_made_from),
                       items, carried)

    # 5. render the pages whose inputs changed, then the theme's static files.
    #    A failed build leaves its staging folder as scratch for the next one;
    #    the published site is only ever replaced whole, by step 6 (then
    #    `finish` writes the pages left for later into it, each in one step).
    #    In a session whose last build published this very site, a few changed
    #    pages are written into it in place instead (render_in_place).
    caches = cache_dir(config)
    kept = carried.files if carried is not None else None
    snippets = load_snippets(caches, kept)
    ledger = Ledger(caches, renderer.key, kept=kept)
    resources = Resources(snippets, content.content_path(config.content_dir, "checklists"))
    published = carried.published if carried is not None else None
    in_place = not strict and _published_as_ledger_says(published, out_dir, renderer, ledger)
    if carried is not None:
        carried.published = None  # until this build's ledger is saved
    rendered = render_in_place(pages, renderer, published, ledger, resources, later, carried) if in_place else None
    if rendered is None:
        staging, leftovers = output.prepare_staging(out_dir)
        rendered = render_pages(pages, renderer, staging, ledger, resources, later, carried)
        static = output.write_static(staging, renderer.static.values())
        site_files = {page.url for page in pages} | static
        if strict and (broken := links.broken_links(staging, site_files)):
            raise StrictFailure(f"--strict: {len(broken)} broken link(s); the site was not published",
                                _first(broken, 20))

        # 6. swap the finished site, exactly the pages listed and the static files, into place
        with carried.publishing if carried is not None else contextlib.nullcontext():
            output.publish(staging, out_dir, site_files | {output.MARKER}, leftovers)
    if carried is not None:
        renderer.let_go_of_rows()  # (the rows of views no build holds any more: site/rows.py)

    def save_caches() -> None:
        if rendered.unhashed:
            note_unhashed(rendered, out_dir, ledger, renderer.key, carried)
        ledger.save()
        every = rendered.site_snippets(snippets.known)
        if every.keys() != snippets.known.keys():
            save_snippets(caches, every, kept)
        if carried is not None:
            settle_hashes(carried)
            carried.published = Published(out_dir, renderer.key, ledger.saved, ledger.noted, _folder_id(out_dir))

    def finish() -> None:
        if rendered.later:
            render_later(out_dir, rendered.later, renderer, ledger, resources)
        if later is not None:
            save_caches()  # (3 MB and 19 MB at 100,000 files: after the reload, in serve)
        for write in collected.writes_later:
            write()

    if later is None:
        save_caches()
    return Built(out_dir, len(pages), rendered.pages + len(rendered.later), collected, warnings,
                 finish if later is not None or collected.writes_later else None)
