"""The Jinja environment: theme loading, filters, rendering one page.

Templates are found through a chain, as in Pelican: the user's theme folder
(if any) → the bundled default theme. A user overrides one template by
putting a file of the same name in `<theme>/templates/`; the rest come from
the default theme, and `{% extends "default/base.html" %}` reaches the
original of an overridden template.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined

from sitegen import __version__
from sitegen.config import BUNDLED_THEMES, Config
from sitegen.site.markup import inline_html


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


def make_environment(config: Config) -> Environment:
    default_templates = BUNDLED_THEMES / "default" / "templates"
    loader = ChoiceLoader([
        FileSystemLoader([str(d / "templates") for d in theme_dirs(config)]),
        PrefixLoader({"default": FileSystemLoader(str(default_templates))}),
    ])
    env = Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = inline_html
    env.filters["percent"] = lambda pair: percent(*pair)
    env.globals.update(site_title=config.title, version=__version__, percent=percent)
    return env


def render_page(env: Environment, url: str, template: str, context: dict) -> str:
    root = relative_root(url)
    return env.get_template(template).render(
        **context, root=root, page_url=url, page_dir=posixpath.dirname(url)
    )
