"""Every URL the site has, and nowhere else: pages, the page list and the
templates (as the `urls` global) all take them from here, so moving a page is
a change in one place.

URLs are paths inside the site, with forward slashes; `href` escapes one for
an attribute (characters such as #, ?, % and spaces in source file names).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from types import SimpleNamespace
from urllib.parse import quote

DASHBOARD = "index.html"
PRIORITIES = "priorities/index.html"
CHECKLISTS = "checklists/index.html"
TODOS = "todos/index.html"
TODOS_BY_CATEGORY = "todos/by-category.html"
TODOS_BY_TAG = "todos/by-tag.html"
FILES = "files/index.html"
FINDINGS = "findings/index.html"
FINDINGS_BY_SEVERITY = "findings/by-severity.html"
FINDINGS_BY_CATEGORY = "findings/by-category.html"
PYGMENTS_CSS = "pygments.css"
"""Static files are named by their path in the theme's static/ folder; each is
published under a content-hashed URL (`hashed_static`), which pages get from
the `urls.static` of templates."""
STYLE_CSS = "style.css"
FAVICON = "favicon.svg"
NOT_FOUND = "404.html"
"""What static hosts (GitHub Pages, Netlify, GitLab Pages) serve for a missing page."""
SEARCH = "search/index.html"
SEARCH_DATA = "data/search.js"
"""Every item, for the search box (site/list_data.py); data files keep their names, so that
pages do not change when only the items do."""
SITEMAP = "sitemap.xml"
HEALTH_JSON = "data/health.json"
"""Every item, machine-readable (sitegen/export/json_format.py, docs/health-json.md)."""
ROBOTS = "robots.txt"

NAVIGATION = (
    (DASHBOARD, "Dashboard"), (PRIORITIES, "Priorities"), (CHECKLISTS, "Checklists"),
    (TODOS, "TODOs"), (FINDINGS, "Findings"), (FILES, "Files"),
)

# A file name of more bytes than this (with ".html") cannot be written.
_MAX_NAME_BYTES = 255


def document(slug: str) -> str:
    """A checklist document's page."""
    return f"checklists/{slug}/index.html"


def badge(name: str) -> str:
    """A README badge (site/badges.py)."""
    return f"badges/{name}.svg"


def tool_findings(slug: str) -> str:
    """The page (the first of its pages) listing one static-analysis tool's findings by rule."""
    return f"findings/tool-{slug}.html"


def list_data(name: str) -> str:
    """The rows of a long list ("todos", "priorities", "findings"), for sorting and filtering all its pages."""
    return f"data/{name}.js"


def file_page(path: str) -> str:
    """A source file's page: its path plus ".html", unless that name is too
    long to write or is the file tree's own page; then a shortened name made
    unique by a hash."""
    folder, _, name = path.rpartition("/")
    page = f"{name}.html"
    if len(page.encode("utf-8", "surrogateescape")) > _MAX_NAME_BYTES or path == "index":
        digest = hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()[:10]
        page = f"{name.encode('utf-8', 'surrogateescape')[:200].decode('utf-8', 'ignore')}-{digest}.html"
    return f"files/{folder}/{page}" if folder else f"files/{page}"


def hashed_static(name: str, data: bytes) -> str:
    """Where the static file `name` (its path in the theme's static/ folder) is
    published: its stem, the start of its content's hash, its suffix."""
    folder, _, base = name.rpartition("/")
    stem, dot, suffix = base.partition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"static/{folder}/{stem}.{digest}{dot}{suffix}" if folder else f"static/{stem}.{digest}{dot}{suffix}"


def href(url: str) -> str:
    return quote(url)


def file_href(path: str) -> str:
    """A source file's page, as an href."""
    return href(file_page(path))


def for_templates(static: Mapping[str, str]) -> SimpleNamespace:
    """The `urls` global of templates: `{{ root }}{{ urls.document(doc.slug) }}`;
    `static` maps each static file's name to its published URL
    (`{{ root }}{{ urls.static("style.css") }}`)."""
    names = ("DASHBOARD", "PRIORITIES", "CHECKLISTS", "TODOS", "TODOS_BY_CATEGORY", "TODOS_BY_TAG", "FILES",
             "FINDINGS", "FINDINGS_BY_SEVERITY", "FINDINGS_BY_CATEGORY", "SEARCH", "SITEMAP", "ROBOTS", "HEALTH_JSON",
             "NAVIGATION")
    return SimpleNamespace(**{name.lower(): globals()[name] for name in names}, document=document, href=href,
                           badge=badge, list_data=list_data, search_data=SEARCH_DATA,
                           static=static.__getitem__, style_css=static[STYLE_CSS], favicon=static[FAVICON],
                           pygments_css=static[PYGMENTS_CSS])
