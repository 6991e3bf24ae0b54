"""sitegen.yaml → a typed, validated Config.

Every key is optional. An unknown key or a value of the wrong type is a
SitegenError naming the file, the line and the key.
"""

from __future__ import annotations

import difflib
import os
import re
import string
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable

from sitegen.errors import SitegenError
from sitegen.files import NotRead, read_checked, why_not_read
from sitegen.textio import decode
from sitegen.yamlio import LineDict, load_with_lines

CONFIG_NAME = "sitegen.yaml"
MAX_CONFIG_BYTES = 1 << 20
def _bundled_themes() -> Path:
    """The bundled themes: inside the installed package (the wheel carries
    them there), else the source checkout's top-level themes/."""
    installed = Path(__file__).parent / "themes"
    return installed if installed.is_dir() else Path(__file__).parent.parent / "themes"


BUNDLED_THEMES = _bundled_themes()


def bundled_theme_names() -> list[str]:
    return sorted(p.name for p in BUNDLED_THEMES.iterdir() if (p / "templates").is_dir())


# --- validation -------------------------------------------------------------

Check = Callable[[Any], Any]


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_path(value: Any) -> bool:
    return isinstance(value, str) and "\0" not in value  # no file system takes a NUL


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_priority(value: Any) -> bool:
    return isinstance(value, str) and value.upper() in ("P1", "P2", "P3", "P4")


# Checks of composite values return None, or (problem, line) for the entry at fault.
Problem = "tuple[str, int | None] | None"


def _line_of(container: Any, key: Any) -> int | None:
    return container.line_of(key) if hasattr(container, "line_of") else None


def _brief(value: Any) -> str:
    """A value as messages quote it: a scalar's repr (shortened), else its type."""
    if isinstance(value, (str, int, float)) or value is None:
        shown = repr(value) if not isinstance(value, int) or value.bit_length() < 256 else "a huge number"
        return shown if len(shown) <= 60 else shown[:57] + "..."
    return _type_name(value)


def _name(key: Any) -> str:
    """A key as messages name it: a string as written (shortened), else as _brief."""
    return (key if len(key) <= 60 else key[:57] + "...") if isinstance(key, str) else _brief(key)


_URL_FIELDS = ("revision", "path", "line")
_ONLY_URL_FIELDS = "may use only the placeholders {revision}, {path} and {line}"
_URL_EXAMPLE = "e.g. https://github.com/OWNER/REPO/blob/{revision}/{path}#L{line}"
_WIDE = re.compile(r"\d{4}")  # a format width or precision of 1,000 or more


def _source_url_problem(value: Any) -> Problem:
    if not isinstance(value, str):
        return f"must be a URL template string, not {_type_name(value)}", None
    try:
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(value) if name is not None]
    except ValueError as exc:
        return f"is not a valid template ({exc})", None
    for name, spec in fields:
        if name not in _URL_FIELDS or "{" in (spec or "") or _WIDE.search(spec or ""):
            return f"{_ONLY_URL_FIELDS}, not {_name('{' + name + '}')}; {_URL_EXAMPLE}", None
    try:
        value.format(revision="r", path="p", line=1)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
        return f"{_ONLY_URL_FIELDS} ({_name(str(exc))}); {_URL_EXAMPLE}", None
    return None


def _base_url_problem(value: Any) -> Problem:
    if not isinstance(value, str):
        return f"must be an absolute URL (https://…), not {_type_name(value)}", None
    if value and not re.fullmatch(r"https?://[^\s\"'<>\\]+", value):
        return f"must be an absolute http(s) URL such as https://example.org/health/, not {_brief(value)}", None
    return None


def _with_slash(url: str) -> str:
    return url if not url or url.endswith("/") else url + "/"


def _follow_symlinks_problem(value: Any) -> Problem:
    from sitegen.walk import FOLLOW_SYMLINKS
    if value not in FOLLOW_SYMLINKS:
        return f"must be one of {', '.join(FOLLOW_SYMLINKS)}, not {value!r}", None
    return None


def _tag_map_problem(value: Any) -> Problem:
    if not isinstance(value, dict):
        return f"must be a mapping of tag to priority, e.g. {{TODO: P3}}, not {_type_name(value)}", None
    for tag, priority in value.items():
        if not isinstance(tag, str) or not re.fullmatch(r"[A-Za-z][\w./-]*", tag.strip()):
            return f"has a tag {_brief(tag)} that is not a word", _line_of(value, tag)
        if not _is_priority(priority):
            return f"gives {_name(tag)} the priority {_brief(priority)}; use P1, P2, P3 or P4", _line_of(value, tag)
    return None


def _severity_map_problem(value: Any) -> Problem:
    from sitegen.model import SEVERITIES
    if not isinstance(value, dict):
        return f"must be a mapping of severity to priority, not {_type_name(value)}", None
    for severity, priority in value.items():
        if severity not in SEVERITIES:
            return f"has {_brief(severity)}; severities are {', '.join(SEVERITIES)}", _line_of(value, severity)
        if not _is_priority(priority):
            return f"gives {severity} the priority {_brief(priority)}; use P1, P2, P3 or P4", _line_of(value, severity)
    return None


def _language_map_problem(value: Any) -> Problem:
    from sitegen.collectors.lexers import SYNTAXES
    if not isinstance(value, dict):
        return f"must be a mapping of extension to syntax, not {_type_name(value)}", None
    for extension, syntax in value.items():
        if not isinstance(extension, str) or not extension.strip("."):
            return f"has {_brief(extension)}, which is not a file extension or name", _line_of(value, extension)
        if not isinstance(syntax, str) or syntax not in SYNTAXES:
            return (f"maps {_brief(extension)} to {_brief(syntax)}, which is not one of: {', '.join(sorted(SYNTAXES))}",
                    _line_of(value, extension))
    return None


def _category_list_problem(value: Any) -> Problem:
    if not isinstance(value, list):
        return f"must be a list of {{name, match, priority?}}, not {_type_name(value)}", None
    for index, rule in enumerate(value):
        line = _line_of(value, index)
        if not isinstance(rule, dict) or not isinstance(rule.get("name"), str):
            return "entries must be mappings with a 'name'", line
        name = _brief(rule["name"])
        if unknown := set(rule) - {"name", "match", "priority"}:
            return f"rule {name} has unknown keys: {', '.join(sorted(map(_name, unknown)))}", line
        if not _is_str_list(rule.get("match")):
            return f"rule {name} needs 'match': a list of words or regexes", line
        for pattern in rule["match"]:
            try:
                re.compile(pattern)
            except (re.error, RecursionError, OverflowError, ValueError) as exc:
                return f"rule {name}: {_brief(pattern)} is not a valid regex ({_name(str(exc))})", line
        if rule.get("priority") is not None and not _is_priority(rule["priority"]):
            return f"rule {name}: priority must be P1, P2, P3 or P4", line
    return None

def _is_glob_or_globs(value: Any) -> bool:
    return isinstance(value, str) or _is_str_list(value)


def _exclusion_list_problem(value: Any) -> Problem:
    if not isinstance(value, list):
        return f"must be a list of path patterns or {{rules, paths}} mappings, not {_type_name(value)}", None
    for index, entry in enumerate(value):
        line = _line_of(value, index)
        if isinstance(entry, str):
            continue
        if not isinstance(entry, dict) or not entry:
            return "entries must be path patterns (strings) or mappings with 'rules' and/or 'paths'", line
        if unknown := set(entry) - {"rules", "paths"}:
            return f"entry {index + 1} has unknown keys: {', '.join(sorted(map(_name, unknown)))}; use rules and paths", line
        for key in ("rules", "paths"):
            if key in entry and not _is_glob_or_globs(entry[key]):
                return f"entry {index + 1}: {key} must be a pattern or a list of patterns (strings)", line
    return None


# --- the keys ----------------------------------------------------------------
# Each key is declared once, as a field: its default as YAML, its check, how
# its YAML value becomes the field's value and a one-line description. The
# checks (_spec), the conversion (_build) and the starter file `sitegen init`
# writes are read off these fields, so a new key is one line here.

GLOBS = "a list of glob patterns (strings)"


def setting(default: Any, check: Check, expected: str | None = None, convert: Callable[[Any], Any] | None = None,
            *, doc: str, example: Any = None):
    """A config key. `default` is its value as written in sitegen.yaml
    (None: unset); `check` is a predicate and `expected` what it wants ("a
    string"), or `expected` is None and `check` returns None or (problem,
    line) for a composite value; `convert` turns the checked YAML value
    into the field's (as is by default); `doc` is the comment above the key
    in the starter file, where an unset key is shown commented out with
    `example` as its value."""
    value = convert(default) if convert and default is not None else default
    return field(default=value, metadata={"check": check, "expected": expected, "convert": convert,
                                          "yaml": default, "doc": doc, "example": example})


def section(cls: type, *, doc: str):
    """A key holding a mapping of keys: those of dataclass `cls`."""
    return field(default_factory=cls, metadata={"section": cls, "doc": doc})


@dataclass(frozen=True)
class ChecklistsConfig:
    paths: tuple[str, ...] = setting(["**/TODO.md", "**/TASKS.md", "**/ROADMAP.md"], _is_str_list, GLOBS, tuple,
                                     doc="Checklist documents: gitignore-style patterns, relative to root.")


@dataclass(frozen=True)
class CategoryRule:
    """Items whose text matches one of `match` (words, or regexes) belong to `name`."""

    name: str
    match: tuple[str, ...]
    priority: str | None = None


def _tags(value: dict) -> tuple[tuple[str, str], ...]:
    return tuple((tag.strip().upper(), priority.upper()) for tag, priority in value.items())


def _categories(value: list) -> tuple[CategoryRule, ...]:
    return tuple(CategoryRule(r["name"], tuple(r["match"]), r["priority"].upper() if r.get("priority") else None)
                 for r in value)


def _languages(value: dict) -> tuple[tuple[str, str], ...]:
    return tuple((k.lstrip(".").lower() if "." not in k.strip(".") else k, v) for k, v in value.items())


@dataclass(frozen=True)
class TodosConfig:
    include: tuple[str, ...] = setting([], _is_str_list, GLOBS, tuple,
                                       doc="Only these paths (gitignore-style patterns); [] reads everything.")
    exclude: tuple[str, ...] = setting([], _is_str_list, GLOBS, tuple,
                                       doc="Paths to leave out, besides gitignored ones and node_modules, vendor, ….")
    gitignore: bool = setting(True, _is_bool, "true or false", doc="Skip what .gitignore files ignore.")
    tags: tuple[tuple[str, str], ...] = setting(
        {"FIXME": "P2", "BUG": "P2", "TODO": "P3", "HACK": "P3", "XXX": "P3"}, _tag_map_problem, convert=_tags,
        doc="Marker tags and their priority, P1 (critical) … P4 (low).")
    categories: tuple[CategoryRule, ...] | None = setting(
        None, _category_list_problem, convert=_categories, example=[],
        doc="Ordered rules [{name, match: [words or regexes], priority}]; unset: the built-in ones, []: none.")
    languages: tuple[tuple[str, str], ...] = setting(
        {}, _language_map_problem, convert=_languages,
        doc="More file extensions (or names) read as a built-in syntax, e.g. {tpl: html}.")
    blame: bool = setting(False, _is_bool, "true or false",
                          doc="Date and author of each TODO's line from git blame (cached per file version).")


@dataclass(frozen=True)
class Exclusion:
    """Tool findings to leave out: those of `rules` (rule ids or names, glob
    patterns; any rule if empty) whose places all match `paths` (gitignore-style;
    anywhere if empty)."""

    rules: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()

    def shown(self) -> str:
        rules, paths = ", ".join(self.rules), ", ".join(self.paths)
        return f"{rules} in {paths}" if rules and paths else rules or paths


def _listed(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _exclusions(value: list) -> tuple[Exclusion, ...]:
    return tuple(Exclusion(paths=(entry,)) if isinstance(entry, str)
                 else Exclusion(_listed(entry.get("rules", [])), _listed(entry.get("paths", [])))
                 for entry in value)


DEFAULT_SEVERITY_PRIORITIES = (
    ("critical", "P1"), ("high", "P2"), ("medium", "P3"), ("low", "P4"), ("info", "P4"),
)


def _severities(value: dict) -> tuple[tuple[str, str], ...]:
    return tuple({**dict(DEFAULT_SEVERITY_PRIORITIES), **{k: v.upper() for k, v in value.items()}}.items())


@dataclass(frozen=True)
class FindingsConfig:
    paths: tuple[str, ...] = setting(["**/*READINESS*.md", "**/*AUDIT*.md"], _is_str_list, GLOBS, tuple,
                                     doc="Markdown readiness, audit and TODO reports.")
    sarif: tuple[str, ...] = setting(["**/*.sarif"], _is_str_list, GLOBS, tuple,
                                     doc="SARIF 2.1.0 files (matched even where gitignored, as build output often is).")
    json: tuple[str, ...] = setting(
        [], _is_str_list, GLOBS, tuple,
        doc="Tool JSON: pylint --output-format=json2, bandit -f json, ruff --output-format json, ESLint -f json.")
    exclude: tuple[Exclusion, ...] = setting(
        [], _exclusion_list_problem, convert=_exclusions,
        doc="Tool findings to leave out (counted on the page): path patterns or {rules, paths} mappings.")
    severity: tuple[tuple[str, str], ...] = setting(dict(DEFAULT_SEVERITY_PRIORITIES), _severity_map_problem,
                                                    convert=_severities, doc="Severity → priority.")


# --- the quality gate (sitegen check) ---

GATE_KINDS = {"task": "task", "tasks": "task", "todo": "todo", "todos": "todo",
              "finding": "finding", "findings": "finding"}


@dataclass(frozen=True)
class Selector:
    """Which items a gate limit counts: of one kind and/or one priority (None: any)."""

    kind: str | None
    priority: str | None

    def shown(self) -> str:
        return " ".join(part for part in (self.kind and f"{self.kind}s", self.priority) if part) or "all"


def _selector(key: Any) -> Selector | None:
    """A limit's key: "P1", "todos", "findings P2" (either order); None if it is none of those."""
    if not isinstance(key, str):
        return None
    kind = priority = None
    for word in key.split():
        if _is_priority(word) and priority is None:
            priority = word.upper()
        elif word.lower() in GATE_KINDS and kind is None:
            kind = GATE_KINDS[word.lower()]
        else:
            return None
    return Selector(kind, priority) if kind or priority else None


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _limits_problem(value: Any) -> Problem:
    if not isinstance(value, dict):
        return f"must be a mapping such as {{P1: 0, todos P2: 20}}, not {_type_name(value)}", None
    for key, limit in value.items():
        if _selector(key) is None:
            return (f"has {_brief(key)}; a key is a priority (P1…P4), a kind (tasks, todos, findings) "
                    "or both, e.g. 'todos P2'"), _line_of(value, key)
        if not _is_count(limit):
            return f"gives {_name(key)} {_brief(limit)}; a limit is a whole number ≥ 0", _line_of(value, key)
    return None


def _limits(value: dict) -> tuple[tuple[Selector, int], ...]:
    return tuple((_selector(key), limit) for key, limit in value.items())


def _is_percent(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100


def _progress_problem(value: Any) -> Problem:
    if not isinstance(value, dict):
        return f"must be a mapping of checklist document to percent, e.g. {{TODO.md: 80}}, not {_type_name(value)}", None
    for key, percent in value.items():
        if not isinstance(key, str) or not key.strip():
            return f"has {_brief(key)}; a key is a document path, optionally with 'phase N'", _line_of(value, key)
        if not _is_percent(percent):
            return f"gives {_name(key)} {_brief(percent)}; a minimum is a percent from 0 to 100", _line_of(value, key)
    return None


@dataclass(frozen=True)
class ProgressRule:
    """Checklist documents matching `document` (a path or glob), or one phase of
    them, must be at least `percent` done."""

    document: str
    phase: str | None
    """The phase's number as written ("1", "0.5"), of a phase, stage, milestone or version."""
    percent: float

    def shown(self) -> str:
        return self.document + (f" phase {self.phase}" if self.phase is not None else "")


def _progress_rules(value: dict) -> tuple[ProgressRule, ...]:
    rules = []
    for key, percent in value.items():
        match = re.fullmatch(r"(.+?)\s+(?:phase|stage|milestone|version)\s+(\d+(?:\.\d+)*)", key.strip(),
                             re.IGNORECASE)
        document, phase = (match[1], match[2]) if match else (key.strip(), None)
        rules.append(ProgressRule(document, phase, percent))
    return tuple(rules)


def _is_optional_count(value: Any) -> bool:
    return value is None or _is_count(value)


@dataclass(frozen=True)
class GateConfig:
    max_open: tuple[tuple[Selector, int], ...] = setting(
        {}, _limits_problem, convert=_limits,
        doc="Most open items allowed, by priority and/or kind, e.g. {P1: 0, findings P2: 10}.")
    max_new: tuple[tuple[Selector, int], ...] = setting(
        {}, _limits_problem, convert=_limits,
        doc="Most items allowed that the baseline (--baseline REF|DIR) does not have, e.g. {P1: 0, P2: 0}.")
    min_progress: tuple[ProgressRule, ...] = setting(
        {}, _progress_problem, convert=_progress_rules,
        doc="Least percent done per checklist document (path or glob), or phase: {TODO.md: 50, TODO.md phase 1: 100}.")
    max_reopened: int | None = setting(
        None, _is_optional_count, "a whole number ≥ 0",
        doc="Most items closed in the baseline and open again now (unset: not checked).", example=0)

    @property
    def rules(self) -> int:
        return len(self.max_open) + len(self.max_new) + len(self.min_progress) + (self.max_reopened is not None)


FOLDER = "a string (a folder path)"


@dataclass(frozen=True)
class Config:
    base_dir: Path
    """The folder holding the config file (or the current folder without one)."""
    file: Path | None = None
    title: str = setting("Project health", _is_str, "a string", doc="Shown in the page titles and the header.")
    root: str = setting(".", _is_path, FOLDER, doc="The source tree the collectors read.")
    content: str = setting("content", _is_path, FOLDER,
                           doc="Where collectors write their YAML; your hand-written triage.yaml lives here too.")
    output: str = setting("public", _is_path, FOLDER,
                          doc="Where `sitegen build` writes the site (replaced only when a build succeeds).")
    base_url: str = setting(
        "", _base_url_problem, convert=_with_slash,
        doc="The site's absolute URL once hosted (https://…): canonical links and sitemap.xml.")
    noindex: bool = setting(False, _is_bool, "true or false",
                            doc="Ask search engines to leave the site out (robots.txt, a robots meta tag): private reports.")
    theme: str = setting("default", _is_path, "a string (a bundled theme name or a folder path)",
                         doc="A bundled theme, or a folder whose templates/ and static/ override some of its files.")
    source_url: str = setting("", _source_url_problem,
                              doc="Links each item to its source line; fills in {revision}, {path} and {line}.")
    follow_symlinks: str = setting(
        "inside", _follow_symlinks_problem,
        doc="Links followed: inside (to files within root), none, or outside (trusted trees only: SECURITY.md).")
    checklists: ChecklistsConfig = section(ChecklistsConfig, doc="Markdown task lists: - [ ] / - [x] under headings.")
    todos: TodosConfig = section(TodosConfig, doc="TODO, FIXME, … comments in the source tree (never in strings).")
    findings: FindingsConfig = section(FindingsConfig,
                                       doc="Readiness and audit reports (Markdown) and static-analysis output.")
    gate: GateConfig = section(GateConfig, doc="What `sitegen check` fails on in CI (exit 1).")

    @property
    def root_dir(self) -> Path:
        return (self.base_dir / self.root).resolve()

    # The folders sitegen writes into keep their links unresolved, so that a
    # link on the way to them can be found and refused.
    @property
    def content_dir(self) -> Path:
        return Path(os.path.abspath(self.base_dir / self.content))

    @property
    def output_dir(self) -> Path:
        return Path(os.path.abspath(self.base_dir / self.output))

    @property
    def theme_override_dir(self) -> Path | None:
        """The user's theme folder, or None for a bundled theme."""
        if self.theme in bundled_theme_names():
            return None
        return (self.base_dir / self.theme).resolve()


# key → (check, description of the expected type), or a nested spec for a section
Spec = dict[str, "tuple[Check, str | None] | Spec"]


def _spec(cls: type) -> Spec:
    spec: Spec = {}
    for f in fields(cls):
        if "section" in f.metadata:
            spec[f.name] = _spec(f.metadata["section"])
        elif "check" in f.metadata:
            spec[f.name] = (f.metadata["check"], f.metadata["expected"])
    return spec


def _build(cls: type, values: dict[str, Any], **given: Any) -> Any:
    """An instance of config dataclass `cls` from checked `values` (keys left out keep their default)."""
    for f in fields(cls):
        if f.name in values:
            value = values[f.name]
            if "section" in f.metadata:
                given[f.name] = _build(f.metadata["section"], value)
            else:
                convert = f.metadata.get("convert")
                given[f.name] = convert(value) if convert else value
    return cls(**given)


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    for kind, name in ((bool, "a boolean"), (int, "a number"), (float, "a number"),
                       (str, "a string"), (dict, "a mapping"), (list, "a list")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _unknown_key(key: Any, known: list[str], prefix: str, path: Path, line: int) -> SitegenError:
    shown = _name(key)
    close = difflib.get_close_matches(str(key), known, n=1) if len(str(key)) <= 100 else []
    hint = f"; did you mean '{prefix}{close[0]}'?" if close else f" (known keys: {', '.join(known)})"
    return SitegenError(f"unknown key '{prefix}{shown}'{hint}", path, line)


def _checked(mapping: LineDict, spec: Spec, prefix: str, path: Path) -> dict[str, Any]:
    """The mapping's values, each checked against `spec`; sections become dicts."""
    values: dict[str, Any] = {}
    for key, value in mapping.items():
        line = mapping.line_of(key)
        if key not in spec:
            raise _unknown_key(key, list(spec), prefix, path, line)
        rule = spec[key]
        if isinstance(rule, dict):
            if value is None:
                continue
            if not isinstance(value, LineDict):
                raise SitegenError(f"'{prefix}{key}' must be a mapping, not {_type_name(value)}", path, line)
            values[key] = _checked(value, rule, f"{prefix}{key}.", path)
            continue
        check, expected = rule
        if expected is None:  # a composite check that names the entry at fault
            if problem := check(value):
                raise SitegenError(f"'{prefix}{key}' {problem[0]}", path, problem[1] or line)
        elif not check(value):
            raise SitegenError(f"'{prefix}{key}' must be {expected}, not {_type_name(value)}", path, line)
        values[key] = value
    return values


def _validated(raw: Any, path: Path) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, LineDict):
        raise SitegenError(f"the config must be a mapping of keys, not {_type_name(raw)}", path, 1)
    values = _checked(raw, _spec(Config), "", path)
    _check_theme(values.get("theme"), path, raw.line_of("theme"))
    _check_root(values.get("root"), path, raw.line_of("root"))
    return values


def _check_root(root: str | None, path: Path, line: int) -> None:
    if root is not None and not (path.parent / root).is_dir():
        raise SitegenError(f"root '{root}' is not a folder; set it to the source tree, relative to this file",
                           path, line)


def _check_theme(theme: str | None, path: Path, line: int) -> None:
    if theme is None or theme in bundled_theme_names():
        return
    folder = path.parent / theme
    if not folder.is_dir():
        raise SitegenError(
            f"theme '{theme}' is neither a bundled theme ({', '.join(bundled_theme_names())}) "
            f"nor a folder", path, line,
        )


def load_config(path: Path | None) -> Config:
    """Load `path`, or the defaults rooted at the current folder when it is None."""
    if path is None:
        return Config(base_dir=Path.cwd())
    if not path.is_file():
        raise SitegenError("config file not found; check the path given to -c", path)
    try:  # the config is the user's own: a link to it is fine
        data = read_checked(path, MAX_CONFIG_BYTES)
    except (NotRead, OSError) as exc:
        raise SitegenError(f"the config could not be read ({why_not_read(exc)})", path) from None
    text, notice = decode(data, str(path))
    if notice is not None:
        raise SitegenError("the config must be UTF-8 text", path, notice.line)
    return config_from_text(text, path)


def config_from_text(text: str, path: Path) -> Config:
    """The Config that `text`, the contents of the file at `path`, sets."""
    values = _validated(load_with_lines(text, path), path)
    return _build(Config, values, base_dir=path.parent.resolve(), file=path)


def find_config(start: Path) -> Path | None:
    """The nearest sitegen.yaml in `start` or a folder above it, as git, ruff
    and pytest find theirs: the search stops at the repository's top (a
    folder holding .git) or the file system's root."""
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None
