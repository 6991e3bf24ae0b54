"""Untrusted Markdown from scanned documents → safe inline HTML.

Raw HTML is escaped, never passed through; images are not loaded (no request
may leave the site); links to other sites are kept, relative links become
text because their targets are not part of the site.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_ABSOLUTE = re.compile(r"^(?:https?:|mailto:)", re.I)
MAX_MARKDOWN = 32 * 1024
"""A text longer than this (in characters) is shown as plain, escaped text:
markdown-it-py's inline parser takes up to 25 µs a character (a run of "["),
so 32 KiB is at most about a second."""
# Most task texts use at most **bold** and `code`, in their plain forms. Those
# are rendered here without the parser (3-10× faster); the property test in
# tests/test_markup.py checks that the result is always markdown-it's.
_PLAIN = r"[^\\`*_\[\]<>&\n]"
_CODE = r"(?<!`)`[^`*\s](?:[^`*\n]*[^`*\s])?`(?!`)"
_BOLD = (r"(?<![^\s(])\*\*[A-Za-z0-9](?:[^\\`*_\[\]<>&\n]*[A-Za-z0-9])?\*\*(?=[\s.,:;!?)]|$)"
         r"|(?<![^\s(])\*\*[A-Za-z0-9][^\\`*_\[\]<>&\n]*\)\*\*(?=\s|$)")
# A link to another site, with plain text and a plain https URL (no characters
# that markdown-it would percent-encode or escape).
_URL = r"https?://[A-Za-z0-9][A-Za-z0-9./_~?#=+-]*"  # no ":": ports and odd colons are normalised
_LINK = rf"(?<![!\]\\])\[[A-Za-z0-9](?:[^\\`*_\[\]<>&\n]*[A-Za-z0-9])?\]\(({_URL})\)"
# Runs of plain characters are taken whole (possessive: none of the other
# forms starts with a plain character), which makes the match 2-3x faster.
_SIMPLE = re.compile(f"(?:{_PLAIN}++|{_CODE}|{_BOLD}|{_LINK})*")
_SPECIAL = re.compile(r"[\\`*_\[\]<>&\n]")
# In a text _SIMPLE accepts, "`" only delimits code spans, "[" only opens a
# link and "**" only delimits bold, so plain patterns find them.
_CODE_OR_LINK = re.compile(r"`[^`]*`|\[[^\]]*\]\([^)]*\)")


def _simple_html(text: str) -> Markup | None:
    """`text` as HTML if it is plain text with plain bold and code spans and
    plain links to other sites, else None."""
    if not _SPECIAL.search(text):
        return Markup(text.replace('"', "&quot;"))
    if not _SIMPLE.fullmatch(text):
        return None
    if "`" in text or "[" in text:
        parts, end = [], 0
        for span in _CODE_OR_LINK.finditer(text):
            parts += [_escaped(text[end:span.start()]), _code_or_link_html(span.group())]
            end = span.end()
        html = "".join(parts) + _escaped(text[end:])
    else:
        html = _escaped(text)
    if "**" in html:
        parts = html.split("**")
        html = "".join(f"<strong>{part}</strong>" if i % 2 else part for i, part in enumerate(parts))
    return Markup(html)


def _escaped(text: str) -> str:
    # As markdown-it escapes (markupsafe would write &#34; for ").
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _code_or_link_html(span: str) -> str:
    if span[0] == "`":
        return f"<code>{_escaped(span[1:-1])}</code>"
    text, _, url = span[1:-1].partition("](")
    return f'<a href="{url}" rel="noopener noreferrer">{_escaped(text)}</a>'


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


@functools.cache
def _markdown() -> MarkdownIt:
    """Made on first use: most task texts take the fast path above, and
    importing markdown-it-py costs 50 ms of every start."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False}).disable(["image"])
    parser.add_render_rule("link_open", _link_open)
    parser.add_render_rule("link_close", _link_close)
    return parser


def inline_html(text: str) -> Markup:
    """One line of Markdown (bold, code, links…) as HTML, safe to embed."""
    text = text.strip()
    simple = _simple_html(text)
    if simple is not None:
        return simple
    if len(text) > MAX_MARKDOWN:
        return Markup(_escaped(text))
    return markdown_it_html(text)


def markdown_it_html(text: str) -> Markup:
    env: dict = {}
    tokens: list = []
    parser = _markdown()
    parser.inline.parse(text, parser, env, tokens)
    return Markup(parser.renderer.renderInline(tokens, parser.options, env))
