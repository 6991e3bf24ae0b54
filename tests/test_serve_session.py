"""`sitegen serve`'s incremental rebuilds: after any sequence of edits the
site (and content/) equals a fresh `sitegen build` of the same files."""

from __future__ import annotations

import os
import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import tree_bytes

from sitegen import pipeline
from sitegen.config import load_config
from sitegen.errors import SitegenError
from sitegen.serve.session import ADDED, DELETED, MODIFIED, Change, Session
from sitegen.site import urls

GENERATED = ("public", ".public.building", ".public.previous", ".sitegen-cache")
CONTENT = ("checklists.yaml", "todos.yaml", "findings.yaml")


def make_repo(root: Path) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "content").mkdir()
    (root / "sitegen.yaml").write_text("title: Preview\n")
    (root / "content/triage.yaml").write_text("{}\n")
    (root / "src/a.py").write_text("def f():\n    # TODO: handle the empty case\n    return 1\n")
    (root / "src/b.js").write_text("// FIXME: cache this lookup\nconst x = 1;\n")
    (root / "TASKS.md").write_text("# Tasks\n\n## Phase 1\n\n- [ ] write it\n- [x] plan it\n- [ ] ship it\n")
    (root / "SECURITY_AUDIT.md").write_text("# Audit\n\n## Findings\n\n- **High**: tokens are logged\n")
    return root


def fresh_build(repo: Path, scratch: Path) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(site, content files) of a `sitegen build` of a copy of `repo`'s inputs, with no cache."""
    copy = scratch / "fresh"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(repo, copy, symlinks=True, ignore=lambda folder, names: [
        n for n in names if n in GENERATED or (Path(folder).name == "content" and n in CONTENT)])
    pipeline.build(load_config(copy / "sitegen.yaml"))
    return tree_bytes(copy / "public"), _content(copy)


def _content(repo: Path) -> dict[str, bytes]:
    return {name: (repo / "content" / name).read_bytes() for name in CONTENT}


class Editor:
    """Random edits of the kinds a user makes, each returning the changes a watcher reports."""

    def __init__(self, repo: Path, rng: random.Random):
        self.repo, self.rng, self.count = repo, rng, 0

    def _sources(self) -> list[Path]:
        return sorted(p for p in (self.repo / "src").rglob("*") if p.is_file())

    def _write(self, path: Path, text: str) -> list[Change]:
        kind = MODIFIED if path.exists() else ADDED
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return [Change(str(path), kind)]

    def add_todo(self) -> list[Change]:
        self.count += 1
        path = self.rng.choice(self._sources() or [self.repo / "src/new.py"])
        comment = "//" if path.suffix == ".js" else "#"
        old = path.read_text() if path.exists() else ""
        return self._write(path, old + f"{comment} {self.rng.choice(['TODO', 'HACK', 'XXX'])}: step {self.count}\n")

    def push_down(self) -> list[Change]:
        """A line above everything in a file: its TODOs move, their ids stay."""
        path = self.rng.choice(self._sources())
        self.count += 1
        return self._write(path, f"import m{self.count}\n" + path.read_text())

    def drop_line(self) -> list[Change]:
        path = self.rng.choice(self._sources())
        lines = path.read_text().splitlines(keepends=True)
        if lines:
            del lines[self.rng.randrange(len(lines))]
        return self._write(path, "".join(lines))

    def new_file(self) -> list[Change]:
        self.count += 1
        folder = self.rng.choice(["src", "src/deep", "lib"])
        return self._write(self.repo / folder / f"n{self.count}.py", f"# TODO: new file {self.count}\nx = 1\n")

    def delete_file(self) -> list[Change]:
        path = self.rng.choice(self._sources())
        path.unlink()
        return [Change(str(path), DELETED)]

    def rename_file(self) -> list[Change]:
        self.count += 1
        path = self.rng.choice(self._sources())
        target = path.with_name(f"r{self.count}{path.suffix}")
        path.rename(target)
        return [Change(str(path), DELETED), Change(str(target), ADDED)]

    def tick_task(self) -> list[Change]:
        path = self.repo / "TASKS.md"
        text = path.read_text()
        boxes = [m.start() for m in re.finditer(r"\[[ x]\]", text)]
        at = self.rng.choice(boxes)
        return self._write(path, text[:at] + ("[x]" if text[at + 1] == " " else "[ ]") + text[at + 3:])

    def add_task(self) -> list[Change]:
        self.count += 1
        path = self.rng.choice([self.repo / "TASKS.md", self.repo / "docs/TODO.md"])
        old = path.read_text() if path.exists() else "# Plan\n\n"
        return self._write(path, old + f"- [ ] task {self.count} (P{self.rng.randint(1, 4)})\n")

    def triage(self) -> list[Change]:
        """Triage of a few TODOs, tasks and findings: a priority, a status (that may close it) or an owner."""
        ids = [item_id for kind in ("todos", "checklists", "findings")
               for item_id in re.findall(r'"id": "([^"]+)"', (self.repo / f"content/{kind}.yaml").read_text())]
        fields = [*(f"priority: P{n}" for n in range(1, 5)), "status: done", "status: accepted", "owner: ana"]
        entries = "".join(f"{item_id}:\n  {self.rng.choice(fields)}\n"
                          for item_id in self.rng.sample(ids, min(4, len(ids))))
        return self._write(self.repo / "content/triage.yaml", entries or "{}\n")

    def ignore(self) -> list[Change]:
        path = self.rng.choice(self._sources())
        return self._write(self.repo / ".gitignore", path.relative_to(self.repo).as_posix() + "\n")

    def audit(self) -> list[Change]:
        self.count += 1
        path = self.repo / "SECURITY_AUDIT.md"
        return self._write(path, path.read_text() + f"- **Medium**: finding {self.count}\n")

    def any(self) -> list[Change]:
        edits = [self.add_todo, self.add_todo, self.drop_line, self.push_down, self.new_file, self.tick_task,
                 self.tick_task, self.add_task, self.triage, self.triage, self.audit]
        if len(self._sources()) > 2:
            edits += [self.delete_file, self.rename_file, self.ignore]
        return self.rng.choice(edits)()


@pytest.mark.parametrize("seed, data_later", [(1, False), (2, True)])
def test_random_edits_give_the_site_a_fresh_build_gives(tmp_path, seed, data_later):
    """`data_later`: as `sitegen serve` rebuilds, the data files after the pages."""
    repo = make_repo(tmp_path / "repo")
    session = Session(repo / "sitegen.yaml")
    session.start()
    editor = Editor(repo, random.Random(seed))
    for step in range(8):
        changes = [change for _ in range(editor.rng.randint(1, 3)) for change in editor.any()]
        if not data_later:
            session.rebuild(changes)
        elif built := session.rebuild(changes, later=lambda page: page.url.startswith(urls.DATA)):
            session.finish(built)
        if step % 2:
            site, content = fresh_build(repo, tmp_path)
            assert tree_bytes(repo / "public") == site, f"step {step}: {changes}"
            assert _content(repo) == content


def test_a_todo_moved_down_is_at_its_new_line_in_the_data_files_written_after_the_pages(tmp_path):
    """todos.yaml is written after the reload, so the data files (known by what
    it is made from) must not be told current by the file as it was."""
    repo = make_repo(tmp_path / "repo")
    session = Session(repo / "sitegen.yaml")
    session.start()
    source = repo / "src/a.py"
    source.write_text("import os\n" + source.read_text())
    session.finish(session.rebuild([Change(str(source), MODIFIED)], later=lambda page: page.url.startswith(urls.DATA)))
    assert b'"src/a.py:3"' in (repo / "public/data/todos.js").read_bytes()
    site, content = fresh_build(repo, tmp_path)
    assert tree_bytes(repo / "public") == site and _content(repo) == content


def test_a_change_nothing_reads_rebuilds_nothing(tmp_path):
    repo = make_repo(tmp_path / "repo")
    session = Session(repo / "sitegen.yaml")
    session.start()
    (repo / ".gitignore").write_text("*.log\n")
    (repo / "run.log").write_text("TODO: not a source\n")  # listed, but read by no collector
    session.rebuild([Change(str(repo / ".gitignore"), ADDED), Change(str(repo / "run.log"), ADDED)])
    (repo / "run.log").write_text("FIXME: still not a source\n")
    assert session.rebuild([Change(str(repo / "run.log"), MODIFIED)]) is None
    assert session.rebuild([Change(str(repo / "public/index.html"), MODIFIED)]) is None


def test_one_source_file_is_scanned_alone(tmp_path, monkeypatch):
    repo = make_repo(tmp_path / "repo")
    session = Session(repo / "sitegen.yaml")
    session.start()
    scanned = []
    original = pipeline.todos.scan_one
    monkeypatch.setattr(pipeline.todos, "scan_one", lambda *a: scanned.append(a[1]) or original(*a))
    monkeypatch.setattr(pipeline, "listing", lambda *a, **k: pytest.fail("listed the tree again"))
    for text in ("# BUG: now a bug\n", "# BUG: still a bug\n"):
        (repo / "src/a.py").write_text(text)
        built = session.rebuild([Change(str(repo / "src/a.py"), MODIFIED)])
    assert scanned == ["src/a.py", "src/a.py"]
    assert b"still a bug" in (repo / "public/todos/index.html").read_bytes()
    # (the first rebuild renders into an empty copy of the site: every page)
    assert built.rendered < built.pages


def test_warm_makes_ahead_what_the_first_save_would_make(tmp_path, monkeypatch):
    """Once the first build is served, `warm` makes the maps a save looks a
    changed path up in; the first save then makes none, and finds its file."""
    from sitegen import walk

    repo = make_repo(tmp_path / "repo")
    session = Session(repo / "sitegen.yaml")
    session.start()
    session.warm()
    monkeypatch.setattr(walk.Listing, "_made_listed", lambda self: pytest.fail("listed again on the first save"))
    (repo / "src/a.py").write_text("# TODO: after warming up\n")
    session.rebuild([Change(str(repo / "src/a.py"), MODIFIED)])
    assert b"after warming up" in (repo / "public/todos/index.html").read_bytes()


def test_a_failed_rebuild_keeps_the_site_and_the_next_one_recovers(tmp_path):
    repo = make_repo(tmp_path / "repo")
    session = Session(repo / "sitegen.yaml")
    session.start()
    before = tree_bytes(repo / "public")
    triage = repo / "content/triage.yaml"
    triage.write_text("td-x: [\n")
    with pytest.raises(SitegenError) as failed:
        session.rebuild([Change(str(triage), MODIFIED)])
    assert failed.value.line and "triage.yaml" in str(failed.value.path)
    (repo / "TASKS.md").write_text("# Tasks\n\n- [x] all done\n")
    with pytest.raises(SitegenError):
        session.rebuild([Change(str(repo / "TASKS.md"), MODIFIED)])
    assert tree_bytes(repo / "public") == before
    triage.write_text("{}\n")
    session.rebuild([Change(str(triage), MODIFIED)])
    assert tree_bytes(repo / "public") == fresh_build(repo, tmp_path)[0]


def test_a_config_change_starts_over(tmp_path):
    repo = make_repo(tmp_path / "repo")
    session = Session(repo / "sitegen.yaml")
    session.start()
    (repo / "sitegen.yaml").write_text("title: Renamed\n")
    session.rebuild([Change(os.path.realpath(repo / "sitegen.yaml"), MODIFIED)])
    assert b"Renamed" in (repo / "public/index.html").read_bytes()
    (repo / "sitegen.yaml").write_text("title: [\n")
    with pytest.raises(SitegenError):
        session.rebuild([Change(os.path.realpath(repo / "sitegen.yaml"), MODIFIED)])
    (repo / "sitegen.yaml").write_text("title: Preview\n")
    session.rebuild([Change(os.path.realpath(repo / "sitegen.yaml"), MODIFIED)])
    assert tree_bytes(repo / "public") == fresh_build(repo, tmp_path)[0]


def test_a_few_changed_pages_are_written_into_the_published_site_in_place(tmp_path):
    """Once the session has published a site and saved its ledger, a save that
    changes a few pages writes them into that site (no staging folder swapped
    in); a page the site no longer has goes with the folders it leaves empty;
    a page that fails to render leaves the site as it was; and after another
    build has published meanwhile, the session renders into staging again."""
    repo = make_repo(tmp_path / "repo")
    (repo / "sitegen.yaml").write_text("title: Preview\ntheme: mytheme\n")
    (repo / "mytheme/templates/files").mkdir(parents=True)
    (repo / "mytheme/templates/files/file.html").write_text(  # fails on one file's page only
        '{% extends "default/files/file.html" %}{% block main %}{% if "boom" in path %}{{ no_such_value }}'
        '{% endif %}{{ super() }}{% endblock %}')
    session = Session(repo / "sitegen.yaml")
    session.start()
    site = repo / "public"
    folder = site.stat().st_ino
    added = repo / "src/deep/er/new.py"
    added.parent.mkdir(parents=True)
    added.write_text("# TODO: a file in folders of its own\n")
    session.rebuild([Change(str(added), ADDED)])
    assert site.stat().st_ino == folder and (site / "files/src/deep/er/new.py.html").is_file()
    assert tree_bytes(site) == fresh_build(repo, tmp_path)[0]
    added.unlink()
    session.rebuild([Change(str(added), DELETED)])
    assert site.stat().st_ino == folder and not (site / "files/src/deep").exists()
    assert tree_bytes(site) == fresh_build(repo, tmp_path)[0]
    before = tree_bytes(site)
    boom = repo / "src/boom.py"
    boom.write_text("# TODO: this page fails\n")
    with pytest.raises(SitegenError, match="no_such_value"):
        session.rebuild([Change(str(boom), ADDED)])
    assert tree_bytes(site) == before
    boom.unlink()
    session.rebuild([Change(str(boom), DELETED)])
    assert tree_bytes(site) == fresh_build(repo, tmp_path)[0]
    pipeline.build(load_config(repo / "sitegen.yaml"))  # another build publishes its own site
    theirs = site.stat().st_ino
    (repo / "src/a.py").write_text("# TODO: after the other build\n")
    session.rebuild([Change(str(repo / "src/a.py"), MODIFIED)])
    assert site.stat().st_ino != theirs  # not written into a site it did not publish: staged and swapped in
    assert tree_bytes(site) == fresh_build(repo, tmp_path)[0]


def test_pages_rendered_unhashed_are_hashed_by_the_finish_and_not_rendered_again(tmp_path, monkeypatch):
    """In place, a page made anew (the TODO list, one TODO more) is rendered
    before its inputs are hashed; the rebuild's finish hashes them, so the
    next save, which leaves that list as it was, does not render it again."""
    from sitegen.site import render

    repo = make_repo(tmp_path / "repo")
    session = Session(repo / "sitegen.yaml")
    session.finish(session.start())
    rendered = []
    original = render._text_of
    monkeypatch.setattr(render, "_text_of", lambda page, *a: rendered.append(page.url) or original(page, *a))

    def save(path: Path, text: str) -> list[str]:
        rendered.clear()
        path.write_text(text)
        session.finish(session.rebuild([Change(str(path), MODIFIED)], later=lambda page: urls.in_data(page.url)))
        return sorted(rendered)

    save(repo / "src/a.py", "# TODO: warm up\n")  # (the first save stages the whole site)
    assert "todos/index.html" in save(repo / "src/a.py", "# TODO: one\n# TODO: two\n")
    ticked = save(repo / "TASKS.md", "# Tasks\n\n## Phase 1\n\n- [x] write it\n- [x] plan it\n- [ ] ship it\n")
    assert ticked and not any(url.startswith(("todos/", "files/")) for url in ticked)
    assert tree_bytes(repo / "public") == fresh_build(repo, tmp_path)[0]


def test_in_place_meets_a_folder_where_a_page_was_and_a_site_another_build_left_half_done(tmp_path, monkeypatch):
    """A source file replaced by a folder of the page's name: the old page
    makes way for the folder. Another build that published its site but
    never saved its ledger: the session does not write into that site."""
    from sitegen.site import ledger

    repo = make_repo(tmp_path / "repo")
    session = Session(repo / "sitegen.yaml")
    session.start()
    source = repo / "src/x.py"
    source.write_text("# TODO: x\n")
    session.rebuild([Change(str(source), ADDED)])
    source.unlink()
    inner = repo / "src/x.py.html/y.py"
    inner.parent.mkdir()
    inner.write_text("# TODO: y\n")
    session.rebuild([Change(str(source), DELETED), Change(str(inner.parent), ADDED), Change(str(inner), ADDED)])
    assert tree_bytes(repo / "public") == fresh_build(repo, tmp_path)[0]

    a = repo / "src/a.py"
    before = a.read_text()
    a.write_text("# TODO: seen only by the other build\n")
    monkeypatch.setattr(ledger.Ledger, "save", lambda self: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):  # it published, then stopped before its ledger was saved
        pipeline.build(load_config(repo / "sitegen.yaml"))
    monkeypatch.undo()
    a.write_text(before)
    session.rebuild([Change(str(a), MODIFIED)])
    assert tree_bytes(repo / "public") == fresh_build(repo, tmp_path)[0]


def test_a_file_added_beside_one_whose_latin1_name_reads_as_it_gets_its_own_page(tmp_path):
    """The listing shows a name that is not UTF-8 as Latin-1 (`café.py`), and as
    `café (Latin-1).py` once a file of that name is beside it: a save must list
    the tree again to see which is which."""
    repo = make_repo(tmp_path / "repo")
    latin1 = os.fsdecode(os.fsencode(repo / "src") + b"/caf\xe9.py")
    Path(latin1).write_text("# TODO: named in Latin-1\n")
    session = Session(repo / "sitegen.yaml")
    session.start()
    for path, text, kind in ((repo / "src/café.py", "# TODO: named in UTF-8\n", ADDED),
                             (Path(latin1), "# TODO: named in Latin-1, edited\n", MODIFIED)):
        path.write_text(text)
        session.rebuild([Change(str(path), kind)])
        site, content = fresh_build(repo, tmp_path)
        assert tree_bytes(repo / "public") == site and _content(repo) == content
    assert b"named in UTF-8" in (repo / "public/files/src/café.py.html").read_bytes()
    assert b"Latin-1, edited" in (repo / "public/files/src/café (Latin-1).py.html").read_bytes()
    Path(latin1).unlink()
    session.rebuild([Change(latin1, DELETED)])
    assert not (repo / "public/files/src/café (Latin-1).py.html").exists()
    site, content = fresh_build(repo, tmp_path)
    assert tree_bytes(repo / "public") == site and _content(repo) == content
