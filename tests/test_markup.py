"""Untrusted Markdown → safe inline HTML."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import examples
from sitegen.site.markup import _simple_html, inline_html, markdown_it_html

# Characters that matter to the fast path's decisions, plus ordinary text.
ALPHABET = st.sampled_from(list("ab1Z *`_()[].,:;!?-\"'<>&\\#\n\t") + ["**", "é", "😀"])


@settings(max_examples=examples(3000), deadline=None)
@given(st.lists(ALPHABET, max_size=24).map("".join))
@example("**Run migration** - apply `migrations/001_init.sql`")
@example("a**b**c")
@example("**a**b")
@example('**"x"**')
@example("`a b` **c (d)**.")
@example("` a `")
@example("**a (3)** - b")
@example("**a)**.")
@example("**a)**b")
@example("x **(a)** y")
def test_fast_path_equals_markdown_it(text):
    fast = _simple_html(text.strip())
    if fast is not None:
        assert fast == markdown_it_html(text.strip())


# Links, well-formed or nearly, between runs of the characters above.
LINK_TEXT = st.lists(st.sampled_from(list("ab1 Z()!.-\"'é*`_[]")), max_size=8).map("".join)
URL = st.tuples(st.sampled_from(["https://", "http://", "ftp://", "", "https:/"]),
                st.lists(st.sampled_from(list("aZ9./_~:?#=+-%&()<> é")), max_size=10).map("".join)).map("".join)
LINK = st.tuples(st.sampled_from(["[", "![", "\\[", "]["]), LINK_TEXT, st.sampled_from(["](", "] (", "]("]),
                 URL, st.sampled_from([")", ' "t")', "", "))"])).map("".join)
PLAIN_LINK = st.from_regex(r"!?\[[A-Za-z0-9 .()'\"!*-]{0,6}\]\(https?://[A-Za-z0-9./_~:?#=+%&-]{0,8}\)", fullmatch=True)
LINK_TEXTS = st.lists(st.one_of(PLAIN_LINK, PLAIN_LINK, LINK, ALPHABET), max_size=5).map("".join)


@settings(max_examples=examples(3000), deadline=None)
@given(LINK_TEXTS)
@example("Refactor upload handler (6) (see [runbook](https://example.org/runbook))")
@example("[a](https://x.org)[b](https://y.org)")
@example("`[a](https://x.org)` and [b](https://y.org)")
@example("![a](https://x.org)")
@example("[0](http://0)[0](http://0::)")  # markdown-it normalises the URL: not for the fast path
@example("**b** [a](https://x.org/a_b?q=1#f) `c`")
def test_fast_path_for_links_equals_markdown_it(text):
    fast = _simple_html(text.strip())
    if fast is not None:
        assert fast == markdown_it_html(text.strip())


def test_common_task_texts_take_the_fast_path():
    for text in ["Fix the login bug", "**Bold** - update `src/app.py` now", "Use `x` and **y**.",
                 "Refactor upload handler (see [runbook](https://example.org/runbook))"]:
        assert _simple_html(text) is not None, text


def test_html_is_escaped_and_javascript_links_are_not_links():
    assert inline_html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert inline_html('"><img src=x onerror=alert(1)>') == "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
    assert "href" not in inline_html("[j](javascript:alert(1))")


def test_external_links_kept_relative_links_become_text_images_are_not_loaded():
    assert inline_html("[docs](https://example.org/d)") == (
        '<a href="https://example.org/d" rel="noopener noreferrer">docs</a>')
    assert inline_html("[plan](../PLAN.md)") == '<span class="link-text" title="../PLAN.md">plan</span>'
    assert "<img" not in inline_html("![x](https://example.org/x.png)")
