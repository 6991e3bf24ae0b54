"""Benchmark: collect and build 1,000 generated checklist documents of 100
items each. Target (issue 2): under 5 s on a 2-core machine.

    python bench/bench_checklists.py [--docs 1000] [--items 100] [--runs 3]

Prints wall time, CPU time and peak memory (max RSS of the sitegen process
tree) for: a full `sitegen build` with no cache beside the sites of earlier
builds (every document parsed and every page rendered, but pages already on
disk are not written again); the same with the cache of an earlier build
(nothing changed: no document is parsed, no page rendered); the same after
one document changed; `sitegen build --no-collect`; and a first build into
an empty folder with no cache, as in CI. Then how many pages a build renders
when nothing changed and when one document did (issue 10: only its page and
the pages that summarise it).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from gen_checklists import generate  # noqa: E402
from measure import timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sitegen = shutil.which("sitegen") or sys.exit("sitegen is not installed in this environment")
    with tempfile.TemporaryDirectory(prefix="sitegen-bench-") as tmp:
        root = Path(tmp)
        generate(root, args.docs, args.items)
        print(f"{args.docs} documents × {args.items} items under {root}")
        cache = root / ".sitegen-cache"
        made = [cache, root / "public", root / ".public.previous", root / ".public.building"]
        timed([sitegen, "-q", "build"], root)  # so that the first cold run has a site to rebuild
        # First builds last: deleting two sites before each leaves the disk
        # busy (ext4 discards) beyond what `sync` waits for.
        runs = [
            ("build, cold (no cache)", [sitegen, "-q", "build"], lambda: _remove([cache])),
            # After builds without a cache, the staging folder holds a site no ledger knows:
            # one untimed build first, or the first "warm" run renders every page again.
            ("build, warm (unchanged)", [sitegen, "-q", "build"], _first_time(lambda: _build(sitegen, root))),
            ("build, one document changed", [sitegen, "-q", "build"], lambda: _change_one(root)),
            ("build --no-collect", [sitegen, "-q", "build", "--no-collect"], lambda: None),
            ("build, first (empty)", [sitegen, "-q", "build"], lambda: _remove(made)),
        ]
        for label, command, prepare in runs:
            results = []
            for _ in range(args.runs):
                prepare()
                os.sync()  # start each run with no earlier run's writes still in flight
                results.append(timed(command, root))
            seconds = [r[0] for r in results]
            print(f"{label:25} median {statistics.median(seconds):.2f} s "
                  f"(min {min(seconds):.2f}, max {max(seconds):.2f}), "
                  f"CPU {statistics.median(r[2] for r in results):.2f} s, "
                  f"peak RSS {max(r[1] for r in results):.0f} MiB")
        for _ in range(2):  # the last timed runs emptied the folders: an earlier site in staging again
            _build(sitegen, root)
        for label, prepare in (("nothing changed", lambda: None), ("one document changed", lambda: _change_one(root))):
            prepare()
            said = subprocess.run([sitegen, "build"], cwd=root, check=True, capture_output=True, text=True).stderr
            print(f"pages rendered, {label}: {re.search(r'built .*', said).group()}")
        data = yaml.load((root / "content/checklists.yaml").read_text(), Loader=yaml.CSafeLoader)
        tasks = sum(_count(s["items"]) for d in data["documents"] for s in d["sections"])
        print(f"tasks in content/checklists.yaml: {tasks}")


def _first_time(action):
    """`action` on the first call only."""
    calls = []

    def once() -> None:
        if not calls:
            calls.append(action())
    return once


def _build(sitegen: str, root: Path) -> None:
    subprocess.run([sitegen, "-q", "build"], cwd=root, check=True)


def _change_one(root: Path) -> None:
    """Add a task to one document (a new one each time, so each run has a change)."""
    with open(root / "services/svc0500/TASKS.md", "a", encoding="utf-8") as document:
        document.write(f"\n- [ ] P2: a task added at {time.time_ns()}\n")


def _remove(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _count(items: list[dict]) -> int:
    return sum(1 + _count(item.get("children", [])) for item in items)


if __name__ == "__main__":
    main()
