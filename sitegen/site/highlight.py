"""Source lines as highlighted HTML (pygments), kept across builds.

Highlighting is most of the work of building a large tree's site (0.1 to 1 ms
per snippet, ten thousand snippets in a tree of 100,000 files), and snippets
rarely change between builds: each one is cached under a hash of everything
that shapes it, in .sitegen-cache/highlight.marshal.
"""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import re
from pathlib import Path

import pygments
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, find_lexer_class, get_all_lexers

from sitegen.cache import KeptFiles, load_with, save_with, settings_key
from sitegen.site.lexing import accelerated

CACHE_FILE = "highlight.marshal"
_FORMATTER_OPTIONS = dict(cssclass="highlight", wrapcode=True)
# Making an HtmlFormatter builds its stylesheet (0.2 ms): one is made, and each
# snippet gets a copy with its own numbering and marked line.
_SNIPPET_FORMATTER = HtmlFormatter(linenos="inline", **_FORMATTER_OPTIONS)
_EXTENSION_GLOB = re.compile(r"\*\.[^*?\[\]./]+")
# The cache folder can come with the repository (CI builds pull requests), so
# its HTML is used only if it has the shape pygments gives: text and entities
# in spans with plain class names. A planted snippet can colour text, never
# add markup.
_SAFE_SNIPPET = re.compile(
    r'<div class="highlight"><pre><span></span><code>'
    r'(?:[^<&]++|&(?:[a-z]+|#[0-9]+|#x[0-9a-f]+);|<span class="[\w -]*">|</span>)*+'
    r"</code></pre></div>\n", re.I)


DARK_STYLE = "github-dark"


def pygments_css() -> str:
    """The code colours: pygments' default style, and a dark one for readers
    whose system is set to dark (the theme's own colours switch too)."""
    light = HtmlFormatter(**_FORMATTER_OPTIONS).get_style_defs(".highlight")
    dark = HtmlFormatter(style=DARK_STYLE, **_FORMATTER_OPTIONS).get_style_defs(".highlight")
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"


def prepare_for_workers() -> None:
    """Read pygments' lexers' file name patterns in this process, before
    workers are forked: each would read them again for its first snippet (in
    every rebuild of `sitegen serve`)."""
    _names_not_chosen_by_extension()  # reads every lexer's (_lexer_globs)


@functools.cache
def _lexer_globs() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(name, file name patterns) of every lexer pygments has, plugins included."""
    return tuple((name, tuple(globs)) for name, _, globs, _ in get_all_lexers())


@functools.cache
def _names_not_chosen_by_extension() -> re.Pattern:
    """File names some lexer claims by more than their last extension
    ("Makefile", "*.html.j2", ".bashrc")."""
    globs = {g for _, globs in _lexer_globs() for g in globs if not _EXTENSION_GLOB.fullmatch(g)}
    return re.compile("|".join(fnmatch.translate(g) for g in sorted(globs)))


_GLOB_SPECIALS = re.compile(r"[*?\[]")


def _glob_matches(name: str, glob: str) -> bool:
    """fnmatch's answer, as pygments matches names to patterns, without
    compiling the pattern when it is a plain name or `*` and a suffix (most
    of pygments' 900): compiling them all was 0.2 s of every build's start."""
    if glob.startswith("*") and not _GLOB_SPECIALS.search(glob, 1):
        return name.endswith(glob[1:])
    if not _GLOB_SPECIALS.search(glob):
        return name == glob
    return fnmatch.fnmatchcase(name, glob)


@functools.cache
def _lexer_named(name: str):
    """The lexer pygments' get_lexer_for_filename gives for `name`: of the
    lexers with a pattern it matches, the one of highest priority (a pattern
    without `*` adds a half), then of last class name."""
    matches = [(find_lexer_class(lexer), glob) for lexer, globs in _lexer_globs() for glob in globs
               if _glob_matches(name, glob)]
    if not matches:
        return TextLexer(stripnl=False)
    matches.sort(key=lambda match: (match[0].priority + (0 if "*" in match[1] else 0.5), match[0].__name__))
    return accelerated(matches[-1][0](stripnl=False, stripall=False))


def lexer_for(path: str):
    """The lexer pygments would choose for the file's name."""
    # Pygments tries every lexer's patterns on each name (0.8 ms); most names
    # are matched by their extension alone, so one lookup serves them all.
    name = path.rsplit("/", 1)[-1]
    if "." in name and not _names_not_chosen_by_extension().match(name):
        name = "_." + name.rsplit(".", 1)[1]
    return _lexer_named(name)


def snippet_html(path: str, lines: list[str], start: int, marked: int) -> str:
    """`lines` of file `path`, highlighted, numbered from `start`, line
    `marked` marked: what `pygments.highlight` gives with _SNIPPET_FORMATTER
    numbering from `start` and marking that line. The tokens' spans are
    pygments' own (`_format_lines`); the numbers, the mark and the wrapping
    around them are written here, in one pass instead of five nested
    generators over a copy of the formatter (a fifth of a snippet's time)."""
    tokens = lexer_for(path).get_tokens("\n".join(lines) + "\n")
    shown = [line for _, line in _SNIPPET_FORMATTER._format_lines(tokens)]
    width = len(str(len(shown) + start - 1))
    numbered = [f'<span class="linenos">{number:>{width}}</span>{line}'
                for number, line in enumerate(shown, start)]
    if 0 <= marked - start < len(numbered):
        numbered[marked - start] = f'<span class="hll">{numbered[marked - start]}</span>'
    return f'<div class="highlight"><pre><span></span><code>{"".join(numbered)}</code></pre></div>\n'


class Snippets:
    """Highlighted snippets, taken from `known` when made before.

    `made` collects every snippet asked for, to be stored as the next cache
    (so snippets no longer shown drop out)."""

    def __init__(self, known: dict[str, str] | None = None):
        self.known = known if known is not None else {}
        self.made: dict[str, str] = {}

    def html(self, path: str, lines: list[str], start: int, marked: int) -> str:
        key = hashlib.blake2b(
            repr((type(lexer_for(path)).__name__, start, marked, lines)).encode(), digest_size=16,
        ).hexdigest()
        html = self.known.get(key)
        if not (isinstance(html, str) and _SAFE_SNIPPET.fullmatch(html)):
            html = snippet_html(path, lines, start, marked)
        self.made[key] = html
        return html


def _cache_key() -> str:
    return settings_key("highlight", pygments.__version__)


def load_snippets(cache_dir: Path, kept: KeptFiles | None = None) -> Snippets:
    return Snippets(load_with(kept, cache_dir / CACHE_FILE, _cache_key()))


def save_snippets(cache_dir: Path, made: dict[str, str], kept: KeptFiles | None = None) -> None:
    save_with(kept, cache_dir / CACHE_FILE, _cache_key(), made)
