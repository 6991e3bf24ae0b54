"""Binary files are skipped by extension or first bytes, not only for a NUL byte."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import run_sitegen
from sitegen.collectors import todos
from sitegen.config import TodosConfig

# A PDF whose first 8 KiB hold no NUL byte: its header, a binary comment
# (not UTF-8) and text in which a scanner would find a TODO.
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n// TODO: x\n# TODO: x\nendobj\n" * 20


def collect(tree: Path) -> dict:
    result = run_sitegen("collect", "--only", "todos", cwd=tree)
    assert result.returncode == 0, result.stderr
    assert "Latin-1" not in result.stderr, result.stderr
    return yaml.safe_load((tree / "content/todos.yaml").read_text(encoding="utf-8"))


def test_binary_files_without_a_nul_byte_are_skipped_and_text_files_are_scanned(tmp_path: Path):
    assert b"\0" not in PDF
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/report.pdf").write_bytes(PDF)
    (tmp_path / "docs/LOGO.PNG").write_bytes(b"# TODO: x\n\xff\xfe not UTF-8\n")  # upper case, no PNG header
    (tmp_path / "notes").write_bytes(PDF)  # no extension: its first bytes tell
    (tmp_path / "scan.txt").write_bytes(PDF)  # a text extension, a PDF all the same
    (tmp_path / "README.txt").write_text("# TODO: keep scanning text files\n", encoding="utf-8")
    (tmp_path / "app.py").write_text("# TODO: keep scanning source\n", encoding="utf-8")
    data = collect(tmp_path)
    assert data["summary"]["skipped"] == {"binary": 4}
    assert data["warnings"] == []
    assert sorted((item["file"], item["text"]) for item in data["items"]) == [
        ("README.txt", "keep scanning text files"), ("app.py", "keep scanning source")]


def test_a_binary_extension_mapped_to_a_syntax_is_read(tmp_path: Path):
    (tmp_path / "sitegen.yaml").write_text("todos:\n  languages: {bin: python}\n", encoding="utf-8")
    (tmp_path / "script.bin").write_text("# TODO: read as Python\n", encoding="utf-8")
    (tmp_path / "blob.db").write_text("# TODO: still binary\n", encoding="utf-8")
    data = collect(tmp_path)
    assert [(item["file"], item["text"]) for item in data["items"]] == [("script.bin", "read as Python")]
    assert data["summary"]["skipped"] == {"binary": 1}


SIGNED = {
    "png": b"\x89PNG\r\n\x1a\n",
    "gif": b"GIF89a",
    "jpeg": b"\xff\xd8\xff\xe0",
    "zip": b"PK\x03\x04",
    "gzip": b"\x1f\x8b\x08",
    "elf": b"\x7fELF",
    "pdf": b"%PDF-1.4",
}


@pytest.mark.parametrize("kind", sorted(SIGNED))
def test_first_bytes_mark_a_file_as_binary_whatever_its_name(tmp_path: Path, kind):
    path = tmp_path / "data.txt"
    path.write_bytes(SIGNED[kind] + b"\n# TODO: not a marker\n")
    scan = todos.scan_file(todos.settings(TodosConfig()), ("data.txt", str(path)))
    assert (scan.skipped, scan.todos, scan.notice) == ("binary", [], None)


@pytest.mark.parametrize("name", ["photo.JPG", "font.Woff2", "lib.so", "App.class", "archive.tar.gz", "x.pyc",
                                  "deck.pptx", "clip.mp4", "data.sqlite"])
def test_binary_extensions_are_not_read(name):
    # The path does not exist: a file skipped by its name is never opened.
    scan = todos.scan_file(todos.settings(TodosConfig()), (name, "/nonexistent/" + name))
    assert scan.skipped == "binary"


@pytest.mark.parametrize("name", ["app.py", "notes.txt", "README", ".png", "x.pdf.py", "Makefile", "data.json"])
def test_text_names_are_read(tmp_path: Path, name):
    path = tmp_path / "file"
    path.write_text("# TODO: found\n", encoding="utf-8")
    scan = todos.scan_file(todos.settings(TodosConfig()), (name, str(path)))
    assert scan.skipped != "binary"
