"""The Jinja environment that renders the pages: theme loading, filters and
globals, compiled templates kept in memory. Imported only when some page
must be rendered: Jinja's modules are 40 ms a build with nothing changed
does not need (site/render.py says whether anything must be rendered).

Templates are found through a chain, as in Pelican: the user's theme folder
(if any) → the bundled default theme. A user overrides one template by
putting a file of the same name in `<theme>/templates/`; the rest come from
the default theme, and `{% extends "default/base.html" %}` reaches the
original of an overridden template.
"""

from __future__ import annotations

import functools
import os
import posixpath
import traceback
from collections.abc import Callable
from pathlib import Path

import jinja2
from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateNotFound,
    TemplateRuntimeError,
    TemplateSyntaxError,
)
from jinja2.bccache import Bucket
from jinja2.compiler import CodeGenerator
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from sitegen import __version__
from sitegen.config import BUNDLED_THEMES, Config
from sitegen.model import SEVERITIES
from sitegen.site import precompiled, urls
from sitegen.site.markup import inline_html
from sitegen.site.render import read_template, theme_dirs
from sitegen.site.rows import Rows


def template_location(exc: BaseException) -> tuple[str | None, int | None]:
    """(file, line) of the innermost template in a rendering error's traceback."""
    if isinstance(exc, TemplateSyntaxError):
        return exc.filename, exc.lineno
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
    return (frames[-1].filename, frames[-1].lineno) if frames else (None, None)


def percent(done: int, total: int) -> int:
    """Whole percent, rounded down: 199 of 200 is 99 %, never a false 100 %."""
    return done * 100 // total if total else 0


def severity_rank(severity: str) -> int:
    """0 for critical … 4 for info (a sortable table's key for a severity cell)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


class ThemeLoader(FileSystemLoader):
    """Templates from theme folders, each read only if it is a regular file
    inside its folder once links are resolved: a theme that ships with the
    repository is no way to read the machine's files."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        for searchpath in self.searchpath:
            filename = posixpath.join(searchpath, *pieces)
            if os.path.lexists(filename):
                break
        else:
            raise TemplateNotFound(template)
        contents = read_template(filename, os.path.realpath(searchpath))
        mtime = os.path.getmtime(filename)
        return contents, os.path.normpath(filename), lambda: os.path.getmtime(filename) == mtime


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in this process's memory, by template file and
    source text: a build that compiles the theme again (every `sitegen build`
    run by one process, each rebuild of `sitegen serve`, the forked workers)
    reuses the code. A template this process has not compiled yet is taken
    from the code shipped for the bundled theme when its name and source are
    those it was made from (site/precompiled.py). Never from the cache folder
    on disk: it may come from elsewhere, and loading code from it would run it."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, object]] = {}
        """Template file → (hash of its source, code): the latest version only."""

    def get_bucket(self, environment: Environment, name: str, filename: str | None, source: str) -> Bucket:
        bucket = super().get_bucket(environment, name, filename, source)
        if bucket.code is None:
            entry = precompiled.shipped(BUNDLED_THEMES / "default", bundled_generator_key()).get(name)
            if entry is not None and entry[0] == bucket.checksum:
                bucket.code = precompiled.compiled(entry[1], filename or "<template>")
                if bucket.code is not None:
                    self.dump_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self._code.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = (bucket.checksum, bucket.code)


def escape_text(value: object) -> str:
    """What markupsafe's escape gives, as a plain string for a string or an
    int: a page's thousands of outputs each made a Markup object in Python
    (half of a TODO row's time). Markup (a macro's output, the md filter's)
    is kept as it is; anything else with __html__ goes markupsafe's way."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is Markup:
        return value
    if kind is not str:
        return escape(value)
    if "&" in value or "<" in value or ">" in value or "'" in value or '"' in value:
        return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("'", "&#39;").replace('"', "&#34;"))
    return value


class _CodeGenerator(CodeGenerator):
    """Jinja's code, each output of an autoescaped template escaped by
    `escape_text`: the output is joined into the page as it is made, so it
    never needs to be Markup. (Outputs whose escaping is decided at run
    time, in `{% autoescape %}` blocks, keep Jinja's code.)"""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            return super()._output_child_pre(node, frame, finalize)
        self.write("environment.escape_text(")
        if finalize.src is not None:
            self.write(finalize.src)


class _Environment(Environment):
    code_generator_class = _CodeGenerator
    escape_text = staticmethod(escape_text)


_OPTIONS = {"autoescape": True, "undefined": StrictUndefined, "trim_blocks": True, "lstrip_blocks": True,
            "keep_trailing_newline": True}
"""The options that shape what a template compiles to (with the code generator)."""


_FILTERS = {
    "md": inline_html,
    "file_href": urls.file_href,
    "basename": posixpath.basename,  # a page of the same list, from a sibling page
}


def _new_environment(**others) -> _Environment:
    env = _Environment(**_OPTIONS, **others)
    env.filters.update(_FILTERS)  # known when a template is compiled
    return env


def compile_raw(source: str, name: str) -> str:
    """The Python a build's environment makes of a template."""
    return _new_environment().compile(source, name, raw=True)


_JINJA_CODE = ("compiler.py", "environment.py", "idtracking.py", "lexer.py", "nodes.py", "optimizer.py", "parser.py",
               "runtime.py")
"""Jinja's modules that parse templates, generate their code or run it (the
code imports from runtime.py): a patched Jinja keeps its version number."""


@functools.cache
def bundled_generator_key() -> str:
    """The `precompiled.generator_key` of the environments this module makes;
    "" (nothing shipped is used) if Jinja's code or this file cannot be read."""
    try:
        jinja = b"".join((Path(jinja2.__file__).parent / name).read_bytes() for name in _JINJA_CODE)
        source = Path(__file__).read_bytes()
    except OSError:
        return ""
    filters = [(name, f.__module__, f.__qualname__, repr(getattr(f, "jinja_pass_arg", None)))
               for name, f in _FILTERS.items()]
    return precompiled.generator_key(jinja, source, filters)


# What a template compiles to depends on the source and on the options of
# make_environment's Environment, which are the same for every environment it makes.
_COMPILED = CompiledTemplates()


class _StaticURLs(dict):
    """Static file name → published URL; a name the theme lacks is a template error."""

    def __missing__(self, name: str) -> str:
        raise TemplateRuntimeError(f"no static file {name!r} in the theme's static/ folder")


def make_environment(config: Config, static: dict[str, str]) -> Environment:
    """`static`: each static file's name → its published URL."""
    default_templates = BUNDLED_THEMES / "default" / "templates"
    loader = ChoiceLoader([
        ThemeLoader([str(d / "templates") for d in theme_dirs(config)]),
        PrefixLoader({"default": ThemeLoader(str(default_templates))}),
    ])
    env = _new_environment(
        loader=loader,
        auto_reload=False,  # one build, one set of templates: no stat per page
        bytecode_cache=_COMPILED,
    )
    env.globals["rows_html"] = Rows()
    env.globals.update(site_title=config.title, version=__version__, percent=percent, severity_rank=severity_rank, urls=urls.for_templates(_StaticURLs(static)),
                       base_url=config.base_url, noindex=config.noindex)
    return env
