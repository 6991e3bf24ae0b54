"""The model ⇄ content/*.yaml.

Generated files start with `schema: sitegen/<kind>@<version>`; a file written
by a newer sitegen is refused rather than misread. Output is deterministic:
the same model always gives the same bytes.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from sitegen import yamlio
from sitegen.errors import SitegenError
from sitegen.files import NotRead, inside, read_checked, why_not_read, write_atomic
from sitegen.model import Checklist, DeclaredStatus, Finding, Note, Section, Task, Todo, record

SCHEMA_VERSIONS = {"checklists": 1, "todos": 1, "findings": 1}
# Long lists of small records: one line each keeps files fast to read and diffs readable.
ONE_LINE_LISTS = frozenset({"items", "notes", "criteria"})
_SCHEMA = re.compile(r"^sitegen/(\w+)@(\d+)$")
_DOCUMENT_START = re.compile(r"^(?=- )", re.M)
MAX_CONTENT_BYTES = 1 << 30


def content_path(content_dir: Path, kind: str) -> Path:
    return content_dir / f"{kind}.yaml"


# --- writing ------------------------------------------------------------------

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
    return yamlio.dump_content_item(_document(doc), ONE_LINE_LISTS)


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
    match = _SCHEMA.match(str(data["schema"]))
    if not match or match.group(1) != kind:
        raise SitegenError(
            f"schema is {data['schema']!r}, expected 'sitegen/{kind}@{SCHEMA_VERSIONS[kind]}'",
            path, 1,
        )
    version = int(match.group(2))
    if version > SCHEMA_VERSIONS[kind]:
        raise SitegenError(
            f"written by a newer sitegen (schema {kind}@{version}; this version reads up to "
            f"@{SCHEMA_VERSIONS[kind]}): upgrade sitegen, or run `sitegen collect` to rewrite it",
            path, 1,
        )


def _read_declared(data: dict | None) -> DeclaredStatus | None:
    if not data:
        return None
    return DeclaredStatus(
        text=data["text"], complete=data.get("complete", False),
        done=data.get("done"), total=data.get("total"),
    )


def _read_notes(data: list[dict] | None) -> list[Note]:
    return [Note(n["text"], n["line"]) for n in data or ()]


def _read_task(data: dict) -> Task:
    return Task(
        id=data["id"], text=data["text"], done=data["done"], line=data["line"],
        priority=data.get("priority"), owners=data.get("owners", []),
        tags=data.get("tags", []), due=data.get("due"), files=data.get("files", []),
        links=data.get("links", []), notes=_read_notes(data.get("notes")),
        children=[_read_task(c) for c in data.get("children", ())],
    )


def _read_section(data: dict) -> Section:
    return Section(
        title=data["title"], level=data["level"], line=data["line"], anchor=data["anchor"],
        heading=data.get("heading", ""), phase=data.get("phase"),
        phase_kind=data.get("phase_kind"), priority=data.get("priority"),
        path=data.get("path", []), declared=_read_declared(data.get("declared")),
        done=data["done"], total=data["total"],
        items=[_read_task(t) for t in data.get("items", ())],
        notes=_read_notes(data.get("notes")), warnings=data.get("warnings", []),
    )


def _checklist(d: dict) -> Checklist:
    return Checklist(
        path=d["path"], slug=d["slug"], title=d["title"], done=d["done"], total=d["total"],
        declared=_read_declared(d.get("declared")),
        sections=[_read_section(s) for s in d.get("sections", ())],
        warnings=d.get("warnings", []),
    )


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
    chunks = _split_documents(text)
    if chunks is not None:
        check_schema(yamlio.load_fast(text.partition("\n")[0], path), "checklists", path)
        return chunks
    data = yamlio.load_fast(text, path)  # hand-edited, or written by another tool
    check_schema(data, "checklists", path)
    return [yamlio.dump_content_item(d, ONE_LINE_LISTS) for d in data.get("documents") or ()]


def checklist_from_chunk(chunk: str, path: Path) -> Checklist:
    try:
        return _checklist(yamlio.load_content(chunk, path)[0])
    except (KeyError, TypeError, AttributeError, IndexError) as exc:
        raise SitegenError(
            f"malformed checklists content ({type(exc).__name__}: {exc}); "
            "run `sitegen collect` to rewrite it", path,
        ) from None


def read_checklists(content_dir: Path) -> list[Checklist]:
    path = content_path(content_dir, "checklists")
    return [checklist_from_chunk(chunk, path) for chunk in read_checklist_chunks(content_dir)]


# --- todos ----------------------------------------------------------------------

def todo_meta(scan) -> dict:
    """What todos.yaml says about a TodoScan besides its items; read_todos gives it back."""
    return {
        "revision": scan.revision,
        "summary": {
            "files_scanned": scan.files_scanned,
            "files_with_todos": scan.files_with_todos,
            "skipped": dict(sorted(scan.skipped.items())),
            **({"links": dict(sorted(scan.skipped_links.items()))} if scan.skipped_links else {}),
        },
        "warnings": [str(n) for n in scan.notices],
    }


def write_todos(content_dir: Path, scan) -> Path:
    """content/todos.yaml from a TodoScan."""
    data = {**todo_meta(scan), "items": [record(t) for t in scan.todos]}
    path = content_path(content_dir, "todos")
    write_atomic(path, _header("todos") + yamlio.dump_content(data, ONE_LINE_LISTS))
    return path


def read_todos(content_dir: Path) -> tuple[list[Todo], dict]:
    """(items, the todo_meta it was written with) of content/todos.yaml; nothing if absent."""
    path = content_path(content_dir, "todos")
    if (text := read_content_text(path)) is None:
        return [], {}
    data = yamlio.load_content(text, path)
    check_schema(data, "todos", path)
    try:
        items = [Todo(**item) for item in data.get("items") or ()]
    except TypeError as exc:
        raise SitegenError(f"malformed todos content ({exc}); run `sitegen collect` to rewrite it", path) from None
    return items, {
        "revision": data.get("revision"), "summary": data.get("summary") or {},
        "warnings": data.get("warnings") or [],
    }


# --- findings -------------------------------------------------------------------

def write_findings(content_dir: Path, findings: list[Finding], warnings: list[str],
                   documents: list[dict] = ()) -> Path:
    data = {
        "warnings": warnings,
        "documents": list(documents),
        "items": [record(f) for f in findings],
    }
    path = content_path(content_dir, "findings")
    write_atomic(path, _header("findings") + yamlio.dump_content(data, ONE_LINE_LISTS))
    return path


def read_findings(content_dir: Path) -> tuple[list[Finding], list[str], list[dict]]:
    """(findings, warnings, report documents) of content/findings.yaml; nothing if absent."""
    path = content_path(content_dir, "findings")
    if (text := read_content_text(path)) is None:
        return [], [], []
    data = yamlio.load_content(text, path)
    check_schema(data, "findings", path)
    try:
        return ([Finding(**item) for item in data.get("items") or ()], list(data.get("warnings") or ()),
                list(data.get("documents") or ()))
    except TypeError as exc:
        raise SitegenError(f"malformed findings content ({exc}); run `sitegen collect` to rewrite it", path) from None
