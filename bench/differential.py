"""The comment lexers against real tokenizers on every file of real code,
with figures per language (files, oracle comments and markers, missed, extra).

    python bench/differential.py [--code DIR] [--node-path DIR]

Always: Python's `tokenize` on the interpreter's standard library and on this
venv's site-packages; pygments on the interpreter's C headers. With `--code
DIR` (real projects: unpacked sdists, wheels, npm packages, a JDK's src.zip),
also every .py (tokenize), .js/.mjs/.cjs (acorn, from `--node-path`, by
default .venv/oracles/node_modules as scripts/test installs it), .ts
(pygments), .c/.h, .java, .sql, .css and shell file under it. For example:

    pip download --no-deps --no-binary :all: psutil cffi simplejson
    pip download --no-deps --only-binary :all: django numpy scipy sympy sqlalchemy
    npm pack lodash express moment axios rxjs vue leasot typescript@5.6 eslint webpack
    (unpack each into DIR)

tests/test_differential.py runs a sample of the same comparisons on every run.
"""

from __future__ import annotations

import argparse
import sys
import sysconfig
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
import oracles  # noqa: E402

# language: (extensions, pygments lexer name)
PYGMENTS = {
    "c": ("c h", "c"),
    "typescript": ("ts mts cts", "typescript"),
    "java": ("java", "java"),
    "sql": ("sql", "postgresql"),
    "css": ("css", "css"),
    "shell": ("sh bash", "bash"),
}


def files_under(root: Path, extensions: str) -> list[Path]:
    wanted = {f".{e}" for e in extensions.split()}
    return sorted(p for p in root.rglob("*") if p.suffix in wanted and p.is_file())


def report(name: str, tally: oracles.Tally, started: float, show: int) -> None:
    print(f"{tally.line(name)} ({time.perf_counter() - started:.1f} s)")
    for difference in tally.differences[:show]:
        print(f"   {difference.path}: missed {difference.missed[:3]} extra {difference.extra[:3]}")


def main() -> None:
    from pygments.lexers import get_lexer_by_name

    parser = argparse.ArgumentParser()
    parser.add_argument("--code", type=Path)
    parser.add_argument("--node-path", type=Path, default=REPO / ".venv" / "oracles" / "node_modules")
    parser.add_argument("--show", type=int, default=5, help="differing files to list per language")
    args = parser.parse_args()
    paths = sysconfig.get_paths()
    stdlib = Path(paths["stdlib"])
    inputs = [("python (stdlib)", [p for p in stdlib.rglob("*.py") if "site-packages" not in p.parts]),
              ("python (site-packages)", sorted(Path(paths["purelib"]).rglob("*.py")))]
    if args.code:
        inputs.append((f"python ({args.code})", files_under(args.code, "py")))
    for name, files in inputs:
        started = time.perf_counter()
        report(name, oracles.compare_python(sorted(files)), started, args.show)
    roots = [("headers", Path(paths["include"]))] + ([(str(args.code), args.code)] if args.code else [])
    for language, (extensions, lexer_name) in PYGMENTS.items():
        for label, root in roots:
            files = files_under(root, extensions)
            if not files:
                continue
            started = time.perf_counter()
            syntax = oracles.lexers.syntax_for(f"x.{extensions.split()[0]}")
            lexer = get_lexer_by_name(lexer_name, stripnl=False, ensurenl=False)
            report(f"{language}/pygments ({label})", oracles.compare_with_pygments(files, syntax, lexer), started,
                   args.show)
    if args.code and oracles.acorn_available(args.node_path):
        started = time.perf_counter()
        tally = oracles.compare_with_acorn(files_under(args.code, "js mjs cjs"), args.node_path)
        report(f"javascript/acorn ({args.code})", tally, started, args.show)


if __name__ == "__main__":
    main()
