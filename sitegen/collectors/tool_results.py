"""What happens to static-analysis results once they are read: the findings
that `findings.exclude` names are left out (and counted), each check gets one
severity whichever tool reports it, and one problem reported by two tools at
the same place is shown once, naming both.

A check is known by the code of the tool that defined it, and other tools
that port it keep that code (checked rule by rule against bandit 1.9.4,
pylint 3 and ruff 0.17's rule lists):
- bandit's B101 is ruff's (and flake8-bandit's) S101, B608 is S608: every
  number both have names the same check. bandit judges each check's severity
  (ruff marks every result "error"), so the S rules take bandit's;
- pylint's W0603 is ruff's PLW0603: the letter is pylint's message type,
  which gives the severity;
- ruff and flake8 share the codes of pyflakes, pycodestyle, bugbear and the
  other flake8 plugins ruff reimplements (F401, E501, B006).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from sitegen.config import Exclusion
from sitegen.model import OUTSIDE, Finding
from sitegen.walk import glob_spec

# bandit's test id → the severity bandit gives it; where that depends on the
# call (B602: shell=True with a literal command is low, otherwise high), the
# highest. Read off bandit 1.9.4's plugins and blacklists.
BANDIT_SEVERITY = {
    "B101": "low", "B102": "medium", "B103": "high", "B104": "medium", "B105": "low", "B106": "low",
    "B107": "low", "B108": "medium", "B110": "low", "B112": "low", "B113": "medium", "B201": "high",
    "B202": "high", "B301": "medium", "B302": "medium", "B303": "medium", "B304": "high",
    "B305": "medium", "B306": "medium", "B307": "medium", "B308": "medium", "B310": "medium",
    "B311": "low", "B312": "high", "B313": "medium", "B314": "medium", "B315": "medium",
    "B316": "medium", "B317": "medium", "B318": "medium", "B319": "medium", "B321": "high",
    "B323": "medium", "B324": "high", "B401": "high", "B402": "high", "B403": "low", "B404": "low",
    "B405": "low", "B406": "low", "B407": "low", "B408": "low", "B409": "low", "B411": "high",
    "B412": "high", "B413": "high", "B415": "high", "B501": "high", "B502": "high", "B503": "medium",
    "B504": "low", "B505": "high", "B506": "medium", "B507": "high", "B508": "medium",
    "B509": "medium", "B601": "medium", "B602": "high", "B603": "low", "B604": "medium",
    "B605": "high", "B606": "low", "B607": "low", "B608": "medium", "B609": "high", "B610": "medium",
    "B611": "medium", "B612": "medium", "B613": "high", "B614": "medium", "B615": "medium",
    "B701": "high", "B702": "medium", "B703": "medium", "B704": "medium",
}
PYLINT_TYPES = {"fatal": "high", "error": "high", "warning": "medium", "refactor": "low",
                "convention": "info", "info": "info"}
"""The severity of each of pylint's message types."""
_PYLINT_LETTERS = {kind[0].upper(): severity for kind, severity in PYLINT_TYPES.items()}
"""The same by the letter a message's code starts with (W0603: a warning)."""
_FLAKE8_FAMILY = ("ruff", "flake8")
_CODES = (  # (tools, rule id pattern, the defining tool, its code for the rule id)
    (("bandit",), re.compile(r"B\d{3}"), "bandit", lambda rule: rule),
    (_FLAKE8_FAMILY, re.compile(r"S\d{3}"), "bandit", lambda rule: "B" + rule[1:]),
    (("pylint",), re.compile(r"[CEFIRW]\d{4}"), "pylint", lambda rule: rule),
    (("ruff",), re.compile(r"PL[CEFIRW]\d{4}"), "pylint", lambda rule: rule[2:]),
    (_FLAKE8_FAMILY, re.compile(r"[A-Z]+\d+"), "flake8", lambda rule: rule),
)


def check_of(tool: str, rule: str | None) -> tuple[str, str] | None:
    """(defining tool, code) of the check a tool's rule is, if it is known."""
    rule_id = rule.split(maxsplit=1)[0] if rule and rule.strip() else ""
    tool = tool.lower()
    for tools, pattern, family, code in _CODES:
        if tool in tools and pattern.fullmatch(rule_id):
            return family, code(rule_id)
    return None


def check_severity(tool: str, rule: str | None) -> str | None:
    """The severity the defining tool gives the check (None: it has none)."""
    family, code = check_of(tool, rule) or ("", "")
    if family == "bandit":
        return BANDIT_SEVERITY.get(code)
    return _PYLINT_LETTERS.get(code[0]) if family == "pylint" else None


# --- findings.exclude ------------------------------------------------------------------

def _rule_words(rule: str | None) -> list[str]:
    """A rule as exclusions match it: its id and its name ("B101 assert_used")."""
    return rule.split() if rule else []


@dataclass
class _Matcher:
    exclusion: Exclusion

    def __post_init__(self):
        self.paths = glob_spec(self.exclusion.paths) if self.exclusion.paths else None

    def matches(self, finding: Finding, paths: list[str]) -> bool:
        if self.exclusion.rules and not any(
                fnmatchcase(word, pattern) for word in _rule_words(finding.rule) for pattern in self.exclusion.rules):
            return False
        return self.paths is None or bool(paths) and all(self.paths.match_file(p) for p in paths)


def _tree_paths(finding: Finding) -> list[str]:
    """The repository paths a finding names (without lines; none outside the tree)."""
    return [f.rsplit(":", 1)[0] if f.rpartition(":")[2].isdigit() else f
            for f in finding.files if not f.startswith(OUTSIDE)]


@dataclass
class Refined:
    findings: list[Finding]
    excluded: list[tuple[str, int]] = field(default_factory=list)
    """(exclusion as written, findings it left out), for every exclusion."""
    merged: int = 0
    """Findings folded into another tool's report of the same problem."""


def exclude(findings: list[Finding], exclusions: tuple[Exclusion, ...]) -> tuple[list[Finding], list[tuple[str, int]]]:
    """The findings no exclusion names, and how many each exclusion left out
    (a finding counts for the first exclusion that names it)."""
    matchers = [_Matcher(e) for e in exclusions]
    kept, counts = [], Counter()
    for finding in findings:
        paths = _tree_paths(finding)
        hit = next((m for m in matchers if m.matches(finding, paths)), None)
        if hit is None:
            kept.append(finding)
        else:
            counts[hit.exclusion] += 1
    return kept, [(e.shown(), counts[e]) for e in exclusions]


# --- one problem, one finding ------------------------------------------------------------

def merge_same_problems(findings: list[Finding]) -> tuple[list[Finding], int]:
    """The findings with each problem once: where two tools report the same
    check at the same places, the defining tool's finding is kept (bandit
    judges severity per call) and names the other's rule in `also`."""
    at_place: dict[tuple, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in findings:
        if finding.files and (check := check_of(finding.source, finding.rule)):
            at_place[check, tuple(finding.files)][finding.source].append(finding)
    folded: set[int] = set()
    for (check, _), by_tool in at_place.items():
        if len(by_tool) < 2:
            continue
        keeper_tool = min(by_tool, key=lambda tool: (tool.lower() != check[0], tool != check[0], tool))
        for index, keeper in enumerate(by_tool[keeper_tool]):
            for tool in sorted(by_tool.keys() - {keeper_tool}):
                if index < len(by_tool[tool]):
                    _fold(keeper, by_tool[tool][index])
                    folded.add(id(by_tool[tool][index]))
    return [f for f in findings if id(f) not in folded], len(folded)


def _fold(keeper: Finding, same: Finding) -> None:
    keeper.also.append(f"{same.source} {same.rule}")
    if same.status == "open":
        keeper.status = "open"


def refine(findings: list[Finding], exclusions: tuple[Exclusion, ...]) -> Refined:
    """Tool findings as the site shows them: exclusions applied, then each
    problem once."""
    kept, excluded = exclude(findings, exclusions)
    merged, folded = merge_same_problems(kept)
    return Refined(merged, excluded, folded)
