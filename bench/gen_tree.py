"""Generate a deterministic source tree of realistic shape for the TODO benchmark.

    python bench/gen_tree.py DIR [--files 100000] [--megabytes 700]

Mixed languages (Python, JavaScript, TypeScript, Go, Rust, Java, C, Ruby,
shell, SQL, YAML, HTML, CSS, Markdown), nested packages, sizes spread around
the mean, and about one marker comment per ten files. A few files put a
marker word inside a string literal, which a correct scanner must ignore
(and grep-style tools report).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

GENERATOR_VERSION = 2  # bump when the output changes, so benchmarks regenerate

# extension → (line comment, a line of code, a line with a marker word inside a string)
LANGUAGES = {
    "py": ("#", "    value = compute(items[index], factor=2)", 'LABEL = "TODO list"'),
    "js": ("//", "  const value = compute(items[index], { factor: 2 });", 'const label = "TODO list";'),
    "ts": ("//", "  const value: number = compute(items[index], 2);", "const label = 'FIXME later';"),
    "go": ("//", "\tvalue := compute(items[index], 2)", 'label := "TODO list"'),
    "rs": ("//", "    let value = compute(&items[index], 2);", 'let label = "TODO list";'),
    "java": ("//", "        int value = compute(items[index], 2);", 'String label = "TODO list";'),
    "c": ("//", "    int value = compute(items[index], 2);", 'const char *label = "TODO list";'),
    "rb": ("#", "    value = compute(items[index], 2)", 'label = "TODO list"'),
    "sh": ("#", '  value="$(compute "${items[$index]}" 2)"', "label='TODO list'"),
    "sql": ("--", "  SELECT id, name FROM users WHERE org_id = 2;", "SELECT 'TODO list' AS label;"),
    "yaml": ("#", "  value: compute-items-index-factor-2", 'label: "TODO list"'),
    "html": (None, "  <div class=\"item\"><span>value</span></div>", "<p>TODO list</p>"),
    "css": (None, "  .item { margin: 0 auto; padding: 2px 4px; }", '.x::after { content: "TODO"; }'),
    "md": (None, "Some prose about the value of items and their factor.", "The TODO list is long."),
}
WEIGHTS = {"py": 18, "js": 14, "ts": 14, "go": 8, "rs": 5, "java": 8, "c": 5, "rb": 4, "sh": 3,
           "sql": 3, "yaml": 6, "html": 4, "css": 3, "md": 5}
TAGS = ["TODO", "TODO", "TODO", "FIXME", "FIXME", "HACK", "XXX", "BUG"]
TEXTS = ["handle the empty case", "validate the input before saving", "cache this lookup",
         "remove after the migration", "refactor into a service", "check permissions here"]


def marker(extension: str, rng: random.Random) -> str:
    text = f"{rng.choice(TAGS)}: {rng.choice(TEXTS)}"
    comment = LANGUAGES[extension][0]
    if comment:
        return f"{comment} {text}"
    return f"/* {text} */" if extension == "css" else f"<!-- {text} -->"


def body(extension: str, size: int, rng: random.Random) -> str:
    comment, code, _ = LANGUAGES[extension]
    note = f"{comment} explain the next step" if comment else "<!-- explain the next step -->"
    # One line in eight is a comment, as in typical code.
    lines = [note if i % 8 == 7 else code for i in range(max(1, size // len(code)))]
    if rng.random() < 0.1:
        lines.insert(rng.randrange(len(lines)), marker(extension, rng))
    if rng.random() < 0.02:
        lines.insert(rng.randrange(len(lines)), LANGUAGES[extension][2])
    return "\n".join(lines) + "\n"


def generate(root: Path, files: int, megabytes: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    mean = megabytes * 1_000_000 // files
    extensions = [e for e, w in WEIGHTS.items() for _ in range(w)]
    for index in range(files):
        extension = rng.choice(extensions)
        folder = root / f"pkg{index % 100:02d}" / f"mod{(index // 100) % 50:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        size = max(200, int(rng.lognormvariate(0, 0.6) * mean * 0.84))
        (folder / f"file{index:06d}.{extension}").write_text(body(extension, size, rng), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--megabytes", type=int, default=700)
    args = parser.parse_args()
    generate(args.directory, args.files, args.megabytes)
