"""Score sitegen's Markdown report reader against a labelled corpus.

    python bench/score_reports.py [--corpus tests/fixtures/reports/corpus] [-v]

Each NAME.md in the corpus is parsed with `parse_report` and the default
severity → priority mapping; its findings are matched one-to-one with the
labels in NAME.expected.yaml (tests/fixtures/reports/corpus/README.md says how
the labels were decided). Titles match when, after removing Markdown, case and
punctuation, the difflib ratio of their words is at least 0.6 or one contains
the other (the shorter having two words or more);
among matchings that keep document order, the one with the most pairs (then
the most similar pairs) is taken.

Printed per document and in total: expected, found, matched, recall,
precision, severity and status accuracy over matched pairs, file-reference
recall (expected "path" or "path:line" present, exactly as labelled, in the
matched finding's files) and, where the document declares a total, that total
beside the labelled count and the total the reader took from the document.
-v lists every missed, extra and mislabelled finding.

Always exits 0: it is a measurement, not a gate. The targets it prints are the
ones the reader has to reach (issue 12).
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitegen.collectors.reports import parse_report  # noqa: E402
from sitegen.config import DEFAULT_SEVERITY_PRIORITIES  # noqa: E402
from sitegen.model import Finding  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "reports" / "corpus"
PRIORITIES = dict(DEFAULT_SEVERITY_PRIORITIES)
RATIO = 0.6
# A title contained in another matches only if it is at least this long, so
# that a found "High" or "Summary" does not match every title holding the word.
CONTAINED_WORDS, CONTAINED_CHARS = 2, 8
TARGETS = {"recall": 0.98, "precision": 0.98, "severity": 0.98, "status": 0.98, "files": 0.95}

_MARKUP = re.compile(r"[*_`~]+")
_NOT_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Expected:
    title: str
    severity: str
    status: str
    files: tuple[str, ...] = ()


@dataclass
class Score:
    expected: int = 0
    found: int = 0
    matched: int = 0
    severity_right: int = 0
    status_right: int = 0
    files_expected: int = 0
    files_present: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in ("expected", "found", "matched", "severity_right", "status_right",
                     "files_expected", "files_present"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def rates(self) -> dict[str, float | None]:
        return {
            "recall": _ratio(self.matched, self.expected),
            "precision": _ratio(self.matched, self.found),
            "severity": _ratio(self.severity_right, self.matched),
            "status": _ratio(self.status_right, self.matched),
            "files": _ratio(self.files_present, self.files_expected),
        }


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def normalised(title: str) -> str:
    """Lower-case words without Markdown or punctuation: "**`foo()` fails.**" → "foo fails"."""
    return " ".join(_NOT_WORD.sub(" ", _MARKUP.sub("", title)).lower().split())


def similarity(expected: str, found: str) -> float:
    """How alike two titles are, or 0.0 when they do not match."""
    a, b = normalised(expected), normalised(found)
    if not a or not b:
        return 0.0
    # Words, not characters: a path such as "src/hooks/useSelectedBoard.ts"
    # shares enough letters with "Two stores hold the selected board" to pass
    # a character ratio of 0.6.
    ratio = difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()
    if ratio >= RATIO:
        return ratio
    shorter, longer = sorted((a, b), key=len)
    long_enough = len(shorter.split()) >= CONTAINED_WORDS and len(shorter) >= CONTAINED_CHARS
    if long_enough and f" {shorter} " in f" {longer} ":
        return RATIO
    return 0.0


def matched_pairs(expected: list[str], found: list[str]) -> list[tuple[int, int]]:
    """One-to-one (expected index, found index) pairs that keep document order:
    the alignment with the most matching pairs, then the highest similarity."""
    rows, columns = len(expected), len(found)
    # best[i][j]: (pairs, similarity) over expected[i:] and found[j:]
    best = [[(0, 0.0)] * (columns + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(columns - 1, -1, -1):
            options = [best[i + 1][j], best[i][j + 1]]
            if (alike := similarity(expected[i], found[j])) > 0:
                pairs, total = best[i + 1][j + 1]
                options.append((pairs + 1, total + alike))
            best[i][j] = max(options)
    pairs, i, j = [], 0, 0
    while i < rows and j < columns:
        alike = similarity(expected[i], found[j])
        if alike > 0:
            pairs_after, total_after = best[i + 1][j + 1]
            if best[i][j] == (pairs_after + 1, total_after + alike):
                pairs.append((i, j))
                i, j = i + 1, j + 1
                continue
        if best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def scored(expected: list[Expected], found: list[Finding]) -> Score:
    """How well `found` reproduces `expected`, with a line per problem."""
    score = Score(expected=len(expected), found=len(found))
    pairs = matched_pairs([e.title for e in expected], [f.title for f in found])
    score.matched = len(pairs)
    paired_expected = {i for i, _ in pairs}
    paired_found = {j for _, j in pairs}
    for i, j in pairs:
        want, got = expected[i], found[j]
        if got.severity == want.severity:
            score.severity_right += 1
        else:
            score.problems.append(f"severity {got.severity}, expected {want.severity}: {want.title}")
        if got.status == want.status:
            score.status_right += 1
        else:
            score.problems.append(f"status {got.status}, expected {want.status}: {want.title}")
        missing = [ref for ref in want.files if ref not in got.files]
        score.files_expected += len(want.files)
        score.files_present += len(want.files) - len(missing)
        if missing:
            score.problems.append(f"files lack {missing} (found {got.files}): {want.title}")
    score.problems += [f"missed: {e.title}" for i, e in enumerate(expected) if i not in paired_expected]
    score.problems += [f"extra: {_brief(f.title)}" for j, f in enumerate(found) if j not in paired_found]
    return score


def _brief(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 1] + "…"


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when PyYAML has it: the tests read every document's labels."""


def labels(path: Path) -> tuple[list[Expected], dict]:
    """The expected findings of a corpus document, and its whole YAML."""
    data = yaml.load(path.with_suffix(".expected.yaml").read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    findings = [Expected(f["title"], f["severity"], f["status"], tuple(f.get("files") or ()))
                for f in data.get("findings") or []]
    return findings, data


def documents(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.glob("*.md") if p.name != "README.md")


def read_findings(document: Path) -> tuple[list[Finding], int | None, str | None]:
    """The reader's findings and declared total, or the error it raised."""
    try:
        report = parse_report(document.read_text(encoding="utf-8"), _repo_relative(document), PRIORITIES)
    except Exception as exc:  # a measurement reports a crash and goes on
        return [], None, f"{type(exc).__name__}: {exc}"
    return report.findings(), report.declared_total, None


def _repo_relative(document: Path) -> str:
    resolved = document.resolve()
    return resolved.relative_to(ROOT).as_posix() if resolved.is_relative_to(ROOT) else document.name


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def row(name: str, score: Score) -> str:
    rates = score.rates()
    return (f"{name[:34]:34} {score.expected:>4} {score.found:>5} {score.matched:>5} {percent(rates['recall']):>6} "
            f"{percent(rates['precision']):>5} {percent(rates['severity']):>5} {percent(rates['status']):>5} "
            f"{percent(rates['files']):>5}")


def declared_check(data: dict, labelled: int, reader_total: int | None) -> str:
    if "declared_total" not in data:
        return ""
    declared = data["declared_total"]
    agreement = "agrees with" if declared == labelled else "disagrees with"
    read = "read no total" if reader_total is None else f"read {reader_total}"
    return f"declares {declared}, which {agreement} the {labelled} labelled; the reader {read}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    total = Score()
    declared = declared_read = 0
    print(f"{'document':34} {'exp':>4} {'found':>5} {'match':>5} {'recall':>6} {'prec':>5} {'sev':>5} "
          f"{'stat':>5} {'files':>5}")
    for document in documents(args.corpus):
        expected, data = labels(document)
        found, reader_total, error = read_findings(document)
        score = scored(expected, found)
        total.add(score)
        print(row(document.stem, score))
        if check := declared_check(data, len(expected), reader_total):
            print(f"    {check}")
            declared += 1
            declared_read += reader_total == data["declared_total"]
        if error:
            print(f"    reader failed: {error}")
        if args.verbose:
            for line in score.problems:
                print(f"    {line}")
    print(row("total", total))
    print(f"declared totals: the reader read {declared_read} of the {declared} the documents declare")
    rates = total.rates()
    print()
    print("targets:")
    for name, target in TARGETS.items():
        value = rates[name]
        met = value is not None and value >= target
        print(f"  {name:10} {percent(value):>5}  target ≥ {target:.0%}  {'met' if met else 'NOT met'}")
    print(f"(severity, status and files are measured on the {total.matched} matched pairs only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
