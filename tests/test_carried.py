"""What `sitegen serve` carries from one build to the next (carried.py): an
unchanged TODO keeps its Todo and its view; whatever a view is made from
that changes (its line, its triage entry, the blame, the source link) makes
it anew, equal to what a build without anything carried makes."""

from __future__ import annotations

from sitegen.content import TodosOfLines, todo_item_lines
from sitegen.model import Todo, TriageEntry
from sitegen.site.views import todo_views
from sitegen.triage import Triage


def _todos(count: int, text: str = "tidy up") -> list[Todo]:
    return [Todo(f"td-{n}", "TODO", f"{text} {n}", f"src/m{n}.py", n + 1, "P3", "Code quality", context=["x = 1"])
            for n in range(count)]


def test_unchanged_lines_keep_their_todos_and_a_changed_line_gets_a_new_one():
    carried: dict = {}
    lines = todo_item_lines(_todos(4))
    first = list(TodosOfLines(lines, carried))
    assert first == list(TodosOfLines(lines))
    edited = [*lines[:3], todo_item_lines(_todos(4, "tidy up later"))[3]]
    second = list(TodosOfLines(edited, carried))
    assert second == list(TodosOfLines(edited))
    assert all(a is b for a, b in zip(first[:3], second[:3])) and second[3] is not first[3]
    assert set(carried) == set(edited)  # the line replaced is no longer held


def test_a_view_is_kept_while_what_it_is_made_from_is_the_same():
    todos = _todos(3)
    carried: dict = {}
    triage = Triage()
    first = todo_views(todos, triage, "", None, carried=carried)
    assert todo_views(todos, Triage(), "", None, carried=carried) == first
    assert all(a is b for a, b in zip(todo_views(todos, Triage(), "", None, carried=carried), first))

    triaged = Triage(entries={"td-1": TriageEntry(priority="P1", owner="ana")})
    views = todo_views(todos, triaged, "", None, carried=carried)
    assert views == todo_views(todos, triaged, "", None)
    assert views[0] is first[0] and views[2] is first[2]
    assert (views[1].priority, views[1].owner) == ("P1", "ana")

    blamed = {"td-0": ["2026-01-02", "bo"]}
    views = todo_views(todos, triaged, "https://x/{path}#L{line}", "abc", blamed, carried=carried)
    assert views == todo_views(todos, triaged, "https://x/{path}#L{line}", "abc", blamed)
    assert not any(a is b for a, b in zip(views, first))
    assert views[0].changed_by == "bo" and views[2].source == "https://x/src/m2.py#L3"
