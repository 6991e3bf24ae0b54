"""The labelled corpus of review reports (tests/fixtures/reports/corpus) and the
held-out set beside it (tests/fixtures/reports/heldout) are well formed, and
bench/score_reports.py matches findings as it says.

The reader's scores on the corpus the reader was tuned on must stay at issue
12's targets (a change that loses findings there fails here); the held-out
set is measured by the bench script only, never asserted or tuned on.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from pathlib import Path

import pytest
from conftest import read_yaml

from sitegen.model import SEVERITIES, Finding

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "fixtures/reports/corpus"
# Written without looking at the reader, to measure it on shapes it was not
# tuned on; its labels follow the corpus README and get the same checks.
HELDOUT = Path(__file__).parent / "fixtures/reports/heldout"


def documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.md") if p.name != "README.md")


DOCUMENTS = documents(CORPUS)
HELDOUT_DOCUMENTS = documents(HELDOUT)
LABELLED = DOCUMENTS + HELDOUT_DOCUMENTS


def document_id(document: Path) -> str:
    return document.stem if document.parent == CORPUS else f"heldout-{document.stem}"
TOP_KEYS = {"findings", "not_findings", "declared_total", "none_expected"}
FINDING_KEYS = {"title", "severity", "status", "files"}
STATUSES = {"open", "resolved"}
# "path" or "path:line": relative, forward slashes, no "#L…" or ranges left in.
FILE_REFERENCE = re.compile(r"^(?![/.]/)(?!/)[^\s:#]+(?::[1-9]\d*)?$")


def _load_scorer():
    spec = importlib.util.spec_from_file_location("score_reports", ROOT / "bench/score_reports.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


score_reports = _load_scorer()


@functools.cache
def expected_yaml(document: Path) -> dict:
    """The labels of a corpus document (read once: the tests only read them)."""
    return read_yaml(document.with_suffix(".expected.yaml"))


def finding(title: str, severity: str = "high", status: str = "open", files: list[str] | None = None) -> Finding:
    return Finding(id="", priority="P2", severity=severity, title=title, status=status,
                   files=files or [], source="review.md")


def test_the_corpus_is_as_large_as_issue_12_asks():
    findings = sum(len(expected_yaml(d)["findings"]) for d in DOCUMENTS)
    assert len(DOCUMENTS) >= 16
    assert findings >= 150


def test_the_held_out_set_is_as_large_as_its_brief_asks():
    findings = sum(len(expected_yaml(d)["findings"]) for d in HELDOUT_DOCUMENTS)
    assert len(HELDOUT_DOCUMENTS) >= 10
    assert findings >= 80


@pytest.mark.parametrize("folder", [CORPUS, HELDOUT], ids=lambda p: p.name)
def test_every_document_has_its_labels_and_every_label_file_its_document(folder: Path):
    labelled = {p.name.removesuffix(".expected.yaml") for p in folder.glob("*.expected.yaml")}
    assert labelled == {d.stem for d in documents(folder)}


@pytest.mark.parametrize("document", LABELLED, ids=document_id)
def test_labels_are_well_formed(document: Path):
    data = expected_yaml(document)
    assert isinstance(data, dict) and set(data) <= TOP_KEYS and "findings" in data
    findings = data["findings"]
    assert isinstance(findings, list)
    if data.get("none_expected"):
        assert findings == []
    else:
        assert findings, "only a document labelled none_expected may have no findings"
    for item in findings:
        assert set(item) == FINDING_KEYS, item
        assert isinstance(item["title"], str) and item["title"].strip()
        assert item["severity"] in SEVERITIES, item
        assert item["status"] in STATUSES, item
        assert isinstance(item["files"], list)
        for reference in item["files"]:
            assert isinstance(reference, str) and FILE_REFERENCE.match(reference), reference
        assert len(set(item["files"])) == len(item["files"]), item
    for key in ("not_findings", "declared_total"):
        if key in data:
            assert isinstance(data[key], int) and data[key] >= 0, key


@pytest.mark.parametrize("document", LABELLED, ids=document_id)
def test_labels_quote_their_document(document: Path):
    """Titles are the document's own words and files are named in it, so a typo
    in a label cannot pass for a reader's mistake."""
    text = document.read_text(encoding="utf-8")
    words = f" {score_reports.normalised(text)} "
    for item in expected_yaml(document)["findings"]:
        assert f" {score_reports.normalised(item['title'])} " in words, item["title"]
        for reference in item["files"]:
            path, _, line = reference.partition(":")
            assert path in text, reference
            assert not line or re.search(rf"(?<!\d){line}(?!\d)", text), reference


def test_titles_match_through_markup_and_extra_words():
    similar = score_reports.similarity
    assert similar("Backpressure is ignored.", "🟠 **Backpressure is ignored.** The return value is dropped")
    assert similar("`MaxEntries` of zero means unlimited", "MaxEntries of zero mean unlimited")
    assert not similar("Two stores hold the selected board", "`src/hooks/useSelectedBoard.ts`")
    assert not similar("Sort columns are interpolated into SQL", "**HIGH** — `src/quill/storage/sql.py:79`")
    assert not similar("High severity retries", "High")  # one word contained is not a match


def test_matching_pairs_findings_one_to_one_in_document_order():
    expected = ["Tokens never expire", "Cache grows without bound", "Logs include passwords"]
    found = ["**Tokens never expire** (`auth/tokens.py:10`)", "CRITICAL: 1", "Logs include passwords"]
    assert score_reports.matched_pairs(expected, found) == [(0, 0), (2, 2)]
    # Two findings with the same words are paired in order, each once.
    assert score_reports.matched_pairs(["Retry storm", "Retry storm"], ["Retry storm"]) == [(0, 0)]


def test_a_score_counts_matches_misses_extras_and_wrong_fields():
    expected = [
        score_reports.Expected("Tokens never expire", "high", "open", ("auth/tokens.py:10",)),
        score_reports.Expected("Cache grows without bound", "medium", "open", ("cache/store.py",)),
        score_reports.Expected("Logs include passwords", "low", "resolved", ("app/log.py:3", "app/log.py:9")),
    ]
    found = [
        finding("Tokens never expire", "high", "open", ["auth/tokens.py:10"]),
        finding("Security ⚠️ **8/10**", "medium"),
        finding("Logs include passwords.", "medium", "resolved", ["app/log.py:3"]),
    ]
    score = score_reports.scored(expected, found)
    assert (score.expected, score.found, score.matched) == (3, 3, 2)
    assert (score.severity_right, score.status_right) == (1, 2)
    assert (score.files_present, score.files_expected) == (2, 3)
    rates = score.rates()
    assert rates["recall"] == pytest.approx(2 / 3) and rates["precision"] == pytest.approx(2 / 3)
    assert any(p.startswith("missed: Cache grows") for p in score.problems)
    assert any(p.startswith("extra: Security") for p in score.problems)


def test_an_empty_document_scores_nothing_rather_than_failing():
    rates = score_reports.scored([], []).rates()
    assert all(value is None for value in rates.values())


def test_the_reader_keeps_its_scores_on_the_corpus():
    total = score_reports.Score()
    for document in DOCUMENTS:
        expected, _ = score_reports.labels(document)
        found, _, error = score_reports.read_findings(document)
        assert error is None, (document.name, error)
        total.add(score_reports.scored(expected, found))
    rates = total.rates()
    assert {name: rates[name] >= target for name, target in score_reports.TARGETS.items()} == \
        dict.fromkeys(score_reports.TARGETS, True), rates
