"""Rendering the pages: which must be rendered (the ledger), in parallel
when there are many, with the theme chain's templates. The Jinja
environment itself (site/environment.py) is made only when some page must
be rendered: a build with nothing changed needs only the theme's key.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path

from sitegen.cache import settings_key
from sitegen.carried import Carried, HashedPages, Published, positions_of
from sitegen.config import BUNDLED_THEMES, Config
from sitegen.errors import SitegenError
from sitegen.files import NotRead, inside, read_checked, why_not_read
from sitegen.parallel import process_map
from sitegen.site import urls
from sitegen.site.highlight import prepare_for_workers as prepare_highlighting
from sitegen.site.highlight import pygments_css
from sitegen.site.ledger import Known, Ledger, extras_of, hashed_inputs, same_shown
from sitegen.site.output import remove_pages, replace_file, write_file
from sitegen.site.pagespec import PageSpec, Resources
from sitegen.site.static_files import static_files


def theme_dirs(config: Config) -> list[Path]:
    """Theme folders, most specific first."""
    dirs = [BUNDLED_THEMES / "default"]
    if config.theme != "default" and config.theme_override_dir is None:
        dirs.insert(0, BUNDLED_THEMES / config.theme)
    if config.theme_override_dir is not None:
        dirs.insert(0, config.theme_override_dir)
    return dirs


def relative_root(url: str) -> str:
    """The prefix that leads from page `url` back to the site's root."""
    depth = url.count("/")
    return "../" * depth


MAX_TEMPLATE_BYTES = 1 << 20
HEAVY_INPUTS = 1 << 20
"""Bytes of page inputs (as hashed, or a generated file's PageSpec.weight)
above which pages are rendered in parallel however few they are: about
three pages of 1,000 TODO rows, or the files of every item of 17,000 items."""


TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".svg")


def template_files(dirs: list[Path]) -> Iterator[tuple[str, str, str]]:
    """(name, file, text) of each template in the theme folders' templates/,
    read as the loader reads one (environment.ThemeLoader): one behind a link
    that leads out of its folder, too large or not UTF-8 is an error now,
    before any work."""
    for folder in dirs:
        root = os.path.join(folder, "templates")
        real = os.path.realpath(root)
        for here, subfolders, names in os.walk(root):
            subfolders.sort()
            for name in sorted(names):
                if not name.endswith(TEMPLATE_SUFFIXES):
                    continue
                filename = os.path.join(here, name)
                yield (os.path.relpath(filename, root).replace(os.sep, "/"), os.path.normpath(filename),
                       read_template(filename, real))


def read_template(filename: str, folder: str) -> str:
    """A template's text, if it is a regular file inside `folder` (resolved)
    once links are resolved: a theme that ships with the repository is no way
    to read the machine's files."""
    if not inside(filename, folder):
        raise SitegenError("template: a symbolic link that leads out of its theme folder; not read", filename)
    try:
        return read_checked(filename, MAX_TEMPLATE_BYTES).decode("utf-8")
    except (NotRead, OSError, UnicodeDecodeError) as exc:
        problem = exc.reason if isinstance(exc, UnicodeDecodeError) else why_not_read(exc)
        raise SitegenError(f"template: not read ({problem})", filename) from None


class Renderer:
    """Renders pages with the configured theme chain. Templates are compiled
    only when some page must be rendered (see render_pages); a template
    error fails the build before the site is published, which leaves the
    site as it was."""

    def __init__(self, config: Config):
        self.config = config
        self.theme_dirs = theme_dirs(config)
        self.static = static_files(self.theme_dirs, {urls.PYGMENTS_CSS: pygments_css().encode("utf-8")})
        """The static files the pages name (by their hashed URLs), which the build publishes."""
        digest = hashlib.sha256()
        for name, filename, text in template_files(self.theme_dirs):
            digest.update(f"{name}\0{filename}\0{text}\0".encode("utf-8", "surrogatepass"))
        for file in self.static.values():
            digest.update(f"{file.name}\0{file.url}\0".encode("utf-8", "surrogatepass"))
        self.key = settings_key("pages", repr(config), digest.hexdigest())
        """Changes with the config, any template, any static file's content and sitegen's code: every
        page depends on those."""

    @functools.cached_property
    def env(self):
        from sitegen.site.environment import make_environment

        return make_environment(self.config, {name: file.url for name, file in self.static.items()})

    @functools.cached_property
    def templates(self) -> list[str]:
        # "default/…" names are the bundled theme again, reached only by an explicit extends.
        return self.env.list_templates(
            filter_func=lambda n: n.endswith(TEMPLATE_SUFFIXES) and not n.startswith("default/"))

    def let_go_of_rows(self) -> None:
        """Forget the kept rows of items no longer shown (site/rows.py)."""
        if "env" in self.__dict__:
            self.env.globals["rows_html"].let_go()

    def prepare_for_workers(self) -> None:
        """Do here, once, what each forked worker would otherwise do for its first page."""
        self.compile_all()
        prepare_highlighting()

    def compile_all(self) -> None:
        from jinja2 import TemplateSyntaxError

        for name in self.templates:
            try:
                self.env.get_template(name)
            except TemplateSyntaxError as exc:
                raise SitegenError(f"template: {exc.message}", exc.filename, exc.lineno) from None

    def render(self, url: str, template: str, context: dict) -> str:
        from jinja2 import TemplateError

        from sitegen.site.environment import template_location

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
    pages: list[tuple[PageSpec, str | None]]
    """Each page with the hash of its inputs, None where the worker is to hash them."""
    in_place: bool = False
    """The folder is the published site: each file is replaced in one step."""
    known: Known = field(default_factory=Known)
    """What the pages a worker hashed held (each forked worker fills its own copy)."""


def _render(job: _Job, number: int) -> tuple[dict[str, str], str]:
    """Render one page into staging; returns the highlighted snippets it holds
    and the hash of its inputs."""
    text, snippets, key = _page_text(job, number)
    (replace_file if job.in_place else write_file)(job.staging, job.pages[number][0].url, text)
    return snippets, key


def _page_text(job: _Job, number: int) -> tuple[str, dict[str, str], str]:
    """(one page's text, the highlighted snippets it holds, the hash of its inputs)."""
    page, key = job.pages[number]
    if key is None:
        key = hashed_inputs(job.renderer.key, page.url, page.template, page.inputs, job.known)[0]
    return (*_text_of(page, job.renderer, job.resources), key)


def _text_of(page: PageSpec, renderer: Renderer, resources: Resources) -> tuple[str, dict[str, str]]:
    """(one page's text, the highlighted snippets it holds)."""
    context, snippets = page.context(resources)
    return context if page.template is None else renderer.render(page.url, page.template, context), snippets


_MANY_PAGES = 100


@dataclass
class Rendered:
    pages: int
    """How many pages were rendered; the rest were current in staging already."""
    snippets: dict[str, str]
    """The highlighted snippets of the pages rendered, by key."""
    later: list[tuple[PageSpec, str]] = field(default_factory=list)
    """Pages to render (each with its inputs' hash) that were left for `render_later`."""
    held: Collection[list] = field(default_factory=list)
    """The ledger entry of each page that was current, whose snippets' keys
    `site_snippets` looks up when the cache is saved: in `sitegen serve`
    after the browsers are told (10,000 file pages' lists, 30 ms a save)."""
    unhashed: list[tuple[PageSpec, list[str]]] = field(default_factory=list)
    """Pages render_in_place rendered with their inputs not yet hashed, each
    with its snippets' keys: `note_unhashed` notes them."""

    def site_snippets(self, known: dict[str, str]) -> dict[str, str]:
        """Every highlighted snippet the site holds, by key: the next snippet cache."""
        if not self.held:
            return self.snippets
        every: dict[str, str] = {}
        for entry in self.held:
            every.update((key, known[key]) for key in extras_of(entry) if key in known)
        every.update(self.snippets)
        return every


def render_pages(pages: list[PageSpec], renderer: Renderer, staging: Path, ledger: Ledger,
                 resources: Resources, later: Callable[[PageSpec], bool] | None = None,
                 carried: Carried | None = None) -> Rendered:
    """Render into staging each page whose inputs changed since the file there
    was written (in parallel: highlighting source lines and large documents
    are most of a build), and note each page rendered or current in the
    ledger. Those that `later` picks are left for render_later (and noted
    then), once the site is published. `carried`: what the inputs of an
    earlier build of this process were hashed as (the objects it shares
    with this one are not hashed again)."""
    unknown = _unknown(pages, ledger) if later is None and carried is None else frozenset()
    hashed_here = iter(_hashed([page for page in pages if page.url not in unknown], renderer.key, carried))
    to_render, left, held, heavy = [], [], [], 0
    for page in pages:
        if page.url in unknown:
            to_render.append((page, None))
            continue
        key, size = next(hashed_here)
        kept = ledger.keep(staging, page.url, key)
        if kept is None and later is not None and later(page):
            left.append((page, key))
        elif kept is None:
            to_render.append((page, key))
            heavy += max(size, page.weight)
        else:
            held.append(kept)
    # Many pages, or a few that show much (the long lists after one TODO more,
    # the files of every item after one document changed): worth the workers.
    # A few pages rendered here compile only the templates they use: a third
    # of a second less when one document changed. In a
    # session (`carried`) the long lists are rendered here too: their rows are
    # kept in this process from one build to the next (site/rows.py), and a
    # worker's would be lost with it.
    heavy_enough = heavy >= HEAVY_INPUTS and carried is None
    snippets = _render_into(staging, to_render, renderer, ledger, resources,
                            parallel=heavy_enough or len(to_render) >= _MANY_PAGES)
    return Rendered(len(to_render), snippets, left, held)


def settle_hashes(carried: Carried) -> None:
    """Keep, of what the build before this one hashed, what is still held
    (`_keep_held`); in `sitegen serve`, once the browsers are told, as it
    waits on nothing the page needs (20 ms at 100,000 files)."""
    if isinstance(carried.hashes, Known) and carried.hashes.earlier:
        _keep_held(carried.hashes)


def render_in_place(pages: list[PageSpec], renderer: Renderer, published: Published, ledger: Ledger,
                    resources: Resources, later: Callable[[PageSpec], bool] | None, carried: Carried) -> Rendered | None:
    """As render_pages, but into the site the session published last
    (`published`: its ledger is the one just read) itself: a page whose
    entry there is of its hash is current, with no look at its file, and
    the staging folder is neither walked nor swapped in. The changed pages
    are all rendered before the first is written, each in one step, so a
    template error leaves the site as it was; whoever serves it holds
    requests meanwhile. The pages the site no longer has are deleted. None,
    having changed nothing, when so many pages must be rendered that the
    workers are worth their start: the build renders into staging then.

    The very pages of the build before are current: only the pages made
    anew are looked at. One made of new objects (a long list's page with a
    TODO more) is rendered whatever its inputs hash to, and hashed once it
    is written (`note_unhashed`: in `sitegen serve`, after the browsers are
    told). At 100,000 files this spares each save of `sitegen serve` a look
    at 11,000 pages' files and entries, and a walk of the staging folder."""
    hashed, made_anew, gone = _carried_hashes(pages, renderer.key, carried, hash_new=False)
    entries = published.entries
    to_render, left = [], []
    for at in made_anew:
        page, (key, _) = pages[at], hashed[at]
        entry = entries.get(page.url)
        if key is not None and entry is not None and entry[0] == key:
            continue  # made anew of the same objects: as the build before hashed it
        if later is not None and later(page):
            if key is None:
                hashed[at] = hashed_inputs(renderer.key, page.url, page.template, page.inputs, carried.hashes)
                carried.hashed_pages.note(page, hashed[at])
                key = hashed[at][0]
            if entry is None or entry[0] != key:
                left.append((page, key))
        else:
            to_render.append((page, key))
    if len(to_render) >= _MANY_PAGES:
        return None
    ledger.start_from(entries, gone)
    made = [_text_of(page, renderer, resources) for page, _ in to_render]
    snippets: dict[str, str] = {}
    # (held: every page's entry as the ledger is saved, rendered pages' too, whose snippets are in `snippets`)
    rendered = Rendered(len(to_render), snippets, left, ledger.noted.values())
    site = published.output
    with carried.publishing:
        # the pages gone first: a new page may need a folder where an old page's file was
        remove_pages(site, gone)
        for (page, key), (text, page_snippets) in zip(to_render, made):
            replace_file(site, page.url, text)
            if key is None:
                rendered.unhashed.append((page, sorted(page_snippets)))
            else:
                ledger.record(site, page.url, key, sorted(page_snippets))
            snippets.update(page_snippets)
    return rendered


def note_unhashed(rendered: Rendered, site: Path, ledger: Ledger, build_key: str, carried: Carried) -> None:
    """Hash the inputs of the pages render_in_place rendered unhashed, and
    note each in the ledger and in what the next build finds hashed."""
    for page, snippet_keys in rendered.unhashed:
        hashed = hashed_inputs(build_key, page.url, page.template, page.inputs, carried.hashes)
        ledger.record(site, page.url, hashed[0], snippet_keys)
        carried.hashed_pages.note(page, hashed)
    rendered.unhashed = []


def _unknown(pages: list[PageSpec], ledger: Ledger) -> frozenset[str]:
    """The URLs of the pages the ledger knows nothing of, when they are many
    (a first build): each is rendered whatever its inputs, so the worker that
    renders it hashes them too, rather than this process before any worker
    starts (3 of the 27 s of a first build of 10,000 pages)."""
    unknown = frozenset(page.url for page in pages if not ledger.has_entry(page.url))
    return unknown if len(unknown) >= _MANY_PAGES else frozenset()


def _hashed(pages: list[PageSpec], build_key: str, carried: Carried | None) -> list[tuple[str, int]]:
    """Each page's hashed_inputs. With `carried`: a page that is the very
    object an earlier build of this process hashed (a file's page that no
    save touched, see todo_pages.file_pages), or one made of the same
    objects (a list page whose rows a save did not move), keeps its hash;
    the objects that build hashed are not hashed again, and what this one
    hashed is carried to the next."""
    if carried is None:
        known = Known()
        return [hashed_inputs(build_key, page.url, page.template, page.inputs, known) for page in pages]
    return _carried_hashes(pages, build_key, carried)[0]


def _carried_hashes(pages: list[PageSpec], build_key: str, carried: Carried,
                    hash_new: bool = True) -> tuple[list[tuple[str | None, int]], list[int], list[str]]:
    """(_hashed with `carried`, the positions of the pages that are not the
    very pages of the build before, the URLs that build had and this one has
    not). Unless `hash_new`, a page made anew that does not keep its hash is
    left unhashed: (None, 0)."""
    settle_hashes(carried)  # (if the build before had no finish)
    known = carried.hashes = Known(carried.hashes)  # (settled later: settle_hashes)
    before = carried.hashed_pages
    if before.build_key != build_key:
        before = carried.hashed_pages = HashedPages(build_key)
    # The very pages of the build before, in one pass in C (10,000 file pages a save did not touch)
    hashed = list(map(before.by_id.get, map(id, pages), repeat(_UNHASHED)))
    made_anew = positions_of(hashed, _UNHASHED)
    for at in made_anew:
        page = pages[at]
        hashed[at] = (_kept_hash(before.pages.get(page.url), before.hashes.get(page.url), page)
                      or (hashed_inputs(build_key, page.url, page.template, page.inputs, known) if hash_new
                          else _UNHASHED))
    return hashed, made_anew, before.patch(pages, made_anew, hashed)


_UNHASHED = (None, 0)
"""What stands for the hash of a page not hashed yet (render_in_place)."""


def _kept_hash(earlier: PageSpec | None, earlier_hash: tuple | None, page: PageSpec) -> tuple[str, int] | None:
    """The hash of the page the build before had at the page's URL, if it shows the same."""
    if earlier is None or earlier_hash is None or earlier_hash is _UNHASHED:
        return None
    same = earlier is page or earlier.template == page.template and same_shown(earlier.inputs, page.inputs)
    return earlier_hash if same else None


def _keep_held(known: Known) -> None:
    """Take into `known` the entries of `known.earlier` whose object is still
    held by something besides the memo: a view on a page whose hash was kept
    (so not fed again) is met again by the lists of the next build. The rest,
    objects of builds gone by, are let go."""
    for key, entry in known.earlier.items():
        # references: the entry, and getrefcount's own argument
        if key not in known and sys.getrefcount(entry[0]) > 2:
            known[key] = entry
    known.earlier = {}


def render_later(site: Path, pages: list[tuple[PageSpec, str]], renderer: Renderer, ledger: Ledger,
                 resources: Resources) -> None:
    """Render the pages render_pages left (`Rendered.later`) into the published
    site, noted in the ledger (which the caller saves); whoever serves the
    site holds the requests for them meanwhile (sitegen serve: its data
    files, after the reload signal)."""
    _render_into(site, pages, renderer, ledger, resources, parallel=True, in_place=True)


def _render_into(folder: Path, pages: list[tuple[PageSpec, str | None]], renderer: Renderer, ledger: Ledger,
                 resources: Resources, parallel: bool, in_place: bool = False) -> dict[str, str]:
    """Render `pages` (each with its inputs' hash, or None: hashed as it is
    rendered) into `folder`, noted in the ledger; returns the snippets they
    hold. In forked workers if `parallel` (and more than one page), which
    start with every template compiled and the highlighter's lookups ready."""
    parallel = parallel and len(pages) > 1
    if parallel:
        renderer.prepare_for_workers()
    made = process_map(_render, range(len(pages)), shared=_Job(renderer, folder, resources, pages, in_place),
                       min_items=1 if parallel else _MANY_PAGES)
    snippets: dict[str, str] = {}
    for (page, _), (page_snippets, key) in zip(pages, made):
        ledger.record(folder, page.url, key, sorted(page_snippets))
        snippets.update(page_snippets)
    return snippets
