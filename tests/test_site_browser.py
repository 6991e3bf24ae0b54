"""The built site in a real browser (Debian's /usr/bin/chromium, driven by
Playwright; scripts/test installs it), opened from file:// as a CI artifact
is, and over HTTP under a sub-path with netlify.toml's headers, as a host
serves it: search, sorting, filtering, paging and shared URLs work with the
keyboard, no script error shows in the console, no request leaves the site,
and axe-core (npm; scripts/test installs it) finds no serious or critical
accessibility violation. Screenshots of five pages at two widths (and of the
search box's list) are saved in tests-output/screenshots/."""

from __future__ import annotations

import fcntl
import functools
import http.server
import json
import os
import re
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import browser_missing, html_tree, run_sitegen, serving

REPO = Path(__file__).parent.parent
AXE = REPO / ".venv/oracles/node_modules/axe-core/axe.min.js"
SCREENSHOTS = REPO / "tests-output/screenshots"
PREFIX = "/some/prefix/"

if why := browser_missing():
    pytest.skip(why, allow_module_level=True)

FILES, PER_FILE = 11, 100
"""1,100 TODOs: two pages of the TODO list as built, twelve of 100 rows once sorted."""
TOOL_FINDINGS = 1050
"""A tool's findings in lib/legacy.py, one a line, by three rules: two pages of the tool's list as built
(and two parts of the file's page)."""
RULES = (("B006", "error"), ("C901", "warning"), ("E501", "note"))


def _make_repo(root: Path) -> None:
    (root / "src").mkdir(parents=True, exist_ok=True)
    for f in range(FILES):
        tag = "FIXME" if f % 4 == 0 else "TODO"
        (root / f"src/mod{f}.py").write_text(
            "".join(f"x = {n}  # {tag}: step {n} of module {f}\n" for n in range(1, PER_FILE + 1)), encoding="utf-8")
    (root / "src/auth.py").write_text("def login():\n    pass  # BUG(carol): tokens never expire\n", encoding="utf-8")
    (root / "TASKS.md").write_text(
        "# Release plan\n\n## Phase 1: hardening\n\n- [ ] P1 rotate the signing keys @dave\n"
        "- [x] enable TLS everywhere\n- [ ] P3 write the runbook\n", encoding="utf-8")
    (root / "ROADMAP.md").write_text("# Roadmap\n\n- [x] ship 1.0\n- [x] ship 1.1\n", encoding="utf-8")
    result = {"ruleId": "S105", "level": "error", "message": {"text": "hardcoded password in settings"},
              "locations": [{"physicalLocation": {"artifactLocation": {"uri": "src/auth.py"},
                                                  "region": {"startLine": 2}}}]}
    (root / "bandit.sarif").write_text(json.dumps(
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "bandit"}}, "results": [result]}]}))
    (root / "lib").mkdir(exist_ok=True)
    (root / "lib/legacy.py").write_text("".join(f"value_{n} = {n}\n" for n in range(1, TOOL_FINDINGS + 1)),
                                        encoding="utf-8")
    results = [{"ruleId": RULES[n % 3][0], "level": RULES[n % 3][1], "message": {"text": f"value {n} is odd"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": "lib/legacy.py"},
                                                    "region": {"startLine": n}}}]}
               for n in range(1, TOOL_FINDINGS + 1)]
    (root / "semgrep.sarif").write_text(json.dumps(
        {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "semgrep"}}, "results": results}]}))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Built once per test session: xdist's workers share their session's folder, and the
    first to take the lock builds the site there."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the session's, above each worker's own
    root = shared / "site_browser"
    with open(shared / "site_browser.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "public/index.html").is_file():
            _make_repo(root)
            built = run_sitegen("build", "--strict", cwd=root)  # --strict: every link of every page resolves
            assert built.returncode == 0, built.stderr
    return root / "public"


def _security_headers() -> dict[str, str]:
    netlify = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))
    return next(h["values"] for h in netlify["headers"] if h["for"] == "/*")


@pytest.fixture(scope="module")
def hosted(site: Path, tmp_path_factory):
    """The site served over HTTP at PREFIX, with the hosted site's headers (its CSP included)."""
    docroot = tmp_path_factory.mktemp("host")
    (docroot / PREFIX.strip("/")).parent.mkdir(parents=True)
    (docroot / PREFIX.strip("/")).symlink_to(site, target_is_directory=True)
    headers = _security_headers()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(docroot)))
    with serving(server) as port:
        yield f"http://127.0.0.1:{port}{PREFIX}"


class Watched:
    """A page whose console errors and requests outside `base` are recorded."""

    def __init__(self, browser, base: str, **options):
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.base = base
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith(base) else self.outside.append(r.url))

    def close(self) -> None:
        self.context.close()
        assert not self.errors, self.errors
        assert not self.outside, self.outside


@pytest.fixture
def from_file(browser, site):
    watched = Watched(browser, site.as_uri() + "/")
    yield watched
    watched.close()


@pytest.fixture
def over_http(browser, hosted):
    watched = Watched(browser, hosted)
    yield watched
    watched.close()


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def _column(page, n: int) -> list[str]:
    return [cell.strip() for cell in page.locator(f".list-client tbody tr td:nth-child({n})").all_inner_texts()]


def _same_view_in_another_tab(watched: Watched, url: str, pager_text: str, column: int) -> None:
    """The URL of a sorted or filtered view, opened in another tab, shows the
    same rows as `watched.page` (compared by `column`)."""
    other = watched.context.new_page()
    other.goto(url)
    other.locator(".list-client tbody tr").first.wait_for()
    assert pager_text in other.locator(".list-pager").inner_text()
    assert _column(other, column) == _column(watched.page, column)
    other.close()


def _back_to_the_pages_as_built(page) -> None:
    page.get_by_role("button", name="Show the pages as built").click()
    page.locator(".list-pages").wait_for(state="visible")
    assert urlsplit(page.url).query == ""


def test_search_from_file_by_keyboard_leads_to_the_items_own_place(from_file):
    page = from_file.page
    page.goto(from_file.base + "index.html")
    page.keyboard.press("/")  # focuses the box from anywhere on the page
    assert page.evaluate("document.activeElement.id") == "site-search-q"
    page.keyboard.type("signing keys")
    options = page.locator(".search-popup [role=option]")
    options.first.wait_for()
    assert "rotate the signing keys" in options.first.inner_text() and "Task" in options.first.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"checklists/tasks/index\.html#"))
    item = urlsplit(page.url).fragment
    assert page.locator(f"[id='{item}']").inner_text().count("rotate the signing keys") == 1
    # every kind and field is searched: a finding by its severity word, a TODO by its file and tag
    page.keyboard.press("/")
    page.keyboard.type("hardcoded")
    page.locator(".search-popup .search-hit").first.wait_for()
    assert "Finding" in page.locator(".search-popup .search-hit").first.inner_text()
    page.fill("#site-search-q", "auth bug")
    page.wait_for_function("document.querySelector('.search-popup .search-text')?.textContent.includes('expire')")
    assert float(page.locator(".search-popup").get_attribute("data-ms")) < 100


def test_the_search_page_over_http_under_a_sub_path_keeps_its_query_in_the_url(over_http):
    page = over_http.page
    response = page.goto(over_http.base + "search/index.html?q=mod3")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.locator(".search-results li").first.wait_for()
    assert page.locator(".search-summary").inner_text().startswith("100 items match")
    page.fill("#search-page-q", "FIXME mod8")  # a tag and a file name
    page.locator(".search-summary", has_text="100 items match “FIXME mod8”").wait_for()
    assert _query(page) == {"q": ["FIXME mod8"]}
    page.locator(".search-results a").first.click()
    page.wait_for_url(re.compile(re.escape(over_http.base) + r"files/src/mod8\.py\.html#td-"))


def _rows_as_built(page_file: Path) -> int:
    """The rows of a list's page as built, read from its file: a page of 1,000
    rows took the browser about a second of CPU to load."""
    return len(html_tree(page_file).cssselect(".list-pages tbody tr"))


def test_sorting_and_filtering_span_every_page_of_the_list_and_the_url_shares_the_view(over_http, site):
    page = over_http.page
    first = _rows_as_built(site / "todos/index.html")
    page.goto(over_http.base + "todos/index-2.html")  # the second page as built
    assert page.locator(".list-pages tbody tr").count() == 1101 - first  # the rest of 1,101
    assert "Page 2 of 2" in page.locator(".list-pages nav.pager").first.inner_text()
    page.get_by_role("button", name="Location", exact=True).first.click()
    page.locator(".list-client").wait_for(state="visible")  # once data/todos.js has loaded
    assert page.locator(".list-pages").is_hidden()
    assert "1,101 of 1,101 TODOs match, sorted by location" in page.locator(".list-status").inner_text()
    locations = _column(page, 4)
    assert locations[:3] == ["src/auth.py:2", "src/mod0.py:1", "src/mod0.py:2"]
    assert locations.index("src/mod0.py:9") < locations.index("src/mod0.py:10")  # numbers by value
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Location")

    page.select_option("#list-facet-todos-tag", "FIXME")
    page.fill("#list-filter-todos", "mod8.py:7")
    assert "11 of 1,101 TODOs match" in page.locator(".list-status").inner_text()
    assert _column(page, 4) == ["src/mod8.py:7", *(f"src/mod8.py:{n}" for n in range(70, 80))]
    assert set(_column(page, 2)) == {"FIXME"}
    assert _query(page) == {"tag": ["FIXME"], "q": ["mod8.py:7"], "sort": ["location"]}

    page.fill("#list-filter-todos", "")
    page.get_by_role("button", name="Priority", exact=True).first.click()
    page.get_by_role("button", name="Priority", exact=True).first.click()  # descending
    page.select_option("#list-facet-todos-tag", "")
    assert _column(page, 1)[0] == "P3" and page.locator("th[aria-sort=descending]").count() == 1
    page.get_by_role("button", name="Next").click()
    assert "Rows 101–200 of 1,101" in page.locator(".list-pager").inner_text()
    shared = page.url
    assert _query(page) == {"sort": ["-priority"], "page": ["2"]}

    _same_view_in_another_tab(over_http, shared, "Rows 101–200 of 1,101", 9)
    _back_to_the_pages_as_built(page)


def test_words_typed_while_the_lists_data_loads_are_kept_and_filter_it(over_http):
    page = over_http.page
    held = []
    # data/todos.js answers only once the reader has typed
    page.route("**/data/todos.js", lambda route: held.append(route))
    page.goto(over_http.base + "todos/index-2.html")
    page.focus("#list-filter-todos")  # starts loading the list's data
    page.keyboard.type("mod8.py:7")
    assert held, "the data file was not asked for"
    held[0].continue_()
    page.locator(".list-client").wait_for(state="visible")
    assert page.locator("#list-filter-todos").input_value() == "mod8.py:7"
    assert "11 of 1,101 TODOs match" in page.locator(".list-status").inner_text()
    assert _query(page) == {"q": ["mod8.py:7"]}


def test_a_tools_findings_sort_and_filter_across_its_pages_and_lead_to_the_part_holding_each(from_file, site):
    page = from_file.page
    first = _rows_as_built(site / "findings/tool-semgrep.html")
    page.goto(from_file.base + "findings/tool-semgrep-2.html")  # the second page as built
    assert page.locator(".list-pages tbody tr").count() == TOOL_FINDINGS - first
    assert "continued" in page.locator(".list-pages details.rule-group summary").inner_text()
    page.focus("#list-filter-tool-semgrep")  # loads data/tool-semgrep.js
    page.locator("#list-facet-tool-semgrep-severity").wait_for()  # loaded
    page.fill("#list-filter-tool-semgrep", "legacy.py:10")  # lines 10, 100–109 and 1000–1050
    page.locator(".list-client").wait_for(state="visible")
    assert page.locator(".list-pages").is_hidden()
    assert "62 of 1,050 semgrep findings match" in page.locator(".list-status").inner_text()
    page.select_option("#list-facet-tool-semgrep-severity", "high")  # B006: lines divisible by 3
    assert page.locator("#list-facet-tool-semgrep-category").count() == 1
    assert page.locator("#list-facet-tool-semgrep-source").count() == 0  # a tool's list has one source
    page.get_by_role("button", name="Location", exact=True).first.click()
    assert "20 of 1,050 semgrep findings match, sorted by location" in page.locator(".list-status").inner_text()
    assert _column(page, 5)[:4] == ["lib/legacy.py:102", "lib/legacy.py:105", "lib/legacy.py:108",
                                    "lib/legacy.py:1002"]  # line numbers by value
    assert {text.lower() for text in _column(page, 2)} == {"high"} and set(_column(page, 3)) == {"B006"}
    page.get_by_role("button", name="Location", exact=True).first.click()  # descending
    assert _column(page, 5)[0] == "lib/legacy.py:1050"
    assert _query(page) == {"severity": ["high"], "q": ["legacy.py:10"], "sort": ["-location"]}

    page.fill("#list-filter-tool-semgrep", "")
    page.get_by_role("button", name="Next").click()
    assert "Rows 101–200 of 350" in page.locator(".list-pager").inner_text()
    assert _query(page) == {"severity": ["high"], "sort": ["-location"], "page": ["2"]}
    _same_view_in_another_tab(from_file, page.url, "Rows 101–200 of 350", 7)

    page.get_by_role("button", name="Previous").click()
    link = page.locator(".list-client tbody tr td.location a").first  # line 1050, past the file's first part
    item = page.locator(".list-client tbody tr td:nth-child(7)").first.inner_text().strip()
    link.click()
    page.wait_for_url(re.compile(r"files/lib/legacy\.py-2\.html#" + re.escape(item) + "$"))
    assert "value 1050 is odd" in page.locator(f"[id='{item}']").inner_text()
    page.go_back()
    _back_to_the_pages_as_built(page)


def test_the_priority_table_sorts_and_filters_by_keyboard_with_unprioritised_rows_last(from_file):
    page = from_file.page
    page.goto(from_file.base + "priorities/index.html")
    page.focus("#list-filter-priorities")
    page.locator("#list-facet-priorities-kind").wait_for()
    page.keyboard.press("Tab")  # to the first facet, the priority
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "list-facet-priorities-kind"
    page.select_option("#list-facet-priorities-kind", "Task")
    texts = _column(page, 3)
    assert len(texts) == 2 and "rotate the signing keys" in texts[0] and "write the runbook" in texts[1]
    assert _query(page) == {"kind": ["Task"]}
    page.select_option("#list-facet-priorities-kind", "TODO")
    button = page.get_by_role("button", name="Owner", exact=True).first
    button.focus()
    page.keyboard.press("Enter")
    assert _column(page, 6)[:2] == ["carol", ""]
    page.keyboard.press("Enter")  # descending: an empty cell stays last, whichever way
    assert _column(page, 6)[:2] == ["carol", ""]
    assert page.evaluate("document.activeElement.textContent") == "Owner"  # focus stays on the header


def test_a_table_complete_on_its_page_sorts_in_place(from_file):
    page = from_file.page
    page.goto(from_file.base + "checklists/index.html")
    documents = page.locator("table.documents tbody th")
    assert documents.all_inner_texts() == ["Roadmap", "Release plan"]  # by path, as built
    page.get_by_role("button", name="Progress").click()  # by percent done: 33 %, 100 %
    assert documents.all_inner_texts() == ["Release plan", "Roadmap"]
    page.keyboard.press("Enter")  # the button keeps the focus: descending
    assert documents.all_inner_texts() == ["Roadmap", "Release plan"]
    assert page.locator("th[aria-sort=descending]").inner_text() == "Progress"


PAGES = {"dashboard": "index.html", "table": "todos/index-2.html", "file": "files/src/auth.py.html",
         "checklist": "checklists/tasks/index.html", "tool": "findings/tool-semgrep-2.html"}


@pytest.fixture
def injectable(browser, hosted):
    """Over HTTP, where axe can read the stylesheets (from file:// it cannot, and says so in the
    console); the CSP is bypassed only so that the test can inject axe."""
    watched = Watched(browser, hosted, bypass_csp=True)
    yield watched
    watched.close()


def test_pages_pass_axe_and_are_photographed_at_two_widths(injectable):
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed ({AXE.relative_to(REPO)}; scripts/test installs it with npm)")
    page = injectable.page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems, others = [], []
    for name, url in PAGES.items():
        page.set_viewport_size({"width": 1300, "height": 900})
        page.goto(injectable.base + url)
        if name == "table":  # the table as sorted, with its controls
            page.get_by_role("button", name="Location", exact=True).first.click()
            page.locator(".list-client tbody tr").first.wait_for()
        for width in (1300, 390):  # the page laid out again at each width, as a window resized
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=False)
        if name == "dashboard":  # checked with the search box's list open
            page.keyboard.press("/")
            page.keyboard.type("rotate")
            page.locator(".search-popup [role=option]").first.wait_for()
            page.screenshot(path=str(SCREENSHOTS / "search-390.png"))
        page.add_script_tag(path=str(AXE))
        found = page.evaluate("axe.run(document, {resultTypes: ['violations']}).then(r => r.violations"
                              ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length})))")
        problems += [(name, v) for v in found if v["impact"] in ("serious", "critical")]
        others += [(name, v["id"]) for v in found if v["impact"] not in ("serious", "critical")]
    assert not problems, problems
    print("axe's lesser findings:", others or "none")
