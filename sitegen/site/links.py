"""Checking a built site's internal links (`build --strict`): every `href`
and `src` that stays in the site must lead to one of its files, and a
`#fragment` to an element of that page with that id.

Run on the staging folder before it is published, so that a site with a
broken link is never published under --strict. Links with a scheme
(https:, mailto:, …) or to another host (//…) are not followed.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

# The text between tags (never a "<": escaping made it "&lt;"), dropped so
# that only attributes remain, as any theme may write them: double-, single-
# or unquoted.
_TEXT = re.compile(r">[^<]+<")
_ATTRIBUTE = re.compile(r"""\s(id|name|href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def broken_links(site: Path, files: set[str]) -> list[str]:
    """'page: link — why' for each internal link of the site's HTML `files`
    (URLs relative to `site`) that leads to no file or no anchor of it."""
    pages = sorted(url for url in files if url.endswith(".html"))
    links, anchors = {}, {}
    for url in pages:
        links[url], anchors[url] = _links_and_anchors((site / url).read_text("utf-8", errors="replace"))
    problems = []
    for url in pages:
        own = anchors[url]
        for link in links[url]:
            if link[:1] == "#" and "%" not in link and (link[1:] in own or link == "#"):
                continue  # the commonest link, a permalink on its own page
            if (why := _why_broken(url, link, files, anchors)) is not None:
                problems.append(f"{url}: {link} — {why}")
    return problems


def _links_and_anchors(page: str) -> tuple[list[str], set[str]]:
    links, anchors = [], set()
    for name, double, single, bare in _ATTRIBUTE.findall(_TEXT.sub("><", page)):
        value = double or single or bare
        if "&" in value:
            value = html.unescape(value)
        (anchors.add(value) if name.lower() in ("id", "name") else links.append(value))
    return list(dict.fromkeys(links)), anchors


def _why_broken(page: str, link: str, files: set[str], anchors: dict[str, set[str]]) -> str | None:
    if _SCHEME.match(link) or link.startswith("//"):
        return None
    rest, _, fragment = link.partition("#")
    path = rest.partition("?")[0]
    target = page
    if path:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(path)))
        if joined == ".." or joined.startswith("../") or joined.startswith("/"):
            return "leads out of the site"
        folder_page = "index.html" if joined == "." else f"{joined}/index.html"  # as static hosts serve a folder
        candidates = (folder_page,) if path.endswith("/") else (joined, folder_page)
        target = next((candidate for candidate in candidates if candidate in files), None)
        if target is None:
            return "no such file in the site"
    fragment = unquote(fragment)
    if fragment and target in anchors and fragment not in anchors[target]:
        return f"no element with id {fragment!r} on {target}"
    return None
