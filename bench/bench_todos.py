"""Benchmark the TODO collector against ripgrep on a generated tree.

    python bench/bench_todos.py [--files 100000] [--megabytes 700] [--tree DIR] [--runs 3]

Generates (or reuses) a deterministic tree, warms the page cache with one
ripgrep pass, then times, on the same tree:
  rg        rg -n -e 'TODO|FIXME|XXX|HACK|BUG' .     (Debian's ripgrep)
  cold      sitegen collect --only todos --no-cache   (every file read)
  warm      sitegen collect --only todos              (per-file cache, nothing changed)
and prints the medians, the ratios to rg and the peak RSS.
Targets (issue 3): cold ≤ 2× rg, warm ≤ 0.5× rg, peak memory ≤ 600 MB.
Also prints reference points that bound any design: a case-insensitive
ripgrep listing of the files holding a tag, the interpreter start, and
listing + stat / listing + reading every file from Python (bench/floors.py).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from gen_tree import GENERATOR_VERSION, generate  # noqa: E402
from measure import timed  # noqa: E402

FLOORS = Path(__file__).parent / "floors.py"


def tree(path: Path, files: int, megabytes: int) -> Path:
    stamp = path / ".bench-tree"
    wanted = f"{files} {megabytes} v{GENERATOR_VERSION}\n"
    if not (stamp.is_file() and stamp.read_text() == wanted):
        shutil.rmtree(path, ignore_errors=True)
        print(f"generating {files} files, {megabytes} MB under {path} …", flush=True)
        generate(path, files, megabytes)
        stamp.write_text(wanted)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--megabytes", type=int, default=700)
    parser.add_argument("--tree", type=Path, default=Path("/tmp/sitegen-bench-tree"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sitegen = shutil.which("sitegen") or sys.exit("sitegen is not installed in this environment")
    rg = shutil.which("rg") or sys.exit("ripgrep is not installed (apt-get install ripgrep)")
    root = tree(args.tree, args.files, args.megabytes)
    size = sum(p.stat().st_size for p in root.glob("pkg*/**/*") if p.is_file())
    print(f"tree: {args.files} files, {size / 1e6:.0f} MB")
    rg_command = [rg, "-n", "-e", "TODO|FIXME|XXX|HACK|BUG", "."]
    subprocess.run(rg_command, cwd=root, stdout=subprocess.DEVNULL)  # warm the page cache
    commands = {
        "rg": rg_command,
        "cold": [sitegen, "-q", "collect", "--only", "todos", "--no-cache"],
        "warm": [sitegen, "-q", "collect", "--only", "todos"],
    }
    subprocess.run(commands["warm"], cwd=root, check=True)  # fill the cache
    results = {name: [timed(command, root) for _ in range(args.runs)] for name, command in commands.items()}
    rg_seconds = statistics.median(run[0] for run in results["rg"])
    for name, runs in results.items():
        seconds = statistics.median(run[0] for run in runs)
        print(f"{name:5} median {seconds:6.2f} s  ({seconds / rg_seconds:4.2f}× rg)  "
              f"CPU {statistics.median(run[2] for run in runs):5.2f} s  "
              f"peak RSS {max(run[1] for run in runs):5.0f} MiB")
    found = (root / "content/todos.yaml").read_text(encoding="utf-8").count('\n- {"id"')
    print(f"TODOs in content/todos.yaml: {found}")
    print("reference points (what bounds any design of the collector):")
    floors = {
        # Tags match in any case, so a grep-class pre-filter must search case-insensitively.
        "rg -l -i (files with any tag, any case)": [rg, "-l", "-i", "-F", *_tag_arguments(), "."],
        "python start + sitegen imports": [sys.executable, "-c", "import sitegen.cli, sitegen.pipeline"],
        "python: list and stat every file": [sys.executable, str(FLOORS), "stat", "."],
        "python: list and read every file, all cores": [sys.executable, str(FLOORS), "read", "."],
    }
    for name, command in floors.items():
        seconds = statistics.median(timed(command, root)[0] for _ in range(args.runs))
        print(f"  {name:42} {seconds:5.2f} s  ({seconds / rg_seconds:4.2f}× rg)")


def _tag_arguments() -> list[str]:
    return [part for tag in ("todo", "fixme", "xxx", "hack", "bug") for part in ("-e", tag)]


if __name__ == "__main__":
    main()
