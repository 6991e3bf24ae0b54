"""The lexer's fast paths against its plain reference on every file of real code.

    python bench/fast_paths.py [--code DIR]...

For every source file under the interpreter's standard library, this venv's
site-packages and each --code DIR (see bench/differential.py for the real
projects used), per language:
  comments   the skipping lexer's comments equal the plain lexer's
             (`lexers.comments(..., skipping=False)`: one regex search per literal and comment);
  markers    the scan's lexing (stopping after the last tag, leaving out the
             comments that cannot open a marker) gives the markers, with
             their text, of the plain lexer's whole comment list;
and the time each takes. Exits 1 on any difference. tests/test_fast_lexing.py
runs the same comparisons on a sample and on generated text.
"""

from __future__ import annotations

import argparse
import os
import sys
import sysconfig
import time
from collections import defaultdict
from pathlib import Path

from sitegen.collectors import lexers, markers, todos
from sitegen.config import TodosConfig
from sitegen.textio import decode

SHARED = todos.settings(TodosConfig())


def sources(roots: list[Path]):
    """(path, syntax, text) of every file of a known language under `roots`."""
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                path = os.path.join(folder, name)
                if os.path.islink(path) or not os.path.isfile(path):
                    continue
                data = Path(path).read_bytes()[:todos.MAX_FILE_BYTES]
                if b"\0" in data[:8192]:
                    continue
                text, _ = decode(data, path)
                syntax = lexers.syntax_for(path, text.partition("\n")[0], None, text)
                if syntax is not None:
                    yield path, syntax, text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--code", type=Path, action="append", default=[])
    args = parser.parse_args()
    paths = sysconfig.get_paths()
    roots = [Path(paths["stdlib"]), Path(paths["purelib"]), *args.code]
    # language: [files, MB, comments, markers, differing files, plain s, skipping s, scan s]
    table: dict[str, list] = defaultdict(lambda: [0, 0.0, 0, 0, 0, 0.0, 0.0, 0.0])
    differing = []
    for path, syntax, text in sources(roots):
        row = table[syntax.name]
        started = time.perf_counter()
        plain = lexers.comments(text, syntax, skipping=False)
        lexed = time.perf_counter()
        skipping = lexers.comments(text, syntax)
        skipped = time.perf_counter()
        scanned = lexers.comments(text, syntax, until=todos.last_tag_offset(text, SHARED.words), opens=SHARED.opens)
        done = time.perf_counter()
        whole = markers.find(plain, SHARED.tags, syntax)
        row[:4] = row[0] + 1, row[1] + len(text) / 1e6, row[2] + len(plain), row[3] + len(whole)
        row[5:] = row[5] + lexed - started, row[6] + skipped - lexed, row[7] + done - skipped
        if skipping != plain or markers.find(scanned, SHARED.tags, syntax) != whole:
            row[4] += 1
            differing.append(path)
    print(f"{'language':12} {'files':>7} {'MB':>7} {'comments':>9} {'markers':>8} {'differ':>6}"
          f" {'plain':>8} {'skipping':>9} {'scan':>8}")
    for name, (files, mb, found, marks, bad, plain_s, skip_s, scan_s) in sorted(table.items(), key=lambda r: -r[1][1]):
        print(f"{name:12} {files:7} {mb:7.1f} {found:9} {marks:8} {bad:6} {plain_s:7.2f}s {skip_s:8.2f}s {scan_s:7.2f}s")
    for path in differing[:20]:
        print("  differs:", path)
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
