"""Ordered category rules: the first rule whose pattern matches an item's text
gives its category (and, if the rule says so, its priority)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sitegen.config import CategoryRule

UNCATEGORISED = "Uncategorised"

# A typical web backend's TODOs, in the order they are tried (seed 000's categories).
DEFAULT_RULES = (
    CategoryRule("Security & auth", (
        r"\bauth\w*", r"\bpermission", r"\bencrypt", r"\bdecrypt", r"\bcrypto", r"\bsecret",
        r"\bpassword", r"\btokens?\b", r"\bcsrf\b", r"\bxss\b", r"\binjection", r"\bsaniti[sz]",
        r"\boauth", r"\bjwt\b", r"\bcredential", r"\bsecur", r"\bvulnerab", r"\bcors\b",
        r"\bsign(ing|ature)", r"\bcert(ificate)?s?\b", r"\btls\b", r"\bssl\b",
        r"\b(api|signing|secret|private|encryption) keys?\b", r"\bpii\b",
    ), "P2"),
    CategoryRule("Data model & migrations", (
        r"\bmigrat", r"\bschema", r"\bmodels?\b", r"\bforeign key", r"\bprimary ?key", r"\bcolumns?\b",
        r"\btables?\b", r"\bdatabase", r"\bdb\b", r"\borm\b", r"\bcascade", r"\bfields?\b", r"\benum\b",
    )),
    CategoryRule("Error handling & validation", (
        r"\berrors?\b", r"\bexceptions?\b", r"\bvalidat", r"\bhandl", r"\bretr(y|ies)", r"\bfallback",
        r"\btimeouts?\b", r"\braise", r"\bcatch",
    )),
    CategoryRule("Performance", (
        r"\boptimi[sz]", r"\bperformance", r"\bslow", r"\bcach(e|ing)", r"\bspeed", r"\bn\+1",
        r"\bprefetch", r"\bselect_related", r"\bmemory", r"\blatency", r"\bbatch", r"\befficien",
    )),
    CategoryRule("Bugs", (
        r"\bbug", r"\bbroken", r"\bwrong", r"\bincorrect", r"\bcrash", r"\bfail", r"\brace condition",
        r"\bleak", r"\bworkaround", r"\bdoesn'?t work",
    )),
    CategoryRule("Refactoring & architecture", (
        r"\brefactor", r"\bmove\b", r"\bextract", r"\bduplicat", r"\breuse", r"\binherit",
        r"\babstract", r"\bdecouple", r"\brename", r"\brestructur", r"\bsimplif", r"\barchitect",
        r"\bsplit", r"\bpluggable", r"\binstead\b",
    )),
    CategoryRule("Tooling & dependencies", (
        r"\bdependenc", r"\bupgrade", r"\bbump", r"\bversions?\b", r"\blint", r"\bci\b", r"\bbuild",
        r"\bpackag", r"\blibrar", r"\bsdk\b", r"\bpin\b", r"\bdocker", r"\bconfig",
    )),
    CategoryRule("Cleanup & legacy", (
        r"\bremove", r"\bunused", r"\bdead code", r"\blegacy", r"\bdeprecat", r"\bobsolete",
        r"\bdelete", r"\bclean ?up", r"\btemporar", r"\bhack", r"\bv\d\b",
    )),
    CategoryRule("Features", (
        r"\bimplement", r"\badd\b", r"\bsupport", r"\bfeature", r"\benable", r"\ballow", r"\bnew\b",
    )),
)


@dataclass(frozen=True)
class Classifier:
    rules: tuple[tuple[str, re.Pattern, str | None], ...]

    def classify(self, text: str) -> tuple[str, str | None]:
        """(category, the rule's priority or None)."""
        for name, pattern, priority in self.rules:
            if pattern.search(text):
                return name, priority
        return UNCATEGORISED, None


def _pattern(entry: str) -> str:
    # A plain word or phrase matches as a whole word; anything else is a regex.
    return rf"\b{re.escape(entry)}\b" if re.fullmatch(r"[\w][\w ]*", entry) else entry


def classifier(rules: tuple[CategoryRule, ...] | None) -> Classifier:
    chosen = DEFAULT_RULES if rules is None else rules
    return Classifier(tuple(
        (rule.name, re.compile("|".join(f"(?:{_pattern(p)})" for p in rule.match), re.I), rule.priority)
        for rule in chosen if rule.match
    ))
