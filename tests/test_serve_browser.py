"""`sitegen serve` in a real browser (Debian's /usr/bin/chromium, driven by
Playwright; scripts/test installs it): a ticked task shows without a manual
reload, a broken triage.yaml shows a banner with its file and line, the fix
takes it away, and the page is never a half-built one."""

from __future__ import annotations

import time

import pytest
from conftest import browser_missing
from test_serve import _interrupt, _start
from test_serve_session import make_repo

if why := browser_missing():
    pytest.skip(why, allow_module_level=True)
from playwright import sync_api  # noqa: E402


def _wait_until(condition, seconds: float) -> None:
    """Poll from Python: the page's CSP (rightly) refuses Playwright's eval-based waiting."""
    deadline = time.perf_counter() + seconds
    while True:
        try:
            if condition():
                return
        except sync_api.Error:  # the page was reloading
            pass
        assert time.perf_counter() < deadline, f"not within {seconds} s"
        time.sleep(0.02)


def test_a_save_shows_in_the_browser_and_errors_show_as_a_banner(tmp_path, browser):
    repo = make_repo(tmp_path / "repo")
    process, url = _start(repo, "--port", "0")
    csp_errors = []
    try:
        with browser.new_context() as context:
            page = context.new_page()
            page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(url + "checklists/tasks/index.html")
            bar = page.locator("progress").first
            assert bar.get_attribute("value") == "1"
            time.sleep(0.3)  # the EventSource has said the version it starts from

            tasks = repo / "TASKS.md"
            saved = time.perf_counter()
            tasks.write_text(tasks.read_text().replace("- [ ] write it", "- [x] write it"))
            _wait_until(lambda: page.locator("progress").first.get_attribute("value", timeout=500) == "2", 2.0)
            shown_after = time.perf_counter() - saved
            assert page.locator("progress").first.get_attribute("max") == "3"  # the whole new page, never a mix

            triage = repo / "content/triage.yaml"
            triage.write_text("td-x:\n  priority: [\n")
            banner = page.locator("#sitegen-serve-error")
            banner.wait_for(timeout=3000)
            assert "content/triage.yaml:3: invalid YAML" in banner.inner_text()
            assert page.locator("progress").first.get_attribute("value") == "2"  # the last good site

            triage.write_text("{}\n")
            banner.wait_for(state="detached", timeout=3000)
    finally:
        _interrupt(process)
    assert not csp_errors, csp_errors
    print(f"a ticked task showed in the browser {shown_after * 1000:.0f} ms after the save")
