"""The bundled theme's templates as Jinja compiles them, shipped with sitegen
(`themes/default/precompiled.json`), so that a build does not parse and
generate code for them again: 0.18 s of every `sitegen build` or `serve`
start, where compiling the generated Python takes 0.03 s.

What Jinja generates for a template depends on its name and text, on Jinja
itself, and on the environment: its class and code generator, its options
and its filters (the arguments Jinja passes each; a filter of constant
arguments is even run as the template compiles). The file is used for a
template only when its name and text are those it was made from and the
`generator_key` it was made with is the running one (Jinja's code, the
source of site/environment.py, which makes the environment, and each
filter's identity); otherwise the template is compiled as before. The file
is part of the installed package, like sitegen's own code, and is never
read from the scanned repository or a user's theme.

    python -m sitegen.site.precompiled themes/default   (scripts/precompile-theme)

writes it again; tests/test_precompiled.py fails while it is out of date
(a filter's output changed, say, which a constant argument would bake in).
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType

from jinja2.bccache import BytecodeCache

from sitegen.site.render import template_files

FILE_NAME = "precompiled.json"


source_hash: Callable[[str], str] = BytecodeCache().get_source_checksum
"""How Jinja's bytecode caches know a template's source (`Bucket.checksum`)."""


def template_sources(theme: Path) -> dict[str, str]:
    """Each template of the theme folder `theme` by name, as a build reads it."""
    return {name: text for name, _, text in template_files([theme])}


def generator_key(jinja_code: bytes, environment_source: bytes, filters: list[tuple[str, ...]]) -> str:
    """What, besides a template's name and text, shapes the code Jinja makes of it."""
    digest = hashlib.sha256(repr(sorted(filters)).encode("utf-8"))
    for part in (jinja_code, environment_source):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def compiled(python: str, filename: str) -> CodeType | None:
    """A shipped template's code, compiled as Jinja's Environment.compile
    compiles what it generates; None for an entry that is not a template's
    (a damaged file is compiled from the templates instead)."""
    if "\ndef root(" not in python or "\nblocks = " not in python:
        return None
    try:
        return compile(python, filename, "exec")
    except (SyntaxError, ValueError):
        return None


def made(theme: Path, compile_raw: Callable[[str, str], str], key: str, jinja_version: str) -> str:
    """The file's text for the templates of `theme`: each one's source hash and
    the Python Jinja makes of it (`compile_raw(source, name)`), by name; `key` is
    the `generator_key` they were made with, and `jinja_version` Jinja's (written
    to say why a file is not used once another Jinja is installed)."""
    entries = {name: [source_hash(source), compile_raw(source, name)]
               for name, source in template_sources(theme).items()}
    return json.dumps({"generator": key, "jinja": jinja_version, "templates": entries},
                      indent=0, sort_keys=True, ensure_ascii=False) + "\n"


@functools.cache
def shipped(theme: Path, key: str) -> dict[str, list[str]]:
    """Template name → [source hash, Python] from `theme`'s file, if it was
    made with `key`; empty if it is missing, unreadable or made otherwise."""
    try:
        data = json.loads((theme / FILE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("generator") != key or not isinstance(data.get("templates"), dict):
        return {}
    return {name: entry for name, entry in data["templates"].items()
            if isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, str) for part in entry)}


def main(argv: list[str]) -> int:
    from importlib.metadata import version

    from sitegen.site.environment import bundled_generator_key, compile_raw

    if len(argv) != 1:
        print("usage: python -m sitegen.site.precompiled THEME_FOLDER (themes/default)", file=sys.stderr)
        return 2
    theme = Path(argv[0])
    text = made(theme, compile_raw, bundled_generator_key(), version("jinja2"))
    (theme / FILE_NAME).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
