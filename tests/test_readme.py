"""The README's getting-started steps and deploy recipes, tested as far as
this machine allows: each recipe parses, installs `sitegen-health`, and its
`sitegen` commands, run on a small repository, leave the site where the
recipe publishes it from."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml

from conftest import run_sitegen

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
_BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)


def _recipes() -> dict[str, str]:
    """The fenced blocks that start with a comment naming the file they are."""
    return {match[2].split("\n", 1)[0][2:]: match[2] for match in _BLOCK.finditer(README)
            if match[2].startswith("# ")}


def _sitegen_commands(lines: list[str]) -> list[list[str]]:
    """The `sitegen …` invocations in shell lines (`a && b` is two)."""
    words = [shlex.split(part) for line in lines for part in line.split("&&")]
    return [w[1:] for w in words if w and w[0] == "sitegen"]


def _github_pages(text: str) -> tuple[list[str], str]:
    jobs = yaml.safe_load(text)["jobs"]
    steps = jobs["build"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert any(s.get("uses", "").startswith("actions/deploy-pages") for s in jobs["deploy"]["steps"])
    return [s["run"] for s in steps if "run" in s], upload["with"]["path"]


def _gitlab_pages(text: str) -> tuple[list[str], str]:
    job = yaml.safe_load(text)["pages"]  # GitLab publishes the job of this name
    (published,) = job["artifacts"]["paths"]
    return job["script"], published


def _netlify(text: str) -> tuple[list[str], str]:
    build = tomllib.loads(text)["build"]
    return [build["command"]], build["publish"]


RECIPES = {".github/workflows/health.yml": _github_pages, ".gitlab-ci.yml": _gitlab_pages,
           "netlify.toml": _netlify}


def test_the_readme_has_every_recipe():
    assert set(_recipes()) == set(RECIPES)


@pytest.mark.parametrize("name", RECIPES)
def test_a_recipe_installs_sitegen_health_and_publishes_its_site(name, tmp_path):
    commands, published = RECIPES[name](_recipes()[name])
    assert any("pip install sitegen-health" in command for command in commands)
    (tmp_path / ".git").mkdir()
    (tmp_path / "TODO.md").write_text("# Launch\n- [ ] first\n")
    invocations = _sitegen_commands(commands)
    assert invocations
    for args in invocations:
        result = run_sitegen(*args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / published / "index.html").is_file()


def test_getting_started_works_as_written(tmp_path):
    section = README[README.index("## Getting started"):README.index("**5. Deploy.**")]
    lines = [line.split("#")[0].strip() for match in _BLOCK.finditer(section) if match[1] == "sh"
             for line in match[2].splitlines()]
    assert "pip install sitegen-health" in lines
    (tmp_path / ".git").mkdir()
    (tmp_path / "TODO.md").write_text("- [ ] first\n")
    for args in _sitegen_commands(lines):
        assert run_sitegen(*args, cwd=tmp_path).returncode == 0
    assert (tmp_path / "sitegen.yaml").is_file() and (tmp_path / "public/index.html").is_file()


def test_every_install_command_names_sitegen_health():
    installs = [line for match in _BLOCK.finditer(README) for line in match[2].splitlines()
                if "pip install" in line]
    assert installs and all("pip install sitegen-health" in line for line in installs)
