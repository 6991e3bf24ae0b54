"""The checklist collector, on fixtures whose counts were checked by hand."""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen import priority
from sitegen.collectors import headings
from sitegen.collectors.checklists import collect, parse_document
from sitegen.walk import SourceTree
from sitegen.model import Checklist

FIXTURES = Path(__file__).parent / "fixtures/checklists"


def parse(text: str, path: str = "TASKS.md") -> Checklist:
    return parse_document(text, path)[0]


def texts(checklist: Checklist) -> list[str]:
    return [task.text for task in checklist.tasks()]


def section(checklist: Checklist, label_start: str):
    return next(s for s in checklist.sections if s.label.startswith(label_start))


@pytest.fixture(scope="module")
def phased() -> Checklist:
    return parse((FIXTURES / "phased.md").read_text(encoding="utf-8"), "app/TASKS.md")


@pytest.fixture(scope="module")
def priorities() -> Checklist:
    return parse((FIXTURES / "priorities.md").read_text(encoding="utf-8"), "TODO.md")


def test_phases_and_counts_match_the_hand_count(phased):
    assert (phased.done, phased.total) == (6, 14)
    assert [(s.phase_kind, s.phase, s.done, s.total) for s in phased.phases] == [
        ("Phase", "0.5", 2, 2), ("Phase", "1", 3, 4), ("Phase", "9", 0, 2), ("Stage", "3", 1, 5),
    ]


def test_subsection_counts_roll_up_into_their_phase(phased):
    assert (section(phased, "1.1 Storage").done, section(phased, "1.1 Storage").total) == (2, 3)
    assert (section(phased, "1.2 Networking").done, section(phased, "1.2 Networking").total) == (1, 1)
    top = phased.sections[0]
    assert (top.level, top.done, top.total) == (1, 6, 14)


def test_code_comments_and_plain_paragraphs_never_count(phased):
    assert not [t for t in texts(phased) if "inside" in t or "only looks like" in t]
    not_tasks = section(phased, "Not tasks")
    assert not_tasks.total == 0
    assert [n.text for n in not_tasks.notes] == ["[ ] a paragraph that only looks like a task"]


def test_ordered_list_blockquote_and_capital_x(phased):
    stage = section(phased, "Stage 3")
    assert [(t.text, t.done) for t in stage.items] == [
        ("Dark mode", True), ("Haptics", False), ("Quoted task counts too", False),
    ]
    hotfix = section(phased, "0.5.1")
    assert [t.done for t in hotfix.items] == [True, True]  # "[x]" and "[X]"


def test_nesting_kept_with_children_and_notes(phased, priorities):
    haptics = section(phased, "Stage 3").items[1]
    assert [c.text for c in haptics.children] == ["iOS haptics", "Android haptics"]
    connect = priorities.sections[3].items[0]
    assert connect.text.startswith("**Connect the settings page**")
    assert [n.text for n in connect.notes] == [
        "Update `web/settings.js` to call `/admin/settings`",
        "Store the admin key in sessionStorage",
    ]


def test_plain_bullets_and_paragraphs_are_kept_as_section_notes(phased):
    assert [n.text for n in section(phased, "Overview").notes] == [
        "Tasks by phase. See [the plan](../PLAN.md).",
        "**Links:**",
        "[../RULES.md](../RULES.md) - how we work",
        "[DESIGN.md](DESIGN.md) - the design",
    ]


def test_messy_merged_heading_gives_first_phase_and_full_title(phased):
    messy = section(phased, "Phase 9")
    assert messy.phase == "9"
    assert messy.title == "PAYMENTS & BILLING (MOVED TO LAST PHASE)"
    assert messy.heading.startswith("PHASE 9: PAYMENTS ## PHASE 2")
    assert messy.warnings and "Phase 9" in messy.warnings[0]


def test_declared_status_is_kept_and_compared(phased):
    phase1 = section(phased, "Phase 1")
    assert phase1.declared.text == "✅ COMPLETED"
    assert phase1.declared.mismatch(phase1.done, phase1.total) == "declared complete but 1 of 4 open"
    stage = section(phased, "Stage 3")
    assert stage.declared.mismatch(stage.done, stage.total) == "declares 3 in total, counted 5"
    assert phased.declared.mismatch(phased.done, phased.total) == "declares 5 done, counted 6"
    assert section(phased, "Phase 0.5").declared is None


def test_heading_priority_is_inherited_and_item_markers_win(priorities):
    by_text = {t.text.split(" - ")[0]: t.priority for t in priorities.tasks()}
    assert by_text["**Connect the settings page**"] == "P2"     # ## High Priority
    assert by_text["**Run migration**"] == "P2"                  # ### Infrastructure (High)
    assert by_text["Add rate limiting ⏫"] == "P2"               # emoji beats ## Medium
    assert by_text["Document timeouts"] == "P3"
    assert by_text["(A) Rotate the signing key"] == "P1"        # todo.txt priority
    assert by_text["Consider stricter type checking"] == "P4"   # ## Low Priority / Future Work
    assert (priorities.done, priorities.total) == (1, 10)


# Pieces of every item marker, in several cases and with odd neighbours.
_MARKER_PIECES = st.sampled_from([
    "P0", "P1", "p2", "P4", "P5", "[P3]", "XP1", "P1-", "(A)", "(b)", "(Z) ", "priority", "Priority",
    "PRIORITY", "prıorıty", "priority: high", "priority=2", "Priority: Low", "🔺", "⏫", "🔼", "🔽", "⏬",
    " ", ":", "=", "-", "(", ")", "[", "]", "a", "high", "2",
])


@given(st.lists(_MARKER_PIECES, max_size=8).map("".join))
def test_the_item_marker_prefilter_never_changes_the_priority(text):
    unfiltered = [p for emoji, p in priority.EMOJI.items() if emoji in text]
    unfiltered += [priority.from_token(m.group(1)) for pattern in priority._ITEM_PATTERNS
                   for m in pattern.finditer(text)]
    assert priority.in_item(text) == priority.most_urgent(unfiltered)


_HEADING_PIECES = st.sampled_from([
    "Phase 1", "PHASE 0.5:", "v1.0", "## ", "High Priority", "priority: low", "Priority 2", "P0", "P4 ",
    "(High)", "(minor)", "Critical", "BLOCKERS", "urgent", "✅", "✔️", "☑", "COMPLETED", "Complete", "done",
    "(done)", "- finished", "finiſhed", "(12/20)", "[3 / 4]", "Completed: 12", "done:3", "/", " ", ":", "-",
    "(", ")", "Security", "&", "Auth",
])


@given(st.lists(_HEADING_PIECES, max_size=8).map("".join))
def test_the_heading_prefilters_never_change_what_a_heading_says(text):
    found = headings.analyse(text)
    with mock.patch.object(headings, "_CLAIM_MARKERS", re.compile("")), \
            mock.patch.object(priority, "_HEADING_MARKERS", re.compile("")):
        assert headings.analyse(text) == found


def test_each_metadata_form(priorities, phased):
    tasks = {t.text: t for t in [*priorities.tasks(), *phased.tasks()]}
    card = tasks["Card form @dana #payments"]
    assert (card.owners, card.tags) == (["dana"], ["payments"])
    assert tasks["Apple Pay due:2026-03-01"].due == "2026-03-01"
    assert tasks["Load testing 📅 2026-05-01"].due == "2026-05-01"
    guide = tasks["Write the deployment guide, see <https://example.org/deploy> @sam"]
    assert (guide.links, guide.owners) == (["https://example.org/deploy"], ["sam"])
    assert tasks["**Run migration** - apply `migrations/001_init.sql`"].files == ["migrations/001_init.sql"]
    assert tasks["Write the schema in `db/schema.sql`"].files == ["db/schema.sql"]
    # an API path in backticks is not a file
    assert tasks["**Listing endpoint** - implement `/admin/list`"].files == []


def test_text_is_kept_as_written(priorities):
    assert "**Connect the settings page** - wire it to the API:" in texts(priorities)


def test_duplicated_headings_get_distinct_anchors():
    doc = parse("## Tasks\n- [ ] a\n## Tasks\n- [ ] b\n## Tasks\n")
    assert [s.anchor for s in doc.sections] == ["tasks", "tasks-2", "tasks-3"]


def test_front_matter_gives_the_title_and_keeps_line_numbers():
    doc = parse("---\ntitle: Release plan\nnote: '- [ ] not a task'\n---\n# Plan\n- [ ] one\n")
    assert doc.title == "Release plan"
    assert [(t.text, t.line) for t in doc.tasks()] == [("one", 6)]


def test_invalid_front_matter_is_ignored_with_a_warning():
    doc, notices = parse_document("---\nitems:\n  - [ ] x\n---\n- [ ] one\n", "TASKS.md")
    assert [(t.text, t.line) for t in doc.tasks()] == [("one", 5)]
    assert str(notices[0]).startswith("TASKS.md:1: front matter is not valid YAML")


def test_empty_file_and_file_without_tasks():
    empty = parse("")
    assert (empty.total, empty.sections, empty.title) == (0, [], "TASKS.md")
    prose = parse("# Notes\n\nJust words.\n\n- a plain bullet\n")
    assert prose.total == 0
    assert [n.text for n in prose.sections[0].notes] == ["Just words.", "a plain bullet"]


def test_crlf_input_parses_like_lf():
    lf = parse("# T\n- [x] a\n- [ ] b\n")
    crlf = parse("# T\r\n- [x] a\r\n- [ ] b\r\n")
    assert [(t.text, t.done, t.line, t.id) for t in lf.tasks()] == [
        (t.text, t.done, t.line, t.id) for t in crlf.tasks()
    ]


def test_ids_survive_moving_and_duplicates_are_distinct():
    before = parse("# T\n- [ ] write docs\n- [ ] ship\n- [ ] ship\n")
    after = parse("# T\n\nintro\n\n- [ ] ship\n- [ ] write docs\n- [ ] ship\n")
    ids_before = {t.text: t.id for t in before.tasks() if t.text == "write docs"}
    ids_after = {t.text: t.id for t in after.tasks() if t.text == "write docs"}
    assert ids_before == ids_after
    assert len({t.id for t in before.tasks()}) == 3


def test_non_utf8_file_is_read_as_latin1_with_a_warning(tmp_path):
    (tmp_path / "TODO.md").write_bytes("# Tâches\n- [ ] café crème\n".encode("latin-1"))
    documents, notices = collect(SourceTree(tmp_path).listing(), ("**/TODO.md",))
    assert texts(documents[0]) == ["café crème"]
    assert [str(n) for n in notices] == ["TODO.md:1: not valid UTF-8; read as Latin-1"]
    assert documents[0].warnings == ["TODO.md:1: not valid UTF-8; read as Latin-1"]


def test_collect_honours_gitignore_and_skips_dependency_folders(tmp_path):
    for rel in ["TODO.md", "docs/TODO.md", "node_modules/x/TODO.md", "build/TODO.md", ".git/TODO.md"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("- [ ] x\n")
    (tmp_path / ".gitignore").write_text("build/\n")
    documents, _ = collect(SourceTree(tmp_path).listing(), ("**/TODO.md",))
    assert [d.path for d in documents] == ["TODO.md", "docs/TODO.md"]
    assert [d.slug for d in documents] == ["todo", "docs-todo"]
