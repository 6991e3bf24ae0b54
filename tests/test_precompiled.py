"""The bundled theme's templates ship compiled (themes/default/precompiled.json,
sitegen/site/precompiled.py): the file is what the templates compile to, a
build in a fresh process compiles none of them and makes the same site as
one that compiles them all, and a template whose text differs from the one
the code was made of, code made by another generator and a damaged entry
are all left for Jinja to compile."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import run_sitegen, tree_bytes

from sitegen.config import Config
from sitegen.site import environment, precompiled
from sitegen.site.environment import bundled_generator_key, compile_raw

REPO = Path(__file__).resolve().parent.parent
THEME = REPO / "themes/default"
SHIPPED = json.loads((THEME / precompiled.FILE_NAME).read_text(encoding="utf-8"))
JINJA = version("jinja2")
for_this_jinja = pytest.mark.skipif(
    SHIPPED["jinja"] != JINJA,
    reason=f"the shipped code was made with Jinja {SHIPPED['jinja']}, and {JINJA} is installed (builds compile "
           "the templates, as they would without it): run scripts/precompile-theme")

# Builds `root` into `output` in a fresh process and prints how many templates
# Jinja parsed and generated code for; with "fresh", the shipped code is ignored.
_BUILD = """
import json
import sys
from pathlib import Path
import jinja2
from sitegen import pipeline
from sitegen.config import Config
from sitegen.site import precompiled
generated = []
original = jinja2.Environment._generate
def counted(self, source, name, filename, defer_init=False):
    generated.append(name)
    return original(self, source, name, filename, defer_init)
jinja2.Environment._generate = counted
if sys.argv[3] == "fresh":
    precompiled.shipped = lambda theme, key: {}
pipeline.build(Config(base_dir=Path(sys.argv[1])), out_dir=Path(sys.argv[2]))
print(json.dumps(sorted(set(generated))))
"""


def test_the_shipped_file_holds_every_template_as_it_is_now():
    """Whichever Jinja is installed: a template edited since the file was made is caught."""
    now = {name: precompiled.source_hash(source)
           for name, source in precompiled.template_sources(THEME).items()}
    assert {name: entry[0] for name, entry in SHIPPED["templates"].items()} == now, (
        "the default theme's templates changed: run scripts/precompile-theme")


@for_this_jinja
def test_the_shipped_file_is_what_the_templates_compile_to():
    shipped = (THEME / precompiled.FILE_NAME).read_text(encoding="utf-8")
    now = precompiled.made(THEME, compile_raw, bundled_generator_key(), JINJA)
    assert shipped == now, "sitegen's environment or Jinja changed: run scripts/precompile-theme"


def _build(root: Path, output: Path, mode: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", _BUILD, str(root), str(output), mode],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


@for_this_jinja
def test_a_build_compiles_no_bundled_template_and_makes_the_site_compiling_them_would(tmp_path):
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src/app.py").write_text("def f():\n    return 1  # TODO(ann): a page for each file\n")
    (root / "TASKS.md").write_text("# Plan\n\n## Phase 1: start\n\n- [ ] P1 write it\n- [x] test it\n")
    (root / "AUDIT.md").write_text("# Audit\n\n## High\n\n- High: tokens in logs in `src/app.py:2`\n")
    assert _build(root, tmp_path / "shipped", "shipped") == []
    compiled = _build(root, tmp_path / "fresh", "fresh")
    assert "base.html" in compiled and "checklists/document.html" in compiled
    assert tree_bytes(tmp_path / "shipped") == tree_bytes(tmp_path / "fresh")


def test_code_made_by_another_generator_is_not_used(tmp_path):
    theme = tmp_path / "theme"
    (theme / "templates").mkdir(parents=True)
    (theme / "templates/page.html").write_text("{{ x }}\n")
    (theme / precompiled.FILE_NAME).write_text(precompiled.made(theme, compile_raw, "other", "0"))
    assert precompiled.shipped(theme, "other")["page.html"][0] == precompiled.source_hash("{{ x }}\n")
    assert precompiled.shipped(theme, bundled_generator_key()) == {}
    (theme / precompiled.FILE_NAME).write_text("{not json")
    assert precompiled.shipped(tmp_path / "theme", "another") == {}


def test_a_template_whose_text_differs_is_compiled_from_its_own(project):
    (project / "mytheme/templates").mkdir(parents=True)
    base = (THEME / "templates/base.html").read_text(encoding="utf-8")
    assert "</body>" in base
    (project / "mytheme/templates/base.html").write_text(base.replace("</body>", "<p>overridden</p></body>"))
    (project / "sitegen.yaml").write_text("theme: mytheme\n")
    assert run_sitegen("build", cwd=project).returncode == 0
    assert "<p>overridden</p>" in (project / "public/index.html").read_text(encoding="utf-8")


def test_a_damaged_entry_is_compiled_from_the_template(monkeypatch):
    source = (THEME / "templates/404.html").read_text(encoding="utf-8")
    damaged = {"404.html": [precompiled.source_hash(source), "name = '404.html'\n"]}  # no root, no blocks
    monkeypatch.setattr(precompiled, "shipped", lambda theme, key: damaged)
    monkeypatch.setattr(environment, "_COMPILED", environment.CompiledTemplates())
    env = environment.make_environment(Config(base_dir=THEME),
                                       {"style.css": "s.css", "favicon.svg": "f.svg", "pygments.css": "p.css"})
    assert env.get_template("404.html").root_render_func.__name__ == "root"  # Jinja's own code, not the entry's
    assert precompiled.compiled("name = 'x'\n", "x") is None
    assert precompiled.compiled("\ndef root(:\nblocks = {}\n", "x") is None  # not Python
