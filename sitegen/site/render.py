"""The Jinja environment: theme loading, filters, rendering one page.

Templates are found through a chain, as in Pelican: the user's theme folder
(if any) → the bundled default theme. A user overrides one template by
putting a file of the same name in `<theme>/templates/`; the rest come from
the default theme, and `{% extends "default/base.html" %}` reaches the
original of an overridden template.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateRuntimeError,
    TemplateSyntaxError,
)
from jinja2.bccache import Bucket
from jinja2.loaders import split_template_path

from sitegen import __version__
from sitegen.cache import settings_key
from sitegen.config import BUNDLED_THEMES, Config
from sitegen.errors import SitegenError
from sitegen.files import NotRead, inside, read_checked, why_not_read
from sitegen.model import SEVERITIES
from sitegen.parallel import process_map
from sitegen.site import urls
from sitegen.site.highlight import prepare_for_workers as prepare_highlighting
from sitegen.site.highlight import pygments_css
from sitegen.site.ledger import Ledger, hashed_inputs
from sitegen.site.markup import inline_html
from sitegen.site.output import write_file
from sitegen.site.pagespec import PageSpec, Resources
from sitegen.site.static_files import static_files


def template_location(exc: BaseException) -> tuple[str | None, int | None]:
    """(file, line) of the innermost template in a rendering error's traceback."""
    if isinstance(exc, TemplateSyntaxError):
        return exc.filename, exc.lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    return (frames[-1].filename, frames[-1].lineno) if frames else (None, None)


def theme_dirs(config: Config) -> list[Path]:
    """Theme folders, most specific first."""
    dirs = [BUNDLED_THEMES / "default"]
    if config.theme != "default" and config.theme_override_dir is None:
        dirs.insert(0, BUNDLED_THEMES / config.theme)
    if config.theme_override_dir is not None:
        dirs.insert(0, config.theme_override_dir)
    return dirs


def percent(done: int, total: int) -> int:
    """Whole percent, rounded down: 199 of 200 is 99 %, never a false 100 %."""
    return done * 100 // total if total else 0


def severity_rank(severity: str) -> int:
    """0 for critical … 4 for info (a sortable table's key for a severity cell)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def relative_root(url: str) -> str:
    """The prefix that leads from page `url` back to the site's root."""
    depth = url.count("/")
    return "../" * depth


MAX_TEMPLATE_BYTES = 1 << 20
HEAVY_INPUTS = 1 << 20
"""Bytes of page inputs (as hashed) above which pages are rendered in
parallel however few they are: about three pages of 1,000 TODO rows."""


class ThemeLoader(FileSystemLoader):
    """Templates from theme folders, each read only if it is a regular file
    inside its folder once links are resolved: a theme that ships with the
    repository is no way to read the machine's files."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for searchpath in self.searchpath:
            filename = posixpath.join(searchpath, *pieces)
            if os.path.lexists(filename):
                break
        else:
            raise TemplateNotFound(template)
        if not inside(filename, os.path.realpath(searchpath)):
            raise SitegenError("template: a symbolic link that leads out of its theme folder; not read", filename)
        try:
            contents = read_checked(filename, MAX_TEMPLATE_BYTES).decode(self.encoding)
        except (NotRead, OSError, UnicodeDecodeError) as exc:
            problem = exc.reason if isinstance(exc, UnicodeDecodeError) else why_not_read(exc)
            raise SitegenError(f"template: not read ({problem})", filename) from None
        mtime = os.path.getmtime(filename)
        return contents, os.path.normpath(filename), lambda: os.path.getmtime(filename) == mtime


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in this process's memory, by template file and
    source text: a build that compiles the theme again (every `sitegen build`
    run by one process, each rebuild of `sitegen serve`, the forked workers)
    reuses the code. Never on disk: the cache folder may come from elsewhere,
    and loading code from it would run it."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, object]] = {}
        """Template file → (hash of its source, code): the latest version only."""

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._code.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)


# What a template compiles to depends on the source and on the options of
# make_environment's Environment, which are the same for every environment it makes.
_COMPILED = CompiledTemplates()


class _StaticURLs(dict):
    """Static file name → published URL; a name the theme lacks is a template error."""

    def __missing__(self, name: str) -> str:
        raise TemplateRuntimeError(f"no static file {name!r} in the theme's static/ folder")


def make_environment(config: Config, static: dict[str, str]) -> Environment:
    """`static`: each static file's name → its published URL."""
    default_templates = BUNDLED_THEMES / "default" / "templates"
    loader = ChoiceLoader([
        ThemeLoader([str(d / "templates") for d in theme_dirs(config)]),
        PrefixLoader({"default": ThemeLoader(str(default_templates))}),
    ])
    env = Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one build, one set of templates: no stat per page
        bytecode_cache=_COMPILED,
    )
    env.filters["md"] = inline_html
    env.filters["file_href"] = urls.file_href
    env.filters["basename"] = posixpath.basename  # a page of the same list, from a sibling page
    env.globals.update(site_title=config.title, version=__version__, percent=percent, severity_rank=severity_rank, urls=urls.for_templates(_StaticURLs(static)),
                       base_url=config.base_url, noindex=config.noindex)
    return env


class Renderer:
    """Renders pages with the configured theme chain. Templates are compiled
    only when some page must be rendered (see render_pages); a template
    error fails the build before the site is published, which leaves the
    site as it was."""

    def __init__(self, config: Config):
        self.theme_dirs = theme_dirs(config)
        self.static = static_files(self.theme_dirs, {urls.PYGMENTS_CSS: pygments_css().encode("utf-8")})
        """The static files the pages name (by their hashed URLs), which the build publishes."""
        self.env = make_environment(config, {name: file.url for name, file in self.static.items()})
        # "default/…" names are the bundled theme again, reached only by an explicit extends.
        self.templates = self.env.list_templates(
            filter_func=lambda n: n.endswith((".html", ".xml", ".txt", ".svg")) and not n.startswith("default/"))
        digest = hashlib.sha256()
        for name in self.templates:
            source, filename, _ = self.env.loader.get_source(self.env, name)
            digest.update(f"{name}\0{filename}\0{source}\0".encode("utf-8", "surrogatepass"))
        for file in self.static.values():
            digest.update(f"{file.name}\0{file.url}\0".encode("utf-8", "surrogatepass"))
        self.key = settings_key("pages", repr(config), digest.hexdigest())
        """Changes with the config, any template, any static file's content and sitegen's code: every
        page depends on those."""

    def prepare_for_workers(self) -> None:
        """Do here, once, what each forked worker would otherwise do for its first page."""
        self.compile_all()
        prepare_highlighting()

    def compile_all(self) -> None:
        for name in self.templates:
            try:
                self.env.get_template(name)
            except TemplateSyntaxError as exc:
                raise SitegenError(f"template: {exc.message}", exc.filename, exc.lineno) from None

    def render(self, url: str, template: str, context: dict) -> str:
        try:
            return self.env.get_template(template).render(**context, root=relative_root(url), page_url=url)
        except TemplateError as exc:
            raise SitegenError(f"template: {exc} (rendering {url})", *template_location(exc)) from None


@dataclass(frozen=True)
class _Job:
    """What every render worker needs, the pages included: it reaches forked
    workers unpickled, and each is sent only a page's number."""

    renderer: Renderer
    staging: Path
    resources: Resources
    pages: list[PageSpec]


def _render(job: _Job, number: int) -> dict[str, str]:
    """Render one page into staging; returns the highlighted snippets it holds."""
    page = job.pages[number]
    context, snippets = page.context(job.resources)
    write_file(job.staging, page.url, context if page.template is None else
               job.renderer.render(page.url, page.template, context))
    return snippets


_MANY_PAGES = 100


@dataclass
class Rendered:
    pages: int
    """How many pages were rendered; the rest were current in staging already."""
    snippets: dict[str, str]
    """Every highlighted snippet the site holds, by key: the next snippet cache."""


def render_pages(pages: list[PageSpec], renderer: Renderer, staging: Path, ledger: Ledger,
                 resources: Resources) -> Rendered:
    """Render into staging each page whose inputs changed since the file there
    was written (in parallel: highlighting source lines and large documents
    are most of a build), and note each page in the ledger."""
    reprs: dict = {}
    hashed = [hashed_inputs(renderer.key, page.url, page.template, page.inputs, reprs) for page in pages]
    snippets: dict[str, str] = {}
    to_render, heavy = [], 0
    for page, (key, size) in zip(pages, hashed):
        kept = ledger.current(staging, page.url, key)
        if kept is None:
            to_render.append((page, key))
            heavy += size
            continue
        ledger.record(staging, page.url, key, kept)
        snippets.update((k, resources.snippets.known[k]) for k in kept if k in resources.snippets.known)
    # Many pages, or a few that show much (a rebuild of the long lists after one
    # TODO more): worth the workers, which are forked with every template
    # compiled and the highlighter's lookups ready. A few pages rendered here
    # compile only the templates they use: a third of a second less when one
    # document changed.
    parallel = heavy >= HEAVY_INPUTS or len(to_render) >= _MANY_PAGES
    if parallel:
        renderer.prepare_for_workers()
    made = process_map(_render, range(len(to_render)),
                       shared=_Job(renderer, staging, resources, [page for page, _ in to_render]),
                       min_items=1 if parallel else _MANY_PAGES)
    for (page, key), page_snippets in zip(to_render, made):
        ledger.record(staging, page.url, key, sorted(page_snippets))
        snippets.update(page_snippets)
    return Rendered(len(to_render), snippets)
