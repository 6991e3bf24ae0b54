"""Compare installed sitegens on the checklist benchmark's tree, runs
interleaved (A, B, A, B, …) so that all see the same machine: on a shared
VM, timings taken minutes apart differ by more than most changes do.

    python bench/ab_checklists.py OLD_SITEGEN NEW_SITEGEN [MORE ...] [--runs 6] [--docs 1000]

Each version is a command, split as a shell would split it: a console
script, or e.g. "NEW/bin/python bench/without_data_files.py" (the build
without the two files of every item that later versions added).
Scenarios: cold (no cache; the earlier site is in the staging folder, as in
bench_checklists.py) and first (empty folders, as in CI). Prints the median
wall and CPU seconds of each.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from gen_checklists import generate  # noqa: E402
from measure import timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("commands", nargs="+", metavar="SITEGEN")
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--docs", type=int, default=1000)
    args = parser.parse_args()
    # Paths made absolute: each build runs in its tree.
    versions = {chr(ord("a") + n): [os.path.abspath(word) if os.path.exists(word) else word
                                    for word in shlex.split(command)]
                for n, command in enumerate(args.commands)}
    with tempfile.TemporaryDirectory(prefix="sitegen-ab-") as tmp:
        # A tree each: a version may refuse an output folder another version's build marked.
        roots = {name: Path(tmp) / name for name in versions}
        first, *others = roots.values()
        generate(first, args.docs, 100)
        for root in others:
            shutil.copytree(first, root)
        made = (".sitegen-cache", "public", ".public.previous", ".public.building")
        scenarios = {"cold (no cache)": made[:1], "first (empty)": made}
        for label, removed in scenarios.items():
            results: dict[str, list] = {name: [] for name in versions}
            for _ in range(args.runs):
                for name, root in roots.items():
                    timed([*versions[name], "-q", "build"], root)  # leaves an earlier site, as a laptop has
                    for folder in removed:
                        shutil.rmtree(root / folder, ignore_errors=True)
                    os.sync()
                    results[name].append(timed([*versions[name], "-q", "build"], root))
            for name, runs in results.items():
                print(f"{label:16} {name}: median {statistics.median(r[0] for r in runs):.2f} s, "
                      f"CPU {statistics.median(r[2] for r in runs):.2f} s, peak RSS {max(r[1] for r in runs):.0f} MiB"
                      f"  ({shlex.join(versions[name])})")


if __name__ == "__main__":
    main()
