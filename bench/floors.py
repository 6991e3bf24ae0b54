"""The least any Python design of the TODO collector must do on a tree, timed
as separate processes by bench_todos.py:

    python bench/floors.py stat DIR   list every file and stat it (what a warm re-collect must check)
    python bench/floors.py read DIR   list every file and read it, on every core (what a cold collect must read)

Neither searches or parses anything.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor

SITEGEN_FOLDERS = {".git", ".sitegen-cache", "content", "public"}


def files(root: str) -> list[str]:
    found = []
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = [name for name in subfolders if name not in SITEGEN_FOLDERS]
        found += [os.path.join(folder, name) for name in names]
    return found


def read_all(paths: list[str]) -> int:
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            total += len(handle.read())
    return total


def main() -> None:
    mode, root = sys.argv[1:3]
    paths = files(root)
    if mode == "stat":
        for path in paths:
            os.stat(path)
    else:
        workers = len(os.sched_getaffinity(0))
        with ProcessPoolExecutor(workers) as pool:
            sum(pool.map(read_all, [paths[i::workers] for i in range(workers)]))


if __name__ == "__main__":
    main()
