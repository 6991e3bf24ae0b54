"""The model ⇄ content/*.yaml.

Generated files start with `schema: sitegen/<kind>@<version>`; a file written
by a newer sitegen is refused rather than misread. Output is deterministic:
the same model always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from itertools import filterfalse
from pathlib import Path
from typing import Any

from sitegen import yamlio
from sitegen.collectors import blocks
from sitegen.errors import SitegenError
from sitegen.files import NotRead, inside, read_checked, why_not_read, write_atomic
from sitegen.model import (
    PRIORITIES,
    SEVERITIES,
    Checklist,
    DeclaredStatus,
    Finding,
    Note,
    Section,
    Task,
    Todo,
    record,
)

SCHEMA_VERSIONS = {"checklists": 1, "todos": 1, "findings": 2}
"""The version each kind's file is written in; a reader takes that and older ones
(findings@2 added `tools` and each finding's `also`)."""
# Long lists of small records: one line each keeps files fast to read and diffs readable.
ONE_LINE_LISTS = frozenset({"items", "notes", "criteria"})
_SCHEMA = re.compile(r"^sitegen/(\w+)@(\d+)$")
_DOCUMENT_START = re.compile(r"^(?=- )", re.M)
MAX_CONTENT_BYTES = 1 << 30


def content_path(content_dir: Path, kind: str) -> Path:
    return content_dir / f"{kind}.yaml"


# --- writing ------------------------------------------------------------------

def content_digests(content_dir: Path, document_digests: Sequence[str],
                    todos_made_from: str | None = None) -> dict[str, str]:
    """Hashes of the collected content, each with triage.yaml's and
    SOURCE_DATE_EPOCH (which dates the exports): under each kind, of its
    items; under "all", of every kind's. What the files that hold every item
    of a kind, or of all kinds, are made from. The checklists are known by
    their documents' digests (hashed as they were collected), not by reading
    checklists.yaml again: 0.2 s for 100,000 tasks, in every build; the
    TODOs of a scan by what todos.yaml is made from (`todos_made_from`), as
    `sitegen serve` writes that file only after the pages are published.
    An absent file hashes as an empty one."""
    def read(name: str) -> bytes:
        try:
            return read_checked(content_dir / name, MAX_CONTENT_BYTES)
        except (OSError, NotRead):
            return b""

    common = os.environ.get("SOURCE_DATE_EPOCH", "").encode() + b"\0" + read("triage.yaml")
    parts = {"checklists": "\n".join(document_digests).encode(),
             "todos": read("todos.yaml") if todos_made_from is None else todos_made_from.encode(),
             "findings": read("findings.yaml")}

    def digest(*texts: bytes) -> str:
        hashed = hashlib.blake2b(common, digest_size=16)
        for text in texts:
            hashed.update(len(text).to_bytes(8, "big") + text)
        return hashed.hexdigest()

    return {**{kind: digest(text) for kind, text in parts.items()}, "all": digest(*parts.values())}


def read_content_text(path: Path, max_bytes: int = MAX_CONTENT_BYTES) -> str | None:
    """The text of a file in the content folder, None if there is none. The
    folder may be part of the repository, so the file must be a regular file
    in it, not a link leading elsewhere."""
    if not os.path.lexists(path):
        return None
    if not inside(path, os.path.realpath(path.parent)):
        raise SitegenError("a symbolic link that leads out of the content folder; not read", path)
    try:
        return read_checked(path, max_bytes).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SitegenError(f"not UTF-8 text ({exc.reason})", path, exc.object.count(b"\n", 0, exc.start) + 1) from None
    except (NotRead, OSError) as exc:
        raise SitegenError(f"not read ({why_not_read(exc)})", path) from None


def _declared(declared: DeclaredStatus | None) -> dict | None:
    if declared is None:
        return None
    out: dict[str, Any] = {"text": declared.text}
    if declared.complete:
        out["complete"] = True
    if declared.done is not None:
        out["done"] = declared.done
    if declared.total is not None:
        out["total"] = declared.total
    return out


def _notes(notes: list[Note]) -> list[dict]:
    return [{"text": n.text, "line": n.line} for n in notes]


def _task(task: Task) -> dict:
    out: dict[str, Any] = {
        "id": task.id, "text": task.text, "done": task.done, "line": task.line,
        "priority": task.priority,
    }
    # Optional fields are left out when empty to keep large files small.
    for key in ("owners", "tags", "files", "links"):
        if value := getattr(task, key):
            out[key] = value
    if task.due:
        out["due"] = task.due
    if task.notes:
        out["notes"] = _notes(task.notes)
    if task.children:
        out["children"] = [_task(child) for child in task.children]
    return out


def _section(section: Section) -> dict:
    out: dict[str, Any] = {
        "title": section.title, "level": section.level, "phase": section.phase,
        "done": section.done, "total": section.total, "line": section.line,
        "anchor": section.anchor, "heading": section.heading, "path": section.path,
    }
    if section.phase_kind:
        out["phase_kind"] = section.phase_kind
    if section.priority:
        out["priority"] = section.priority
    if section.declared:
        out["declared"] = _declared(section.declared)
    if section.warnings:
        out["warnings"] = section.warnings
    out["items"] = [_task(task) for task in section.items]
    if section.notes:
        out["notes"] = _notes(section.notes)
    return out


def _document(doc: Checklist) -> dict:
    return {
        "path": doc.path, "slug": doc.slug, "title": doc.title,
        "done": doc.done, "total": doc.total,
        **({"declared": _declared(doc.declared)} if doc.declared else {}),
        **({"warnings": doc.warnings} if doc.warnings else {}),
        "sections": [_section(s) for s in doc.sections],
    }


def checklist_chunk(doc: Checklist) -> str:
    """One document's part of checklists.yaml; documents are written (and
    read back) independently, so each can be handled by its own worker."""
    return chunk_of_record(checklist_record(doc))


def checklist_record(doc: Checklist) -> dict:
    """A document as the plain values its chunk holds (cheaper to send to
    another process than the model, and to read back than YAML)."""
    return _document(doc)


def chunk_of_record(record: dict) -> str:
    return yamlio.dump_content_item(record, ONE_LINE_LISTS)


def _header(kind: str) -> str:
    return f'schema: "sitegen/{kind}@{SCHEMA_VERSIONS[kind]}"\n'


def write_checklists(content_dir: Path, chunks: list[str]) -> Path:
    """checklists.yaml from the documents' chunks (see checklist_chunk)."""
    path = content_path(content_dir, "checklists")
    body = "documents:\n" + "".join(chunks) if chunks else "documents: []\n"
    write_atomic(path, _header("checklists") + body)
    return path


# --- reading ------------------------------------------------------------------

def check_schema(data: Any, kind: str, path: Path) -> None:
    if not isinstance(data, dict) or "schema" not in data:
        raise SitegenError(f"not a sitegen {kind} file: no 'schema:' line", path, 1)
    schema = data["schema"]
    match = _SCHEMA.match(schema) if isinstance(schema, str) else None
    if not match or match.group(1) != kind:
        shown = repr(schema)[:60] if isinstance(schema, (str, int, float)) else type(schema).__name__
        raise SitegenError(
            f"schema is {shown}, expected 'sitegen/{kind}@{SCHEMA_VERSIONS[kind]}'",
            path, 1,
        )
    digits = match.group(2)
    version = int(digits) if len(digits) <= 9 else None  # None: far newer than this sitegen
    if version is None or version > SCHEMA_VERSIONS[kind]:
        raise SitegenError(
            f"written by a newer sitegen (schema {kind}@{digits[:12]}; this version reads up to "
            f"@{SCHEMA_VERSIONS[kind]}): upgrade sitegen, or run `sitegen collect` to rewrite it",
            path, 1,
        )


# --- checking what was read -------------------------------------------------------
# A content file may have been edited by hand (or damaged): every value the
# site uses is checked for its type here, so that a bad one is an error that
# names the file rather than a crash while the site is written.

MAX_TASK_DEPTH = blocks.MAX_LEVEL // 2
"""How deep tasks nest in checklists content: no deeper than the Markdown
reader makes them. A deeper hand-edited file is refused."""
_PRIORITY_SET = frozenset(PRIORITIES)
_SEVERITY_SET = frozenset(SEVERITIES)
_BIG = 1 << 53  # counts and line numbers are below this
_SLUG = re.compile(r"[A-Za-z0-9_-]+")
_HREF = re.compile(r"(?:https?://|mailto:)", re.I)


class _Malformed(ValueError):
    """A value of the wrong type; the message says which and where."""


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def _bad(where: str, expected: str, value: Any, key: str = "") -> _Malformed:
    return _Malformed(f"{_at(where, key)} must be {expected}, not {_kind(value)}")


def _at(where: str, key: str) -> str:
    # Built only for a message: making it for every value read took a third of the reading.
    return f"{where}.{key}" if key else where


def _str(value: Any, where: str, key: str = "") -> str:
    if type(value) is not str:
        raise _bad(where, "text", value, key)
    return value


def _opt_str(value: Any, where: str, key: str = "") -> str | None:
    if value is not None and type(value) is not str:
        raise _bad(where, "text or null", value, key)
    return value


def _int(value: Any, where: str, key: str = "") -> int:
    if type(value) is not int or not -_BIG < value < _BIG:
        raise _bad(where, "a whole number", value, key)
    return value


def _opt_int(value: Any, where: str, key: str = "") -> int | None:
    return None if value is None else _int(value, where, key)


def _bool(value: Any, where: str, key: str = "") -> bool:
    if type(value) is not bool:
        raise _bad(where, "true or false", value, key)
    return value


def _strs(value: Any, where: str, key: str = "") -> list[str]:
    if type(value) is not list or (value and set(map(type, value)) != {str}):
        raise _bad(where, "a list of texts", value, key)
    return value


def _dict(value: Any, where: str, key: str = "") -> dict:
    if not isinstance(value, dict):
        raise _bad(where, "a mapping", value, key)
    return value


def _list(value: Any, where: str, key: str = "") -> list:
    if type(value) is not list:
        raise _bad(where, "a list", value, key)
    return value


def _priority(value: Any, where: str, key: str = "") -> str | None:
    if value is not None and (type(value) is not str or value not in _PRIORITY_SET):
        raise _bad(where, "P1, P2, P3, P4 or null", value, key)
    return value


def _links(value: Any, where: str, key: str = "") -> list[str]:
    if _strs(value, where, key) and not all(map(_HREF.match, value)):
        raise _Malformed(f"{_at(where, key)} must hold http(s) or mailto links only")
    return value


def _repo_path(value: Any, where: str, key: str = "") -> str:
    """A repo-relative path, which names a page of the site: never leads out of it."""
    path = _str(value, where, key)
    parts = path.split("/")
    if not path or "\0" in path or "" in parts or "." in parts or ".." in parts:
        raise _Malformed(f"{_at(where, key)} must be a path inside the tree, not {path[:60]!r}")
    return path


def _read_declared(data: Any, where: str) -> DeclaredStatus | None:
    if not data:
        return None
    data = _dict(data, where)
    return DeclaredStatus(
        text=_str(data.get("text"), where, "text"),
        complete=_bool(data.get("complete", False), where, "complete"),
        done=_opt_int(data.get("done"), where, "done"), total=_opt_int(data.get("total"), where, "total"),
    )


def _read_notes(data: Any, where: str) -> list[Note]:
    if data is None:
        return []
    notes = []
    for index, note in enumerate(_list(data or [], where)):
        note = _dict(note, f"{where}[{index}]")
        notes.append(Note(_str(note.get("text"), f"{where}[{index}].text"),
                          _int(note.get("line"), f"{where}[{index}].line")))
    return notes


def _task_fields(data: Any, where: str) -> Task:
    data = _dict(data, where)
    return Task(
        id=_str(data.get("id"), where, "id"), text=_str(data.get("text"), where, "text"),
        done=_bool(data.get("done"), where, "done"), line=_int(data.get("line"), where, "line"),
        priority=_priority(data.get("priority"), where, "priority"),
        owners=_strs(data.get("owners", []), where, "owners"), tags=_strs(data.get("tags", []), where, "tags"),
        due=_opt_str(data.get("due"), where, "due"), files=_strs(data.get("files", []), where, "files"),
        links=_links(data.get("links", []), where, "links"), notes=_read_notes(data.get("notes"), f"{where}.notes"),
    )


def _read_tasks(data: Any, where: str) -> list[Task]:
    """The tasks of a section, children included: iteratively, and no deeper than MAX_TASK_DEPTH."""
    top: list[Task] = []
    stack = [(top, data, where, 1)]
    while stack:
        into, items, at, depth = stack.pop()
        if depth > MAX_TASK_DEPTH:
            raise _Malformed(f"{at} nests tasks more than {MAX_TASK_DEPTH} deep")
        for index, item in enumerate(_list(items, at)):
            task = _task_fields(item, f"{at}[{index}]")
            into.append(task)
            if children := item.get("children"):
                stack.append((task.children, children, f"{at}[{index}].children", depth + 1))
    return top


def _read_section(data: Any, where: str) -> Section:
    data = _dict(data, where)
    level = _int(data.get("level"), where, "level")
    if not 0 <= level <= 6:
        raise _bad(f"{where}.level", "a heading level, 0 to 6", level)
    return Section(
        title=_str(data.get("title"), where, "title"), level=level,
        line=_int(data.get("line"), where, "line"), anchor=_str(data.get("anchor"), where, "anchor"),
        heading=_str(data.get("heading", ""), where, "heading"), phase=_opt_str(data.get("phase"), where, "phase"),
        phase_kind=_opt_str(data.get("phase_kind"), where, "phase_kind"),
        priority=_priority(data.get("priority"), where, "priority"),
        path=_strs(data.get("path", []), where, "path"),
        declared=_read_declared(data.get("declared"), f"{where}.declared"),
        done=_int(data.get("done"), where, "done"), total=_int(data.get("total"), where, "total"),
        items=_read_tasks(data.get("items", []), f"{where}.items"),
        notes=_read_notes(data.get("notes"), f"{where}.notes"),
        warnings=_strs(data.get("warnings", []), where, "warnings"),
    )


def _checklist(d: Any, where: str = "document") -> Checklist:
    d = _dict(d, where)
    slug = _str(d.get("slug"), where, "slug")
    if not _SLUG.fullmatch(slug):
        raise _Malformed(f"{where}.slug must be letters, digits and dashes, not {slug[:60]!r}")
    return Checklist(
        path=_str(d.get("path"), where, "path"), slug=slug, title=_str(d.get("title"), where, "title"),
        done=_int(d.get("done"), where, "done"), total=_int(d.get("total"), where, "total"),
        declared=_read_declared(d.get("declared"), f"{where}.declared"),
        sections=[_read_section(s, f"{where}.sections[{i}]")
                  for i, s in enumerate(_list(d.get("sections", []), where, "sections"))],
        warnings=_strs(d.get("warnings", []), where, "warnings"),
    )


# A declared status as a record, for caches that keep it without YAML
# (marshal); reading one back raises ValueError if it is damaged.
declared_record = _declared


def declared_from_record(data: Any) -> DeclaredStatus | None:
    return _read_declared(data, "declared")


def _malformed(kind: str, problem: _Malformed, path: Path) -> SitegenError:
    return SitegenError(f"malformed {kind} content ({problem}); run `sitegen collect` to rewrite it", path)


def _split_documents(text: str) -> list[str] | None:
    """The documents' chunks of a file in sitegen's own layout, else None."""
    header, _, body = text.partition("\ndocuments:\n")
    if not header.startswith("schema: ") or "\n" in header or not body.startswith("- "):
        return None
    # In that layout only a document starts a line with "- " at column 0.
    return _DOCUMENT_START.split(body)[1:]


def read_checklist_chunks(content_dir: Path) -> list[str]:
    """The documents of checklists.yaml, one chunk each; none if there is no file."""
    path = content_path(content_dir, "checklists")
    if (text := read_content_text(path)) is None:
        return []
    return checklist_chunks_from_text(text, path)


def checklist_chunks_from_text(text: str, path: Path) -> list[str]:
    """The documents of a checklists.yaml whose text is `text`, one chunk each."""
    chunks = _split_documents(text)
    if chunks is not None:
        check_schema(yamlio.load_fast(text.partition("\n")[0], path), "checklists", path)
        return chunks
    data = yamlio.load_fast(text, path)  # hand-edited, or written by another tool
    check_schema(data, "checklists", path)
    try:
        documents = _list(data.get("documents") or [], "documents")
        # Each document is checked, and written again in sitegen's own layout.
        return [checklist_chunk(_checklist(d, f"documents[{i}]")) for i, d in enumerate(documents)]
    except _Malformed as exc:
        raise _malformed("checklists", exc, path) from None


def checklist_from_chunk(chunk: str, path: Path) -> Checklist:
    try:
        documents = _list(yamlio.load_content(chunk, path), "a document's chunk")
        if len(documents) != 1:
            raise _Malformed("a document's chunk must hold one document")
        return _checklist(documents[0])
    except _Malformed as exc:
        raise _malformed("checklists", exc, path) from None


def checklist_from_record(record: dict, path: Path) -> Checklist:
    try:
        return _checklist(record)
    except _Malformed as exc:
        raise _malformed("checklists", exc, path) from None


# A fast path for records this build made itself (checklist_record, in another
# worker): the same Checklist as the checked reader, without checks that cannot
# fail on them (a third of the time). Property-tested against _checklist.

def checklist_from_own_record(d: dict) -> Checklist:
    """The Checklist of a record made by `checklist_record` in this build. Never
    for a record read from a file or a cache: those go through the checks."""
    return Checklist(
        path=d["path"], slug=d["slug"], title=d["title"], done=d["done"], total=d["total"],
        declared=_own_declared(d.get("declared")), sections=[_own_section(s) for s in d["sections"]],
        warnings=d.get("warnings", []),
    )


def _own_declared(d: dict | None) -> DeclaredStatus | None:
    return DeclaredStatus(d["text"], d.get("complete", False), d.get("done"), d.get("total")) if d else None


def _own_notes(notes: list[dict]) -> list[Note]:
    return [Note(n["text"], n["line"]) for n in notes]


def _own_section(d: dict) -> Section:
    return Section(
        title=d["title"], level=d["level"], line=d["line"], anchor=d["anchor"], heading=d["heading"],
        phase=d["phase"], phase_kind=d.get("phase_kind"), priority=d.get("priority"), path=d["path"],
        declared=_own_declared(d.get("declared")), done=d["done"], total=d["total"],
        items=[_own_task(t) for t in d["items"]], notes=_own_notes(d.get("notes", ())),
        warnings=d.get("warnings", []),
    )


def _own_task(d: dict) -> Task:
    return Task(
        d["id"], d["text"], d["done"], d["line"], d["priority"], d.get("owners", []), d.get("tags", []),
        d.get("due"), d.get("files", []), d.get("links", []), _own_notes(d.get("notes", ())),
        [_own_task(child) for child in d.get("children", ())],
    )


def read_checklists(content_dir: Path) -> list[Checklist]:
    path = content_path(content_dir, "checklists")
    return [checklist_from_chunk(chunk, path) for chunk in read_checklist_chunks(content_dir)]


# --- todos ----------------------------------------------------------------------

def todo_meta(scan, blame: dict | None = None) -> dict:
    """What todos.yaml says about a TodoScan besides its items; read_todos gives
    it back. `blame`: TODO id → [day its line last changed, author] (todos.blame)."""
    return {
        "revision": scan.revision,
        **({"blame": {todo_id: list(blamed) for todo_id, blamed in blame.items()}} if blame else {}),
        "summary": {
            "files_scanned": scan.files_scanned,
            "files_with_todos": scan.files_with_todos,
            "skipped": dict(sorted(scan.skipped.items())),
            **({"links": dict(sorted(scan.skipped_links.items()))} if scan.skipped_links else {}),
        },
        "warnings": [str(n) for n in scan.notices],
    }


def todo_item_lines(todos: list[Todo]) -> list[str]:
    """The lines of todos.yaml's `items` for these TODOs (one each)."""
    return yamlio.one_line_items([record(t) for t in todos])


def todos_of_item_lines(lines: list[str]) -> list[Todo]:
    return [Todo(**item) for item in yamlio.items_of_lines(lines)]


class TodosOfLines(Sequence[Todo]):
    """TODOs kept as their todos.yaml lines, made into Todo objects when first
    read: a `collect` writes the lines and only counts the TODOs. `carried`
    (Carried.todos): the Todo of each line of an earlier build, taken as it
    is for an unchanged line; once made, it holds this object's."""

    def __init__(self, lines: list[str], carried: dict[str, Todo] | None = None):
        self.lines = lines
        self.carried = carried
        self._todos: list[Todo] | None = None

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, index):
        return self._made()[index]

    def __iter__(self) -> Iterator[Todo]:
        return iter(self._made())

    def _made(self) -> list[Todo]:
        if self._todos is None and self.carried is None:
            self._todos = todos_of_item_lines(self.lines)
        elif self._todos is None:  # (each step a pass in C over 10,000 lines)
            earlier = self.carried
            missing = list(filterfalse(earlier.__contains__, self.lines))
            found = {**earlier, **dict(zip(missing, todos_of_item_lines(missing)))} if missing else earlier
            self._todos = list(map(found.__getitem__, self.lines))
            earlier.clear()
            earlier.update(zip(self.lines, self._todos))
        return self._todos


def write_todos(content_dir: Path, scan, blame: dict | None = None) -> Path:
    """content/todos.yaml from a TodoScan, whose `item_lines` are its TODOs'
    lines (made with todo_item_lines, per file, by the workers or the cache)."""
    items = "items:\n" + "".join(scan.item_lines) if scan.item_lines else "items: []\n"
    path = content_path(content_dir, "todos")
    write_atomic(path, _header("todos") + yamlio.dump_content(todo_meta(scan, blame), ONE_LINE_LISTS) + items)
    return path


def read_todos(content_dir: Path) -> tuple[list[Todo], dict]:
    """(items, the todo_meta it was written with) of content/todos.yaml; nothing if absent."""
    path = content_path(content_dir, "todos")
    if (text := read_content_text(path)) is None:
        return [], {}
    return todos_from_text(text, path)


def _todo(item: Any, where: str) -> Todo:
    item = _dict(item, where)
    if unknown := item.keys() - _TODO_FIELDS:
        raise _Malformed(f"{where} has unknown fields: {', '.join(sorted(map(str, unknown)))[:200]}")
    todo = Todo(
        id=_str(item.get("id"), where, "id"), tag=_str(item.get("tag"), where, "tag"),
        text=_str(item.get("text"), where, "text"), file=_repo_path(item.get("file"), where, "file"),
        line=_int(item.get("line"), where, "line"), priority=_str(item.get("priority"), where, "priority"),
        category=_str(item.get("category"), where, "category"), author=_opt_str(item.get("author"), where, "author"),
        refs=_strs(item.get("refs", []), where, "refs"),
        context_start=_int(item.get("context_start", 1), where, "context_start"),
        context=_strs(item.get("context", []), where, "context"),
    )
    if todo.priority not in _PRIORITY_SET:
        raise _bad(f"{where}.priority", "P1, P2, P3 or P4", todo.priority)
    return todo


_TODO_FIELDS = frozenset(f.name for f in fields(Todo))


def _todo_meta(data: dict) -> dict:
    summary = _dict(data.get("summary") or {}, "summary")
    for key in ("files_scanned", "files_with_todos"):
        _opt_int(summary.get(key), f"summary.{key}")
    for reason, count in _dict(summary.get("skipped") or {}, "summary.skipped").items():
        _str(reason, "summary.skipped (a reason)")
        _int(count, f"summary.skipped.{reason}")
    for link, reason in _dict(summary.get("links") or {}, "summary.links").items():
        _str(link, "summary.links (a path)")
        _str(reason, f"summary.links.{link}")
    blame = {}
    for todo_id, blamed in _dict(data.get("blame") or {}, "blame").items():
        day, author = _strs(blamed, f"blame.{todo_id}") if isinstance(blamed, list) and len(blamed) == 2 \
            else (None, None)
        if day is None:
            raise _bad(f"blame.{todo_id}", "[day, author]", blamed)
        blame[_str(todo_id, "blame (an id)")] = (day, author)
    return {
        "revision": _opt_str(data.get("revision"), "revision"), "summary": summary,
        "warnings": _strs(data.get("warnings") or [], "warnings"),
        **({"blame": blame} if blame else {}),
    }


def todos_from_text(text: str, path: Path) -> tuple[list[Todo], dict]:
    """(items, meta) of a todos.yaml whose text is `text`."""
    data = yamlio.load_content(text, path)
    check_schema(data, "todos", path)
    try:
        items = [_todo(item, f"items[{i}]") for i, item in enumerate(_list(data.get("items") or [], "items"))]
        return items, _todo_meta(data)
    except _Malformed as exc:
        raise _malformed("todos", exc, path) from None


# --- findings -------------------------------------------------------------------

def write_findings(content_dir: Path, findings: list[Finding], warnings: list[str],
                   documents: list[dict] = (), tools: dict | None = None) -> Path:
    data = {
        "warnings": warnings,
        "documents": list(documents),
        "tools": tools or {},
        "items": [record(f) for f in findings],
    }
    path = content_path(content_dir, "findings")
    write_atomic(path, _header("findings") + yamlio.dump_content(data, ONE_LINE_LISTS))
    return path


@dataclass
class FindingsContent:
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    """What the findings page shows of each Markdown report beyond its findings."""
    tools: dict = field(default_factory=dict)
    """Static-analysis results read, left out ({excluded: [[exclusion, count]]}) and merged."""


def read_findings(content_dir: Path) -> FindingsContent:
    """content/findings.yaml; nothing if absent."""
    path = content_path(content_dir, "findings")
    if (text := read_content_text(path)) is None:
        return FindingsContent()
    return findings_from_text(text, path)


_FINDING_FIELDS = frozenset(f.name for f in fields(Finding))


def _finding(item: Any, where: str) -> Finding:
    item = _dict(item, where)
    if unknown := item.keys() - _FINDING_FIELDS:
        raise _Malformed(f"{where} has unknown fields: {', '.join(sorted(map(str, unknown)))[:200]}")
    severity = item.get("severity")
    if type(severity) is not str or severity not in _SEVERITY_SET:
        raise _bad(f"{where}.severity", "one of " + ", ".join(SEVERITIES), severity)
    criteria = _list(item.get("criteria", []), where, "criteria")
    for index, pair in enumerate(criteria):
        if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str or type(pair[1]) is not bool:
            raise _bad(f"{where}.criteria[{index}]", "a [text, done] pair", pair)
    fields_ = _dict(item.get("fields", {}), where, "fields")
    if not all(type(k) is str and type(v) is str for k, v in fields_.items()):
        raise _Malformed(f"{where}.fields must map texts to texts")
    help_url = _opt_str(item.get("help_url"), where, "help_url")
    if help_url is not None and not _HREF.match(help_url):
        raise _Malformed(f"{where}.help_url must be an http(s) link")
    priority = item.get("priority")
    if type(priority) is not str or priority not in _PRIORITY_SET:
        raise _bad(f"{where}.priority", "P1, P2, P3 or P4", priority)
    return Finding(
        id=_str(item.get("id"), where, "id"), priority=priority, severity=severity, title=_str(item.get("title"), where, "title"),
        status=_str(item.get("status"), where, "status"), files=_strs(item.get("files"), where, "files"),
        source=_str(item.get("source"), where, "source"), rule=_opt_str(item.get("rule"), where, "rule"),
        category=_opt_str(item.get("category"), where, "category"),
        detail=_str(item.get("detail", ""), where, "detail"), help_url=help_url,
        line=_opt_int(item.get("line"), where, "line"), fields=fields_, criteria=criteria,
        also=_strs(item.get("also", []), where, "also"),
    )


def _report_document(data: Any, where: str) -> dict:
    data = _dict(data, where)
    _str(data.get("path"), where, "path")
    _str(data.get("title"), where, "title")
    _strs(data.get("mismatches"), where, "mismatches")
    _opt_str(data.get("score"), where, "score")
    for index, pair in enumerate(_list(data.get("scores", []), where, "scores")):
        if len(_strs(pair, f"{where}.scores", str(index))) != 2:
            raise _bad(f"{where}.scores[{index}]", "[area, score]", pair)
    for index, check in enumerate(_list(data.get("tracker", []), where, "tracker")):
        check = _dict(check, f"{where}.tracker[{index}]")
        _str(check.get("text"), f"{where}.tracker[{index}].text")
        if check.get("status") not in ("done", "failing", "at risk"):
            raise _bad(f"{where}.tracker[{index}].status", "done, failing or at risk", check.get("status"))
    for index, note in enumerate(_list(data.get("notes"), where, "notes")):
        note = _dict(note, f"{where}.notes[{index}]")
        _str(note.get("section"), f"{where}.notes[{index}].section")
        _str(note.get("text"), f"{where}.notes[{index}].text")
        _int(note.get("line"), f"{where}.notes[{index}].line")
    return data


def _tool_summary(data: Any) -> dict:
    data = _dict(data, "tools")
    _opt_int(data.get("read"), "tools", "read")
    _opt_int(data.get("merged"), "tools", "merged")
    for index, pair in enumerate(_list(data.get("excluded", []), "tools", "excluded")):
        if type(pair) is not list or len(pair) != 2 or type(pair[0]) is not str or type(pair[1]) is not int:
            raise _bad(f"tools.excluded[{index}]", "an [exclusion, count] pair", pair)
    return data


def findings_from_text(text: str, path: Path) -> FindingsContent:
    """The findings.yaml whose text is `text`."""
    data = yamlio.load_content(text, path)
    check_schema(data, "findings", path)
    try:
        return FindingsContent(
            [_finding(item, f"items[{i}]") for i, item in enumerate(_list(data.get("items") or [], "items"))],
            _strs(data.get("warnings") or [], "warnings"),
            [_report_document(d, f"documents[{i}]")
             for i, d in enumerate(_list(data.get("documents") or [], "documents"))],
            _tool_summary(data.get("tools") or {}),
        )
    except _Malformed as exc:
        raise _malformed("findings", exc, path) from None
