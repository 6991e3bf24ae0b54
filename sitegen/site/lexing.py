"""Pygments' RegexLexer loop, trying only the rules that can match the next character.

Pygments tries a state's rules one by one at every position: about forty
failed `re.match` calls for each token of Python source, 1.5 ms for a
seven-line snippet, which made highlighting most of a large site's build.
Here each state's rules are sorted, once, by the characters a match can start
with; at each position only the rules that can match there are tried, in their
order. A rule left out could not have matched, so the first rule that matches
is pygments' choice and the tokens are the same (tests/test_highlight_lexing.py
compares them on real files and generated text; bench/highlight_lexing.py on
whole trees). Lexing a snippet takes about a quarter of the time.

The characters a rule can start with are read from its parsed pattern, for
ASCII only. A construct not followed (a backreference, a conditional, a
character class that ignores case beyond ASCII), or a rule that can match
empty, makes the rule a candidate at every position. Lexers that replace
pygments' loop with their own (C's, Ruby's, JSON's) keep theirs.
"""

from __future__ import annotations

import functools
import re
from re import _constants as sre  # the parser's node kinds (Python 3.11+)
from re import _parser as sre_parse
from typing import Iterator

from pygments.lexer import RegexLexer, _TokenType
from pygments.token import Error, Whitespace

Rule = tuple  # (rexmatch, action, new_state), as pygments processes a state's rules

_ASCII = frozenset(range(128))
_SPACE = frozenset(i for i in range(128) if re.match(r"\s", chr(i)))
_DIGIT = frozenset(range(ord("0"), ord("9") + 1))
_WORD = frozenset(i for i in range(128) if re.match(r"\w", chr(i)))
_LINEBREAK = frozenset({ord("\n")})
_CATEGORIES = {
    **dict.fromkeys((sre.CATEGORY_DIGIT, sre.CATEGORY_UNI_DIGIT), _DIGIT),
    **dict.fromkeys((sre.CATEGORY_NOT_DIGIT, sre.CATEGORY_UNI_NOT_DIGIT), _ASCII - _DIGIT),
    **dict.fromkeys((sre.CATEGORY_SPACE, sre.CATEGORY_UNI_SPACE), _SPACE),
    **dict.fromkeys((sre.CATEGORY_NOT_SPACE, sre.CATEGORY_UNI_NOT_SPACE), _ASCII - _SPACE),
    **dict.fromkeys((sre.CATEGORY_WORD, sre.CATEGORY_UNI_WORD), _WORD),
    **dict.fromkeys((sre.CATEGORY_NOT_WORD, sre.CATEGORY_UNI_NOT_WORD), _ASCII - _WORD),
    **dict.fromkeys((sre.CATEGORY_LINEBREAK, sre.CATEGORY_UNI_LINEBREAK), _LINEBREAK),
    **dict.fromkeys((sre.CATEGORY_NOT_LINEBREAK, sre.CATEGORY_UNI_NOT_LINEBREAK), _ASCII - _LINEBREAK),
}
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)


class _Unfollowed(Exception):
    """A construct the first-character reading does not follow."""


def _cased(codes, ignorecase: bool) -> frozenset[int]:
    if not ignorecase:
        return frozenset(codes)
    out = set(codes)
    for code in codes:
        out.update(ord(c) for c in (chr(code).lower(), chr(code).upper()) if ord(c) < 128)
    return frozenset(out)


def _literal(code: int, ignorecase: bool) -> frozenset[int]:
    if code >= 128:
        # A few letters beyond ASCII match ASCII ones when case is ignored
        # (U+017F long s, U+212A Kelvin sign).
        if not ignorecase:
            return frozenset()
        return frozenset(i for i in range(128) if re.fullmatch(re.escape(chr(code)), chr(i), re.I))
    return _cased({code}, ignorecase)


def _class(items, ignorecase: bool) -> frozenset[int]:
    codes: set[int] = set()
    negated = False
    for op, arg in items:
        if op is sre.NEGATE:
            negated = True
        elif op is sre.LITERAL:
            codes |= _literal(arg, ignorecase)
        elif op is sre.RANGE and not (ignorecase and arg[1] >= 128):
            codes |= _cased(range(arg[0], min(arg[1], 127) + 1), ignorecase)
        elif op is sre.CATEGORY and arg in _CATEGORIES:
            codes |= _CATEGORIES[arg]
        else:
            raise _Unfollowed
    if negated:
        if ignorecase:
            raise _Unfollowed
        return _ASCII - codes
    return frozenset(codes)


def _first(nodes, flags: int) -> tuple[frozenset[int], bool]:
    """(the ASCII codes a match of `nodes` can start with, whether it can be empty)."""
    codes: frozenset[int] = frozenset()
    ignorecase = bool(flags & re.I)
    for op, arg in nodes:
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue  # anchors and lookarounds consume nothing: the next node decides
        if op is sre.LITERAL:
            return codes | _literal(arg, ignorecase), False
        if op is sre.NOT_LITERAL and not ignorecase:
            return codes | (_ASCII - {arg}), False
        if op is sre.IN:
            return codes | _class(arg, ignorecase), False
        if op is sre.ANY:
            return codes | (_ASCII if flags & re.S else _ASCII - _LINEBREAK), False
        if op is sre.SUBPATTERN:  # (group, flags added, flags removed, nodes)
            more, empty = _first(arg[3], (flags | arg[1]) & ~arg[2])
        elif op is sre.ATOMIC_GROUP:
            more, empty = _first(arg, flags)
        elif op is sre.BRANCH:
            firsts = [_first(alternative, flags) for alternative in arg[1]]
            more = frozenset().union(*(f for f, _ in firsts))
            empty = any(e for _, e in firsts)
        elif op in _REPEATS:
            more, empty = _first(arg[2], flags)
            empty = empty or arg[0] == 0
        else:
            raise _Unfollowed
        codes |= more
        if not empty:
            return codes, False
    return codes, True


def first_codes(pattern: re.Pattern) -> frozenset[int] | None:
    """The ASCII codes a match of `pattern` can start with; None when it may
    start anywhere or the reading cannot tell."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        codes, empty = _first(parsed.data, parsed.state.flags)
    except (_Unfollowed, re.error, AttributeError, TypeError, ValueError, IndexError):
        return None
    return None if empty else codes


class _States:
    """A lexer's states, each with its rules sorted by first character when first entered."""

    def __init__(self, tokendefs: dict[str, list[Rule]]):
        self.tokendefs = tokendefs
        self.by_code: dict[str, list[tuple[Rule, ...]]] = {}
        """State name → for each character code 0–127, and 128 for any other
        character or the end: the rules that can match there, in their order."""

    def sort(self, name: str) -> list[tuple[Rule, ...]]:
        """State `name`'s rules by the character a match starts with (`by_code`)."""
        rules = self.tokendefs[name]
        firsts = [_first_codes_of(rexmatch) for rexmatch, _, _ in rules]
        chosen: dict[tuple[int, ...], tuple[Rule, ...]] = {}
        by_code = []
        for code in range(128):
            picked = tuple(i for i, first in enumerate(firsts) if first is None or code in first)
            by_code.append(chosen.setdefault(picked, tuple(rules[i] for i in picked)))
        by_code.append(tuple(rules))
        self.by_code[name] = by_code
        return by_code


def _first_codes_of(rexmatch) -> frozenset[int] | None:
    pattern = getattr(rexmatch, "__self__", None)
    return first_codes(pattern) if isinstance(pattern, re.Pattern) else None


def _next_state(statestack: list[str], new_state) -> None:
    """Pygments' state transitions, as RegexLexer.get_tokens_unprocessed makes them."""
    if isinstance(new_state, tuple):
        for state in new_state:
            if state == "#pop":
                if len(statestack) > 1:
                    statestack.pop()
            elif state == "#push":
                statestack.append(statestack[-1])
            else:
                statestack.append(state)
    elif isinstance(new_state, int):
        if abs(new_state) >= len(statestack):
            del statestack[1:]
        else:
            del statestack[new_state:]
    elif new_state == "#push":
        statestack.append(statestack[-1])
    else:
        raise AssertionError(f"wrong state def: {new_state!r}")


def _tokens(lexer: RegexLexer, states: _States, text: str, stack=("root",)) -> Iterator[tuple[int, object, str]]:
    """RegexLexer.get_tokens_unprocessed, trying only the rules that can match
    at the next character."""
    pos, end = 0, len(text)
    statestack = list(stack)
    sorted_states = states.by_code
    while True:
        by_code = sorted_states.get(statestack[-1]) or states.sort(statestack[-1])
        code = ord(text[pos]) if pos < end else 128
        for rexmatch, action, new_state in by_code[code if code < 128 else 128]:
            m = rexmatch(text, pos)
            if m:
                if action is not None:
                    if type(action) is _TokenType:
                        yield pos, action, m.group()
                    else:
                        yield from action(lexer, m)
                pos = m.end()
                if new_state is not None:
                    _next_state(statestack, new_state)
                break
        else:
            # No rule matched: pygments' fallback, unchanged.
            if pos >= end:
                break
            if text[pos] == "\n":
                statestack = ["root"]
                yield pos, Whitespace, "\n"
            else:
                yield pos, Error, text[pos]
            pos += 1


def accelerated(lexer):
    """`lexer`, its tokens found with `_tokens` if it uses pygments' own loop."""
    if isinstance(lexer, RegexLexer) and type(lexer).get_tokens_unprocessed is RegexLexer.get_tokens_unprocessed:
        # Lexers with variants (C#'s unicode levels) keep their rules on the instance.
        lexer.get_tokens_unprocessed = functools.partial(_tokens, lexer, _States(lexer._tokens))
    return lexer
