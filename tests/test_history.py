"""content/history.yaml: one entry per collected revision, filled the same by
collecting at each revision as by `sitegen history --rebuild`; never
rewritten while damaged."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import commit, git, run_sitegen, soup


def _revisions(repo: Path) -> list[str]:
    return git(repo, "rev-list", "--reverse", "HEAD").split()


def _collect_at_each_revision(repo: Path) -> None:
    for revision in _revisions(repo):
        git(repo, "checkout", "-q", revision)
        result = run_sitegen("collect", cwd=repo)
        assert result.returncode == 0, result.stderr
    git(repo, "checkout", "-q", "main")


def test_collecting_at_each_revision_and_rebuilding_give_the_same_history(git_history: Path):
    _collect_at_each_revision(git_history)
    history = git_history / "content/history.yaml"
    collected = history.read_bytes()
    entries = yaml.safe_load(collected)["entries"]
    assert [e["revision"] for e in entries] == _revisions(git_history)
    # The last commit added a P1 TODO, a P1 task, a critical finding, and opened a done task again
    last = entries[-1]
    assert len(last["new"].split()) == 4 and last["resolved"] == ""
    assert last["totals"]["priority"]["P1"] == 5  # two old P1s (TODO, task) and three new
    assert last["progress"]["TODO.md"] == {"done": 1, "total": 5, "phases": {}}
    # Collecting again at the same revision leaves the file as it was
    assert run_sitegen("collect", cwd=git_history).returncode == 0
    assert history.read_bytes() == collected

    history.unlink()
    result = run_sitegen("history", "--rebuild", cwd=git_history)
    assert result.returncode == 0, result.stderr
    assert "wrote 4 entries to content/history.yaml" in result.stderr
    assert history.read_bytes() == collected
    listed = run_sitegen("history", cwd=git_history).stdout.splitlines()
    assert len(listed) == 4 and listed[-1].split()[0] == _revisions(git_history)[-1][:12]


def test_a_rebuild_since_a_revision_keeps_the_entries_before_it(git_history: Path):
    _collect_at_each_revision(git_history)
    history = git_history / "content/history.yaml"
    whole = history.read_bytes()
    commit(git_history, "one TODO fewer", {"src/util.py": "x = 1\n"})
    result = run_sitegen("history", "--rebuild", "--since", "main~1", cwd=git_history)
    assert result.returncode == 0, result.stderr
    entries = yaml.safe_load(history.read_bytes())["entries"]
    assert len(entries) == 5 and entries[:4] == yaml.safe_load(whole)["entries"]
    assert len(entries[-1]["resolved"].split()) == 1 and entries[-1]["new"] == ""


def test_a_damaged_history_is_an_error_naming_its_line_and_is_left_alone(git_history: Path):
    history = git_history / "content/history.yaml"
    history.parent.mkdir(exist_ok=True)
    damaged = "schema: sitegen/history@1\nentries:\n- revision: abc\n  new: td-1\n- {new: td-2}\n"
    history.write_text(damaged, encoding="utf-8")
    for command in (["collect"], ["history", "--rebuild"], ["build"]):
        result = run_sitegen(*command, cwd=git_history)
        assert result.returncode == 2, (command, result.stderr)
        assert "content/history.yaml:5: a history entry must be a mapping with a 'revision'" in result.stderr
        assert history.read_text(encoding="utf-8") == damaged
    wrong_counts = "schema: sitegen/history@1\nentries:\n- revision: abc\n  totals: {kind: {todo: many}}\n"
    history.write_text(wrong_counts, encoding="utf-8")
    result = run_sitegen("build", cwd=git_history)
    assert result.returncode == 2 and "content/history.yaml:3: 'totals' of the entry for abc must map names to counts" \
        in result.stderr
    history.write_text("schema: sitegen/history@9\nentries: []\n", encoding="utf-8")
    newer = run_sitegen("collect", cwd=git_history)
    assert newer.returncode == 2 and "written by a newer sitegen (sitegen/history@9)" in newer.stderr


def test_no_history_outside_a_git_repository(project: Path):
    assert run_sitegen("collect", cwd=project).returncode == 0
    assert not (project / "content/history.yaml").exists()
    result = run_sitegen("history", "--rebuild", cwd=project)
    assert result.returncode == 2 and "not in a git repository" in result.stderr


def test_the_dashboard_draws_the_trend_and_lists_what_is_new_and_items_say_when_first_seen(git_history: Path):
    assert run_sitegen("history", "--rebuild", cwd=git_history).returncode == 0
    assert run_sitegen("build", "--strict", cwd=git_history).returncode == 0
    dashboard = soup(git_history / "public/index.html")
    section = dashboard.find(id="trend-h").parent
    chart = section.select_one("svg[role=img]")
    assert chart.title.get_text().startswith("Open items from 3 at ")
    assert len(chart.select("circle")) == 4 and chart.polyline["points"].count(",") == 4
    # The text alternative: one row a revision, latest first
    rows = [[td.get_text() for td in tr.select("th, td")] for tr in section.select("details.trend-numbers tbody tr")]
    assert [row[2:] for row in rows] == [["9", "4", "0"], ["5", "1", "0"], ["4", "1", "0"], ["3", "3", "0"]]
    assert "4 item(s) new, 0 resolved" in section.get_text()
    new = {code.get_text() for code in section.select("table code.item-id")}
    assert len(new) == 3  # the new P1 TODO, task and finding; the reopened task has no priority
    page = soup(git_history / "public/files/src/api.py.html")
    assert page.select_one("article.item li.seen").get_text().startswith("first seen 20")
    tasks = soup(git_history / "public/checklists/todo/index.html").select("li.task li.seen")
    # every task but "Ship 1.0", which was done when it appeared: the history follows open items
    assert len(tasks) == 4 and all(li.get_text().startswith("first seen 20") for li in tasks)


def test_no_trend_before_two_entries(git_history: Path):
    assert run_sitegen("build", cwd=git_history).returncode == 0
    assert soup(git_history / "public/index.html").find(id="trend-h") is None


def test_the_dashboard_lists_the_first_resolved_ids_when_thousands_go_at_once(tmp_path: Path):
    from sitegen.site.pages import RESOLVED_SHOWN

    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    many = RESOLVED_SHOWN + 50
    commit(repo, "vendored code", {"src/app.py": "x = 1  # TODO: keep this one\n",
                                   "legacy/old.py": "".join(f"y = {n}  # TODO: old item {n}\n" for n in range(many))})
    commit(repo, "the old code removed", {"legacy/old.py": None})
    assert run_sitegen("history", "--rebuild", cwd=repo).returncode == 0
    assert run_sitegen("build", cwd=repo).returncode == 0
    section = soup(repo / "public/index.html").find(id="trend-h").parent
    assert f"0 item(s) new, {many} resolved" in section.get_text()
    listed = section.select("ul.ids code.item-id")
    assert len(listed) == RESOLVED_SHOWN and len({code.get_text() for code in listed}) == RESOLVED_SHOWN
    assert f"(the first {RESOLVED_SHOWN})" in listed[0].find_parent("details").summary.get_text()
