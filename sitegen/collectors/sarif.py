"""Static-analysis results → Findings: SARIF 2.1.0, pylint's json2,
bandit's, ruff's and ESLint's JSON.

Severity comes from the most specific source available: a tool's own
severity (bandit's issue_severity, a `security-severity` score, a severity
property), then a rule-prefix map for tools that mark everything alike (ruff
says "error" for every result), then the SARIF level, then the rule's
default level. Result snippets and context regions are never read into the
model: they can hold secrets.

A file that cannot be read as one of these formats gives a warning naming it
(and the line, for broken JSON); the other files are still imported.
"""

from __future__ import annotations

import json
import posixpath
import re
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.errors import Notice
from sitegen.files import NotRead, read_regular, why_not_read
from sitegen.ids import stable_id
from sitegen.collectors.tool_results import PYLINT_TYPES, check_severity
from sitegen.model import OUTSIDE, Finding
from sitegen.safetext import may_hold_surrogates, scrub_all
from sitegen.walk import Listing, WalkSummary, glob_spec

MAX_REPORT_BYTES = 128 << 20
"""SARIF and tool JSON files larger than this are not read (a warning says so)."""
MAX_JSON_DEPTH = 200
"""Reports nesting arrays and objects deeper than this are not read (a
warning says so); SARIF's own structure is about 12 levels deep."""
_MAX_LINE = 1 << 31  # a larger "line" is kept out of the location
MAX_PATH = 1024
"""A location whose path is longer than this is shown as text, without a
page (which the file system could not write)."""
_LEVELS = {"error": "high", "warning": "medium", "note": "low", "none": "info"}
_WORDS = {
    "critical": "critical", "blocker": "critical", "high": "high", "error": "high",
    "major": "high", "medium": "medium", "moderate": "medium", "warning": "medium",
    "low": "low", "minor": "low", "info": "info", "note": "info", "informational": "info",
}
# ruff reports every result as "error": its rule prefix says what kind of problem it is.
RUFF_PREFIXES = {
    "S": "high", "F": "medium", "E9": "medium", "PLE": "medium", "B": "medium", "ASYNC": "medium",
    "PLW": "low", "ARG": "low", "RET": "low", "SIM": "low", "PTH": "low", "RUF": "low", "PL": "low",
    "ERA": "low", "T20": "low", "UP": "low", "C4": "low", "PERF": "low", "BLE": "low", "TRY": "low",
    "E": "info", "W": "info", "D": "info", "ANN": "info", "CPY": "info", "N": "info", "I": "info",
    "Q": "info", "COM": "info", "ISC": "info", "FBT": "info", "EM": "info", "INP": "info",
}
_LONGEST_PREFIX = max(map(len, RUFF_PREFIXES))
OWN_TOOL = "sitegen"
"""The tool name of sitegen's own SARIF export, which is never imported back."""


@dataclass
class Imported:
    findings: list[Finding] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    root: Path
    shown: str
    """The report's path as shown in messages and as a finding's source file."""
    priorities: dict[str, str]


# --- JSON values of any shape ------------------------------------------------------
# A report is untrusted: every value may be missing or of another type. These
# give the shape the readers expect, or an empty one.

def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _word(value: object) -> str:
    """A severity or level word, lower-cased ("" unless it is a string)."""
    return value.lower() if isinstance(value, str) else ""


def _shown(value: object) -> str:
    """A scalar as text, as str() shows it (None → "None"); "" for a list or
    mapping, whose str() could be enormous or recurse without end."""
    return str(value) if value is None or isinstance(value, (str, int, float)) else ""


def _http_url(value: object) -> str | None:
    return value if isinstance(value, str) and _HTTP.match(value) else None


_HTTP = re.compile(r"https?://")


def _severity_from_score(score: object) -> str | None:
    if not isinstance(score, (str, int, float)) or isinstance(score, bool):
        return None
    try:
        value = float(score)
    except (ValueError, OverflowError):
        return None
    return "critical" if value >= 9 else "high" if value >= 7 else "medium" if value >= 4 else "low"


def _ruff_severity(rule: str | None) -> str | None:
    if not rule:
        return None
    if severity := check_severity("ruff", rule):  # a port of bandit's or pylint's check: theirs
        return severity
    for length in range(min(len(rule), _LONGEST_PREFIX), 0, -1):
        if rule[:length] in RUFF_PREFIXES:
            return RUFF_PREFIXES[rule[:length]]
    return None


def repo_path(uri: str, root: Path, base: str = "") -> str | None:
    """A location's repo-relative posix path, or None if it is outside the tree."""
    try:
        parts = urlsplit(uri)
    except ValueError:  # "//[x": an unclosed IPv6 host
        return None
    if parts.scheme == "file":
        path = Path(unquote(parts.path))
        try:
            found = path.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError, RuntimeError):
            return None
        return found if found != "." and _could_be_a_file(found) else None
    if parts.scheme:
        return None
    joined = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    if joined.startswith(("../", "/")) or joined in ("..", ".") or not _could_be_a_file(joined):
        return None
    return joined


def _could_be_a_file(path: str) -> bool:
    """Whether `path` could name a file in a tree (and so have a page): a path
    longer than MAX_PATH, or with a NUL or a name of more than 255 bytes, cannot."""
    return (len(path) <= MAX_PATH and "\0" not in path
            and all(len(name.encode("utf-8", "surrogatepass")) <= 255 for name in path.split("/")))


def _located(path: str | None, line: object) -> str | None:
    if path is None:
        return None
    return f"{path}:{line}" if type(line) is int and 0 < line < _MAX_LINE else path


# --- SARIF ------------------------------------------------------------------------

def _rule_index(run: dict) -> dict[str, dict]:
    rules = _list(_dict(_dict(run.get("tool")).get("driver")).get("rules"))
    return {r["id"]: r for r in rules if isinstance(r, dict) and _str(r.get("id"))}


def _sarif_severity(result: dict, rule: dict, tool: str) -> str:
    props = _dict(result.get("properties"))
    rule_props = _dict(rule.get("properties"))
    for candidate in (
        _WORDS.get(_word(props.get("issue_severity"))),                  # bandit
        _severity_from_score(props.get("security-severity") or rule_props.get("security-severity")),
        _WORDS.get(_word(props.get("severity"))),
        _WORDS.get(_word(rule_props.get("severity"))),
        _ruff_severity(_str(result.get("ruleId"))) if tool == "ruff" else None,
        _LEVELS.get(_word(result.get("level"))),
        _LEVELS.get(_word(_dict(rule.get("defaultConfiguration")).get("level"))),
    ):
        if candidate:
            return candidate
    return "medium"  # SARIF's default level is "warning"


def _sarif_files(result: dict, run: dict, context: _Context) -> list[str]:
    bases = {k: _str(_dict(v).get("uri")) or "" for k, v in _dict(run.get("originalUriBaseIds")).items()}
    files = []
    for location in _list(result.get("locations")):
        physical = _dict(_dict(location).get("physicalLocation"))
        artifact = _dict(physical.get("artifactLocation"))
        uri = artifact.get("uri")
        if not isinstance(uri, str):
            continue
        base = bases.get(_str(artifact.get("uriBaseId")) or "", "")
        path = repo_path(base + uri, context.root) if base.startswith("file:") else repo_path(uri, context.root, "")
        line = _dict(physical.get("region")).get("startLine")
        located = _located(path, line)
        files.append(located if located else f"{OUTSIDE}{uri}")
    return files


def _from_sarif(data: dict, context: _Context) -> list[Finding]:
    findings = []
    for run in _list(data.get("runs")):
        if not isinstance(run, dict):
            continue
        driver = _dict(_dict(run.get("tool")).get("driver"))
        tool = (_str(driver.get("name")) or "SARIF").strip() or "SARIF"
        rules = _rule_index(run)
        for result in _list(run.get("results")):
            if not isinstance(result, dict):
                continue
            rule_id = _str(result.get("ruleId")) or _str(_dict(result.get("rule")).get("id"))
            rule = rules.get(rule_id, {})
            message = (_str(_dict(result.get("message")).get("text"))
                       or _str(_dict(rule.get("shortDescription")).get("text")) or "")
            severity = _sarif_severity(result, rule, tool.lower())
            findings.append(Finding(
                id="", priority=context.priorities[severity], severity=severity,
                title=message.strip().split("\n")[0][:300], status=_sarif_status(result),
                files=_sarif_files(result, run, context), source=tool, rule=rule_id,
                category=_sarif_category(rule), detail=message.strip(),
                help_url=_http_url(rule.get("helpUri")),
            ))
    return findings


def _sarif_status(result: dict) -> str:
    suppressed = bool(result.get("suppressions"))
    return "resolved" if suppressed or result.get("kind") in ("pass", "notApplicable") else "open"


def _sarif_category(rule: dict) -> str | None:
    tags = _list(_dict(rule.get("properties")).get("tags"))
    return "Security" if "security" in tags else None


# --- pylint json2, bandit json ------------------------------------------------------

def _from_pylint(data: dict, context: _Context) -> list[Finding]:
    out = []
    for message in _list(data.get("messages")):
        if not isinstance(message, dict):
            continue
        severity = PYLINT_TYPES.get(_str(message.get("type")) or "", "medium")
        path = repo_path(_shown(message.get("path", "")), context.root)
        text = _shown(message.get("message", ""))
        out.append(Finding(
            id="", priority=context.priorities[severity], severity=severity,
            title=text.split("\n")[0], status="open",
            files=[_located(path, message.get("line")) or f"{OUTSIDE}{_shown(message.get('path'))}"],
            source="pylint", rule=f"{_shown(message.get('messageId'))} {_shown(message.get('symbol'))}".strip(),
            detail=text,
        ))
    return out


def _from_bandit(data: dict, context: _Context) -> list[Finding]:
    out = []
    for result in _list(data.get("results")):
        if not isinstance(result, dict):
            continue
        severity = _WORDS.get(_word(result.get("issue_severity")), "medium")
        path = repo_path(_shown(result.get("filename", "")).removeprefix("./"), context.root)
        text = _shown(result.get("issue_text", ""))
        out.append(Finding(
            id="", priority=context.priorities[severity], severity=severity,
            title=text, status="open",
            files=[_located(path, result.get("line_number")) or f"{OUTSIDE}{_shown(result.get('filename'))}"],
            source="bandit", rule=f"{_shown(result.get('test_id'))} {_shown(result.get('test_name'))}".strip(),
            category="Security", detail=text, help_url=_http_url(result.get("more_info")),
        ))
    return out


# --- ruff JSON, ESLint JSON: lists of results -----------------------------------------

def _tool_path(path: str, root: Path) -> str | None:
    """A tool's file name, relative or absolute (as ruff and ESLint write them), as a repo path."""
    if path.startswith("/"):
        try:
            return repo_path(Path(path).as_uri(), root)
        except ValueError:
            return None
    return repo_path(path, root)


def _place(path_value: object, line: object, context: _Context) -> str:
    shown = _shown(path_value)
    return _located(_tool_path(shown, context.root), line) or f"{OUTSIDE}{shown}"


def _from_ruff_json(data: list, context: _Context) -> list[Finding]:
    out = []
    for result in data:
        if not isinstance(result, dict):
            continue
        rule = _str(result.get("code"))
        severity = _ruff_severity(rule) or "medium"
        text = _shown(result.get("message", "")).strip()
        out.append(Finding(
            id="", priority=context.priorities[severity], severity=severity, title=text.split("\n")[0][:300],
            status="open", files=[_place(result.get("filename", ""), _dict(result.get("location")).get("row"), context)],
            source="ruff", rule=rule, detail=text, help_url=_http_url(result.get("url")),
        ))
    return out


_ESLINT_SEVERITIES = {2: "medium", 1: "low"}


def _from_eslint_json(data: list, context: _Context) -> list[Finding]:
    """ESLint's `-f json`: per file, its messages (the file's `source`, which
    the format includes, is never read)."""
    out = []
    for checked in data:
        if not isinstance(checked, dict):
            continue
        for message in _list(checked.get("messages")):
            if not isinstance(message, dict):
                continue
            fatal = message.get("fatal") is True  # the file could not be parsed
            severity = "high" if fatal else _ESLINT_SEVERITIES.get(message.get("severity"), "medium")
            text = _shown(message.get("message", "")).strip()
            out.append(Finding(
                id="", priority=context.priorities[severity], severity=severity, title=text.split("\n")[0][:300],
                status="open", files=[_place(checked.get("filePath", ""), message.get("line"), context)],
                source="eslint", rule=_str(message.get("ruleId")) or ("parse error" if fatal else None), detail=text,
            ))
    return out


def _lists_of(*keys: str) -> Callable[[object], bool]:
    """A sniff for a report that is a list of objects with these keys."""
    return lambda data: isinstance(data, list) and bool(data) and isinstance(data[0], dict) and \
        all(key in data[0] for key in keys)


# --- files -------------------------------------------------------------------------

class _Unsupported(Exception):
    """A report of a known format in a version sitegen cannot read; the message says so."""


def _from_sarif_2_1(data: dict, context: _Context) -> list[Finding]:
    version = _shown(data.get("version", ""))
    if not version.startswith("2.1"):
        shown = " ".join(version.split())[:20] or "(no version)"
        raise _Unsupported(f"SARIF {shown} is not supported; export SARIF 2.1.0")
    return _from_sarif(data, context)


@dataclass(frozen=True)
class Format:
    name: str
    sniff: Callable[[object], bool]
    """Whether a JSON value is a report of this format (by its keys)."""
    parse: Callable[[object, _Context], list[Finding]]


def _has(*keys: str) -> Callable[[object], bool]:
    """A sniff for a report that is an object with these top-level keys."""
    return lambda data: isinstance(data, dict) and all(key in data for key in keys)


# Tried in order: adding a tool's JSON format is one entry here and its parser.
FORMATS = (
    Format("SARIF", _has("runs"), _from_sarif_2_1),
    Format("pylint json2", _has("messages", "statistics"), _from_pylint),
    Format("bandit JSON", _has("results", "metrics"), _from_bandit),
    Format("ruff JSON", _lists_of("code", "filename", "location"), _from_ruff_json),
    Format("ESLint JSON", _lists_of("filePath", "messages"), _from_eslint_json),
)
_NOT_A_REPORT = (f"not a {', '.join(f.name for f in FORMATS[:-1])} or {FORMATS[-1].name} report; "
                 "nothing imported")


_JSON_STRING = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"')
_NOT_BRACKETS = re.compile(r"[^\[\]{}]++")
_DEPTH_STEPS = bytes.maketrans(b"[]{}", b"\x01\xff\x01\xff")


def _too_deep(text: str) -> bool:
    """Whether the valid JSON `text` nests arrays and objects more than
    MAX_JSON_DEPTH deep (linear: in valid JSON every string is closed)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return False
    brackets = _NOT_BRACKETS.sub("", _JSON_STRING.sub("", text))
    steps = array("b", brackets.encode("ascii").translate(_DEPTH_STEPS))
    return max(accumulate(steps), default=0) > MAX_JSON_DEPTH


def parse_json(text: str, context: _Context) -> tuple[list[Finding], Notice | None]:
    """The findings in a report of one of the FORMATS, or a notice saying
    why there are none."""
    too_deep = Notice(f"nested more than {MAX_JSON_DEPTH} levels deep; nothing imported from it",
                      context.shown, 1)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], Notice(f"not valid JSON ({exc.msg}); nothing imported from it", context.shown, exc.lineno)
    except ValueError as exc:  # an integer of more than 4,300 digits
        return [], Notice(f"not valid JSON ({exc}); nothing imported from it", context.shown, 1)
    except RecursionError:  # json.loads recurses once a level
        return [], too_deep
    if _too_deep(text):
        return [], too_deep
    if data == []:  # ruff's and ESLint's report when nothing was found
        return [], None
    if may_hold_surrogates(text):
        data = scrub_all(data)
    found = next((f for f in FORMATS if f.sniff(data)), None)
    if found is None:
        return [], Notice(_NOT_A_REPORT, context.shown, 1)
    try:
        return found.parse(data, context), None
    except _Unsupported as exc:
        return [], Notice(str(exc), context.shown, 1)


def _read(path: str, context: _Context) -> tuple[list[Finding], Notice | None]:
    try:
        text = read_regular(path, MAX_REPORT_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [], Notice(f"not UTF-8 text ({exc.reason}); nothing imported from it", context.shown)
    except (OSError, NotRead) as exc:
        return [], Notice(f"not read: {why_not_read(exc)}; nothing imported from it", context.shown)
    return parse_json(text, context)


def assign_ids(findings: list[Finding]) -> None:
    """Ids from source, rule, paths and title: never the line."""
    seen: Counter[tuple] = Counter()
    for finding in findings:
        paths = tuple(sorted(f.rsplit(":", 1)[0] if f[-1:].isdigit() else f for f in finding.files))
        key = (finding.source, finding.rule, paths, finding.title)
        finding.id = stable_id("fd", *key, seen[key])
        seen[key] += 1


def collect(tree: Listing, patterns: tuple[str, ...], json_patterns: tuple[str, ...],
            priorities: dict[str, str]) -> Imported:
    """Every finding in the reports that match the patterns (gitignored or not:
    reports are often build output)."""
    sarif, tool_json = glob_spec(patterns), glob_spec(json_patterns)
    imported, walked = Imported(), WalkSummary()
    for rel, path in tree.files(walked, use_gitignore=False):
        if not (sarif.match_file(rel) or (json_patterns and tool_json.match_file(rel))):
            continue
        findings, notice = _read(path, _Context(tree.root, rel, priorities))
        # `sitegen export --format sarif` kept in the tree: its results are the items themselves.
        imported.findings += [finding for finding in findings if finding.source != OWN_TOOL]
        if notice:
            imported.notices.append(notice)
    imported.notices[:0] = walked.notices
    return imported
