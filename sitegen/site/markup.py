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
# Most task texts use at most **bold** and `code`, in their plain forms. Those
# are rendered here without the parser (3-10× faster); the property test in
# tests/test_markup.py checks that the result is always markdown-it's.
_PLAIN = r"[^\\`*_\[\]<>&\n]"
_CODE = r"(?<!`)`[^`*\s](?:[^`*\n]*[^`*\s])?`(?!`)"
_BOLD = (r"(?<![^\s(])\*\*[A-Za-z0-9](?:[^\\`*_\[\]<>&\n]*[A-Za-z0-9])?\*\*(?=[\s.,:;!?)]|$)"
         r"|(?<![^\s(])\*\*[A-Za-z0-9][^\\`*_\[\]<>&\n]*\)\*\*(?=\s|$)")
_SIMPLE = re.compile(f"(?:{_PLAIN}|{_CODE}|{_BOLD})*")
_CODE_SPAN = re.compile(_CODE)
_BOLD_SPAN = re.compile(r"\*\*(.+?)\*\*")


def _simple_html(text: str) -> Markup | None:
    """`text` as HTML if it is plain text with plain bold and code spans, else None."""
    if not _SIMPLE.fullmatch(text):
        return None
    # Escaped as markdown-it escapes (markupsafe would write &#34; for ").
    html = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    html = _CODE_SPAN.sub(lambda m: f"<code>{m.group()[1:-1]}</code>", html)
    if "**" in html:
        html = _BOLD_SPAN.sub(r"<strong>\1</strong>", html)
    return Markup(html)


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
    text = text.strip()
    simple = _simple_html(text)
    if simple is not None:
        return simple
    return markdown_it_html(text)


def markdown_it_html(text: str) -> Markup:
    env: dict = {}
    tokens: list = []
    _MARKDOWN.inline.parse(text, _MARKDOWN, env, tokens)
    return Markup(_MARKDOWN.renderer.renderInline(tokens, _MARKDOWN.options, env))
