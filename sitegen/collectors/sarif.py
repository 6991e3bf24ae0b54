"""Static-analysis results → Findings: SARIF 2.1.0, pylint's json2 and
bandit's JSON.

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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.errors import Notice
from sitegen.files import NotRead, read_regular, why_not_read
from sitegen.ids import stable_id
from sitegen.model import Finding
from sitegen.walk import SourceTree, WalkSummary, could_be_in_tree, glob_spec

OUTSIDE = "(outside the tree) "
MAX_REPORT_BYTES = 128 << 20
"""SARIF and tool JSON files larger than this are not read (a warning says so)."""
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
_PYLINT_TYPES = {"fatal": "high", "error": "high", "warning": "medium", "refactor": "low",
                 "convention": "info", "info": "info"}


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


def _severity_from_score(score: object) -> str | None:
    try:
        value = float(score)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return "critical" if value >= 9 else "high" if value >= 7 else "medium" if value >= 4 else "low"


def _ruff_severity(rule: str | None) -> str | None:
    if not rule:
        return None
    for length in range(len(rule), 0, -1):
        if rule[:length] in RUFF_PREFIXES:
            return RUFF_PREFIXES[rule[:length]]
    return None


def repo_path(uri: str, root: Path, base: str = "") -> str | None:
    """A location's repo-relative posix path, or None if it is outside the tree."""
    parts = urlsplit(uri)
    if parts.scheme == "file":
        path = Path(unquote(parts.path))
        try:
            inside = path.resolve().relative_to(root.resolve()).as_posix()
        except (ValueError, OSError):
            return None
        return inside if could_be_in_tree(inside) else None
    if parts.scheme:
        return None
    joined = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    if joined.startswith(("../", "/")) or joined in ("..", ".") or not could_be_in_tree(joined):
        return None
    return joined


def _located(path: str | None, line: object) -> str | None:
    if path is None:
        return None
    return f"{path}:{line}" if isinstance(line, int) and line > 0 else path


# --- SARIF ------------------------------------------------------------------------

def _rule_index(run: dict) -> dict[str, dict]:
    rules = (run.get("tool", {}).get("driver", {}) or {}).get("rules") or []
    return {r.get("id"): r for r in rules if isinstance(r, dict) and r.get("id")}


def _sarif_severity(result: dict, rule: dict, tool: str) -> str:
    props = result.get("properties") or {}
    rule_props = rule.get("properties") or {}
    for candidate in (
        _WORDS.get(str(props.get("issue_severity", "")).lower()),                  # bandit
        _severity_from_score(props.get("security-severity") or rule_props.get("security-severity")),
        _WORDS.get(str(props.get("severity", "")).lower()),
        _WORDS.get(str(rule_props.get("severity", "")).lower()),
        _ruff_severity(result.get("ruleId")) if tool == "ruff" else None,
        _LEVELS.get(str(result.get("level", "")).lower()),
        _LEVELS.get(str((rule.get("defaultConfiguration") or {}).get("level", "")).lower()),
    ):
        if candidate:
            return candidate
    return "medium"  # SARIF's default level is "warning"


def _sarif_files(result: dict, run: dict, context: _Context) -> list[str]:
    bases = {k: (v or {}).get("uri", "") for k, v in (run.get("originalUriBaseIds") or {}).items()}
    files = []
    for location in result.get("locations") or []:
        physical = (location or {}).get("physicalLocation") or {}
        artifact = physical.get("artifactLocation") or {}
        uri = artifact.get("uri")
        if not isinstance(uri, str):
            continue
        base = bases.get(artifact.get("uriBaseId", ""), "")
        path = repo_path(base + uri, context.root) if base.startswith("file:") else repo_path(uri, context.root, "")
        line = (physical.get("region") or {}).get("startLine")
        located = _located(path, line)
        files.append(located if located else f"{OUTSIDE}{uri}")
    return files


def _from_sarif(data: dict, context: _Context) -> list[Finding]:
    findings = []
    for run in data.get("runs") or []:
        driver = (run.get("tool") or {}).get("driver") or {}
        tool = str(driver.get("name") or "SARIF").strip()
        rules = _rule_index(run)
        for result in run.get("results") or []:
            rule_id = result.get("ruleId") or (result.get("rule") or {}).get("id")
            rule = rules.get(rule_id, {})
            message = (result.get("message") or {}).get("text") or rule.get("shortDescription", {}).get("text") or ""
            severity = _sarif_severity(result, rule, tool.lower())
            findings.append(Finding(
                id="", priority=context.priorities[severity], severity=severity,
                title=message.strip().split("\n")[0][:300], status=_sarif_status(result),
                files=_sarif_files(result, run, context), source=tool, rule=rule_id,
                category=_sarif_category(rule), detail=message.strip(),
                help_url=rule.get("helpUri") if str(rule.get("helpUri", "")).startswith("http") else None,
            ))
    return findings


def _sarif_status(result: dict) -> str:
    suppressed = bool(result.get("suppressions"))
    return "resolved" if suppressed or result.get("kind") in ("pass", "notApplicable") else "open"


def _sarif_category(rule: dict) -> str | None:
    tags = (rule.get("properties") or {}).get("tags") or []
    return "Security" if "security" in tags else None


# --- pylint json2, bandit json ------------------------------------------------------

def _from_pylint(data: dict, context: _Context) -> list[Finding]:
    out = []
    for message in data.get("messages") or []:
        severity = _PYLINT_TYPES.get(message.get("type"), "medium")
        path = repo_path(str(message.get("path", "")), context.root)
        out.append(Finding(
            id="", priority=context.priorities[severity], severity=severity,
            title=str(message.get("message", "")).split("\n")[0], status="open",
            files=[_located(path, message.get("line")) or f"{OUTSIDE}{message.get('path')}"],
            source="pylint", rule=f"{message.get('messageId')} {message.get('symbol')}".strip(),
            detail=str(message.get("message", "")),
        ))
    return out


def _from_bandit(data: dict, context: _Context) -> list[Finding]:
    out = []
    for result in data.get("results") or []:
        severity = _WORDS.get(str(result.get("issue_severity", "")).lower(), "medium")
        path = repo_path(str(result.get("filename", "")).removeprefix("./"), context.root)
        out.append(Finding(
            id="", priority=context.priorities[severity], severity=severity,
            title=str(result.get("issue_text", "")), status="open",
            files=[_located(path, result.get("line_number")) or f"{OUTSIDE}{result.get('filename')}"],
            source="bandit", rule=f"{result.get('test_id')} {result.get('test_name')}".strip(),
            category="Security", detail=str(result.get("issue_text", "")),
            help_url=result.get("more_info") if str(result.get("more_info", "")).startswith("http") else None,
        ))
    return out


# --- files -------------------------------------------------------------------------

def _read(path: str, context: _Context) -> tuple[list[Finding], Notice | None]:
    try:
        data = json.loads(read_regular(path, MAX_REPORT_BYTES).decode("utf-8-sig"))
    except json.JSONDecodeError as exc:
        return [], Notice(f"not valid JSON ({exc.msg}); nothing imported from it", context.shown, exc.lineno)
    except UnicodeDecodeError as exc:
        return [], Notice(f"not UTF-8 text ({exc.reason}); nothing imported from it", context.shown)
    except (OSError, NotRead) as exc:
        return [], Notice(f"not read: {why_not_read(exc)}; nothing imported from it", context.shown)
    if not isinstance(data, dict):
        return [], Notice("not a SARIF, pylint json2 or bandit JSON report; nothing imported", context.shown, 1)
    if "runs" in data:
        version = str(data.get("version", ""))
        if not version.startswith("2.1"):
            return [], Notice(f"SARIF {version or '(no version)'} is not supported; export SARIF 2.1.0",
                              context.shown, 1)
        return _from_sarif(data, context), None
    if "messages" in data and "statistics" in data:
        return _from_pylint(data, context), None
    if "results" in data and "metrics" in data:
        return _from_bandit(data, context), None
    return [], Notice("not a SARIF, pylint json2 or bandit JSON report; nothing imported", context.shown, 1)


def assign_ids(findings: list[Finding]) -> None:
    """Ids from source, rule, paths and title: never the line."""
    seen: Counter[tuple] = Counter()
    for finding in findings:
        paths = tuple(sorted(f.rsplit(":", 1)[0] if f[-1:].isdigit() else f for f in finding.files))
        key = (finding.source, finding.rule, paths, finding.title)
        finding.id = stable_id("fd", *key, seen[key])
        seen[key] += 1


def collect(tree: SourceTree, patterns: tuple[str, ...], json_patterns: tuple[str, ...],
            priorities: dict[str, str]) -> Imported:
    """Every finding in the reports that match the patterns (gitignored or not:
    reports are often build output)."""
    sarif, tool_json = glob_spec(patterns), glob_spec(json_patterns)
    imported, walked = Imported(), WalkSummary()
    for rel, path in tree.walk(walked, use_gitignore=False):
        if not (sarif.match_file(rel) or (json_patterns and tool_json.match_file(rel))):
            continue
        findings, notice = _read(path, _Context(tree.root, rel, priorities))
        imported.findings += findings
        if notice:
            imported.notices.append(notice)
    imported.notices[:0] = walked.notices
    return imported
