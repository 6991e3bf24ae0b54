"""Build the same inputs into sites, to compare two versions of sitegen byte
for byte (a refactoring must leave every page as it was):

    python bench/snapshot_sites.py OUT [--commit HEAD] [--only NAME]
    # … change sitegen, then
    python bench/snapshot_sites.py OUT2 --commit <the same commit>
    diff -r OUT OUT2

The inputs: the five seed reports (each read as a checklist and as a
readiness report), this repository as of `--commit` (from `git archive`, so
edits since do not change the input), 1,000 generated checklist documents of
100 items and a generated source tree of 5,000 files. Each is built twice
(the second build finds caches and a previous site, as a laptop's does);
OUT/<name>/ receives its content/ and public/ folders.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from gen_checklists import generate as generate_checklists  # noqa: E402
from gen_tree import generate as generate_tree  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "tests" / "fixtures" / "seeds"  # copies of ../shared/seeds, so a clone has them
SEED_CONFIG = """title: seeds
checklists:
  paths: ["seeds/*.md"]
findings:
  paths: ["seeds/*.md"]
"""


def seeds(root: Path, commit: str) -> None:
    folder = root / "seeds"
    folder.mkdir()
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copyfile(seed, folder / f"{seed.stem}.md")
    (root / "sitegen.yaml").write_text(SEED_CONFIG)


def repository(root: Path, commit: str) -> None:
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)


def checklists(root: Path, commit: str) -> None:
    generate_checklists(root, 1000, 100)


def source_tree(root: Path, commit: str) -> None:
    generate_tree(root, 5000, 35)


INPUTS = {"seeds": seeds, "repository": repository, "checklists": checklists, "source-tree": source_tree}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--commit", default="HEAD")
    parser.add_argument("--only", action="append", choices=sorted(INPUTS))
    args = parser.parse_args()
    sitegen = shutil.which("sitegen") or sys.exit("sitegen is not installed in this environment")
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", args.commit], check=True,
                            capture_output=True, text=True).stdout.strip()
    for name in args.only or INPUTS:
        with tempfile.TemporaryDirectory(prefix=f"sitegen-snapshot-{name}-") as tmp:
            root = Path(tmp)
            INPUTS[name](root, commit)
            for _ in range(2):
                subprocess.run([sitegen, "-q", "build"], cwd=root, check=True)
            target = args.out / name
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir(parents=True)
            for folder in ("content", "public"):
                shutil.copytree(root / folder, target / folder, symlinks=True)
        print(f"{name}: {sum(1 for p in target.rglob('*') if p.is_file())} files in {target}")


if __name__ == "__main__":
    main()
