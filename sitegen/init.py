"""`sitegen init`: a sitegen.yaml that names every key with its default and a
one-line comment, set to what the repository already has (checklists,
reports, tool output, where its source is hosted), and the lines that keep
what sitegen writes out of git."""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from sitegen.cache import CACHE_DIR
from sitegen.config import CONFIG_NAME, DEFAULT_SEVERITY_PRIORITIES, ChecklistsConfig, Config, FindingsConfig
from sitegen.content import content_path
from sitegen.errors import SitegenError, shown
from sitegen.files import NotRead, read_start
from sitegen.pipeline import KINDS
from sitegen.walk import SourceTree, glob_spec

HEADER = """\
# sitegen.yaml: how `sitegen build` makes this repository's health report.
# Every key is optional: those below are set to the defaults, or to what
# `sitegen init` found here. Paths are relative to this file.
# Reference: https://pypi.org/project/sitegen-health/ (pip install sitegen-health)
"""

STARTER_TRIAGE = """\
# triage.yaml: hand-written overrides, by item id (shown on each item's
# permalink). sitegen reads this file and never rewrites it.
#
# ck-1a2b3c4d5e:
#   priority: P1          # P1 (critical) … P4 (low)
#   owner: alice
#   status: accepted      # open, accepted, in-progress, blocked, wontfix, done
#   notes: Waiting for the vendor's fix.
#   issue: https://example.org/issues/12
"""


# --- the config file -----------------------------------------------------------

def _flow(value: Any) -> str:
    """A value as YAML on one line."""
    return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, allow_unicode=True,
                          width=1 << 16).strip().removesuffix("\n...").removesuffix("...").strip()


def _key_lines(cls: type, chosen: dict[str, Any], prefix: str = "", indent: str = "") -> list[str]:
    lines: list[str] = []
    for f in fields(cls):
        if "doc" not in f.metadata:
            continue  # not a key (the config's own folder and file)
        if "section" in f.metadata:
            lines += ["", f"{indent}# {f.metadata['doc']}", f"{indent}{f.name}:"]
            lines += _key_lines(f.metadata["section"], chosen, f"{prefix}{f.name}.", indent + "  ")
            continue
        value = chosen.get(prefix + f.name, f.metadata["yaml"])
        lines += [""] if not indent else []
        lines.append(f"{indent}# {f.metadata['doc']}")
        # A key whose default is "unset" is shown commented out, with an example value.
        lines.append(f"{indent}{f.name}: {_flow(value)}" if value is not None else f"{indent}# {f.name}: {_flow(f.metadata['example'])}")
    return lines


def starter_config(chosen: dict[str, Any] | None = None) -> str:
    """sitegen.yaml with every key, each under a one-line comment: its
    default, or the value `chosen` gives its dotted name ("findings.json")."""
    return HEADER + "\n".join(_key_lines(Config, chosen or {})) + "\n"


STARTER_CONFIG = starter_config()


# --- what the repository has ---------------------------------------------------------

# Folders whose Markdown is someone else's data or a form, not the project's own lists.
_NOT_THE_PROJECTS = re.compile(r"(^|/)(\.github|fixtures|testdata|test_data)/|TEMPLATE", re.I)
_TASK = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\[[ xX]\]\s", re.M)
_REPORT_WORDS = re.compile(r"AUDIT|READINESS|REVIEW|ASSESSMENT|PENTEST|FINDINGS|REPORT", re.I)
_MAX_SNIFFED = 10 << 20
MIN_TASKS = 3
"""Task items a Markdown file outside the default checklist names needs to count as a checklist."""


@dataclass
class Found:
    """What `sitegen init` found in the repository, as repo-relative paths."""

    checklists: list[str] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    sarif: list[str] = field(default_factory=list)
    tool_json: list[str] = field(default_factory=list)

    def chosen(self) -> dict[str, Any]:
        """The config values that make sitegen read what was found (the
        defaults, plus each found file they would miss)."""
        chosen = {}
        for key, defaults, found in (("checklists.paths", list(ChecklistsConfig().paths), self.checklists),
                                     ("findings.paths", list(FindingsConfig().paths), self.reports)):
            missed = [path for path in found if not glob_spec(defaults).match_file(path)]
            if missed:
                chosen[key] = defaults + missed
        if self.tool_json:
            chosen["findings.json"] = list(self.tool_json)
        return chosen

    def summary(self) -> list[str]:
        """One line per kind found."""
        kinds = (("checklist document(s)", self.checklists), ("Markdown report(s)", self.reports),
                 ("SARIF file(s)", self.sarif), ("tool JSON report(s)", self.tool_json))
        return [f"found {len(paths)} {name}: {_some(paths)}" for name, paths in kinds if paths]


def _some(paths: list[str], most: int = 4) -> str:
    return ", ".join(paths[:most]) + (f" and {len(paths) - most} more" if len(paths) > most else "")


def _text(path: str) -> str:
    try:
        return read_start(path, _MAX_SNIFFED).decode("utf-8", errors="replace")
    except (OSError, NotRead):
        return ""


def _is_checklist(rel: str, path: str, default_names) -> bool:
    tasks = len(_TASK.findall(_text(path)))
    return tasks >= (1 if default_names.match_file(rel) else MIN_TASKS)


def _is_report(rel: str, path: str) -> bool:
    if not _REPORT_WORDS.search(Path(rel).name):
        return False
    from sitegen.collectors.reports import parse_report  # some 90 patterns: only once a name fits
    return bool(parse_report(_text(path), rel, dict(DEFAULT_SEVERITY_PRIORITIES)).findings())


def _is_tool_json(path: str) -> bool:
    from sitegen.collectors.sarif import FORMATS
    try:
        data = json.loads(_text(path))
    except ValueError:
        return False
    return any(form.sniff(data) for form in FORMATS)


def find_inputs(directory: Path, written_by_sitegen: tuple[Path, ...]) -> Found:
    """Checklists, Markdown reports, SARIF files and tool JSON in the tree
    below `directory`; Markdown as the collectors read it (gitignored files
    left out), tool output also where gitignored, as build output often is."""
    tree = SourceTree(directory.resolve(), written_by_sitegen).listing(read_gitignore=True, walk_ignored=True)
    default_names = glob_spec(ChecklistsConfig().paths)
    found = Found()
    for rel, path in tree.files(skip_vendored=True):
        if not rel.lower().endswith((".md", ".markdown")) or _NOT_THE_PROJECTS.search(rel):
            continue
        if _is_report(rel, path):
            found.reports.append(rel)
        elif _is_checklist(rel, path, default_names):
            found.checklists.append(rel)
    for rel, path in tree.files(use_gitignore=False, skip_vendored=True):
        if rel.endswith(".sarif"):
            found.sarif.append(rel)
        elif rel.endswith(".json") and not _NOT_THE_PROJECTS.search(rel) and _is_tool_json(path):
            found.tool_json.append(rel)
    return found


# GitHub and GitLab remotes, https or ssh (scp-like or URL), with any user or token left out.
_REMOTE = re.compile(r"(?:(?:https?|ssh)://)?(?:[^@/]+@)?(?P<host>[\w.-]+)(?::\d+)?[:/]"
                     r"(?P<repo>[\w.-]+(?:/[\w.-]+)+)/?")


def source_url_of(remote: str) -> str:
    """The source_url template of a GitHub or GitLab remote, "" for others."""
    match = _REMOTE.fullmatch(remote.strip())
    if not match:
        return ""
    host, repo = match["host"], match["repo"].removesuffix(".git")
    if "github" in host:
        return f"https://{host}/{repo}/blob/{{revision}}/{{path}}#L{{line}}"
    if "gitlab" in host:
        return f"https://{host}/{repo}/-/blob/{{revision}}/{{path}}#L{{line}}"
    return ""


def origin_remote(directory: Path) -> str:
    """The URL of the repository's `origin` remote, "" without one."""
    try:
        got = subprocess.run(["git", "-C", str(directory), "remote", "get-url", "origin"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return got.stdout.strip() if got.returncode == 0 else ""


# --- .gitignore ---------------------------------------------------------------------

def ignore_lines() -> list[str]:
    """What sitegen writes with the starter config: the site, the cache and
    the generated content files (content/triage.yaml is the user's own).
    The copies beside the site (.public.previous) ignore themselves."""
    defaults = Config(base_dir=Path("."))
    return [f"/{defaults.output}/", f"/{CACHE_DIR}/",
            *(f"/{content_path(Path(defaults.content), kind).as_posix()}" for kind in KINDS)]


def _ignore_key(line: str) -> str:
    return line.strip().strip("/")  # public, public/ and /public/ ignore the same folder here


def add_to_gitignore(gitignore: Path, lines: list[str]) -> list[str]:
    """Append those of `lines` that `gitignore` lacks; returns them."""
    text = gitignore.read_text(encoding="utf-8", errors="surrogateescape")
    present = {_ignore_key(line) for line in text.splitlines()}
    missing = [line for line in lines if _ignore_key(line) not in present]
    if missing:
        start = "" if not text or text.endswith("\n") else "\n"
        with gitignore.open("a", encoding="utf-8", errors="surrogateescape") as file:
            file.write(start + "# sitegen: the site, its cache and the generated content\n" + "\n".join(missing) + "\n")
    return missing


# --- the command ----------------------------------------------------------------------

@dataclass
class Initialised:
    written: list[Path]
    found: Found
    source_url: str
    gitignore: Path | None
    """The .gitignore lines were added to; None: there is none."""
    ignore: list[str]
    """The lines added to .gitignore, or to add to one."""


def init_repository(directory: Path, force: bool = False) -> Initialised:
    config = directory / CONFIG_NAME
    if config.exists() and not force:
        raise SitegenError(f"{shown(config)} exists already; `sitegen init --force` overwrites it")
    directory.mkdir(parents=True, exist_ok=True)
    defaults = Config(base_dir=directory)
    found = find_inputs(directory, (defaults.output_dir, defaults.content_dir, directory / CACHE_DIR))
    source_url = source_url_of(origin_remote(directory))
    chosen = found.chosen() | ({"source_url": source_url} if source_url else {})
    config.write_text(starter_config(chosen), encoding="utf-8")
    written = [config]
    triage = directory / "content" / "triage.yaml"
    if not triage.exists():
        triage.parent.mkdir(parents=True, exist_ok=True)
        triage.write_text(STARTER_TRIAGE, encoding="utf-8")
        written.append(triage)
    gitignore = directory / ".gitignore"
    if gitignore.is_file():
        return Initialised(written, found, source_url, gitignore, add_to_gitignore(gitignore, ignore_lines()))
    return Initialised(written, found, source_url, None, ignore_lines())
