"""The two jobs sitegen does, each one linear function with named phases:
`collect` (sources → content/*.yaml) and `build` (content → public/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sitegen import content
from sitegen.collectors import checklists
from sitegen.config import Config
from sitegen.errors import Notice, StrictFailure, shown
from sitegen.model import Checklist
from sitegen.site import output
from sitegen.site.pages import SiteData, site_pages
from sitegen.site.render import make_environment, render_page, theme_dirs
from sitegen.triage import read_triage

KINDS = ("checklists",)


@dataclass
class Collected:
    checklists: list[Checklist] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


@dataclass
class Built:
    output: Path
    pages: int
    collected: Collected
    warnings: list[str]


def _not_sources(config: Config, out_dir: Path) -> tuple[Path, ...]:
    """Folders sitegen writes, which its collectors must never read."""
    return (
        out_dir, output.staging_dir(out_dir), output.retired_dir(out_dir), config.content_dir,
    )


def collect(config: Config, kinds: tuple[str, ...] = KINDS, out_dir: Path | None = None) -> Collected:
    out_dir = out_dir or config.output_dir
    result = Collected()
    if "checklists" in kinds:
        documents, notices = checklists.collect(
            config.root_dir, config.checklists.paths, _not_sources(config, out_dir)
        )
        result.checklists = documents
        result.notices += notices
        result.written.append(content.write_checklists(config.content_dir, documents))
    return result


def build(
    config: Config, *, run_collectors: bool = True, strict: bool = False,
    out_dir: Path | None = None,
) -> Built:
    out_dir = (out_dir or config.output_dir).resolve()

    # 1. content: collect afresh, or read what an earlier collect wrote
    if run_collectors:
        collected = collect(config, out_dir=out_dir)
    else:
        collected = Collected(checklists=content.read_checklists(config.content_dir))

    # 2. triage: hand-written overrides, checked against the items that exist
    triage = read_triage(config.content_dir / "triage.yaml", shown(config.content_dir / "triage.yaml"))
    known = {task.id for doc in collected.checklists for task in doc.tasks()}
    warnings = [w for doc in collected.checklists for w in doc.warnings]
    warnings += [str(n) for n in triage.stale(known)]

    # 3. strict: every warning is a failure, and nothing is published
    if strict and warnings:
        raise StrictFailure(f"--strict: {len(warnings)} warning(s); the site was not rebuilt", warnings)

    # 4. pages: what the site shows
    site = SiteData(
        title=config.title, checklists=collected.checklists, triage=triage,
        warnings=warnings,
    )
    pages = site_pages(site)

    # 5. render into a staging folder, then swap it into place
    staging = output.fresh_staging(out_dir)
    try:
        env = make_environment(config)
        for page in pages:
            output.write_file(staging, page.url, render_page(env, page.url, page.template, page.context))
        output.copy_static(theme_dirs(config), staging)
    except BaseException:
        output.discard(staging)
        raise
    output.publish(staging, out_dir)
    return Built(output=out_dir, pages=len(pages), collected=collected, warnings=warnings)
