"""Every URL the site has, and nowhere else: pages, the page list and the
templates (as the `urls` global) all take them from here, so moving a page is
a change in one place.

URLs are paths inside the site, with forward slashes; `href` escapes one for
an attribute (characters such as #, ?, % and spaces in source file names).
"""

from __future__ import annotations

import functools
import hashlib
import posixpath
import re
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
DATA = "data/"
"""The folder of the files that hold every item (for scripts and other tools)."""


def in_data(path: str) -> bool:
    """Whether a site path (a page's URL, or a request's path once decoded) is in DATA."""
    return [part for part in path.split("/") if part][:1] == [DATA.rstrip("/")]

SEARCH_DATA = DATA + "search.js"
"""Every item, for the search box (site/list_data.py); data files keep their names, so that
pages do not change when only the items do."""
SITEMAP = "sitemap.xml"
HEALTH_JSON = DATA + "health.json"
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


def part(first: str, number: int) -> str:
    """Part `number` (1-based) of a page split into parts (a long list, a
    source file or checklist document with thousands of items) whose first
    part is `first`: the first keeps the page's URL, the others add their
    number in the same folder (`todos/index-2.html`, `files/a.py-2.html`)."""
    if number == 1:
        return first
    stem, extension = posixpath.splitext(first)
    return f"{stem}-{number}{extension}"


def item(page: str, anchor: str) -> str:
    """The link to an item (or any anchor) on `page`, the page or part of a
    page that holds it (`file_part`, `document_part`). Every link to an item
    is made here: from the lists, the priority table, the dashboard, the file
    and document pages, and the data files of search and of the lists."""
    return f"{href(page)}#{anchor}"


def document_part(slug: str, number: int = 1) -> str:
    """Part `number` of a checklist document's page."""
    return part(document(slug), number)


def in_document(slug: str, anchor: str, number: int = 1) -> str:
    """The link to a task or section on part `number` of a document's page."""
    return item(document_part(slug, number), anchor)


def badge(name: str) -> str:
    """A README badge (site/badges.py)."""
    return f"badges/{name}.svg"


def tool_findings(slug: str) -> str:
    """The page (the first of its pages) listing one static-analysis tool's findings by rule."""
    return f"findings/tool-{slug}.html"


def tool_list(slug: str) -> str:
    """The name of the list of one static-analysis tool's findings (its pages:
    `tool_findings(slug)`; its rows: `list_data` of this name)."""
    return f"tool-{slug}"


def list_data(name: str) -> str:
    """The rows of a long list ("todos", "priorities", "findings", a tool's `tool_list`), for sorting
    and filtering all its pages."""
    return f"{DATA}{name}.js"


_PAGE_LIKE_FOLDER = re.compile(r"\.html_*(?=/|\Z)", re.IGNORECASE)
_FILES_PART = re.compile(r"index(-[0-9]+)?")
"""Top-level names whose page would be one of the file tree's own pages."""


def _folder_in_site(folder: str) -> str:
    """Where a source folder's files have their pages: the folder's path,
    except that each folder named as a page is (ending in ".html", in any
    case, or in that and underscores) gets one underscore more. A file
    `x.py`'s page is `x.py.html`, which a folder `x.py.html/` beside it
    would otherwise be too (and the file tree's page, `files/index.html`, a
    top folder `index.html/`); the folders ending so and in underscores get
    one too, so that no two folders become one."""
    if _PAGE_LIKE_FOLDER.search(folder) is None:  # almost every folder: 80 ns, where the rest takes µs
        return folder
    return "/".join(map(_folder_name_in_site, folder.split("/")))


def _folder_name_in_site(name: str) -> str:
    if _PAGE_LIKE_FOLDER.search(name) is None:
        return name
    if len(name.encode("utf-8", "surrogateescape")) < _MAX_NAME_BYTES:
        return name + "_"
    return _shortened(name, name)  # no room for "_": ends in a digit of the hash instead


def _shortened(name: str, path: str) -> str:
    """`name` cut to 200 bytes and made unique by a hash of `path`."""
    digest = hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    return f"{name.encode('utf-8', 'surrogateescape')[:200].decode('utf-8', 'ignore')}-{digest}"


def file_page(path: str) -> str:
    """A source file's page: its path plus ".html" (in `_folder_in_site`),
    unless that name is too long to write or is one of the file tree's own
    pages (a top-level `index`, `index-2`); then a shortened name made unique
    by a hash."""
    folder, _, name = path.rpartition("/")
    folder = _folder_in_site(folder)
    page = f"{name}.html"
    if len(page.encode("utf-8", "surrogateescape")) > _MAX_NAME_BYTES or (not folder and _FILES_PART.fullmatch(name)):
        page = f"{_shortened(name, path)}.html"
    return f"files/{folder}/{page}" if folder else f"files/{page}"


def file_part(path: str, number: int, taken: frozenset[str] | set[str] = frozenset()) -> str:
    """Part `number` of source file `path`'s page; `taken`: every file's
    (first) page, which a part's name must not be (a file `a.py-2` beside
    `a.py`): then the name is made unique by a hash, as `file_page` does."""
    first = file_page(path)
    url = part(first, number)
    if number > 1 and url in taken:
        digest = hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()[:10]
        url = part(f"{first[:-len('.html')]}-{digest}.html", number)
    return url


def hashed_static(name: str, data: bytes) -> str:
    """Where the static file `name` (its path in the theme's static/ folder) is
    published: its stem, the start of its content's hash, its suffix."""
    folder, _, base = name.rpartition("/")
    stem, dot, suffix = base.partition(".")
    digest = hashlib.sha256(data).hexdigest()[:10]
    return f"static/{folder}/{stem}.{digest}{dot}{suffix}" if folder else f"static/{stem}.{digest}{dot}{suffix}"


@functools.lru_cache(maxsize=4096)
def href(url: str) -> str:
    """`url` escaped for an attribute (cached: each item's link escapes its page's URL)."""
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
                           in_document=in_document, item=item,
                           badge=badge, list_data=list_data, search_data=SEARCH_DATA,
                           static=static.__getitem__, style_css=static[STYLE_CSS], favicon=static[FAVICON],
                           pygments_css=static[PYGMENTS_CSS])
