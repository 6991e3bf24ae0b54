"""Screenshots of the TODO table of a real repository, where paths are long
and TODOs cite URLs: issue 15 asks that every column stay readable at 1300
and 390 px, light and dark.

    python bench/screenshot_real.py REPO OUT

Builds REPO's site (its content/, .sitegen-cache/ and public/ are written
into REPO: use a scratch copy), finds the TODO list page and row with the
longest reference URL, and saves OUT/todos-<width>-<scheme>.png with that row
in view, taken by Debian's /usr/bin/chromium through Playwright.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup
from playwright.sync_api import sync_playwright

SITEGEN = str(Path(sys.executable).with_name("sitegen"))


def row_with_longest_url(site: Path) -> tuple[Path, str, int]:
    """(page, the row's id, the URL's length) of the TODO row citing the longest URL."""
    best = (site / "todos/index.html", "", 0)
    for page in sorted((site / "todos").glob("index*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        for row in soup.select("table.todos tbody tr"):
            longest = max((len(a["href"]) for a in row.select("a[href^=http]")), default=0)
            longest += len(row.select_one("td.location").get_text())
            if longest > best[2]:
                best = (page, row["id"], longest)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("repo", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    subprocess.run([SITEGEN, "-q", "build"], cwd=args.repo, check=True)
    page_file, row_id, length = row_with_longest_url(args.repo / "public")
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        for scheme in ("light", "dark"):
            for width in (1300, 390):
                context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                page = context.new_page()
                page.goto(f"{page_file.as_uri()}#{row_id}")
                page.locator(f"[id='{row_id}']").scroll_into_view_if_needed()
                shot = args.out / f"todos-{width}-{scheme}.png"
                page.screenshot(path=str(shot))
                widths = page.eval_on_selector_all(
                    "table.todos thead th", "cells => cells.map(c => Math.round(c.getBoundingClientRect().width))")
                print(f"{shot}: {page_file.name}#{row_id} (URL and location {length} characters); "
                      f"column widths {widths}")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
