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
