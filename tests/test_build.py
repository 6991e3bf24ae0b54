"""`sitegen` end to end, as a user runs it: the installed console script."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import read_cache, run_sitegen, soup, tree_bytes
from sitegen.cache import save_keyed
from sitegen.pipeline import CollectedDocument, cache_entry
from sitegen.site.views import Outline


def build(project: Path, *args: str):
    result = run_sitegen("build", *args, cwd=project)
    assert result.returncode == 0, result.stderr
    return result


def bars(page: Path) -> dict[str, tuple[int, int]]:
    """aria-label → (value, max) of every progress bar on a page."""
    return {
        bar["aria-label"].split(":")[0]: (int(bar["value"]), int(bar["max"]))
        for bar in soup(page).select("progress")
    }


def test_build_renders_phase_progress_with_hand_counted_totals(project):
    build(project)
    page = project / "public/checklists/app-tasks/index.html"
    phase_rows = soup(page).select(".phases tbody tr")
    assert [row.th.get_text(" ", strip=True) for row in phase_rows] == [
        "Phase 0.5 · HOTFIXES (IMMEDIATE)", "Phase 1 · FOUNDATIONS",
        "Phase 9 · PAYMENTS & BILLING (MOVED TO LAST PHASE)", "Stage 3 · Polish",
    ]
    assert [row.select_one(".progress-text").get_text(strip=True) for row in phase_rows] == [
        "2/2· 100%", "3/4· 75%", "0/2· 0%", "1/5· 20%",
    ]
    assert bars(page)["Phase 1 · FOUNDATIONS"] == (3, 4)
    assert bars(page)["Mobile App - Delivery Tasks"] == (6, 14)


def test_declared_mismatches_are_shown(project):
    build(project)
    page = soup(project / "public/checklists/app-tasks/index.html")
    shown = [p.get_text(" ", strip=True) for p in page.select(".declared.mismatch")]
    assert "The document says Completed: 5 : declares 5 done, counted 6 ." in shown
    assert any("declared complete but 1 of 4 open" in text for text in shown)


def test_dashboard_counts_every_document_and_priority(project):
    build(project)
    page = soup(project / "public/index.html")
    totals = {div.dt.get_text(): div.dd.get_text() for div in page.select(".totals div")}
    assert totals == {"Documents": "2", "Tasks": "24", "Done": "7", "Open": "17"}
    cells = [td.get_text() for td in page.select("#totals-h ~ table.priorities td")]
    # TODO.md: P1 1, P2 5, P3 1, P4 2; TASKS.md has no priorities: 8 unset
    assert cells == ["1", "5", "1", "2", "8"]


def test_items_render_with_nesting_metadata_and_permalinks(project):
    build(project)
    page = soup(project / "public/checklists/todo/index.html")
    connect = page.find("li", class_="task", string=None, id=True)
    assert connect.select_one(".task-text strong").get_text() == "Connect the settings page"
    assert [li.get_text() for li in connect.select("ul.notes li")] == [
        "Update web/settings.js to call /admin/settings", "Store the admin key in sessionStorage",
    ]
    assert connect.select_one("a.permalink")["href"] == "#" + connect["id"]
    haptics = soup(project / "public/checklists/app-tasks/index.html").find(
        "span", class_="task-text", string="Haptics").find_parent("li")
    assert [s.get_text() for s in haptics.select(":scope > ul.tasks .task-text")] == ["iOS haptics", "Android haptics"]


def test_every_internal_link_is_relative_and_resolves(project):
    build(project)
    public = project / "public"
    for page in public.rglob("*.html"):
        for tag in soup(page).select("[href], [src]"):
            url = tag.get("href") or tag.get("src")
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme and not url.startswith("/"), (page, url)
            if parts.path:
                target = (page.parent / unquote(parts.path)).resolve()
                assert target.is_file(), (page, url)


def test_untrusted_text_is_escaped(project):
    (project / "ROADMAP.md").write_text(
        "# <script>alert(1)</script>\n"
        "- [ ] <script>alert(1)</script>\n"
        '- [ ] "><img src=x onerror=alert(1)>\n'
        "- [ ] [click](javascript:alert(1)) @x\n",
        encoding="utf-8",
    )
    (project / "app.py").write_text("# TODO: </script><script>alert(1)</script> \u2028 end\n", encoding="utf-8")
    build(project)
    for page in (project / "public").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        # the only scripts are the theme's files, empty elements that load them
        scripts = re.findall(r"<script[^>]*>", html)
        assert all(re.fullmatch(r'<script src="(\.\./)*static/[a-z]+\.[0-9a-f]{10}\.js" defer>', s) for s in scripts)
        assert html.count("<script") == html.count("></script>")
        assert "<img" not in html and "javascript:" not in html.split("[click]")[0]
        assert not soup(page).select("[onerror], a[href^='javascript']")
    for data in (project / "public/data").glob("*.js"):  # JSON inside a script: no "<", ASCII only
        assert "<" not in data.read_text(encoding="ascii")
    assert "\\u003c/script>" in (project / "public/data/search.js").read_text()
    roadmap = soup(project / "public/checklists/roadmap/index.html")
    assert "<script>alert(1)</script>" in [s.get_text() for s in roadmap.select(".task-text")]


def test_two_builds_are_byte_identical(project):
    build(project)
    first = tree_bytes(project / "public"), tree_bytes(project / "content")
    build(project)
    assert (tree_bytes(project / "public"), tree_bytes(project / "content")) == first


def test_no_collect_renders_the_same_site_from_content(project):
    build(project)
    collected = tree_bytes(project / "public")
    build(project, "--no-collect")
    assert tree_bytes(project / "public") == collected


def test_a_rebuild_holds_exactly_what_a_build_into_an_empty_folder_holds(project):
    build(project)
    (project / "TODO.md").unlink()  # its page must go
    # What a killed build might have left in its staging folder (marked as
    # sitegen's when the build claimed it).
    junk = project / ".public.building"
    (junk / "checklists/todo").mkdir(parents=True)
    (junk / ".sitegen-output").write_text("made by sitegen")
    (junk / "checklists/todo/index.html").write_text("stale")
    (junk / "index.html").mkdir()  # a folder where a page goes
    (junk / "checklists/index.html").mkdir()  # and one holding a page, as a source folder named
    (junk / "checklists/index.html/old.html").write_text("stale")  # x.py.html was published beside x.py's page
    (junk / "old/deep").mkdir(parents=True)
    (junk / "old/deep/page.html").write_text("stale")
    build(project)
    build(project, "--output", "fresh")
    assert tree_bytes(project / "public") == tree_bytes(project / "fresh")
    assert not (project / "public/checklists/todo").exists()


def test_a_rebuild_leaves_unchanged_pages_alone_and_rewrites_changed_ones(project):
    page = lambda slug: project / f"public/checklists/{slug}/index.html"  # noqa: E731
    build(project)
    stamps = {slug: page(slug).stat().st_mtime_ns for slug in ("todo", "app-tasks")}
    build(project)
    # The site before a build is kept beside it; the next build writes into it.
    previous = project / ".public.previous/checklists"
    assert {slug: (previous / slug / "index.html").stat().st_mtime_ns for slug in stamps} == stamps
    tasks = project / "app/TASKS.md"
    tasks.write_text(tasks.read_text() + "\n- [ ] A new task\n")
    build(project)
    assert page("todo").stat().st_mtime_ns == stamps["todo"]  # the same bytes: not written again
    assert page("app-tasks").stat().st_mtime_ns != stamps["app-tasks"]
    assert "A new task" in page("app-tasks").read_text(encoding="utf-8")
    assert "A new task" not in (previous / "app-tasks/index.html").read_text(encoding="utf-8")


def test_a_link_left_in_the_kept_site_never_leads_a_write_outside_it(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "index.html").write_text("not sitegen's")
    build(project)
    build(project)
    previous = project / ".public.previous"
    (previous / "index.html").unlink()
    (previous / "index.html").symlink_to(outside / "index.html")
    shutil.rmtree(previous / "checklists")
    (previous / "checklists").symlink_to(outside, target_is_directory=True)
    build(project)
    assert (outside / "index.html").read_text() == "not sitegen's" and len(list(outside.iterdir())) == 1
    assert not any(p.is_symlink() for p in (project / "public").rglob("*"))
    assert (project / "public/checklists/todo/index.html").is_file()


def test_git_does_not_list_the_kept_copies_of_the_site(project):
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    (project / ".gitignore").write_text("/public/\n/content/\n/.sitegen-cache/\n")
    listed = lambda: subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"],  # noqa: E731
                                    cwd=project, capture_output=True, text=True, check=True).stdout
    # A page that fails to render ends the build, leaving its staging folder.
    (project / "mytheme/templates").mkdir(parents=True)
    (project / "mytheme/templates/index.html").write_text("{{ no_such_value }}\n")
    (project / "sitegen.yaml").write_text("theme: mytheme\n")
    assert run_sitegen("build", cwd=project).returncode == 2
    assert (project / ".public.building").is_dir() and ".public" not in listed()
    (project / "sitegen.yaml").unlink()
    build(project)
    build(project)
    assert (project / ".public.previous").is_dir() and ".public" not in listed()
    assert not (project / "public/.gitignore").exists()


def test_strict_fails_before_anything_is_written(project):
    build(project)
    before = tree_bytes(project / "public")
    (project / "content/triage.yaml").write_text("ck-0000000000: {status: done}\n")  # a stale id
    result = run_sitegen("build", "--strict", cwd=project)
    assert result.returncode == 1 and "no item has the id 'ck-0000000000'" in result.stderr
    assert tree_bytes(project / "public") == before
    assert not (project / ".public.building").exists()


def build_after_writing(project: Path, rel: str, text: str, *args: str):
    """Build, write `text` to `rel`, build again (with `args`): the second build's result.
    Whatever it says, the first build's site must be left as it was."""
    build(project)
    before = tree_bytes(project / "public")
    (project / rel).write_text(text)
    result = run_sitegen("build", *args, cwd=project)
    assert tree_bytes(project / "public") == before
    return result


def test_bad_config_exits_2_with_one_line_and_keeps_the_old_site(project):
    result = build_after_writing(project, "sitegen.yaml", "title: ok\ncheklists:\n  paths: []\n")
    assert result.returncode == 2
    assert result.stderr == (
        "sitegen: error: sitegen.yaml:2: unknown key 'cheklists'; did you mean 'checklists'?\n"
    )


def test_bad_triage_exits_2_naming_the_line_and_keeps_the_old_site(project):
    result = build_after_writing(project, "content/triage.yaml", "ck-0123456789:\n  owner: ann\n  priority: urgent\n")
    assert result.returncode == 2
    assert result.stderr == (
        "sitegen: error: content/triage.yaml:3: priority of 'ck-0123456789' must be one of "
        "P1, P2, P3, P4, not 'urgent'\n"
    )


def test_triage_overrides_priority_owner_and_status(project):
    build(project)
    page = soup(project / "public/checklists/todo/index.html")
    task = page.find("span", class_="task-text", string="Consider stricter type checking").find_parent("li")
    (project / "content/triage.yaml").write_text(
        f"{task['id']}:\n  priority: P1\n  owner: kim\n  status: accepted\n", encoding="utf-8")
    build(project)
    page = soup(project / "public/checklists/todo/index.html")
    task = page.find(id=task["id"])
    assert task.select_one(".badge").get_text() == "P1"
    assert [li.get_text() for li in task.select("ul.meta li")] == ["accepted", "owner: kim"]


def test_stale_triage_id_warns_and_strict_fails_without_touching_the_site(project):
    result = build_after_writing(project, "content/triage.yaml", "ck-ffffffffff:\n  status: wontfix\n", "--strict")
    assert result.returncode == 1
    assert "content/triage.yaml:1: no item has the id 'ck-ffffffffff'" in result.stderr
    assert run_sitegen("build", cwd=project).returncode == 0  # a warning, not an error


def test_the_site_names_triage_yaml_alike_from_any_folder_and_any_checkout(project, tmp_path_factory):
    """The warning of a stale triage entry is on the dashboard: built from
    another folder (--config), or from a copy of the repository elsewhere,
    the site is the same."""
    (project / "content").mkdir(exist_ok=True)
    (project / "content/triage.yaml").write_text("ck-ffffffffff:\n  status: wontfix\n", encoding="utf-8")
    (project / "sitegen.yaml").write_text("title: Triage\n", encoding="utf-8")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    assert run_sitegen("build", "--config", str(project / "sitegen.yaml"), cwd=elsewhere).returncode == 0
    warnings = [li.get_text() for li in soup(project / "public/index.html").select_one("#warnings-h")
                .find_next("ul").select("li")]
    assert warnings[-1] == "content/triage.yaml:1: no item has the id 'ck-ffffffffff' (removed, or its text changed?)"
    copy = elsewhere / "copy"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("public", ".public*", ".sitegen-cache"))
    assert run_sitegen("build", cwd=copy).returncode == 0
    assert (copy / "public/index.html").read_bytes() == (project / "public/index.html").read_bytes()


def test_newer_content_schema_is_refused(project):
    build(project)
    path = project / "content/checklists.yaml"
    path.write_text(re.sub(r"checklists@\d+", "checklists@99", path.read_text()))
    result = run_sitegen("build", "--no-collect", cwd=project)
    assert result.returncode == 2
    assert result.stderr.startswith("sitegen: error: content/checklists.yaml:1: written by a newer sitegen")


def test_init_writes_a_config_that_builds_as_is(tmp_path):
    (tmp_path / "TODO.md").write_text("- [ ] first\n")
    assert run_sitegen("init", cwd=tmp_path).returncode == 0
    assert run_sitegen("init", cwd=tmp_path).returncode == 2  # never overwrites silently
    build(tmp_path)
    assert (tmp_path / "public/checklists/todo/index.html").is_file()


def test_a_theme_folder_overrides_one_template(project):
    (project / "mytheme/templates").mkdir(parents=True)
    (project / "mytheme/templates/base.html").write_text(
        '{% extends "default/base.html" %}{% block title %}Custom · {{ site_title }}{% endblock %}')
    (project / "sitegen.yaml").write_text("theme: mytheme\n")
    build(project)
    assert soup(project / "public/index.html").title.get_text() == "Custom · Project health"
    stylesheet = soup(project / "public/index.html").select_one("link[rel=stylesheet]")["href"]
    assert (project / "public" / stylesheet).is_file() and stylesheet.startswith("static/style.")


def test_static_files_are_named_by_their_content(project):
    (project / "mytheme/static").mkdir(parents=True)
    (project / "sitegen.yaml").write_text("theme: mytheme\n")
    build(project)
    first = soup(project / "public/index.html").select_one("link[rel=stylesheet]")["href"]
    assert re.fullmatch(r"static/style\.[0-9a-f]{10}\.css", first)
    (project / "mytheme/static/style.css").write_text("body { color: red }\n")
    build(project)
    second = soup(project / "public/todos/index.html").select_one("link[rel=stylesheet]")["href"]
    assert second.startswith("../static/style.") and second != "../" + first  # every page names the new file
    assert (project / "public/todos" / second).read_text() == "body { color: red }\n"
    assert not (project / "public" / first).exists()  # the old name is gone with the old content


def test_template_error_in_a_theme_names_file_and_line(project):
    (project / "mytheme/templates").mkdir(parents=True)
    (project / "mytheme/templates/index.html").write_text("line one\n{% if %}\n")
    (project / "sitegen.yaml").write_text("theme: mytheme\n")
    result = run_sitegen("build", cwd=project)
    assert result.returncode == 2
    assert re.fullmatch(r"sitegen: error: \S*mytheme/templates/index.html:2: template: .+\n", result.stderr)


def test_runtime_template_error_in_a_worker_names_file_and_line(tmp_path):
    # Enough documents that pages render in worker processes.
    for n in range(120):
        (tmp_path / f"d{n}").mkdir()
        (tmp_path / f"d{n}/TODO.md").write_text(f"- [ ] task {n}\n")
    (tmp_path / "mytheme/templates/checklists").mkdir(parents=True)
    (tmp_path / "mytheme/templates/checklists/document.html").write_text("ok\n{{ doc.missing.deeper }}\n")
    (tmp_path / "sitegen.yaml").write_text("theme: mytheme\n")
    result = run_sitegen("build", cwd=tmp_path)
    assert result.returncode == 2
    assert re.fullmatch(
        r"sitegen: error: \S*mytheme/templates/checklists/document.html:2: template: .*missing.*\n",
        result.stderr,
    )
    assert not (tmp_path / "public").exists()


def _cached_documents(project: Path) -> dict:
    return read_cache(project / ".sitegen-cache/checklists.marshal")[1]


def test_unchanged_checklists_come_from_the_cache_and_changed_ones_are_read_again(project):
    build(project)
    first_content, first_site = tree_bytes(project / "content"), tree_bytes(project / "public")
    cache = project / ".sitegen-cache/checklists.marshal"
    assert set(_cached_documents(project)["stamps"]) == {"TODO.md", "app/TASKS.md"}

    build(project)  # nothing changed: the same content and site, from the cache
    assert tree_bytes(project / "content") == first_content
    assert tree_bytes(project / "public") == first_site

    # What the cache holds is what is shown: change a task's text in it, and the page shows it.
    stored = _cached_documents(project)
    _, slug, chunk, record, notices = stored["payloads"]["TODO.md"]
    assert "Add rate limiting" in chunk
    changed = CollectedDocument(chunk.replace("Add rate limiting", "CACHED rate limiting"), Outline.from_record(record))
    stored["payloads"]["TODO.md"] = cache_entry(slug, changed, [])
    save_keyed(cache, read_cache(cache)[0], stored)
    build(project)
    assert "CACHED rate limiting" in soup(project / "public/checklists/todo/index.html").get_text()

    # The document changes (its size and time): it is read again.
    todo = project / "TODO.md"
    todo.write_text(todo.read_text(encoding="utf-8") + "\n- [ ] A task added later\n", encoding="utf-8")
    build(project)
    page = (project / "public/checklists/todo/index.html").read_text(encoding="utf-8")
    assert "CACHED" not in page and "A task added later" in page

    # collect --no-cache reads every document, whatever the cache says.
    stored = _cached_documents(project)
    _, slug, chunk, record, notices = stored["payloads"]["app/TASKS.md"]
    changed = CollectedDocument(chunk.replace('"done": true', '"done": false'), Outline.from_record(record))
    stored["payloads"]["app/TASKS.md"] = cache_entry(slug, changed, [])
    save_keyed(cache, read_cache(cache)[0], stored)
    assert run_sitegen("collect", "--no-cache", cwd=project).returncode == 0
    assert tree_bytes(project / "content") != first_content  # the added task
    build(project, "--no-collect")
    assert bars(project / "public/checklists/app-tasks/index.html")["Phase 1 · FOUNDATIONS"] == (3, 4)


def test_a_cached_document_keeps_its_warnings_and_a_damaged_cache_is_ignored(project):
    (project / "legacy.md").write_bytes("# Old\n\n- [ ] caf\xe9 menu\n".encode("latin-1"))
    (project / "sitegen.yaml").write_text('checklists:\n  paths: ["**/*.md"]\n', encoding="utf-8")
    cold = build(project)
    assert "legacy.md" in cold.stderr and "Latin-1" in cold.stderr
    site = tree_bytes(project / "public")
    warm = build(project)
    assert warm.stderr.splitlines()[:-1] == cold.stderr.splitlines()[:-1]  # the last line has the time
    cache = project / ".sitegen-cache/checklists.marshal"
    whole = cache.read_bytes()
    flipped = bytearray(whole)
    flipped[-len(whole) // 3] ^= 1  # one bit of the data: its checksum no longer matches
    for damaged in (whole[: len(whole) // 2], b"", b"\x00junk", bytes(flipped)):
        cache.write_bytes(damaged)
        assert build(project).stderr.splitlines()[:-1] == cold.stderr.splitlines()[:-1]
        assert tree_bytes(project / "public") == site
    # A cache written whole (its checksum right) whose outline has another shape: the document is read instead.
    key, stored = read_cache(cache)
    digest, slug, chunk, record, notices = stored["payloads"]["legacy.md"]
    tasks_at = 9  # Outline.record: the tasks, a list per field
    bad_tasks = [[*record[:tasks_at], columns, *record[tasks_at + 1:]]
                 for columns in ([[1], [True], [None], ["x"], [1]], None, {"ids": []}, record[tasks_at][:4])]
    bad_part = [*record[:-1], [[1, True, None, "x", 1]]]
    for damaged in ([digest, slug, None, record, notices], [digest, slug, chunk, {"tasks": 1}, notices],
                    *([digest, slug, chunk, bad, notices] for bad in bad_tasks),
                    [digest, slug, chunk, bad_part, notices], [digest, slug, chunk, record[:-1], notices]):
        stored["payloads"]["legacy.md"] = damaged
        save_keyed(cache, key, stored)
        build(project)
        assert tree_bytes(project / "public") == site


def _rendered(result) -> int:
    return int(re.search(r"\((\d+) rendered", result.stderr).group(1))


def test_only_pages_whose_inputs_changed_are_rendered(project):
    first = build(project)
    pages = int(re.search(r"built (\d+) page", first.stderr).group(1))
    assert _rendered(first) == pages
    build(project)  # renders into a new staging folder: no earlier site there yet
    site = tree_bytes(project / "public")
    assert _rendered(build(project)) == 0
    assert tree_bytes(project / "public") == site

    # One document changes: its page and the pages that summarise documents. The task
    # added under "Low Priority" is P4, so it joins the priority table as well.
    todo = project / "TODO.md"
    todo.write_text(todo.read_text(encoding="utf-8") + "\n- [ ] A task added later\n", encoding="utf-8")
    changed = build(project)
    # the document, the dashboard, the checklist index, the priorities, the checklist progress
    # badge (one more open task), and the files of every item that include tasks: data/health.json,
    # data/search.js and data/priorities.js (not the TODO and finding lists' data/todos.js, findings.js)
    assert _rendered(changed) == 8
    assert "A task added later" in (project / "public/checklists/todo/index.html").read_text(encoding="utf-8")
    assert "A task added later" in (project / "public/priorities/index.html").read_text(encoding="utf-8")
    # The staging folder next time holds the site before this one: the changed pages are rendered again.
    assert _rendered(build(project)) == 8
    assert _rendered(build(project)) == 0


def test_a_changed_template_or_triage_renders_what_depends_on_it(project, tmp_path):
    for _ in range(3):
        build(project)
    (project / "content/triage.yaml").write_text("", encoding="utf-8")
    assert _rendered(build(project)) == 0
    task_id = soup(project / "public/checklists/todo/index.html").select_one("li.task")["id"]
    (project / "content/triage.yaml").write_text(f"{task_id}: {{owner: dana}}\n", encoding="utf-8")
    # That task's document, (it has a priority) the priority table and the dashboard's first items,
    # and the five files of every item of a kind or of all kinds (health.json, data/*.js), which triage changes
    assert _rendered(build(project)) == 3 + 5
    assert "owner: dana" in soup(project / "public/checklists/todo/index.html").get_text()
    for page in ("priorities/index.html", "index.html"):
        row = soup(project / "public" / page).find("code", class_="item-id", string=task_id).find_parent("tr")
        assert [td.get_text(strip=True) for td in row.select("td")][5] == "dana"

    (project / "mytheme/templates").mkdir(parents=True)
    (project / "mytheme/templates/base.html").write_text(
        '{% extends "default/base.html" %}{% block title %}Mine{% endblock %}', encoding="utf-8")
    (project / "sitegen.yaml").write_text("theme: mytheme\n", encoding="utf-8")
    result = build(project)
    assert _rendered(result) == int(re.search(r"built (\d+) page", result.stderr).group(1))
    assert soup(project / "public/index.html").title.get_text() == "Mine"


def test_a_page_changed_or_removed_by_hand_is_rendered_again(project):
    for _ in range(3):
        build(project)
    site = tree_bytes(project / "public")
    # The next build's staging folder is the kept copy: spoil a page there and remove another.
    (project / ".public.previous/index.html").write_text("spoiled", encoding="utf-8")
    (project / ".public.previous/checklists/index.html").unlink()
    assert _rendered(build(project)) == 2
    assert tree_bytes(project / "public") == site
    (project / ".sitegen-cache/pages.marshal").write_bytes(b"\x00junk")
    result = build(project)
    assert _rendered(result) == int(re.search(r"built (\d+) page", result.stderr).group(1))
    assert tree_bytes(project / "public") == site


def test_base_url_adds_a_sitemap_and_canonical_links(project):
    build(project)
    assert not (project / "public/sitemap.xml").exists()
    assert soup(project / "public/index.html").find("link", rel="canonical") is None

    (project / "sitegen.yaml").write_text('base_url: "https://example.org/health"\n', encoding="utf-8")
    build(project)
    public = project / "public"
    pages = sorted(str(p.relative_to(public)) for p in public.rglob("*.html") if p.name != "404.html")
    sitemap = (public / "sitemap.xml").read_text(encoding="utf-8")
    assert re.findall(r"<loc>(.*)</loc>", sitemap) == [f"https://example.org/health/{page}" for page in pages]
    canonical = soup(public / "checklists/todo/index.html").find("link", rel="canonical")["href"]
    assert canonical == "https://example.org/health/checklists/todo/index.html"


def test_robots_txt_points_to_the_sitemap_or_with_noindex_keeps_crawlers_out(project):
    (project / "sitegen.yaml").write_text('base_url: "https://example.org/health"\n', encoding="utf-8")
    build(project)
    robots = (project / "public/robots.txt").read_text(encoding="utf-8")
    assert robots.splitlines() == ["User-agent: *", "Allow: /", "Sitemap: https://example.org/health/sitemap.xml"]
    assert soup(project / "public/index.html").find("meta", attrs={"name": "robots"}) is None

    (project / "sitegen.yaml").write_text("noindex: true\n", encoding="utf-8")
    build(project)
    assert (project / "public/robots.txt").read_text(encoding="utf-8").splitlines() == ["User-agent: *", "Disallow: /"]
    for page in ("index.html", "checklists/todo/index.html"):
        assert soup(project / "public" / page).find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"


def test_the_404_page_links_from_base_url_or_loads_nothing(project):
    build(project)
    page = soup(project / "public/404.html")
    assert page.h1.get_text() == "Page not found"
    assert page.select("a[href], link[href], script[src], img[src]") == []  # no link could be right at every depth
    (project / "sitegen.yaml").write_text('base_url: "https://example.org/health"\n', encoding="utf-8")
    build(project)
    page = soup(project / "public/404.html")
    assert {a["href"] for a in page.select("a")} == {"https://example.org/health/index.html",
                                                    "https://example.org/health/priorities/index.html"}
    assert "404.html" not in (project / "public/sitemap.xml").read_text(encoding="utf-8")


def test_every_page_has_the_favicon(project):
    build(project)
    for page in ("index.html", "checklists/todo/index.html"):
        icon = soup(project / "public" / page).find("link", rel="icon")
        assert (project / "public" / page).parent.joinpath(icon["href"]).resolve().is_file()


def test_a_base_url_that_is_not_an_http_url_is_refused(project):
    (project / "sitegen.yaml").write_text('title: t\nbase_url: "javascript:alert(1)"\n', encoding="utf-8")
    result = run_sitegen("build", cwd=project)
    assert result.returncode == 2
    assert result.stderr.startswith("sitegen: error: sitegen.yaml:2: 'base_url' must be an absolute http(s) URL")


def test_the_dashboard_leads_with_the_first_open_p1_and_p2_items(project):
    (project / "app.py").write_text("# FIXME(erin): drop the debug endpoint\n", encoding="utf-8")
    build(project)
    priority_rows = soup(project / "public/priorities/index.html").select("table.priority-table tbody tr")
    expected = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in priority_rows]
    expected = [row for row in expected if row[0] in ("P1", "P2")][:10]
    dashboard = soup(project / "public/index.html")
    first = dashboard.find("h2", id="first-h").find_parent("section")
    shown = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in first.select("tbody tr")]
    assert shown == expected and 0 < len(shown) <= 10
    assert any(row[1] == "TODO" and row[5] == "erin" for row in shown)  # the marker's author as owner
    # Each count by priority leads to that priority's section of the priority table
    targets = {a["href"] for a in dashboard.select("table.priorities a")}
    assert targets and targets <= {f"priorities/index.html#priority-{n}" for n in range(1, 5)}
    closed = shown[0][7]
    (project / "content/triage.yaml").write_text(f"{closed}: {{status: done}}\n", encoding="utf-8")
    build(project)
    first = soup(project / "public/index.html").find("h2", id="first-h").find_parent("section")
    assert closed not in first.get_text()


def test_the_readmes_theme_example_works_as_written(project):
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    for name, body in re.findall(r"```jinja\n\{# mytheme/templates/(\S+) #\}\n(.*?)```", readme, re.S):
        (project / "mytheme/templates" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "mytheme/templates" / name).write_text(body, encoding="utf-8")
    assert sorted(p.name for p in (project / "mytheme/templates").iterdir()) == ["base.html", "index.html"]
    (project / "sitegen.yaml").write_text("theme: mytheme\n", encoding="utf-8")
    assert run_sitegen("build", "--strict", cwd=project).returncode in (0, 1)  # the fixtures' own warnings
    build(project)
    dashboard = soup(project / "public/index.html")
    assert dashboard.select_one("main p.warning").get_text() == "Staging data: refreshed nightly."
    for page in ("index.html", "todos/index.html", "checklists/todo/index.html"):
        footer = soup(project / "public" / page).select_one("footer").get_text()
        assert footer.startswith("Generated by sitegen") and footer.endswith(" · Questions: #platform-health")


def test_the_readmes_templates_and_macros_meant_to_be_overridden_are_the_themes():
    """Each template the README's table names is in the bundled theme, and
    its macros.html row lists exactly the macros there (the page variable
    `enhance_tables` it also names is not one)."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("Meant to be overridden:", 1)[1].split("\n\n", 2)[1]
    templates = Path(__file__).parent.parent / "themes/default/templates"
    named = [re.findall(r"`([\w/]+\.html)`", row.split("|")[1]) for row in table.splitlines()[2:]]
    assert all((templates / name).is_file() for names in named for name in names) and len(named) > 5
    row = next(row for row in table.splitlines() if row.startswith("| `macros.html`"))
    listed = set(re.findall(r"`([a-z_]+)`", row)) - {"enhance_tables"}
    assert listed == set(re.findall(r"\{% macro (\w+)\(", (templates / "macros.html").read_text(encoding="utf-8")))


def test_a_content_file_holding_what_it_would_be_written_with_is_left_and_any_other_is_written(project):
    """checklists.yaml and todos.yaml are not made again while their inputs and
    the files themselves are as sitegen left them; edited, removed or out of
    date, each is written again, as a build without the cache writes it."""
    (project / "app/main.py").write_text("x = 1  # TODO: first\n")
    build(project)
    files = [project / "content/checklists.yaml", project / "content/todos.yaml"]
    fresh = [path.read_bytes() for path in files]
    stamps = [path.stat().st_mtime_ns for path in files]
    build(project)
    assert [path.stat().st_mtime_ns for path in files] == stamps
    files[0].write_text("# edited\n")
    files[1].unlink()
    build(project)
    assert [path.read_bytes() for path in files] == fresh
    (project / "app/main.py").write_text("x = 1  # TODO: second\n")
    build(project)
    assert b"second" in files[1].read_bytes()
    shutil.rmtree(project / ".sitegen-cache")
    again = files[1].read_bytes()
    build(project, "--no-collect")
    build(project)
    assert files[1].read_bytes() == again


def test_the_files_of_every_item_are_rendered_in_workers_when_they_weigh_enough(tmp_path, monkeypatch):
    """The files of every item are known by a key, not by what they hold: they
    weigh as many items as they hold (PageSpec.weight). A few thousand are
    made here, where starting workers costs more than it saves; many more,
    and the other core is put to work rather than left waiting."""
    from sitegen import pipeline
    from sitegen.config import Config
    from sitegen.site import pages, render

    tasks = "".join(f"- [ ] task {n} with some words to carry\n" for n in range(3_000))
    (tmp_path / "TASKS.md").write_text("# Tasks\n\n" + tasks, encoding="utf-8")
    (tmp_path / "TODO.md").write_text("# Small\n\n- [ ] one\n", encoding="utf-8")
    for _ in range(2):  # the second fills the staging folder, the one the next build renders into
        pipeline.build(Config(base_dir=tmp_path))
    in_workers = []
    spread = render.process_map

    def noted(func, items, shared=None, min_items=200):
        in_workers.append((len(items), min_items == 1))
        return spread(func, items, shared, min_items)

    monkeypatch.setattr(render, "process_map", noted)
    for added, weight, parallel in (("two", pages.ITEM_WEIGHT, False), ("three", pages.ITEM_WEIGHT * 10, True)):
        monkeypatch.setattr(pages, "ITEM_WEIGHT", weight)  # (10×: as if each task were ten)
        in_workers.clear()
        (tmp_path / "TODO.md").write_text(f"# Small\n\n- [ ] one\n- [ ] {added}\n", encoding="utf-8")
        built = pipeline.build(Config(base_dir=tmp_path))
        assert built.rendered < 10 and in_workers == [(built.rendered, parallel)]
        search = (tmp_path / "public/data/search.js").read_text(encoding="utf-8")
        assert "task 2999 with some words" in search and f'"{added}"' in search
