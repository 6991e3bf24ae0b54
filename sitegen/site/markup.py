"""Untrusted Markdown from scanned documents → safe inline HTML.

Raw HTML is escaped, never passed through; images are not loaded (no request
may leave the site); links to other sites are kept, relative links become
text because their targets are not part of the site.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape
from markdown_it import MarkdownIt

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable(["image"])
_ABSOLUTE = re.compile(r"^(?:https?:|mailto:)", re.I)
# Text without any of these renders the same as escaped text: skip the parser.
_MARKDOWN_SYNTAX = re.compile(r"[\\`*_\[\]<>&!~]|https?:|^\s*[#>+-]|\n", re.M)


def _link_open(renderer, tokens, idx, options, env):
    token = tokens[idx]
    href = token.attrGet("href") or ""
    if _ABSOLUTE.match(href):
        token.attrSet("rel", "noopener noreferrer")
        return renderer.renderToken(tokens, idx, options, env)
    token.meta["as_text"] = True
    return f'<span class="link-text" title="{escape(href)}">'


def _link_close(renderer, tokens, idx, options, env):
    # The opening token of this link is the nearest unmatched link_open before it.
    depth = 0
    for j in range(idx - 1, -1, -1):
        if tokens[j].type == "link_close":
            depth += 1
        elif tokens[j].type == "link_open":
            if depth == 0:
                return "</span>" if tokens[j].meta.get("as_text") else "</a>"
            depth -= 1
    return "</a>"


_MARKDOWN.add_render_rule("link_open", _link_open)
_MARKDOWN.add_render_rule("link_close", _link_close)


def inline_html(text: str) -> Markup:
    """One line of Markdown (bold, code, links…) as HTML, safe to embed."""
    if not _MARKDOWN_SYNTAX.search(text):
        return escape(text)
    env: dict = {}
    tokens: list = []
    _MARKDOWN.inline.parse(text.strip(), _MARKDOWN, env, tokens)
    return Markup(_MARKDOWN.renderer.renderInline(tokens, _MARKDOWN.options, env))
