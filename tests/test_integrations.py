"""The GitHub Action (action.yml) and the pre-commit hook (.pre-commit-hooks.yaml)
run sitegen commands that exist, with options that exist, and take their
inputs through the environment (never pasted into a script)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from sitegen.cli import cli

REPO = Path(__file__).parent.parent


def _accepted(command: list[str]) -> bool:
    """Whether `sitegen …` names a subcommand and only options it has."""
    assert command[0] == "sitegen"
    sub = cli.commands.get(command[1])
    if sub is None:
        return False
    known = {opt for param in sub.params for opt in getattr(param, "opts", [])}
    return all(word in known for word in command[2:] if word.startswith("-"))


def _sitegen_commands(script: str) -> list[list[str]]:
    words = shlex.split(re.sub(r"\$\{(\w+):\+([^}]*)\}", r"\2", script))  # ${X:+--opt "$X"} → --opt "$X"
    starts = [n for n, word in enumerate(words) if word == "sitegen"]
    return [words[start:] for start in starts]


def test_the_action_runs_real_commands_with_its_inputs_in_the_environment():
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    scripts = [step["run"] for step in action["runs"]["steps"] if "run" in step]
    commands = [command for script in scripts for command in _sitegen_commands(script)]
    assert [command[1] for command in commands] == ["build", "check"]
    assert all(_accepted(command) for command in commands), commands
    for script in scripts:
        assert "${{" not in script, script  # inputs only through env:
    assert "sitegen-health" in scripts[0]


def test_the_pre_commit_hook_runs_the_gate():
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "sitegen-check")
    assert _accepted(shlex.split(hook["entry"])) and hook["entry"].split()[1] == "check"
    assert hook["pass_filenames"] is False and hook["language"] == "python"
