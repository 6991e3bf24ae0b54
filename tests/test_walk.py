"""The tree is walked once per build and each collector reads its own
selection of that listing: every selection must be exactly what a walk with
that reader's rules alone finds (files, counts, warnings)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import pathspec
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import examples
from sitegen.walk import SKIPPED_DIRS, VENDORED_DIRS, Listing, WalkSummary

NAMES = ["src", "a", "b", "vendor", "build", "node_modules", "tmp", "docs"]
FILES = ["x.py", "y.log", "keep.log", "TODO.md", "r.sarif"]
PATTERNS = ["build/", "*.log", "!keep.log", "a", "/b", "**/tmp", "src/*.md", "docs/"]

trees = st.recursive(
    st.lists(st.sampled_from(FILES), unique=True),
    lambda children: st.dictionaries(st.sampled_from(NAMES + FILES), children, max_size=4),
    max_leaves=12,
)
gitignores = st.dictionaries(st.sampled_from(["", "src/", "a/", "build/", "a/b/"]),
                             st.lists(st.sampled_from(PATTERNS), max_size=3), max_size=3)
readers = st.fixed_dictionaries({
    "use_gitignore": st.booleans(),
    "skip_vendored": st.booleans(),
    "include": st.sampled_from([(), ("*.py",), ("src/",)]),
    "exclude": st.sampled_from([(), ("tmp/",), ("*.log", "b/")]),
})


def make_tree(root: Path, tree, ignores: dict[str, list[str]]) -> None:
    def make(folder: Path, node) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if isinstance(node, list):
            for name in node:
                (folder / name).write_text("x\n")
            return
        for name, child in node.items():
            make(folder / name, child)

    make(root, tree)
    for folder, patterns in ignores.items():
        if (root / folder).is_dir():
            (root / folder / ".gitignore").write_text("\n".join(patterns) + "\n")


def reference_walk(root: Path, use_gitignore, skip_vendored, include, exclude):
    """What one reader alone finds, written plainly: a folder is passed over
    for the first reason that applies to it, and nothing below it is seen."""
    exclude_spec = pathspec.GitIgnoreSpec.from_lines(exclude) if exclude else None
    include_spec = pathspec.GitIgnoreSpec.from_lines(include) if include else None
    found, skipped = [], Counter()

    def ignored(rel: str, ignores) -> bool:
        for base, spec in reversed(ignores):
            verdict = spec.check_file(rel[len(base):]).include
            if verdict is not None:
                return verdict
        return False

    def visit(folder: Path, rel: str, ignores) -> None:
        if use_gitignore and (folder / ".gitignore").is_file():
            ignores = [*ignores, (rel, pathspec.GitIgnoreSpec.from_lines((folder / ".gitignore").read_text().splitlines()))]
        for entry in sorted(os.listdir(folder)):
            path = rel + entry
            if (folder / entry).is_dir():
                if entry in SKIPPED_DIRS:
                    skipped["tool or dependency folder"] += 1
                elif skip_vendored and entry in VENDORED_DIRS:
                    skipped["vendored or generated folder"] += 1
                elif use_gitignore and ignored(path + "/", ignores):
                    skipped["gitignored"] += 1
                elif exclude_spec and exclude_spec.match_file(path + "/"):
                    skipped["excluded by config"] += 1
                else:
                    visit(folder / entry, path + "/", ignores)
            elif use_gitignore and ignored(path, ignores):
                skipped["gitignored"] += 1
            elif exclude_spec and exclude_spec.match_file(path):
                skipped["excluded by config"] += 1
            elif include_spec and not include_spec.match_file(path):
                skipped["not included by config"] += 1
            else:
                found.append(path)

    visit(root, "", [])
    return found, skipped


@settings(max_examples=examples(1000))
@given(trees, gitignores, st.lists(readers, min_size=1, max_size=4))
def test_each_reader_of_one_listing_sees_what_its_own_walk_sees(tree, ignores, reader_rules):
    root = Path(tempfile.mkdtemp(prefix="sitegen-walk-"))
    try:
        make_tree(root, tree, ignores)
        listing = Listing.of(root, read_gitignore=any(r["use_gitignore"] for r in reader_rules),
                             walk_ignored=not all(r["use_gitignore"] for r in reader_rules))
        for rules in reader_rules:
            summary = WalkSummary()
            files = [rel for rel, _ in listing.files(summary, **rules)]
            expected_files, expected_skipped = reference_walk(root, **rules)
            assert files == expected_files, rules
            assert summary.skipped == expected_skipped, rules
            assert summary.files == len(files)
    finally:
        shutil.rmtree(root)


def test_a_listing_refuses_a_reader_it_was_not_walked_for(tmp_path):
    (tmp_path / "a.py").write_text("x\n")
    for made, rules in [({"read_gitignore": False}, {"use_gitignore": True}),
                        ({"read_gitignore": True, "walk_ignored": False}, {"use_gitignore": False})]:
        listing = Listing.of(tmp_path, **made)
        try:
            list(listing.files(**rules))
        except ValueError:
            continue
        raise AssertionError(f"{made} served {rules}")


def test_links_warnings_are_seen_only_by_readers_that_reach_them(tmp_path):
    (tmp_path / "build").mkdir()
    (tmp_path / ".gitignore").write_text("build/\n")
    (tmp_path / "build/out.sarif").symlink_to("/etc/hostname")
    (tmp_path / "src").mkdir()
    (tmp_path / "src/a.py").write_text("x\n")
    listing = Listing.of(tmp_path)
    honours, ignores = WalkSummary(), WalkSummary()
    assert list(rel for rel, _ in listing.files(honours)) == [".gitignore", "src/a.py"]
    assert list(rel for rel, _ in listing.files(ignores, use_gitignore=False)) == [".gitignore", "src/a.py"]
    assert honours.links == {} and honours.skipped == {"gitignored": 1}
    assert ignores.links == {"build/out.sarif": "outside the root"}


GLOB_PARTS = ["**", "*", "a", "b", "TODO.md", "*.md", "x?", "[ab]", "drafts", "*.sarif", "*.tar.gz", "*a", "\\*.md"]
globs = st.lists(st.builds(lambda neg, root, parts, slash: ("!" if neg else "") + ("/" if root else "")
                           + "/".join(parts) + ("/" if slash else ""),
                           st.booleans(), st.booleans(), st.lists(st.sampled_from(GLOB_PARTS), min_size=1, max_size=3),
                           st.booleans()), max_size=4)
paths = st.lists(st.sampled_from(["a", "b", "xa", "TODO.md", "r.sarif", "drafts", "c.md", "x.tar.gz", "*.md", "c.md\n",
                                  "ba"]), min_size=1, max_size=4)


@settings(max_examples=examples(3000))
@given(globs, st.lists(paths, min_size=1, max_size=8))
@example(["*.md", "drafts", "*.tar.gz"], [["c.md\n"], ["drafts\n", "a"], ["b", "x.tar.gz"], ["ba", "drafts", "a"]])
@example(["a", "**/b/b"], [["b", "b"]])
def test_config_globs_match_as_pathspec_does(patterns, files):
    from sitegen.walk import glob_spec

    ours, theirs = glob_spec(patterns), pathspec.GitIgnoreSpec.from_lines(patterns)
    for parts in files:
        path = "/".join(parts)
        for candidate in (path, path + "/"):
            assert ours.match_file(candidate) == theirs.match_file(candidate), (patterns, candidate)


_NAME_BYTES = st.lists(st.sampled_from([b"caf", b"\xe9", "é".encode(), b".py", b" (Latin-1)", b" (Latin-1 2)", b"x"]),
                       min_size=1, max_size=4).map(b"".join)


@given(st.sets(_NAME_BYTES, max_size=8))
def test_each_name_of_a_folder_is_shown_as_text_of_its_own(raw):
    """Names that are not UTF-8 are read as Latin-1; where that reading is
    another name of the folder, it is marked, so no two files share a path."""
    from sitegen.walk import shown_names

    names = [os.fsdecode(name) for name in raw]
    shown = shown_names(names)
    paths = [shown.get(name, name) for name in names]
    assert len(set(paths)) == len(names)
    assert all(path.encode("utf-8") for path in paths)  # text: no surrogate escapes left
    for name in names:
        if name in shown and shown[name] == os.fsencode(name).decode("latin-1"):
            continue
        assert name not in shown or "(Latin-1" in shown[name]
    assert {name for name in names if name not in shown} == {os.fsdecode(n) for n in raw if _is_utf8(n)}


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_a_latin1_name_beside_its_utf8_reading_is_a_file_of_its_own(tmp_path):
    root = os.fsencode(tmp_path)
    files = {b"caf\xc3\xa9.py": "UTF-8 name", b"caf\xe9.py": "Latin-1 name",
             b"caf\xe9 (Latin-1).py": "Latin-1 name, marked as if already",
             b"d\xc3\xa9j\xc3\xa0/x.py": "in the UTF-8 folder", b"d\xe9j\xe0/x.py": "in the Latin-1 folder"}
    for name, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(root, name)), exist_ok=True)
        with open(os.path.join(root, name), "w", encoding="utf-8") as handle:
            handle.write(f"# TODO: {text}\n")
    summary = WalkSummary()
    found = list(Listing.of(tmp_path).files(summary))
    read = {rel: Path(absolute).read_text(encoding="utf-8") for rel, absolute in found}
    assert read == {"café.py": "# TODO: UTF-8 name\n", "café (Latin-1 2).py": "# TODO: Latin-1 name\n",
                    "café (Latin-1).py": "# TODO: Latin-1 name, marked as if already\n",
                    "déjà/x.py": "# TODO: in the UTF-8 folder\n",
                    "déjà (Latin-1)/x.py": "# TODO: in the Latin-1 folder\n"}
