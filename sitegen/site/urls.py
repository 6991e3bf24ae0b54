"""Every URL the site has, and nowhere else: pages, the page list and the
templates (as the `urls` global) all take them from here, so moving a page is
a change in one place.

URLs are paths inside the site, with forward slashes; `href` escapes one for
an attribute (characters such as #, ?, % and spaces in source file names).
"""

from __future__ import annotations

import hashlib
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
PYGMENTS_CSS = "static/pygments.css"
STYLE_CSS = "static/style.css"
FAVICON = "static/favicon.svg"
NOT_FOUND = "404.html"
"""What static hosts (GitHub Pages, Netlify, GitLab Pages) serve for a missing page."""
"""The default theme's stylesheet (a theme's static files keep their paths)."""
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


def href(url: str) -> str:
    return quote(url)


def file_href(path: str) -> str:
    """A source file's page, as an href."""
    return href(file_page(path))


def for_templates() -> SimpleNamespace:
    """The `urls` global of templates: `{{ root }}{{ urls.document(doc.slug) }}`."""
    names = ("DASHBOARD", "PRIORITIES", "CHECKLISTS", "TODOS", "TODOS_BY_CATEGORY", "TODOS_BY_TAG", "FILES",
             "FINDINGS", "FINDINGS_BY_SEVERITY", "FINDINGS_BY_CATEGORY", "PYGMENTS_CSS", "STYLE_CSS", "FAVICON", "SITEMAP",
             "ROBOTS", "HEALTH_JSON", "NAVIGATION")
    return SimpleNamespace(**{name.lower(): globals()[name] for name in names}, document=document, href=href, badge=badge)
