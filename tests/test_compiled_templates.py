"""Compiled templates are reused within one process (sitegen/site/environment.py:
CompiledTemplates) but never stale: a template edited between two builds of
one process, as under `sitegen serve`, renders as edited."""

from __future__ import annotations

from pathlib import Path

from sitegen.config import load_config
from sitegen.site.render import Renderer


def _robots(root: Path) -> str:
    renderer = Renderer(load_config(root / "sitegen.yaml"))
    renderer.compile_all()
    return renderer.render("robots.txt", "robots.txt", {})


def test_an_edited_template_renders_as_edited_in_the_same_process(tmp_path: Path):
    (tmp_path / "sitegen.yaml").write_text("theme: mine\n", encoding="utf-8")
    templates = tmp_path / "mine/templates"
    templates.mkdir(parents=True)
    robots = templates / "robots.txt"
    robots.write_text("User-agent: *\nDisallow: /first\n", encoding="utf-8")
    assert "Disallow: /first" in _robots(tmp_path)
    robots.write_text("User-agent: *\nDisallow: /second\n", encoding="utf-8")
    assert "Disallow: /second" in _robots(tmp_path)
    robots.unlink()  # the bundled template again
    assert "Allow: /" in _robots(tmp_path) and "Disallow" not in _robots(tmp_path)


# --- escaping: the templates' outputs, as markupsafe escapes them -----------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from markupsafe import Markup, escape  # noqa: E402

from sitegen.site.environment import escape_text  # noqa: E402


class _Html:
    def __html__(self) -> str:
        return "<b>already safe</b>"


@given(st.one_of(st.text(), st.text(alphabet="&<>'\"a "), st.integers(), st.booleans(), st.none(),
                 st.floats(allow_nan=False), st.text().map(Markup), st.just(_Html())))
def test_an_output_is_escaped_as_markupsafe_escapes_it(value):
    assert escape_text(value) == str(escape(value))


def test_a_theme_template_escapes_each_output_with_it():
    """The bundled theme and a user's templates are compiled to call escape_text
    (a Jinja whose code generator no longer asks sitegen's would still escape
    with markupsafe, only slower: this says so), and render what markupsafe gives."""
    env = Renderer(load_config(None)).env
    source = "{{ text }} {{ number }} {{ safe }}{% for x in items %}[{{ x }}]{% endfor %}"
    assert "environment.escape_text(" in env.compile(source, raw=True)
    context = {"text": "<a href='x'>&\"</a>", "number": 7, "safe": Markup("<i>kept</i>"), "items": ["<", 1]}
    expected = "&lt;a href=&#39;x&#39;&gt;&amp;&#34;&lt;/a&gt; 7 <i>kept</i>[&lt;][1]"
    assert env.from_string(source).render(context) == expected
    # An {% autoescape %} block decides at run time, with Jinja's own code.
    assert env.from_string("{% autoescape false %}{{ text }}{% endautoescape %}").render(text="<b>") == "<b>"
