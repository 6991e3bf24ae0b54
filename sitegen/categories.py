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
        r"\bpassword", r"\bcsrf\b", r"\bxss\b", r"\binjection", r"\bsaniti[sz]",
        r"\boauth", r"\bjwt\b", r"\bcredential", r"\bsecur", r"\bvulnerab", r"\bcors\b",
        r"\bcert(ificate)?s?\b", r"\btls(v?1\.\d)?\b", r"\bssl\w*",
        r"\b(api|signing|secret|private|encryption) keys?\b", r"\bpii\b",
        # A token or a signature is a parser's or a function's as often as a credential:
        # only those named as credentials, or with what is done to credentials.
        r"\baccess tokens?\b", r"\brefresh tokens?\b", r"\bapi tokens?\b", r"\bsession tokens?\b",
        r"\breset tokens?\b", r"\bid tokens?\b", r"\bbearer\b",
        r"\btokens? (expir|revo|rotat|leak|refresh|theft|stor)", r"\bsigning\b", r"\bhmac\b",
        r"\bsignatures? (verif|check|validat)", r"\bverif\w* (the |a |its )?signatures?\b",
        r"\bwebhook signatures?\b", r"\bdigital signatures?\b", r"\bsigned (url|cookie|request|payload)s?\b",
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
class _Rule:
    name: str
    priority: str | None
    words: tuple[str, ...]
    """In lower case: every match of `worded` holds one of them."""
    worded: re.Pattern | None
    """The rule's patterns that start with a word."""
    others: re.Pattern | None
    """The rest of them."""


@dataclass(frozen=True)
class Classifier:
    rules: tuple[_Rule, ...]

    def classify(self, text: str) -> tuple[str, str | None]:
        """(category, the rule's priority or None)."""
        # A case-insensitive search tries every pattern at every character (0.1 ms
        # a TODO with the default rules): patterns none of whose words an ASCII
        # text holds cannot match it, and are not tried.
        lowered = text.lower() if text.isascii() else None
        for rule in self.rules:
            if rule.others is not None and rule.others.search(text):
                return rule.name, rule.priority
            if rule.worded is not None and (lowered is None or any(word in lowered for word in rule.words)) \
                    and rule.worded.search(text):
                return rule.name, rule.priority
        return UNCATEGORISED, None


def _pattern(entry: str) -> str:
    # A plain word or phrase matches as a whole word; anything else is a regex.
    return rf"\b{re.escape(entry)}\b" if re.fullmatch(r"[\w][\w ]*", entry) else entry


_META = frozenset(".^$*+?{}[]()|\\")


def required_word(pattern: str) -> str | None:
    """The text every match of `pattern` starts with (after a leading \\b), in
    lower case, if it is ASCII and two characters or more; else None."""
    if _alternatives_at_top(pattern):
        return None
    taken, at = [], 2 if pattern.startswith(r"\b") else 0
    while at < len(pattern):
        char, step = pattern[at], 1
        if char == "\\" and at + 1 < len(pattern) and not pattern[at + 1].isalnum():
            char, step = pattern[at + 1], 2  # an escaped punctuation mark: itself
        elif char in _META:
            break
        following = pattern[at + step:at + step + 1]
        if following in ("?", "*", "{"):
            break  # this character may be left out
        taken.append(char)
        at += step
        if following == "+":
            break
    word = "".join(taken).lower()
    return word if len(word) >= 2 and word.isascii() else None


def _alternatives_at_top(pattern: str) -> bool:
    """Whether `pattern` has a "|" outside any group or class."""
    depth, in_class, at = 0, False, 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            at += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            at += 1 if pattern[at + 1:at + 2] != "]" else 2  # "[]…]": the "]" is a member
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
        at += 1
    return False


def _rule(rule: CategoryRule) -> _Rule:
    patterns = [_pattern(entry) for entry in rule.match]
    words = {pattern: required_word(pattern) for pattern in patterns}
    return _Rule(rule.name, rule.priority, tuple(dict.fromkeys(word for word in words.values() if word)),
                 _either([p for p in patterns if words[p]]), _either([p for p in patterns if not words[p]]))


def _either(patterns: list[str]) -> re.Pattern | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.I) if patterns else None


def classifier(rules: tuple[CategoryRule, ...] | None) -> Classifier:
    chosen = DEFAULT_RULES if rules is None else rules
    return Classifier(tuple(_rule(rule) for rule in chosen if rule.match))
