"""content/checklists.yaml: deterministic, readable by any YAML reader, and
read back by sitegen into exactly the model that was written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import examples
from sitegen import content, yamlio
from sitegen.ids import normalised
from sitegen.collectors.checklists import collect
from sitegen.walk import SourceTree

FIXTURES = Path(__file__).parent / "fixtures/checklists"


def collected(tmp_path: Path):
    shutil.copy(FIXTURES / "phased.md", tmp_path / "TASKS.md")
    shutil.copy(FIXTURES / "priorities.md", tmp_path / "TODO.md")
    documents, _ = collect(SourceTree(tmp_path).listing(), ("*.md",))
    return documents


def test_written_content_reads_back_to_the_same_model(tmp_path):
    documents = collected(tmp_path)
    content.write_checklists(tmp_path / "content", [content.checklist_chunk(d) for d in documents])
    assert content.read_checklists(tmp_path / "content") == documents


def test_any_yaml_reader_sees_the_contract_fields(tmp_path):
    documents = collected(tmp_path)
    path = content.write_checklists(tmp_path / "content", [content.checklist_chunk(d) for d in documents])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["schema"] == "sitegen/checklists@1"
    doc = data["documents"][0]
    assert {"path", "title", "done", "total", "sections"} <= doc.keys()
    section = next(s for s in doc["sections"] if s["phase"] == "1")
    assert {"title", "level", "phase", "done", "total", "items"} <= section.keys()
    storage = next(s for s in doc["sections"] if s["title"] == "1.1 Storage")
    assert storage["items"][1] == {
        "id": storage["items"][1]["id"], "text": "Write the schema in `db/schema.sql`", "done": True,
        "line": 23, "priority": None, "files": ["db/schema.sql"],
    }
    haptics = next(s for s in doc["sections"] if s["phase"] == "3")["items"][1]
    assert [c["text"] for c in haptics["children"]] == ["iOS haptics", "Android haptics"]


def test_a_hand_edited_file_is_read_through_pyyaml_with_the_same_result(tmp_path):
    documents = collected(tmp_path)
    path = content.write_checklists(tmp_path / "content", [content.checklist_chunk(d) for d in documents])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text("# edited by hand\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    assert content.read_checklists(tmp_path / "content") == documents


def test_empty_and_missing_files(tmp_path):
    assert content.read_checklists(tmp_path) == []
    content.write_checklists(tmp_path, [])
    assert yaml.safe_load((tmp_path / "checklists.yaml").read_text()) == {
        "schema": "sitegen/checklists@1", "documents": [],
    }
    assert content.read_checklists(tmp_path) == []


def test_hostile_characters_survive_the_round_trip(tmp_path):
    (tmp_path / "TODO.md").write_text('- [ ] a \x85 b \u2028 c \x9f "q" \\ # : {x} 😀\n', encoding="utf-8")
    documents, _ = collect(SourceTree(tmp_path).listing(), ("TODO.md",))
    path = content.write_checklists(tmp_path / "content", [content.checklist_chunk(d) for d in documents])
    text = documents[0].sections[0].items[0].text
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["documents"][0]["sections"][0]["items"][0]["text"] == text
    assert content.read_checklists(tmp_path / "content") == documents


# Characters JSON leaves raw that YAML rejects (C1 controls, lone surrogates,
# non-characters) or reads as a line break (U+2028, U+2029, U+0085).
_YAML_HOSTILE = "\x7f\x80\x85\x9f\u2028\u2029\ud800\udfff\ufffe\uffff"


@pytest.mark.parametrize("char", _YAML_HOSTILE)
def test_every_value_escapes_what_yaml_would_reject_wherever_it_stands(char):
    def record(word: str) -> dict:
        return {"schema": "sitegen/todos@1", "text": word, "path": [word, "plain"], "nested": {"title": word},
                word: "as a key", "items": [{"text": word, "files": [word]}, {"text": "plain"}]}

    word = f"a{char}é"
    text = yamlio.dump_content(record(word), frozenset({"items"}))
    assert char not in text and "é" in text  # escaped; é, which YAML reads, left as it is
    assert yaml.safe_load(text) == record(word)
    # sitegen's reader turns lone surrogates (undecodable bytes) into U+FFFD, as it does on every read
    read = record(word.replace(char, "\ufffd") if "\ud800" <= char <= "\udfff" else word)
    assert yamlio.load_content(text, "t.yaml") == read
    assert yamlio.items_of_lines(yamlio.one_line_items(record(word)["items"])) == record(word)["items"]
    item = yamlio.dump_content_item(record(word), frozenset({"items"}))  # as checklists.yaml's documents are
    assert char not in item and yaml.safe_load(item) == [record(word)]


def test_content_files_are_written_with_the_usual_permissions(tmp_path):
    import os
    import stat

    path = content.write_checklists(tmp_path, [])
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_a_file_that_already_holds_the_bytes_is_not_written_again(tmp_path, monkeypatch):
    from sitegen import files

    monkeypatch.setattr(files, "_BLOCK", 4)  # several blocks, and a short last one
    path = tmp_path / "f.yaml"
    files.write_atomic(path, "0123456789")
    stamp = path.stat().st_mtime_ns
    assert files.holds(path, b"0123456789")
    for other in (b"", b"012345678", b"0123456789!", b"0123X56789", b"012345678X"):
        assert not files.holds(path, other), other
    assert not files.holds(tmp_path / "missing", b"") and not files.holds(tmp_path, b"")
    files.write_atomic(path, "0123456789")
    assert path.stat().st_mtime_ns == stamp
    files.write_atomic(path, "012345678X")
    assert path.read_text() == "012345678X"


@settings(max_examples=examples(3000), deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2007\u200b\u2028\u3000\ufeffaZé")),
               max_size=20))
def test_ids_normalise_whitespace_as_they_always_did(text):
    # Ids are stored in triage.yaml: the text they are made from must not change.
    assert normalised(text) == re.sub(r"\s+", " ", text).strip().casefold()


_KEYS = st.one_of(st.sampled_from(["yes", "No", "ON", "off", "True", "null", "Null", "NULL", "y", "n", "~",
                                   "items", "a-b", "_x", "1", ".inf", "<<", "é"]), st.text(max_size=8))
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12))


@settings(max_examples=examples(1000), deadline=None)
@given(st.dictionaries(_KEYS, st.one_of(_SCALARS, st.dictionaries(_KEYS, _SCALARS, max_size=4),
                                        st.lists(_SCALARS, max_size=3)), max_size=6))
def test_the_fast_reader_and_pyyaml_read_the_content_layout_alike(data):
    # Keys such as "No" or "null" are quoted: PyYAML would read them as False or None.
    text = yamlio.dump_content({"schema": "sitegen/todos@1", **data}, frozenset())
    assert yaml.safe_load(text) == yamlio.load_content(text, "t.yaml") == {"schema": "sitegen/todos@1", **data}


def test_a_workers_own_record_reads_back_as_the_checked_reader_reads_it():
    """The fast path for records a build sends between its own workers gives
    the very Checklist the checked reader gives (fuzzed further in test_fuzz)."""
    import marshal
    from pathlib import Path as P

    from sitegen.collectors.checklists import parse_document
    fixtures = Path(__file__).parent / "fixtures"
    documents = [*fixtures.glob("checklists/*.md"), *fixtures.glob("reports/*.md"), *fixtures.glob("seeds/*.txt")]
    assert len(documents) >= 5
    for path in documents:
        checklist, _ = parse_document(path.read_text(encoding="utf-8", errors="replace"), path.name, "doc")
        record = marshal.loads(marshal.dumps(content.checklist_record(checklist)))
        assert content.checklist_from_own_record(record) == checklist == content.checklist_from_record(record, P("x"))
