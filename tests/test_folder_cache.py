"""The listing's folder cache: a folder whose stat is unchanged is not read
again, and a listing made with the cache is the listing made without it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples, read_cache
from sitegen import walk
from sitegen.cache import save_keyed
from sitegen.walk import FolderCache, Listing
from test_walk import FILES, NAMES, make_tree, trees

# A change to a folder shows as a new modification time. The cache does not
# keep folders changed in the last two seconds, for file systems whose clock
# ticks more coarsely than changes come; the tests keep every folder (no
# wait) and give each changed folder a time of its own instead.
keep_every_folder = mock.patch.object(walk, "_SETTLED_NS", 0)


class _Clock:
    """Past modification times, one new one for each change."""

    def __init__(self):
        self.now = 1_600_000_000 * 10**9

    def touch(self, folder: Path) -> None:
        self.now += 10**9
        os.utime(folder, ns=(self.now, self.now))


def _listing(root: Path, cache: Path | None) -> tuple:
    return Listing.of(root, read_gitignore=True, walk_ignored=True, cache=cache).events


READERS = [{}, {"use_gitignore": False, "skip_vendored": True}, {"include": ("*.py", "docs/"), "exclude": ("a",)}]


def _reads(root: Path, cache: Path | None) -> list:
    """What each of READERS reads of one listing, and what it passes over."""
    listing = Listing.of(root, read_gitignore=True, walk_ignored=True, cache=cache)
    found = []
    for rules in READERS:
        summary = walk.WalkSummary()
        found.append((list(listing.files(summary, **rules)), summary))
    return found


def _folders(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_dir() and not p.is_symlink())


mutations = st.lists(st.tuples(st.sampled_from(["add file", "add folder", "remove", "link to file",
                                                 "link to folder", "link outside", "fifo"]),
                               st.integers(0, 50), st.sampled_from(NAMES + FILES + ["new.py"])),
                     max_size=5)


def _mutate(root: Path, outside: Path, action: str, pick: int, name: str, clock: _Clock) -> None:
    folders = [root, *_folders(root)]
    folder = folders[pick % len(folders)]
    target = folder / name
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif os.path.lexists(target):
        target.unlink()
    if action == "add file":
        target.write_text("# TODO: new\n")
    elif action == "add folder":
        target.mkdir()
        (target / "x.py").write_text("x\n")
        clock.touch(target)
    elif action == "link to file":
        files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
        if files:
            target.symlink_to(files[pick % len(files)])
    elif action == "link to folder":
        target.symlink_to(folders[(pick + 1) % len(folders)])
    elif action == "link outside":
        target.symlink_to(outside)
    elif action == "fifo":
        os.mkfifo(target)
    clock.touch(folder)


@settings(max_examples=examples(300), deadline=None)
@given(trees, mutations)
def test_a_listing_made_with_the_cache_is_the_listing_made_without_it(tree, changes):
    base = Path(tempfile.mkdtemp(prefix="sitegen-folders-"))
    root, outside, cache = base / "repo", base / "outside", base / "folders.marshal"
    try:
        make_tree(root, tree, {"": ["*.log"]})
        outside.mkdir()
        (outside / "secret.py").write_text("# TODO: not ours\n")
        clock = _Clock()
        for folder in [root, *_folders(root)]:
            clock.touch(folder)
        with keep_every_folder:
            assert _listing(root, cache) == _listing(root, None)
            for action, pick, name in changes:
                _mutate(root, outside, action, pick, name, clock)
                assert _listing(root, cache) == _listing(root, None), (action, pick, name)
            # Twice: the second listing is the kept walk, answering each reader from what it kept.
            assert _reads(root, cache) == _reads(root, cache) == _reads(root, None)
    finally:
        shutil.rmtree(base)


def _counting_reads():
    return mock.patch.object(walk, "_list_folder", side_effect=walk._list_folder)


def _old(folder: Path) -> None:
    os.utime(folder, ns=(1_600_000_000 * 10**9,) * 2)


def test_an_unchanged_folder_is_not_read_again_and_a_changed_one_is(tmp_path):
    root, cache = tmp_path / "repo", tmp_path / "folders.marshal"
    (root / "src").mkdir(parents=True)
    (root / "src/app.py").write_text("x\n")
    for folder in (root, root / "src"):
        _old(folder)
    with keep_every_folder:
        _listing(root, cache)
        with _counting_reads() as reads:
            _listing(root, cache)
        assert reads.call_count == 0
        (root / "src/new.py").write_text("x\n")  # a new entry: src's times change
        with _counting_reads() as reads:
            events = _listing(root, cache)
        assert [call.args[0] for call in reads.call_args_list] == [str(root / "src")]
    assert [e.rel for e in events if type(e).__name__ == "_File"] == ["src/app.py", "src/new.py"]


def test_a_folder_changed_in_the_last_two_seconds_is_read_again(tmp_path):
    root, cache = tmp_path / "repo", tmp_path / "folders.marshal"
    root.mkdir()
    (root / "a.py").write_text("x\n")
    _listing(root, cache)
    with _counting_reads() as reads:
        _listing(root, cache)
    assert reads.call_count == 1


def test_a_folder_holding_a_link_is_always_read(tmp_path):
    root, cache = tmp_path / "repo", tmp_path / "folders.marshal"
    root.mkdir()
    (root / "a.py").write_text("x\n")
    (root / "b.py").symlink_to(root / "a.py")
    _old(root)
    with keep_every_folder:
        _listing(root, cache)
        with _counting_reads() as reads:
            _listing(root, cache)
    assert reads.call_count == 1


def _poison(cache: Path, entries: dict) -> None:
    key, data = read_cache(cache)
    data.update(entries)
    save_keyed(cache, key, data)


def test_a_cache_from_elsewhere_never_leads_out_of_the_root(tmp_path):
    """The cache folder may come from another run (a CI cache): a stored name
    that is not one plain name, or a folder that is now a link, is not used."""
    root, cache, outside = tmp_path / "repo", tmp_path / "folders.marshal", tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    (root / "sub/a.py").write_text("x\n")
    outside.mkdir()
    (outside / "secret.py").write_text("# TODO: not ours\n")
    for folder in (root, root / "sub"):
        _old(folder)
    with keep_every_folder:
        clean = _listing(root, cache)
        stored = read_cache(cache)[1]
        _poison(cache, {"sub/": [stored["sub/"][0], ["../../outside/secret.py"], "f"]})
        assert _listing(root, cache) == clean
        # The folder becomes a link to one outside; its stored entry (stamp and all) is kept.
        shutil.rmtree(root / "sub")
        (root / "sub").symlink_to(outside)
        _old(root)
        _poison(cache, {"": stored[""], "sub/": stored["sub/"]})
        events = _listing(root, cache)
    assert events == _listing(root, None)
    assert not any("secret" in str(e) for e in events if type(e).__name__ == "_File")


def test_a_damaged_cache_is_a_cache_miss(tmp_path):
    root, cache = tmp_path / "repo", tmp_path / "folders.marshal"
    root.mkdir()
    (root / "a.py").write_text("x\n")
    cache.write_bytes(b"not marshal")
    assert _listing(root, cache) == _listing(root, None)
    folders = FolderCache(cache, "another key")
    assert folders.entries(str(root), "") == [("a.py", "f")]


def test_an_unchanged_tree_is_not_walked_and_each_reader_gets_what_a_walk_gives(tmp_path):
    root, cache = tmp_path / "repo", tmp_path / "folders.marshal"
    (root / "src/deep").mkdir(parents=True)
    (root / "src/deep/app.py").write_text("x\n")
    (root / "build").mkdir()
    (root / "build/out.py").write_text("x\n")
    (root / ".gitignore").write_text("*.log\n")
    (root / "src/debug.log").write_text("x\n")
    for folder in (root, root / "src", root / "src/deep", root / "build"):
        _old(folder)
    with keep_every_folder:
        walked = _reads(root, cache)
        with _counting_reads() as reads, mock.patch.object(walk._Lister, "walk_folder") as walking:
            kept = _reads(root, cache)
        assert reads.call_count == 0 and walking.call_count == 0
    assert kept == walked == _reads(root, None)
    assert [rel for rel, _ in kept[0][0]] == [".gitignore", "build/out.py", "src/deep/app.py"]
    assert kept[1][1].skipped == {"vendored or generated folder": 1}
    assert kept[0][0][2][1] == os.path.join(os.path.realpath(root), "src", "deep", "app.py")


def test_a_gitignore_edited_in_place_is_read_again(tmp_path):
    """Editing a file leaves its folder's stat as it was: the kept walk
    holds the .gitignore files' own stamps too."""
    root, cache = tmp_path / "repo", tmp_path / "folders.marshal"
    root.mkdir()
    (root / "a.py").write_text("x\n")
    (root / "b.py").write_text("x\n")
    (root / ".gitignore").write_text("a.py\n")
    rules = root / ".gitignore"
    with keep_every_folder:
        _old(root)
        os.utime(rules, ns=(1_600_000_000 * 10**9,) * 2)
        assert [rel for rel, _ in _reads(root, cache)[0][0]] == [".gitignore", "b.py"]
        stamp = os.stat(root)
        with open(rules, "w") as out:
            out.write("b.py\n")
        os.utime(rules, ns=(1_600_000_001 * 10**9,) * 2)
        assert os.stat(root).st_mtime_ns == stamp.st_mtime_ns
        assert [rel for rel, _ in _reads(root, cache)[0][0]] == [".gitignore", "a.py"]


def test_a_kept_walk_from_elsewhere_never_leads_out_of_the_root(tmp_path):
    """A planted listing.marshal with the tree's own stamps: names that are
    not plain and answers outside the tree's folders are a cache miss."""
    root, cache, outside = tmp_path / "repo", tmp_path / "folders.marshal", tmp_path / "outside"
    (root / "sub").mkdir(parents=True)
    (root / "sub/a.py").write_text("x\n")
    outside.mkdir()
    (outside / "secret.py").write_text("# TODO: not ours\n")
    snapshot = tmp_path / walk.SNAPSHOT_FILE
    events_file = snapshot.with_name(snapshot.stem + "-events" + snapshot.suffix)
    for folder in (root, root / "sub"):
        _old(folder)
    with keep_every_folder:
        clean = _reads(root, cache)
        key, data = read_cache(snapshot)
        _, events = read_cache(events_file)
        reader = next(iter(data["readers"]))
        for poison, poisoned_events in (
                ({"readers": {reader: [[0], ["../outside/secret.py"], 1, {}, {}, []]}}, {}),
                ({"readers": {reader: [[1], [".."], 1, {}, {}, []]}}, {}),
                ({"readers": {reader: [[-1], ["secret.py"], 1, {}, {}, []]}}, {}),
                ({"readers": {reader: [[7], ["secret.py"], 1, {}, {}, []]}}, {}),
                ({"readers": {}, "folders": ["", "sub/../../outside/"]}, {}),
                ({"readers": {}}, {"events": dict(events["events"], names=[".."])}),
                ({"readers": {}}, {"events": dict(events["events"], names=["../../outside/secret.py"])}),
                ({"readers": {}}, {"id": "another walk"})):
            save_keyed(snapshot, key, dict(data, **poison))
            save_keyed(events_file, key, dict(events, **poisoned_events))
            for files, _ in _reads(root, cache):
                assert all("secret" not in real and real.startswith(str(root)) for _, real in files)
            assert _listing(root, cache) == _listing(root, None)
        save_keyed(snapshot, key, data)
        save_keyed(events_file, key, events)
        assert _reads(root, cache) == clean


def test_a_kept_walk_whose_events_cannot_be_read_back_is_walked_again_for_a_new_reader(tmp_path):
    """The tree is unchanged but its events file is another walk's: a reader
    not answered before gets what a walk gives, and so do the events."""
    root, cache = tmp_path / "repo", tmp_path / "folders.marshal"
    (root / "src").mkdir(parents=True)
    (root / "src/a.py").write_text("x\n")
    (root / "b.md").write_text("x\n")
    events_file = tmp_path / "listing-events.marshal"
    with keep_every_folder:
        _reads(root, cache)
    key, events = read_cache(events_file)
    save_keyed(events_file, key, dict(events, id="another walk"))
    new_reader = {"include": ("*.md",)}
    listing = Listing.of(root, read_gitignore=True, walk_ignored=True, cache=cache)
    assert [rel for rel, _ in listing.files(**new_reader)] == ["b.md"]
    assert listing.events == _listing(root, None)
