"""The comment-aware scanner: markers count in comments only, at their start."""

from __future__ import annotations

import time

import pytest

from sitegen.collectors import lexers, markers

TAGS = markers.matcher(markers.DEFAULT_TAGS)


def scan(name: str, text: str) -> list[tuple[str, int, str]]:
    syntax = lexers.syntax_for(name, text.partition("\n")[0], text=text)
    return [(m.tag, m.line, m.text) for m in markers.find(lexers.comments(text, syntax), TAGS)]


# A marker-like text inside a string literal, then one real marker, per language.
STRINGS = {
    "a.py": 's = "# TODO: no"\nr = r"# FIXME no"\nf = f"{x} # TODO no"\nt = """\n# TODO: no\n"""\n# TODO: yes\n',
    "a.js": 'const a = "// TODO no";\nconst t = `\n// FIXME no ${x}\n`;\nconst r = /\\/\\/ TODO no/g;\nx = a / b; // TODO: yes\n',
    "a.ts": "let s = '/* TODO no */';\n/* TODO: yes */\n",
    "a.go": 'var s = `\n// TODO no\n`\n// TODO: yes\n',
    "a.rs": "let s = r#\"// TODO no \"quoted\"\"#;\nlet c = '\"'; // TODO: yes\nfn f<'a>(x: &'a str) {} // FIXME: also yes\n",
    "a.sql": "SELECT '-- TODO no', 'it''s -- FIXME no' FROM t; -- TODO: yes\n",
    "a.c": 'char *s = "/* TODO no */"; char c = \'"\';\n// TODO: yes\n',
    "a.java": 'String s = """\n  // TODO no\n  """;\n// TODO: yes\n',
    "a.rb": 'puts "# TODO no #{x}"\n# TODO: yes\n',
    "a.sh": "echo '# TODO no' \"# FIXME no\" ${#arr} $#\n# TODO: yes\n",
    "a.php": "<?php\n$s = '// TODO no';\n# TODO: yes\n",
    "a.lua": 's = [[\n-- TODO no\n]]\n-- TODO: yes\n',
}


@pytest.mark.parametrize("name", sorted(STRINGS))
def test_markers_inside_strings_never_count(name):
    found = scan(name, STRINGS[name])
    assert found and all("yes" in text for _, _, text in found), found


def test_markdown_code_hides_comment_syntax():
    text = (
        "Write `<!-- TODO x -->` to leave a note.\n\n```html\n<!-- FIXME: in a fence -->\n```\n\n"
        "<!-- TODO: a real one -->\n"
    )
    assert scan("README.md", text) == [("TODO", 7, "a real one")]


def test_rust_lifetimes_and_nested_block_comments():
    text = "fn f<'a>(x: &'a str) {}\n/* outer /* inner */ TODO: still a comment */\n// TODO: after\n"
    assert scan("a.rs", text) == [("TODO", 3, "after")]


def test_identifiers_words_and_urls_are_not_markers():
    text = (
        "# Todoist API\n# TODO_PATH is a constant\n# XXXX-XXXX is a format\n"
        "# see https://example.org/#TODO\n# the TODO list\n# bug in the parser\n"
        "TODO = 1\nx = TODO_PATH  # uses TODO\n# context.TODO() is Go's\n"
        "# TODO.md lists the plan\n# XXX, TODO and FIXME are tags\n# TODO-list view\n"
    )
    assert scan("a.py", text) == []


def test_punctuation_and_qualifiers_real_code_puts_after_a_tag():
    # Shapes seen in numpy, scipy, sympy and Beautiful Soup, rewritten.
    text = (
        "# Fixme, the cache is never cleared\n\n"
        "# TODO. Look into the rounding here\n\n"
        "# FIXME?\n\n"
        "# TODO-TYPING: the stub says str, the code returns bytes\n\n"
        "x = 1  # XXX, TODO and FIXME are tags\n"
    )
    assert scan("a.py", text) == [
        ("FIXME", 1, "the cache is never cleared"), ("TODO", 3, "Look into the rounding here"),
        ("FIXME", 5, "?"), ("TODO", 7, "TYPING: the stub says str, the code returns bytes"),
    ]


def test_a_heading_between_rules_is_not_a_marker():
    text = "# --- TODO comments ------------------\n# ==== HACK ====\nx = 1\n# TODO: -- really one --\n"
    assert scan("a.py", text) == [("TODO", 4, "-- really one --")]


def test_a_commented_line_in_a_docstrings_body_is_a_marker():
    text = 'def f():\n    """Sum the terms.\n\n    # TODO: complete the docstring\n    """\n\n"""# TODO as a summary"""\n'
    assert scan("a.py", text) == [("TODO", 4, "complete the docstring")]


def test_tag_must_start_the_comment_but_decoration_is_fine():
    text = "/**\n * @todo document this\n */\n//! FIXME: crate doc\n/// TODO(alice): doc comment\n"
    assert scan("a.rs", text) == [
        ("TODO", 2, "document this"), ("FIXME", 4, "crate doc"), ("TODO", 5, "doc comment"),
    ]


def test_author_refs_and_multiline_text():
    text = (
        "# TODO(alice): PAN-83 decrypt here\n"
        "#   and re-encrypt, see #123\n"
        "#\n"
        "# FIXME @bob: https://example.org/x fails\n"
        "# TODO: trailing author /carol\n"
        "x = 1  # HACK: trailing comments do not continue\n"
        "# into the next line\n"
    )
    syntax = lexers.syntax_for("a.py")
    found = markers.find(lexers.comments(text, syntax), TAGS)
    assert [(m.tag, m.line, m.author, m.refs, m.text) for m in found] == [
        ("TODO", 1, "alice", ["PAN-83", "#123"], "PAN-83 decrypt here\nand re-encrypt, see #123"),
        ("FIXME", 4, "bob", ["https://example.org/x"], "https://example.org/x fails"),
        ("TODO", 5, "carol", [], "trailing author"),
        ("HACK", 6, None, [], "trailing comments do not continue"),
    ]


def test_a_url_ref_ends_before_the_punctuation_that_follows_it():
    text = "# TODO: a hack due to https://github.com/o/r/issues/5820, see also https://x.org/a.b.\n"
    (found,) = markers.find(lexers.comments(text, lexers.syntax_for("a.py")), TAGS)
    assert found.refs == ["https://github.com/o/r/issues/5820", "https://x.org/a.b"]


def test_crlf_bom_and_latin1_text():
    assert scan("a.py", "# TODO: crlf\r\nx = 1\r\n# FIXME: two\r\n") == [("TODO", 1, "crlf"), ("FIXME", 3, "two")]
    assert scan("a.js", "\ufeff// TODO: after a BOM\n") == [("TODO", 1, "after a BOM")]
    latin1 = "# TODO: café crème\n".encode("latin-1").decode("latin-1")
    assert scan("a.py", latin1) == [("TODO", 1, "café crème")]


def test_a_megabyte_minified_line_is_scanned_quickly_and_correctly():
    line = "var a=" + "+".join(f'"s{i}"' for i in range(120_000)) + ";/* TODO: found */\n"
    assert len(line) > 1_000_000
    started = time.perf_counter()
    assert scan("app.min.js", line) == [("TODO", 1, "found")]
    assert time.perf_counter() - started < 5  # no quadratic blow-up


def test_html_script_and_style_blocks_are_lexed_as_their_language():
    text = (
        "<!-- TODO: template -->\n<p>// TODO not a comment in HTML</p>\n"
        "<script>\nconst s = '<!-- TODO no -->'; // FIXME: script\n</script>\n"
        '<style lang="scss">\n// TODO: style\n</style>\n'
    )
    assert scan("a.vue", text) == [("TODO", 1, "template"), ("FIXME", 4, "script"), ("TODO", 7, "style")]


def test_extensionless_files_by_shebang_and_unknown_extensions_fall_back():
    assert lexers.syntax_for("bin/tool", "#!/usr/bin/env python3").name == "python"
    assert lexers.syntax_for("run", "#!/bin/bash").name == "shell"
    assert lexers.syntax_for("README", "plain text") is None
    assert lexers.syntax_for("x.weird").name == "generic"
    assert lexers.syntax_for("x.weird", extra={"weird": "lua"}).name == "lua"
    assert lexers.syntax_for("Makefile").name == "hash"


def test_peer_fixtures_score_full_recall_without_false_positives():
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    peers = repo.parent / "shared" / "peer-fixtures"
    if not peers.is_dir():
        pytest.skip("../shared/peer-fixtures is not beside this checkout")
    result = subprocess.run([sys.executable, str(repo / "bench/score_peers.py"), "--peer-fixtures", str(peers)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout
    assert "leasot: recall 181/181 = 100.0%, false positives 0" in result.stdout
    assert "pylint fixme: recall 24/24 = 100.0%, false positives 0" in result.stdout


def test_walk_is_safe_with_symlink_loops_and_counts_what_it_skips(tmp_path):
    from sitegen.walk import WalkSummary, walk

    (tmp_path / "src/sub").mkdir(parents=True)
    (tmp_path / "src/a.py").write_text("# TODO: a\n")
    (tmp_path / "src/sub/loop").symlink_to(tmp_path / "src")  # a folder that contains itself
    (tmp_path / "src/link.py").symlink_to(tmp_path / "src/a.py")  # a symlinked file is read
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor/v.py").write_text("# TODO: vendored\n")
    summary = WalkSummary()
    files = [rel for rel, _ in walk(tmp_path, summary=summary, skip_vendored=True)]
    assert files == ["src/a.py", "src/link.py"]
    assert summary.skipped == {"symlinked folder": 1, "vendored or generated folder": 1}


def test_one_language_table_serves_the_scan_and_file_references():
    from sitegen.collectors import inline_meta

    extensions = [ext for language in lexers.LANGUAGES for ext in language.extensions.split()]
    assert len(extensions) == len(set(extensions))  # each extension belongs to one language
    names = [name for language in lexers.LANGUAGES for name in language.file_names.split()]
    assert len(names) == len(set(names))
    for language in lexers.LANGUAGES:
        for ext in language.extensions.split():
            assert lexers.syntax_for(f"src/a.{ext}") is language.syntax
            assert inline_meta.file_reference(f"src/a.{ext}") == f"src/a.{ext}"
        for name in language.file_names.split():
            assert lexers.syntax_for(f"deploy/{name}") is language.syntax
            assert inline_meta.file_reference(f"deploy/{name}") == f"deploy/{name}"
        for program in language.shebangs.split():
            assert lexers.syntax_for("bin/tool", f"#!/usr/bin/env {program}") is language.syntax
