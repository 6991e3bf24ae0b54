"""The theme's static files, published under content-hashed names.

Each file of the theme chain's `static/` folders (the more specific theme
wins) and each file sitegen generates for the theme (the highlighting
stylesheet) is published as `static/<stem>.<hash><suffix>`
(`static/style.3f2a9c1e07.css`): a host may let browsers keep it forever,
and a new build's file has a new name. Templates name a file by its theme
path, through `urls.static("style.css")`; the names are known before any
page is rendered, and every page depends on them (the renderer's key).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.files import NotRead, inside, read_regular
from sitegen.site import urls
from sitegen.walk import WalkSummary, walk

MAX_STATIC_BYTES = 64 << 20


@dataclass(frozen=True)
class StaticFile:
    name: str
    """Its path inside the theme's static/ folder: "style.css", "vendor/minisearch/index.js"."""
    url: str
    """Where the site publishes it (content-hashed)."""
    data: bytes


def _theme_sources(theme_dirs: list[Path]) -> dict[str, str]:
    """Name → path of every static file of the theme chain. Like the source
    tree, a theme's folder is walked confined: a link that leads out of it is
    an error, never read."""
    files: dict[str, str] = {}
    for theme in reversed(theme_dirs):
        static = theme / "static"
        if not static.is_dir():
            continue
        walked = WalkSummary()
        if not inside(static, os.path.realpath(theme)):
            raise SitegenError("theme: the static folder is a link that leads out of the theme folder", static)
        files.update(walk(static, use_gitignore=False, summary=walked))
        if walked.links:
            rel, reason = next(iter(walked.links.items()))
            raise SitegenError(f"theme: not copied ({reason}); static files must be regular files "
                               "inside the theme folder", static / rel)
    return files


def _read(path: str) -> bytes:
    try:
        return read_regular(path, MAX_STATIC_BYTES)
    except NotRead as exc:
        raise SitegenError(f"theme: static file not copied ({exc.reason})", path) from None


def static_files(theme_dirs: list[Path], generated: dict[str, bytes]) -> dict[str, StaticFile]:
    """Name → StaticFile of every file the site's static/ folder publishes:
    the theme chain's and the `generated` ones (by name)."""
    contents = {name: _read(path) for name, path in sorted(_theme_sources(theme_dirs).items())}
    contents.update(generated)
    return {name: StaticFile(name, urls.hashed_static(name, data), data) for name, data in sorted(contents.items())}
