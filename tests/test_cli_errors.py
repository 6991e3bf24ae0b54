"""Every error the command line can give, as a user meets it: the exit code,
one or two lines on stderr naming the file (and line) at fault and what to
do, no traceback, no path into sitegen's own installation."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

import pytest

from conftest import run_sitegen


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    says: str
    """What stderr's first line starts with, after `sitegen: error: `."""
    files: dict[str, str | bytes] = field(default_factory=dict)
    exit_code: int = 2


CASES = {
    # the command line
    "unknown option": Case(("build", "--bogus"), "no such option '--bogus'"),
    "misspelled option": Case(("build", "--no-colect"), "no such option '--no-colect'. Did you mean '--no-collect'?"),
    "unknown command": Case(("biuld",), "no such command 'biuld'"),
    "bad --only": Case(("collect", "--only", "tasks"), "invalid value for '--only'"),
    "option without its value": Case(("build", "-o"), "option '-o' requires an argument"),
    "config is a folder": Case(("-c", "app", "build"), "invalid value for '-c' / '--config': File 'app' is a directory"),
    "config not found": Case(("-c", "nope.yaml", "build"), "nope.yaml: config file not found; check the path"),
    "init into a file": Case(("init", "TODO.md"), "invalid value for '[DIRECTORY]': Directory 'TODO.md' is a file"),
    "init over a config": Case(("init",), "sitegen.yaml exists already; `sitegen init --force` overwrites it",
                               {"sitegen.yaml": "title: x\n"}),
    # sitegen.yaml
    "unknown key": Case(("build",), "sitegen.yaml:2: unknown key 'cheklists'; did you mean 'checklists'?",
                        {"sitegen.yaml": "title: x\ncheklists: {}\n"}),
    "unknown nested key": Case(("build",), "sitegen.yaml:2: unknown key 'todos.exlude'; did you mean 'todos.exclude'?",
                               {"sitegen.yaml": "todos:\n  exlude: []\n"}),
    "wrong type": Case(("build",), "sitegen.yaml:1: 'title' must be a string, not a list",
                       {"sitegen.yaml": "title: [a, b]\n"}),
    "section not a mapping": Case(("build",), "sitegen.yaml:1: 'todos' must be a mapping, not a number",
                                  {"sitegen.yaml": "todos: 3\n"}),
    "bad value": Case(("build",), "sitegen.yaml:1: 'follow_symlinks' must be one of",
                      {"sitegen.yaml": "follow_symlinks: sometimes\n"}),
    "bad priority": Case(("build",), "sitegen.yaml:3: 'todos.tags' gives TODO the priority 'P9'; use P1, P2, P3 or P4",
                         {"sitegen.yaml": "todos:\n  tags:\n    TODO: P9\n"}),
    "bad regex": Case(("build",), "sitegen.yaml:2: 'todos.categories' rule 'x': '(' is not a valid regex",
                      {"sitegen.yaml": "todos:\n  categories: [{name: x, match: ['(']}]\n"}),
    "bad base_url": Case(("build",), "sitegen.yaml:1: 'base_url' must be an absolute http(s) URL",
                         {"sitegen.yaml": "base_url: example.org\n"}),
    "unknown theme": Case(("build",), "sitegen.yaml:1: theme 'fancy' is neither a bundled theme",
                          {"sitegen.yaml": "theme: fancy\n"}),
    "YAML syntax error": Case(("build",), "sitegen.yaml:2: invalid YAML", {"sitegen.yaml": "title: [x\n"}),
    "not a mapping": Case(("build",), "sitegen.yaml:1: the config must be a mapping of keys, not a list",
                          {"sitegen.yaml": "- a\n"}),
    "not UTF-8": Case(("build",), "sitegen.yaml:1: the config must be UTF-8 text", {"sitegen.yaml": b"title: \xff\n"}),
    "missing root": Case(("build",), "sitegen.yaml:2: root './nope' is not a folder; set it to the source tree",
                         {"sitegen.yaml": "title: x\nroot: ./nope\n"}),
    "root is a file": Case(("collect",), "sitegen.yaml:1: root 'TODO.md' is not a folder",
                           {"sitegen.yaml": "root: TODO.md\n"}),
    "bad source_url placeholder": Case(
        ("build",), "sitegen.yaml:1: 'source_url' may use only the placeholders {revision}, {path} and {line}, "
                    "not {rev}; e.g. https://github.com/OWNER/REPO/blob/{revision}/{path}#L{line}",
        {"sitegen.yaml": "source_url: 'https://example.org/{rev}/{path}'\n"}),
    "broken source_url template": Case(("build",), "sitegen.yaml:1: 'source_url' is not a valid template",
                                       {"sitegen.yaml": "source_url: 'https://example.org/{path'\n"}),
    # the content folder
    "no content for --no-collect": Case(("build", "--no-collect"), "content/checklists.yaml: not collected yet; "
                                        "run `sitegen collect` first, or build without --no-collect"),
    "triage entry not a mapping": Case(("build",), "content/triage.yaml:1: the entry for 'ck-0123456789'",
                                       {"content/triage.yaml": "ck-0123456789: [1]\n"}),
    "triage bad priority": Case(("build",), "content/triage.yaml:2: priority of 'ck-0123456789' must be one of",
                                {"content/triage.yaml": "ck-0123456789:\n  priority: urgent\n"}),
    "triage YAML syntax error": Case(("build",), "content/triage.yaml:2: invalid YAML",
                                     {"content/triage.yaml": "ck-1: {priority: P1\n"}),
    # the output folder
    "output is /": Case(("build", "-o", "/"), "/: refusing to build the site here: it holds the source tree"),
    "output is the root": Case(("build", "-o", "."), ".: refusing to build the site here: it is the source tree"),
    "output is a file": Case(("build", "-o", "TODO.md"), "invalid value for '-o' / '--output': Directory 'TODO.md' "
                                                           "is a file"),
    "configured output is a file": Case(("build",), "TODO.md: in the way of the site: not a folder sitegen made",
                                        {"sitegen.yaml": "output: TODO.md\n"}),
    "output holds other files": Case(("build", "-o", "app"), "app: refusing to build the site here: it holds 1 "
                                                               "file(s) that sitegen did not make"),
    # --strict (exit 1): the warning, then the error
    "strict with a warning": Case(("build", "--strict"), "--strict: 1 warning(s); the site was not rebuilt",
                                  {"content/triage.yaml": "ck-0123456789:\n  priority: P1\n"}, exit_code=1),
}


@pytest.fixture
def repo(tmp_path):
    (tmp_path / ".git").mkdir()  # the top of a repository: no config above it is found
    (tmp_path / "app").mkdir()
    (tmp_path / "TODO.md").write_text("# Tasks\n- [ ] first\n")
    (tmp_path / "app/TASKS.md").write_text("- [ ] one\n")
    return tmp_path


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_every_error_is_one_line_that_says_what_to_do(repo, case):
    for name, text in case.files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(text if isinstance(text, bytes) else text.encode())
    result = run_sitegen(*case.args, cwd=repo)
    lines = result.stderr.splitlines()
    assert result.returncode == case.exit_code, result.stderr
    assert 1 <= len(lines) <= 2, result.stderr
    assert lines[-1].startswith("sitegen: error: " + case.says), result.stderr
    for leak in ("Traceback", "site-packages", sys.prefix, "sitegen/"):
        assert leak not in result.stderr
    assert not (repo / "public").exists() and not (repo / ".public.building").exists()


def test_the_table_covers_every_kind_of_input():
    assert len(CASES) >= 30
