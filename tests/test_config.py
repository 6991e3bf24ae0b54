from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.config import load_config
from sitegen.errors import SitegenError
from sitegen.init import STARTER_CONFIG


def config_error(tmp_path: Path, text: str) -> str:
    path = tmp_path / "sitegen.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SitegenError) as caught:
        load_config(path)
    return str(caught.value).replace(str(tmp_path) + "/", "")


@pytest.mark.parametrize(("text", "message"), [
    ("title: x\ntitel: y\n", "sitegen.yaml:2: unknown key 'titel'; did you mean 'title'?"),
    ("title: 3\n", "sitegen.yaml:1: 'title' must be a string, not a number"),
    ("checklists:\n  paths: TODO.md\n",
     "sitegen.yaml:2: 'checklists.paths' must be a list of glob patterns (strings), not a string"),
    ("checklists:\n  pats: []\n", "sitegen.yaml:2: unknown key 'checklists.pats'; did you mean 'checklists.paths'?"),
    ("checklists: [a]\n", "sitegen.yaml:1: 'checklists' must be a mapping, not a list"),
    ("theme: fancy\n", "sitegen.yaml:1: theme 'fancy' is neither a bundled theme (default) nor a folder"),
    ("title: a\ntitle: b\n", "sitegen.yaml:2: invalid YAML: duplicate key 'title'"),
    ("title: [unclosed\n", "sitegen.yaml:2: invalid YAML: expected ',' or ']', but got '<stream end>'"),
])
def test_bad_config_names_file_line_and_key(tmp_path, text, message):
    assert config_error(tmp_path, text) == message


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = load_config(None)
    assert (config.title, config.output_dir, config.checklists.paths) == (
        "Project health", tmp_path / "public", ("**/TODO.md", "**/TASKS.md", "**/ROADMAP.md"),
    )


def test_starter_config_is_valid_and_equals_the_defaults(tmp_path):
    (tmp_path / "sitegen.yaml").write_text(STARTER_CONFIG, encoding="utf-8")
    loaded = load_config(tmp_path / "sitegen.yaml")
    defaults = load_config(None)
    for key in ("title", "root", "content", "output", "base_url", "theme", "checklists"):
        assert getattr(loaded, key) == getattr(defaults, key), key


def test_paths_are_relative_to_the_config_file(tmp_path):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf/sitegen.yaml").write_text("root: ..\noutput: ../site\n")
    config = load_config(tmp_path / "conf/sitegen.yaml")
    assert (config.root_dir, config.output_dir) == (tmp_path, tmp_path / "site")
