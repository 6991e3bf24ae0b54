"""Benchmark the TODO collector against its peers on real code (issue 11).

    python bench/bench_real_todos.py [--runs 3] [--tree DIR] [--copies N] [--min-files 40000]
                                     [--code DIR] [--leasot DIR]

Builds (or reuses, while a stamp file says its inputs are unchanged) a tree of
real code: the running interpreter's stdlib (without its site-packages), this
environment's site-packages and, with --code, the projects unpacked in DIR,
copied into copy-1/ … copy-N/ (as stdlib/, packages/ and code/, names that no
built-in skip drops) until the tree holds at least --min-files files;
__pycache__ folders are not copied. Run it with the Python of a virtualenv
that has sitegen installed: that sitegen is timed.

After one ripgrep pass to warm the page cache, it times, in interleaved
rounds (--runs of each, medians):
  rg           rg -n -e 'TODO|FIXME|XXX|HACK|BUG' .   on the whole tree (Debian's ripgrep)
  leasot       leasot -x --reporter json --tags xxx,hack,bug --ignore <sitegen's skipped
               folders> '**/*.{<every extension leasot parses>}'   (npm's leasot, in --leasot DIR)
  cold, warm   sitegen collect --only todos [--no-cache] on those same files
               (todos.include = leasot's extensions) and on the whole tree
and prints a table: wall median (min–max), CPU median, peak RSS, the ratios to
rg and to leasot, then the verdicts on the targets: sitegen cold ≤ 0.5× leasot
on the same files, cold ≤ 8× rg and warm ≤ 1× rg on the whole tree, peak
memory ≤ 600 MB. Also the files each tool read (sitegen's files_scanned and
skipped counts from content/todos.yaml; leasot's file list from its own glob
library) and the TODOs each found, from one untimed run of each.
The sitegen configs live beside the tree, in DIR.sitegen/{same,whole}/, each
with its own content and cache folders, made anew on every run of this script.

Measured
--------
2026-12-01, the 2-core development VM (AMD EPYC, 24 GiB), Python 3.11.7,
`--runs 3 --code /tmp/realcode/src` (numpy, scipy, django, sympy, sqlalchemy
wheels; psutil, cffi, simplejson sdists; axios, eslint, express, leasot,
lodash, moment, rxjs, typescript, vue, webpack from npm) plus the stdlib and
a venv holding only sitegen and its dependencies: 3 copies, 53,637 files,
1,276 MB. leasot's glob listed 33,366 files of its 81 extensions; sitegen
read 33,339 of them (27 minified or over 2 MiB) and 41,089 files of the whole
tree (5,391 binary). TODOs: leasot 9,336, sitegen 9,753 on the same files and
9,963 on the whole tree; rg matched 31,143 lines in 5,529 files.

At 8aee275 (before this issue's scanner work):

                              wall median (min–max)      CPU   peak RSS   × rg  × leasot
rg, whole tree                 0.88 s ( 0.81– 1.23)   1.55 s     11 MiB   1.00
leasot, same files             9.07 s ( 8.57–13.17)  10.84 s    853 MiB  10.28      1.00
sitegen cold, same files      14.39 s (14.09–15.10)  26.23 s    105 MiB  16.32      1.59
sitegen warm, same files       2.73 s ( 2.20– 3.50)   2.71 s    103 MiB   3.10      0.30
sitegen cold, whole tree      14.96 s (14.18–19.17)  28.21 s    109 MiB  16.97
sitegen warm, whole tree       1.49 s ( 1.38– 2.25)   1.49 s    113 MiB   1.69

At 7e17741 (word prefilter, lexing stops after the last tag, faster line
numbers and tag tests, unrolled string patterns; the same TODOs):

                              wall median (min–max)      CPU   peak RSS   × rg  × leasot
rg, whole tree                 0.56 s ( 0.54– 0.69)   1.07 s     11 MiB   1.00
leasot, same files             7.76 s ( 7.46–12.33)   8.98 s    869 MiB  13.96      1.00
sitegen cold, same files       7.54 s ( 7.18–11.74)  13.00 s    106 MiB  13.57      0.97
sitegen warm, same files       2.13 s ( 2.02– 2.54)   2.13 s    106 MiB   3.83      0.27
sitegen cold, whole tree       7.49 s ( 7.05– 7.93)  13.86 s    113 MiB  13.46
sitegen warm, whole tree       1.23 s ( 1.16– 1.57)   1.23 s    116 MiB   2.21

targets (issue 11): cold ≤ 0.5× leasot (0.97×), cold ≤ 8× rg (13.5×) and
warm ≤ 1× rg (2.2×) not met; peak memory ≤ 600 MB (122 MB) met.

2026-12-01, a second session: the packages re-downloaded (newer versions:
typescript 7, eslint 10 …), so the tree differs: 3 copies, 55,638 files,
1,234 MB; leasot listed 33,942 files and found 9,558 TODOs; sitegen read
33,936 of them (10,173 TODOs) and 41,935 files of the whole tree (10,383);
rg matched 17,118 lines in 5,742 files. The same TODOs at every step below.
On this tree, at 0e0c9fd (the state above), `--runs 3`:

sitegen cold, same files       6.78 s ( 6.56– 6.93)  11.40 s    107 MiB  12.07      0.91
sitegen warm, same files       2.04 s ( 2.02– 2.12)   2.04 s    106 MiB   3.63      0.27
sitegen cold, whole tree       6.26 s ( 6.18– 7.80)  11.42 s    112 MiB  11.14
sitegen warm, whole tree       1.22 s ( 1.20– 1.36)   1.21 s    116 MiB   2.17

At db54a50 (the master regex skips literals and the comments that cannot
open a marker inside the engine; include globs such as "*.py" compared with
names; the prefilter's word test as one regex per tag), `--runs 5`, on a VM
that was slower that hour (rg 0.71 s against 0.56 s, leasot 9.2 s against 7.5 s):

                              wall median (min–max)      CPU   peak RSS   × rg  × leasot
rg, whole tree                 0.71 s ( 0.68– 0.82)   1.36 s     11 MiB   1.00
leasot, same files             9.18 s ( 7.68–10.73)  11.14 s    794 MiB  12.96      1.00
sitegen cold, same files       5.55 s ( 5.20– 6.62)   9.44 s    103 MiB   7.84      0.60
sitegen warm, same files       1.79 s ( 1.62– 2.37)   1.78 s    104 MiB   2.52      0.19
sitegen cold, whole tree       6.24 s ( 5.77– 6.80)  11.02 s    106 MiB   8.81
sitegen warm, whole tree       1.38 s ( 1.36– 1.59)   1.37 s    112 MiB   1.94

targets: cold ≤ 0.5× leasot (0.60×), cold ≤ 8× rg (8.8×), warm ≤ 1× rg
(1.9×) not met; memory met. Where a cold scan's time goes now, per copy
(18,546 files, 426 MB; one process): reading 0.6 s (`cat` of the same files
takes 0.67 s of kernel time on this VM), the prefilter 0.5 s (lower-casing
and searching 426 MB), lexing the 2,111 files that hold a tag up to the last
one 1.0 s (67 MB: the regex engine alone scans ~110 MB/s), decoding and
markers 0.25 s. Warm: interpreter and imports ~0.25 s, the walk 0.46 s,
a stat per file 0.17 s, and summing up and writing todos.yaml ~0.4 s.

2026-12-02 (stop 26): the venv's packages changed, so the tree did too: 3
copies, 59,253 files, 1,797 MB; leasot listed 36,303 files and found 9,996
TODOs; sitegen read 36,252 of them (10,563 TODOs) and 45,352 files of the
whole tree (10,899 TODOs). At 2e43d24 (an unchanged tree is not walked
again: TreeSnapshot keeps the listing and each collector's selection; the
cache checked in C loops with a forked child stat-ing half the files;
todos.yaml not made again while it holds what it would be written with;
lazy imports; category rules searched only where their words stand),
`--runs 3`:

                              wall median (min–max)      CPU   peak RSS   × rg  × leasot
rg, whole tree                 1.06 s ( 0.79– 1.19)   1.89 s     11 MiB   1.00
leasot, same files            13.26 s (12.88–14.25)  15.74 s    926 MiB  12.55      1.00
sitegen cold, same files       7.41 s ( 7.01– 7.44)  12.99 s    104 MiB   7.01      0.56
sitegen warm, same files       0.74 s ( 0.65– 0.76)   0.91 s     72 MiB   0.70      0.06
sitegen cold, whole tree       7.72 s ( 7.64– 8.20)  13.93 s    107 MiB   7.31
sitegen warm, whole tree       0.89 s ( 0.86– 0.93)   1.13 s     80 MiB   0.85

Warm ≤ 1× rg, cold ≤ 8× rg and memory met; cold ≤ 0.5× leasot not (0.56×;
over this day's seven runs, as the VM's speed moved, 0.47–0.61×, median
0.56×). Warm, in one process: imports 0.17-0.2 s, the kept listing 0.1 s
(an lstat per folder, on both cores), its answer 0.06-0.09 s, a stat per
file 0.2 s on both cores with the cache read meanwhile (0.3 s on one), the
summary and the unchanged todos.yaml's check 0.06 s. Cold, per worker:
the lexers' regex engine about a fifth of the CPU, the prefilter (lowering
and searching every file) a sixth, reading a tenth.

Peak RSS is that of the largest single process of the tree (getrusage of
the children), not the sum over sitegen's worker processes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import timed  # noqa: E402

TREE_VERSION = 1
RG_PATTERN = "TODO|FIXME|XXX|HACK|BUG"
NOT_COPIED = {"__pycache__"}


def sources(code: Path | None) -> dict[str, Path]:
    """Folder name in each copy → the real code copied there."""
    paths = sysconfig.get_paths()
    found = {"stdlib": Path(paths["stdlib"]), "packages": Path(paths["purelib"])}
    if paths["platlib"] != paths["purelib"]:
        found["packages-plat"] = Path(paths["platlib"])
    if code is not None:
        found["code"] = code
    return {name: path.resolve() for name, path in found.items()}


def _ignore(top: Path):
    """copytree's ignore: __pycache__ anywhere, and the stdlib's own site-packages."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = NOT_COPIED & set(names)
        if Path(folder) == top and "site-packages" in names:
            skipped.add("site-packages")
        return skipped
    return ignore


def fingerprint(path: Path) -> list[int]:
    """Files, bytes and the latest mtime of what would be copied from `path`."""
    files = size = latest = 0
    ignore = _ignore(path)
    for folder, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if d not in ignore(folder, dirs)]
        for name in names:
            try:
                st = os.lstat(os.path.join(folder, name))
            except OSError:
                continue
            files, size, latest = files + 1, size + st.st_size, max(latest, int(st.st_mtime))
    return [files, size, latest]


def build_tree(root: Path, inputs: dict[str, Path], copies: int, min_files: int) -> tuple[int, int]:
    """Make the tree unless its stamp matches the inputs; (files, bytes) in it."""
    prints = {name: fingerprint(path) for name, path in inputs.items()}
    per_copy = sum(p[0] for p in prints.values())
    copies = copies or max(1, math.ceil(min_files / max(per_copy, 1)))
    wanted = json.dumps({"version": TREE_VERSION, "copies": copies,
                         "inputs": {name: [str(inputs[name]), *p] for name, p in prints.items()}}, indent=1)
    stamp = root / ".bench-tree"
    if not (stamp.is_file() and stamp.read_text() == wanted):
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        print(f"copying {per_copy} files × {copies} into {root} …", flush=True)
        for n in range(1, copies + 1):
            for name, path in inputs.items():
                shutil.copytree(path, root / f"copy-{n}" / name, symlinks=True, ignore=_ignore(path))
        stamp.write_text(wanted)
    files = size = 0
    for folder, _, names in os.walk(root):
        for name in names:
            if folder == str(root) and name == stamp.name:
                continue
            files, size = files + 1, size + os.lstat(os.path.join(folder, name)).st_size
    return files, size


def leasot_extensions(leasot_dir: Path) -> list[str]:
    """The extensions the installed leasot has a parser for (its parsersDb)."""
    text = (leasot_dir / "node_modules/leasot/dist/lib/parsers.js").read_text(encoding="utf-8")
    table = text[text.index("parsersDb"):text.index("};")]
    found = re.findall(r"'\.([^']+)':\s*\{\s*parserName", table)
    if not found:
        sys.exit(f"no extensions found in {leasot_dir}/node_modules/leasot/dist/lib/parsers.js")
    return found


def leasot_files(leasot_dir: Path, root: Path, pattern: str, ignore: list[str]) -> int:
    """How many files leasot's own glob call (globby, as in its cli.js) lists."""
    script = (f"import {{ globbySync }} from {json.dumps(str(leasot_dir / 'node_modules/globby/index.js'))};"
              f"console.log(globbySync([{json.dumps(pattern)}], {{ ignore: {json.dumps(ignore)} }}).length);")
    out = subprocess.run(["node", "--input-type=module", "-e", script], cwd=root, check=True,
                         capture_output=True, text=True).stdout
    return int(out)


def write_config(folder: Path, root: Path, include: list[str], exclude: list[str]) -> Path:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    config = folder / "sitegen.yaml"
    todos = {"gitignore": False, "include": include, "exclude": exclude}
    config.write_text(f"root: {json.dumps(str(root))}\ncontent: content\noutput: public\n"
                      f"todos: {json.dumps(todos)}\n")
    return config


def scan_summary(config: Path) -> str:
    import yaml

    text = (config.parent / "content/todos.yaml").read_text(encoding="utf-8")
    head = yaml.load(text[:text.index("\nitems:")], Loader=yaml.CSafeLoader)
    skipped = ", ".join(f"{reason} {n}" for reason, n in head["summary"]["skipped"].items())
    items = text.count('\n- {"id"')
    return (f"files_scanned {head['summary']['files_scanned']}, {items} TODOs "
            f"in {head['summary']['files_with_todos']} files; skipped: {skipped}; {len(head['warnings'])} warning(s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tree", type=Path, default=Path("/tmp/sitegen-real-tree"))
    parser.add_argument("--copies", type=int, default=0, help="copies of the inputs (default: enough for --min-files)")
    parser.add_argument("--min-files", type=int, default=40_000)
    parser.add_argument("--code", type=Path, help="a folder of real projects to copy in too")
    parser.add_argument("--leasot", type=Path, default=Path("/tmp/leasot-bench"),
                        help="npm prefix holding leasot (npm install --prefix DIR leasot)")
    args = parser.parse_args()
    sitegen = Path(sys.executable).with_name("sitegen")
    if not sitegen.is_file():
        sys.exit(f"no sitegen beside {sys.executable}: run this with a virtualenv's Python that has it")
    rg = shutil.which("rg") or sys.exit("ripgrep is not installed (apt-get install ripgrep)")
    leasot = args.leasot / "node_modules/.bin/leasot"
    if not leasot.is_file():
        sys.exit(f"leasot is not installed in {args.leasot} (npm install --prefix {args.leasot} leasot)")
    from sitegen.walk import SKIPPED_DIRS, VENDORED_DIRS

    root = args.tree.resolve()
    inputs = sources(args.code)
    files, size = build_tree(root, inputs, args.copies, args.min_files)
    print(f"tree {root}: {files} files, {size / 1e6:.0f} MB, from "
          + ", ".join(f"{name} = {path}" for name, path in inputs.items()))
    def version(command: list) -> str:
        return subprocess.run([*command, "--version"], capture_output=True, text=True).stdout.split("\n")[0]

    print(f"{version([rg])}; leasot {version([leasot])}; {version([sitegen])}; node {version(['node'])}")

    extensions = leasot_extensions(args.leasot)
    glob = "**/*.{" + ",".join(extensions) + "}"
    skipped_folders = sorted(SKIPPED_DIRS | VENDORED_DIRS)
    ignore = [f"**/{name}/**" for name in skipped_folders]
    leasot_command = [str(leasot), "-x", "--reporter", "json", "--tags", "xxx,hack,bug",
                      "--ignore", ",".join(ignore), glob]
    rg_command = [rg, "-n", "-e", RG_PATTERN, "."]

    configs_dir = Path(str(root) + ".sitegen")
    # Same files as leasot: its extensions; its glob library passes over dot files and folders.
    same = write_config(configs_dir / "same", root, [f"*.{e}" for e in extensions], [".*"])
    whole = write_config(configs_dir / "whole", root, [], [])
    commands = {
        "rg, whole tree": rg_command,
        "leasot, same files": leasot_command,
        "sitegen cold, same files": [str(sitegen), "-q", "-c", str(same), "collect", "--only", "todos", "--no-cache"],
        "sitegen warm, same files": [str(sitegen), "-q", "-c", str(same), "collect", "--only", "todos"],
        "sitegen cold, whole tree": [str(sitegen), "-q", "-c", str(whole), "collect", "--only", "todos", "--no-cache"],
        "sitegen warm, whole tree": [str(sitegen), "-q", "-c", str(whole), "collect", "--only", "todos"],
    }

    subprocess.run(rg_command, cwd=root, stdout=subprocess.DEVNULL)  # warm the page cache
    print(f"leasot: {len(extensions)} extensions ({', '.join(extensions)}), "
          f"{leasot_files(args.leasot, root, glob, ignore)} files listed by its glob "
          f"(ignoring {', '.join(skipped_folders)})")
    print("  " + " ".join(leasot_command[:-3]) + " --ignore '**/<folder>/**,…' '" + glob[:30] + "…}'")
    # One untimed run of each: what it finds, and the caches filled for the warm runs.
    # To a file: leasot calls process.exit() after writing, which cuts short its output to a pipe.
    report = configs_dir / "leasot.json"
    with report.open("w") as out:
        said = subprocess.run(leasot_command, cwd=root, stdout=out, stderr=subprocess.PIPE, text=True)
    if said.returncode != 0:
        sys.exit(f"leasot failed ({said.returncode}): {report.read_text()[-2000:]}{said.stderr[-2000:]}")
    print(f"leasot found {len(json.loads(report.read_text()))} TODOs"
          + (f"; it said on stderr: {said.stderr.strip()[:500]}" if said.stderr.strip() else ""))
    for label, config in (("same files", same), ("whole tree", whole)):
        subprocess.run([sitegen, "-q", "-c", str(config), "collect", "--only", "todos"], cwd=root, check=True)
        print(f"sitegen, {label}: {scan_summary(config)}")
    rg_found = subprocess.run(rg_command + ["--count-matches"], cwd=root, capture_output=True, text=True).stdout
    print(f"rg: {sum(int(line.rsplit(':', 1)[1]) for line in rg_found.splitlines())} matching lines "
          f"in {len(rg_found.splitlines())} files")

    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in commands}
    for round_ in range(args.runs):  # interleaved, so that a slow spell of the VM hits every tool
        for name, command in commands.items():
            results[name].append(timed(command, root))
        print(f"round {round_ + 1} of {args.runs} done", flush=True)

    def median(name: str, i: int = 0) -> float:
        return statistics.median(run[i] for run in results[name])

    rg_s, leasot_s = median("rg, whole tree"), median("leasot, same files")
    print(f"\n{'':26} {'wall median (min–max)':>24} {'CPU':>8} {'peak RSS':>10} {'× rg':>6} {'× leasot':>9}")
    for name, runs in results.items():
        walls = [run[0] for run in runs]
        versus_leasot = f"{median(name) / leasot_s:9.2f}" if "same files" in name else f"{'':9}"
        print(f"{name:26} {median(name):8.2f} s ({min(walls):5.2f}–{max(walls):5.2f}) "
              f"{median(name, 2):6.2f} s {max(run[1] for run in runs):6.0f} MiB {median(name) / rg_s:6.2f} "
              f"{versus_leasot}")
    peak_mb = max(run[1] for name, runs in results.items() if name.startswith("sitegen") for run in runs) * 1.048576
    verdicts = [
        ("cold ≤ 0.5× leasot, same files", median("sitegen cold, same files") / leasot_s, 0.5, "×"),
        ("cold ≤ 8× rg, whole tree", median("sitegen cold, whole tree") / rg_s, 8, "×"),
        ("warm ≤ 1× rg, whole tree", median("sitegen warm, whole tree") / rg_s, 1, "×"),
        ("sitegen peak memory ≤ 600 MB", peak_mb, 600, " MB"),
    ]
    print("\ntargets (issue 11):")
    for label, value, limit, unit in verdicts:
        print(f"  {label:32} {value:7.2f}{unit:3}  {'met' if value <= limit else 'NOT met'}")


if __name__ == "__main__":
    main()
