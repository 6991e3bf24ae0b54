"""The two jobs sitegen does, each one linear function with named phases:
`collect` (sources → content/*.yaml) and `build` (content → public/).

Each checklist document is handled on its own, in parallel: parsed (from
its Markdown; from the content cached when it was last collected, if it has
not changed since; or from its chunk of content/checklists.yaml with
--no-collect), written back as content, and rendered as its page. Only a small summary of each comes back
for the pages that span documents. Source files' pages (highlighted context
for each TODO) are rendered in parallel as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitegen import content
from sitegen.cache import CACHE_DIR, FileCache, file_stamp, settings_key
from sitegen.collectors import checklists, reports, sarif, todos
from sitegen.config import Config
from sitegen.errors import Notice, SitegenError, StrictFailure, shown
from sitegen.model import Finding, Todo
from sitegen.parallel import process_map
from sitegen.site import claim, output
from sitegen.site.finding_pages import finding_views, findings_pages
from sitegen.site.highlight import Snippets, load_snippets, pygments_css, save_snippets
from sitegen.site.pages import DocumentSummary, Page, document_page, document_url, overview_pages, summarize
from sitegen.site.priority_pages import priority_page
from sitegen.site.render import Renderer
from sitegen.site.todo_pages import file_pages, todo_pages, views, with_context
from sitegen.triage import Triage, read_triage
from sitegen.walk import SourceTree, WalkSummary

KINDS = ("checklists", "todos", "findings")


@dataclass(frozen=True)
class _Shared:
    """What every document's worker needs; reaches forked workers unpickled."""

    triage: Triage
    renderer: Renderer | None = None
    staging: Path | None = None
    content_file: Path | None = None
    snippets: Snippets | None = None


@dataclass
class _Outcome:
    summary: DocumentSummary
    chunk: str
    notices: list[Notice]


def _finish(shared: _Shared, checklist, notices: list[Notice], chunk: str | None = None) -> _Outcome:
    if shared.renderer is not None:
        shared.renderer.write(document_page(checklist, shared.triage), shared.staging)
    return _Outcome(summarize(checklist, shared.triage), chunk or content.checklist_chunk(checklist), notices)


@dataclass(frozen=True)
class _Document:
    """A checklist document to collect: parsed from its Markdown or, when it
    is unchanged since it was last collected, rebuilt from the content made then."""

    rel: str
    absolute: str
    slug: str
    stamp: int | None
    """Its `file_stamp` when read, for the cache."""
    cached: tuple[str, list] | None = None
    """(content chunk, [[notice message, line], …]) from the cache."""


def _from_document(shared: _Shared, document: _Document) -> _Outcome:
    if document.cached is not None:
        chunk, notices = document.cached
        try:
            checklist = content.checklist_from_chunk(chunk, shared.content_file)
        except SitegenError:
            pass  # a damaged cache entry: read the document itself
        else:
            return _finish(shared, checklist, [Notice(m, document.rel, line) for m, line in notices], chunk)
    return _finish(shared, *checklists.read_document(document.rel, document.absolute, document.slug))


def _from_content(shared: _Shared, chunk: str) -> _Outcome:
    return _finish(shared, content.checklist_from_chunk(chunk, shared.content_file), [])


def _write_file_page(shared: _Shared, page: Page) -> dict[str, str]:
    """Render one source file's page; returns the highlighted snippets it holds."""
    snippets = Snippets(shared.snippets.known)
    shared.renderer.write(with_context(page, snippets), shared.staging)
    return snippets.made


@dataclass
class Collected:
    documents: list[DocumentSummary] = field(default_factory=list)
    todos: list[Todo] = field(default_factory=list)
    todo_meta: dict = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    finding_warnings: list[str] = field(default_factory=list)
    report_documents: list[dict] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    def merge(self, other: Collected) -> None:
        """Take in what another collector found (each kind comes from one collector)."""
        for name in ("documents", "todos", "findings", "finding_warnings", "report_documents",
                     "notices", "written"):
            getattr(self, name).extend(getattr(other, name))
        self.todo_meta = self.todo_meta or other.todo_meta
        # Every collector's walk warns of the same links: each is said once.
        self.notices = list(dict.fromkeys(self.notices))

    def item_ids(self) -> set[str]:
        ids = {i for doc in self.documents for i in doc.task_ids}
        return ids | {t.id for t in self.todos} | {f.id for f in self.findings}

    def warnings(self) -> list[str]:
        """The inputs' own warnings, as stored in content (so --no-collect shows them too)."""
        return list(dict.fromkeys([w for doc in self.documents for w in doc.warnings]
                                  + self.todo_meta.get("warnings", []) + self.finding_warnings))


@dataclass
class Built:
    output: Path
    pages: int
    collected: Collected
    warnings: list[str]


def _cache_dir(config: Config) -> Path:
    return config.base_dir / CACHE_DIR


def _not_sources(config: Config, out_dir: Path) -> tuple[Path, ...]:
    """Folders sitegen writes, which its collectors must never read (the
    configured output's too, when this build writes elsewhere)."""
    sites = dict.fromkeys((out_dir, config.output_dir.resolve()))
    return (*(folder for site in sites for folder in (site, output.staging_dir(site), output.retired_dir(site))),
            config.content_dir, _cache_dir(config))


def _source_tree(config: Config, out_dir: Path) -> SourceTree:
    return SourceTree(config.root_dir, _not_sources(config, out_dir), config.follow_symlinks)


def _checklist_cache(config: Config, use_cache: bool) -> FileCache:
    return FileCache(_cache_dir(config) / "checklists.marshal", settings_key("checklists"), enabled=use_cache)


def _checklists(config: Config, out_dir: Path, shared: _Shared, from_content: bool,
                use_cache: bool = True) -> Collected:
    if from_content:
        chunks = content.read_checklist_chunks(config.content_dir)
        outcomes = process_map(_from_content, chunks, shared=shared, min_items=100)
        return Collected(documents=[o.summary for o in outcomes])
    cache = _checklist_cache(config, use_cache)
    documents, walked = [], WalkSummary()
    for rel, absolute, slug in checklists.document_jobs(_source_tree(config, out_dir), config.checklists.paths,
                                                        walked):
        stamp = file_stamp(absolute)
        cached = cache.get(rel, stamp) if stamp is not None else None
        # The slug depends on the other documents' paths, so it is checked too.
        documents.append(_Document(rel, absolute, slug, stamp, tuple(cached[1:]) if cached and cached[0] == slug else None))
    outcomes = process_map(_from_document, documents, shared=shared, min_items=100)
    for document, outcome in zip(documents, outcomes):
        if document.cached is None and document.stamp is not None:
            notices = [[n.message, n.line] for n in outcome.notices]
            cache.put(document.rel, document.stamp, [document.slug, outcome.chunk, notices])
    cache.save()
    written = content.write_checklists(config.content_dir, [o.chunk for o in outcomes])
    return Collected(
        documents=[o.summary for o in outcomes],
        notices=walked.notices + [n for o in outcomes for n in o.notices],
        written=[written],
    )


def _todos(config: Config, out_dir: Path, from_content: bool, use_cache: bool = True) -> Collected:
    if from_content:
        items, meta = content.read_todos(config.content_dir)
        return Collected(todos=items, todo_meta=meta)
    scan = todos.collect(_source_tree(config, out_dir), config.todos,
                         cache_dir=_cache_dir(config) if use_cache else None)
    written = content.write_todos(config.content_dir, scan)
    return Collected(todos=scan.todos, todo_meta=content.todo_meta(scan), notices=scan.notices,
                     written=[written])


def _report_document(report: reports.Report) -> dict:
    """What the findings page shows of a report beyond its findings."""
    return {
        "path": report.path, "title": report.title, "mismatches": report.mismatches(),
        "notes": [{"section": s.title, "text": n.text, "line": n.line} for s in report.sections for n in s.notes],
    }


def _findings(config: Config, out_dir: Path, from_content: bool) -> Collected:
    if from_content:
        items, warnings, documents = content.read_findings(config.content_dir)
        return Collected(findings=items, finding_warnings=warnings, report_documents=documents)
    priorities, tree = dict(config.findings.severity), _source_tree(config, out_dir)
    found_reports, report_notices = reports.collect(tree, config.findings.paths, priorities)
    imported = sarif.collect(tree, config.findings.sarif, config.findings.json, priorities)
    notices = list(dict.fromkeys(report_notices + imported.notices))  # both walks warn of the same links
    findings = [f for report in found_reports for f in report.findings()] + imported.findings
    sarif.assign_ids(findings)
    warnings = [str(n) for n in notices]
    documents = [_report_document(r) for r in found_reports]
    written = content.write_findings(config.content_dir, findings, warnings, documents)
    return Collected(findings=findings, finding_warnings=warnings, report_documents=documents,
                     notices=notices, written=[written])


def _collect_all(config: Config, out_dir: Path, shared: _Shared, *, kinds: tuple[str, ...] = KINDS,
                 from_content: bool = False, use_cache: bool = True) -> Collected:
    # TODO: walk the tree once for all collectors. Each walks it now, with its own
    #   skip rules (SARIF ignores .gitignore, TODOs skip vendored folders): four
    #   walks of 0.25-0.35 s each per build of a 100,000-file tree.
    collected = Collected()
    if "checklists" in kinds:
        collected.merge(_checklists(config, out_dir, shared, from_content, use_cache))
    if "todos" in kinds:
        collected.merge(_todos(config, out_dir, from_content, use_cache))
    if "findings" in kinds:
        collected.merge(_findings(config, out_dir, from_content))
    return collected


def collect(config: Config, kinds: tuple[str, ...] = KINDS, use_cache: bool = True) -> Collected:
    claim.claim_folders(config, _cache_dir(config))
    return _collect_all(config, config.output_dir, _Shared(triage=Triage()), kinds=kinds, use_cache=use_cache)


def _pages(config: Config, collected: Collected, triage: Triage, warnings: list[str]) -> tuple[list[Page], list[Page]]:
    """(the pages that span documents, one page per source file with TODOs or
    findings); each checklist document's page is made by its worker."""
    todo_list = views(collected.todos, triage, config.source_url, collected.todo_meta.get("revision"))
    finding_list = finding_views(collected.findings, triage)
    file_tree, per_file = file_pages(todo_list, collected.todo_meta, finding_list)
    overview = [
        *overview_pages(collected.documents, todo_list, warnings, finding_list),
        *todo_pages(todo_list, collected.todo_meta),
        file_tree,
        *findings_pages(finding_list, collected.report_documents),
        priority_page(collected.documents, todo_list, finding_list, triage),
    ]
    return overview, per_file


def build(
    config: Config, *, run_collectors: bool = True, strict: bool = False,
    out_dir: Path | None = None, adopt: bool = False,
) -> Built:
    # 0. where the build writes: sitegen's own folders only
    out_dir = claim.claim_folders(config, _cache_dir(config), out_dir or config.base_dir / config.output, adopt)

    # 1. inputs that every page needs: triage overrides and the templates
    triage_file = config.content_dir / "triage.yaml"
    triage = read_triage(triage_file, shown(triage_file))
    renderer = Renderer(config)
    snippets = load_snippets(_cache_dir(config))

    # A failed build leaves its staging folder as scratch for the next one;
    # the published site is only ever replaced whole, by step 5.
    staging, leftovers = output.prepare_staging(out_dir)

    # 2. documents: collected (or read from content/) and rendered, in parallel
    shared = _Shared(triage, renderer, staging, content.content_path(config.content_dir, "checklists"),
                     snippets)
    collected = _collect_all(config, out_dir, shared, from_content=not run_collectors)

    # 3. warnings: the inputs' own, and triage entries whose item is gone
    warnings = collected.warnings() + [str(n) for n in triage.stale(collected.item_ids())]
    if strict and warnings:
        raise StrictFailure(f"--strict: {len(warnings)} warning(s); the site was not rebuilt", warnings)

    # 4. the pages that span documents, the source files' pages (in
    #    parallel: highlighting their lines is most of a large tree's build)
    #    and the theme's static files
    overview, per_file = _pages(config, collected, triage, warnings)
    for page in overview:
        renderer.write(page, staging)
    snippets_made: dict[str, str] = {}
    for page_snippets in process_map(_write_file_page, per_file, shared=shared, min_items=200):
        snippets_made.update(page_snippets)
    if snippets_made.keys() != snippets.known.keys():
        save_snippets(_cache_dir(config), snippets_made)
    static = output.copy_static(renderer.theme_dirs, staging)
    output.write_file(staging, "static/pygments.css", pygments_css())

    # 5. swap the finished site, exactly the files made above, into place
    made = {page.url for page in (*overview, *per_file)} | {document_url(d.slug) for d in collected.documents}
    output.publish(staging, out_dir, made | static | {"static/pygments.css", output.MARKER}, leftovers)
    return Built(out_dir, len(overview) + len(per_file) + len(collected.documents), collected, warnings)
