"""The Jinja environment: theme loading, filters, rendering one page.

Templates are found through a chain, as in Pelican: the user's theme folder
(if any) → the bundled default theme. A user overrides one template by
putting a file of the same name in `<theme>/templates/`; the rest come from
the default theme, and `{% extends "default/base.html" %}` reaches the
original of an overridden template.
"""

from __future__ import annotations

import os
import posixpath
import traceback
from collections.abc import Callable
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)
from jinja2.loaders import split_template_path

from sitegen import __version__
from sitegen.config import BUNDLED_THEMES, Config
from sitegen.errors import SitegenError
from sitegen.files import NotRead, inside, read_checked, why_not_read
from sitegen.site.markup import inline_html
from sitegen.site.output import write_file
from sitegen.site.pages import Page
from sitegen.site.todo_pages import file_page_href


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


def relative_root(url: str) -> str:
    """The prefix that leads from page `url` back to the site's root."""
    depth = url.count("/")
    return "../" * depth


MAX_TEMPLATE_BYTES = 1 << 20


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


def make_environment(config: Config) -> Environment:
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
    )
    env.filters["md"] = inline_html
    env.filters["file_href"] = file_page_href
    env.globals.update(site_title=config.title, version=__version__, percent=percent)
    return env


class Renderer:
    """Renders pages with the configured theme chain; templates are compiled
    up front, so template errors surface before any page is written."""

    def __init__(self, config: Config):
        self.theme_dirs = theme_dirs(config)
        self.env = make_environment(config)
        # "default/…" names are the bundled theme again, reached only by an explicit extends.
        for name in self.env.list_templates(filter_func=lambda n: n.endswith(".html") and not n.startswith("default/")):
            try:
                self.env.get_template(name)
            except TemplateSyntaxError as exc:
                raise SitegenError(f"template: {exc.message}", exc.filename, exc.lineno) from None

    def render(self, page: Page) -> str:
        try:
            return self.env.get_template(page.template).render(
                **page.context, root=relative_root(page.url), page_url=page.url
            )
        except TemplateError as exc:
            raise SitegenError(f"template: {exc} (rendering {page.url})", *template_location(exc)) from None

    def write(self, page: Page, staging: Path) -> None:
        write_file(staging, page.url, self.render(page))
