"""Issue 15's scale figures: a tree of 10,000 files holding 50,000 TODOs,
`sitegen build --no-collect` from its content (every page rendered, none
kept from an earlier build), pages per second and the largest page; then
Debian's `hugo` building the same number of comparable pages (each a 5-row
table and a highlighted code block), both cold.

    python bench/bench_scale.py DIR [--files 10000] [--per-file 5] [--runs 3]

Targets: largest page ≤ 2 MB, ≥ 500 pages/s, ≤ 1.5× Hugo's time.

Measured
--------
2026-12-01, the 2-core development VM, Hugo 0.111.3 (Debian), 10,231 pages:
- before site/lexing.py: sitegen 58.1 s, Hugo 26.0 s: 2.23×;
- with it: 28.7 s against 21.6 s (1.33×), then, the VM some 27% slower,
  --runs 3: 27.2, 36.6, 37.6 s against 27.4 s (1.34×); 280–356 pages/s
  (Hugo 374–475); with the snippet cache kept 0.79–0.83×; largest page
  todos/index-9.html, 0.51 MB;
- with the TODO table's row written in its loop (no macro call per row):
  --runs 3: 31.4, 31.5, 32.1 s against Hugo's 23.5 s (1.34×), 325 pages/s
  (Hugo 435); the snippet cache kept: 22.2 s, 460 pages/s (0.94×).
- after stop 25 (lazy imports, no interpreter teardown, faster data files,
  workers forked with the lexers' patterns compiled): --runs 3: 30.2, 31.9,
  32.8 s against Hugo's 26.3 s (1.21×), 321 pages/s (Hugo 389); the snippet
  cache kept: 22.6 s, 453 pages/s (0.86×); largest page 0.51 MB.
- 2026-12-02, page hashes made once per view and snippets wrapped without
  pygments' generators, --runs 3: 25.4, 27.4, 30.3 s against Hugo's 29.3 s
  (0.94×; the VM slow that hour), 373 pages/s (Hugo 350); the snippet cache
  kept: 19.4 s, 528 pages/s. Interleaved with the code before (2fca8af),
  three cold builds each: 33.8, 35.3, 34.5 s before, 29.9, 32.1, 32.1 s after
  (user CPU 49.9-52.7 s -> 45.0-46.6 s).
- later that day, before and after the templates' outputs were escaped to
  plain strings (site/environment.py: escape_text), an hour apart: --runs 3
  31.8 s (29.4-34.6) then 26.8 s (26.1-27.1) against Hugo's 24.5 and 24.4 s
  (1.30× then 1.10×), 322 then 382 pages/s; the snippet cache kept: 21.5 then
  18.3 s (561 pages/s, 0.75×). Three interleaved cold builds each (user CPU):
  27.0-30.0 s (40.1-43.5 s) before, 26.6-29.3 s (38.8-40.9 s) after.
- 2026-12-02, after the render workers hash the pages the ledger knows
  nothing of (the parent hashed all 10,231 before any worker started): in
  one instrumented pair the workers started 4.5 s into the build instead of
  7.3 s. --runs 3, twice an hour apart: 22.9, 27.5, 29.9 s against Hugo's
  28.6 s (0.96x, 371 pages/s), then 26.9, 30.2, 30.3 s against 24.8 s
  (1.22x, 338 pages/s); the snippet cache kept: 21.3 and 20.8 s (481 and
  491 pages/s). The VM's system time moved between 7.6 and 16.5 s from one
  build to the next that hour: three interleaved cold builds each with the
  code before and after could not tell them apart (25.1-34.0 s, both).
- 2026-12-02, later (stop 30), the VM quiet: --runs 3 at 43a4c26, 19.67 s (19.1-21.1)
  against Hugo's 18.41 s (1.07x), 520 pages/s; with each list row rendered
  once per item and kept (site/rows.py: the TODO index and its groups by tag
  and category share their rows), 15.87 s (15.3-17.0) against 13.86 s
  (1.14x), 645 pages/s (Hugo 738); the snippet cache kept: 11.95 s, 856
  pages/s. Largest page todos/index-9.html, 0.51 MB. How fast the VM is
  moves both: Hugo's time went from 28.6 s to 13.9 s within two days. At
  the end of the stop (rows held weakly), on a noisier hour: 20.06 s (runs
  of 13.2, 21.2 and 20.1 s) against Hugo's 16.96 s (1.18x), 510 pages/s;
  the snippet cache kept: 13.49 s, 758 pages/s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

SITEGEN = str(Path(sys.executable).with_name("sitegen"))
TAGS = ("TODO", "TODO", "FIXME", "HACK", "XXX")


def make_tree(root: Path, files: int, per_file: int) -> None:
    for f in range(files):
        folder = root / f"pkg{f % 50:02}" / f"mod{f % 13}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = []
        for n in range(per_file * 8):
            if n % 8 == 3:
                lines.append(f"    x = {n}  # {TAGS[(f + n) % len(TAGS)]}: handle case {n} of module {f}\n")
            else:
                lines.append(f"    value_{n} = compute(items[{n}], factor={f % 7})\n")
        (folder / f"file{f}.py").write_text("def run():\n" + "".join(lines), encoding="utf-8")


def make_hugo_site(root: Path, pages: int) -> None:
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "layouts/_default").mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "bench"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n', encoding="utf-8")
    (root / "layouts/_default/single.html").write_text(
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>\n",
        encoding="utf-8")
    (root / "layouts/_default/list.html").write_text(
        "<!doctype html><html><body><ul>{{ range .Pages }}<li>{{ .Title }}</li>{{ end }}</ul></body></html>\n",
        encoding="utf-8")
    for n in range(pages):
        rows = "".join(f"| P{r % 4 + 1} | TODO | pkg/mod/file{n}.py:{r * 8 + 3} | handle case {r} of module {n} |\n"
                       for r in range(5))
        code = "".join(f"    value_{r} = compute(items[{r}], factor={n % 7})\n" for r in range(6))
        (root / "content" / f"p{n}.md").write_text(
            f"---\ntitle: page {n}\n---\n\n| Priority | Tag | Location | Text |\n|---|---|---|---|\n{rows}\n"
            f"```python\ndef run():\n{code}```\n", encoding="utf-8")


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def sitegen_cold(tree: Path, keep_snippets: bool = False) -> float:
    """Every page rendered into an empty folder; with `keep_snippets`, the
    highlighted source snippets of an earlier build are reused (as in CI with
    .sitegen-cache kept), else every snippet is highlighted again."""
    for name in ("public", ".public.previous", ".public.building"):
        shutil.rmtree(tree / name, ignore_errors=True)
    (tree / ".sitegen-cache/pages.marshal").unlink(missing_ok=True)
    if not keep_snippets:
        (tree / ".sitegen-cache/highlight.marshal").unlink(missing_ok=True)
    return timed([SITEGEN, "-q", "build", "--no-collect"], tree)


def hugo_cold(site: Path) -> float:
    for name in ("public", "resources"):
        shutil.rmtree(site / name, ignore_errors=True)
    return timed(["hugo", "--quiet"], site)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--per-file", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tree = args.dir / f"tree-{args.files}x{args.per_file}"
    if not (tree / "content/todos.yaml").is_file():
        make_tree(tree, args.files, args.per_file)
        subprocess.run([SITEGEN, "-q", "collect"], cwd=tree, check=True)
    runs = [sitegen_cold(tree) for _ in range(args.runs)]
    kept = statistics.median([sitegen_cold(tree, keep_snippets=True) for _ in range(args.runs)])
    html = [p for p in (tree / "public").rglob("*") if p.is_file() and p.suffix == ".html"]
    pages = sum(1 for p in (tree / "public").rglob("*") if p.is_file() and not p.parts[-2] == "static")
    largest = max(html, key=lambda p: p.stat().st_size)
    seconds = statistics.median(runs)
    print(f"sitegen build --no-collect: {args.files:,} files, {args.files * args.per_file:,} TODOs: "
          f"{pages:,} pages in {seconds:.2f} s (median of {runs}), {pages / seconds:.0f} pages/s; "
          f"largest page {largest.relative_to(tree / 'public')} {largest.stat().st_size / 1e6:.2f} MB; "
          f"with the highlighted snippets of an earlier build kept: {kept:.2f} s, {pages / kept:.0f} pages/s")
    if shutil.which("hugo") is None:
        print("hugo is not installed (apt-get install hugo): no comparison")
        return
    site = args.dir / f"hugo-{pages}"
    if not (site / "hugo.toml").is_file():
        make_hugo_site(site, pages)
    hugo = statistics.median([hugo_cold(site) for _ in range(args.runs)])
    version = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.split()[1]
    print(f"hugo {version}: {pages:,} pages (a 5-row table and a code block each) in {hugo:.2f} s, "
          f"{pages / hugo:.0f} pages/s; sitegen / hugo = {seconds / hugo:.2f} ({kept / hugo:.2f} with snippets kept)")


if __name__ == "__main__":
    main()
