"""YAML in and out: line-aware loading for hand-written files, fast and
deterministic loading and dumping for generated content files.

Generated content files use one fixed layout: block mappings and sequences
for structure, and for every value a JSON scalar, a JSON list, or (for long
lists of records such as tasks) one JSON object per line. JSON values are
valid YAML, so any YAML reader loads these files; sitegen itself reads that
layout with the C `json` module, which is about 20× faster than PyYAML's
Python constructor, and falls back to PyYAML for anything else (a
hand-edited file, say). The two readers give the same data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.scanner import ScannerError

from sitegen.errors import SitegenError
from sitegen.safetext import may_hold_surrogates, scrub, scrub_all

MAX_DEPTH = 100
"""How deep a hand-written YAML file (sitegen.yaml, triage.yaml, front
matter) may nest: PyYAML's Python composer and constructor recurse once a
level or more. libyaml, which reads content files, stops at 1,000 itself."""


class LineDict(dict):
    """A mapping that remembers the line (1-based) of each key."""

    def __init__(self, *args: Any, line: int = 0, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.line = line
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence that remembers its own line and the line of each entry."""

    def __init__(self, *args: Any, line: int = 0, item_lines: list[int] | None = None):
        super().__init__(*args)
        self.line = line
        self.item_lines = item_lines or []

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


_MAX_INT_BITS = 256


class _Checked:
    """Loader behaviour for text nobody checked: strings never hold lone
    surrogates (an escape such as "\\ud800" can make one, and it could not be
    written out as UTF-8), and a value PyYAML cannot build (2023-02-30, an
    integer of 5,000 digits, "!!bool x") is a YAML error at its line, not a
    ValueError or KeyError; so is an integer of more than _MAX_INT_BITS bits."""

    def construct_yaml_str(self, node):
        return scrub(super().construct_yaml_str(node))

    def construct_object(self, node, deep=False):
        try:
            value = super().construct_object(node, deep)
        except (ValueError, OverflowError, KeyError, AttributeError, IndexError, TypeError) as exc:
            # e.g. ValueError: 2023-02-30; KeyError: "!!bool x"; AttributeError: "!!timestamp x"
            raise ConstructorError(None, None, f"cannot read this value ({type(exc).__name__}: {exc})",
                                   node.start_mark) from None
        # 0b1111… or 1:59:59:… can spell integers too long for str() to print.
        if type(value) is int and value.bit_length() > _MAX_INT_BITS:
            raise ConstructorError(None, None, "this number is too large", node.start_mark)
        return value


class _Bounded(_Checked):
    """A Python (not libyaml) loader that refuses nesting deeper than MAX_DEPTH."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def fetch_flow_collection_start(self, token_class):
        # The scanner reads up to 1,024 characters ahead while a "[" may still
        # start a key, at a cost that grows with the nesting: stop it early.
        if self.flow_level >= MAX_DEPTH:
            raise ScannerError(None, None, f"nested more than {MAX_DEPTH} levels deep", self.get_mark())
        super().fetch_flow_collection_start(token_class)

    def compose_node(self, parent, index):
        if self._depth >= MAX_DEPTH:
            raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                self.peek_event().start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


class _SafeLoader(_Bounded, yaml.SafeLoader):
    pass


_SafeLoader.add_constructor("tag:yaml.org,2002:str", _SafeLoader.construct_yaml_str)


class _FastLoader(_Checked, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


_FastLoader.add_constructor("tag:yaml.org,2002:str", _FastLoader.construct_yaml_str)


class _LineLoader(_Bounded, yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        if not isinstance(node, yaml.MappingNode):  # "!!map x"
            raise ConstructorError(None, None, f"expected a mapping, but found {node.id}", node.start_mark)
        self.flatten_mapping(node)
        result = LineDict(line=node.start_mark.line + 1)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):  # unhashable: a sequence or mapping used as a key
                raise ConstructorError(None, None, "a key must be a plain value, not a list or mapping",
                                       key_node.start_mark)
            if key in result:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node, deep=False):  # type: ignore[override]
        if not isinstance(node, yaml.SequenceNode):  # "!!seq x"
            raise ConstructorError(None, None, f"expected a sequence, but found {node.id}", node.start_mark)
        return LineList(
            (self.construct_object(child, deep=True) for child in node.value),
            line=node.start_mark.line + 1,
            item_lines=[child.start_mark.line + 1 for child in node.value],
        )


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:str", _LineLoader.construct_yaml_str)


def problem(exc: yaml.YAMLError) -> str:
    """What is wrong, in one line (a ReaderError has a reason, not a problem)."""
    said = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
    return " ".join(str(said).split())


def _syntax_error(exc: yaml.YAMLError, path: Path | str, text: str) -> SitegenError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line = mark.line + 1
    elif isinstance(getattr(exc, "position", None), int):  # a ReaderError: a character offset
        line = text.count("\n", 0, exc.position) + 1
    else:
        line = None
    return SitegenError(f"invalid YAML: {problem(exc)}", path, line)


def load_with_lines(text: str, path: Path | str) -> Any:
    """Parse a hand-written YAML file; mappings and lists know their lines."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, path, text) from None


def load_untrusted(text: str) -> Any:
    """A YAML snippet from the scanned tree (front matter); raises yaml.YAMLError."""
    return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a SafeLoader subclass


def load_fast(text: str, path: Path | str) -> Any:
    try:
        return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - the safe C loader
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, path, text) from None
    except RecursionError:  # libyaml's own bound (1,000 levels) is deeper than Python's stack
        raise SitegenError("invalid YAML: nested too deeply", path) from None


# --- the content-file layout ---------------------------------------------------

# Characters JSON leaves raw that YAML would reject or fold into a space.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_KEY_LINE = re.compile(r'([A-Za-z_][\w-]*|"(?:[^"\\]|\\.)*"):(?: (.+))?')
_PLAIN_KEY = re.compile(r"[A-Za-z_][\w-]*")


_ENCODER = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps(**kw) builds one per call


def _encoder_made_once(encoder: json.JSONEncoder) -> Callable[[Any], str]:
    """`encoder.encode`, with the C encoder it would build on every call for
    a list or a mapping (1.6 of the 4.5 us a task's line takes) built once.
    No check for circular references: records never hold one. Where the C
    encoder is missing or takes other arguments, `encoder.encode` itself."""
    try:
        from _json import make_encoder

        made = make_encoder(None, encoder.default, json.encoder.encode_basestring, None, encoder.key_separator,
                            encoder.item_separator, False, False, True)
        sample = {"a": [1, None, True, "é\"\n"], "b": {}}
        if "".join(made(sample, 0)) != encoder.encode(sample):
            return encoder.encode
    except (ImportError, TypeError):
        return encoder.encode
    return lambda value: "".join(made(value, 0))


_ENCODE = _encoder_made_once(_ENCODER)
_ENCODE_STRING = json.encoder.encode_basestring


def _json(value: Any) -> str:
    # Scalars directly: the encoder's general path costs ~1.5 us for an int or None.
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    kind = type(value)
    if kind is int:
        return str(value)
    text = _ENCODE_STRING(value) if kind is str else _ENCODE(value)
    return text if text.isascii() and "\x7f" not in text else _yaml_safe(text)


def _yaml_safe(text: str) -> str:
    # Every value is a JSON text made safe by this, and outside them the
    # layout writes only indentation, "- ", ":" and plain keys. Each value
    # apart: isascii answers at once for most (CPython knows), where a search
    # of a whole document's text cost 5 ns a character.
    if _YAML_UNSAFE.search(text):
        text = _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


# Plain words YAML 1.1 reads as booleans or null, not as text.
_RESERVED_WORDS = frozenset("yes no true false on off null".split())


@lru_cache(maxsize=1024)  # the same few keys, in every record
def _key(key: str) -> str:
    if _PLAIN_KEY.fullmatch(key) and key.lower() not in _RESERVED_WORDS:
        return key
    return _json(key)


def dump_content(data: dict, one_line_lists: frozenset[str]) -> str:
    """`data` in the content-file layout; lists of mappings under a key in
    `one_line_lists` get one JSON object per line."""
    out: list[str] = []
    _emit_mapping(data, 0, out, one_line_lists, lead="")
    return "".join(out)


def dump_content_item(data: dict, one_line_lists: frozenset[str]) -> str:
    """`data` as one item ("- key: …") of a top-level sequence in that layout."""
    out: list[str] = []
    _emit_mapping(data, 2, out, one_line_lists, lead="- ")
    return "".join(out)


def one_line_items(items: list[dict]) -> list[str]:
    """The lines `dump_content` writes for `items` in a top-level list of
    `one_line_lists`, made apart (so that they can be cached and joined)."""
    return [f"- {_json(item)}\n" for item in items]


def items_of_lines(lines: list[str]) -> list[dict]:
    """The items of lines made by `one_line_items` (escapes read back as the
    characters they stand for)."""
    return [json.loads(line[2:]) for line in lines]


def _emit_mapping(mapping: dict, indent: int, out: list[str], one_line: frozenset[str], lead: str) -> None:
    pad = " " * indent
    if not mapping:
        out.append(f"{lead or pad}{{}}\n")
        return
    for index, (key, value) in enumerate(mapping.items()):
        prefix = lead if index == 0 and lead else pad
        key = _key(key)
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out.append(f"{prefix}{key}:\n")
            if key in one_line:
                out.extend(f"{pad}- {_json(item)}\n" for item in value)
            else:
                for item in value:
                    _emit_mapping(item, indent + 2, out, one_line, lead=f"{pad}- ")
        elif isinstance(value, dict) and value:
            out.append(f"{prefix}{key}:\n")
            _emit_mapping(value, indent + 2, out, one_line, lead="")
        else:
            out.append(f"{prefix}{key}: {_json(value)}\n")


class _NotTheLayout(Exception):
    pass


def _reject(token: str) -> Any:
    raise _NotTheLayout(token)


# Floats and NaN are never written, and YAML 1.1 reads some JSON numbers
# differently: leave such files to PyYAML.
_DECODER = json.JSONDecoder(parse_float=_reject, parse_constant=_reject)
_CONSTANTS = {"null": None, "true": True, "false": False}


def _loads(text: str) -> Any:
    if text in _CONSTANTS:
        return _CONSTANTS[text]
    try:
        return _DECODER.decode(text)
    except (ValueError, RecursionError):
        raise _NotTheLayout(text) from None


class _LayoutReader:
    """Reads the content-file layout; raises _NotTheLayout on anything else."""

    def __init__(self, text: str):
        # Each line becomes (indent, is_item_marker, text); "  - x" becomes a
        # marker at indent 2 followed by "x" at indent 4, as YAML reads it.
        self.tokens: list[tuple[int, bool, str]] = []
        for line in text.split("\n"):
            if not line:
                continue
            body = line.lstrip(" ")
            indent = len(line) - len(body)
            if body.startswith("- "):
                self.tokens.append((indent, True, ""))
                self.tokens.append((indent + 2, False, body[2:]))
            elif body.startswith(("#", "\t", "-")) or body.endswith(" "):
                raise _NotTheLayout(line)
            else:
                self.tokens.append((indent, False, body))

    def read(self) -> Any:
        if not self.tokens:
            raise _NotTheLayout("empty")
        value, end = self._value(0, 0)
        if end != len(self.tokens):
            raise _NotTheLayout("trailing lines")
        return value

    def _value(self, pos: int, depth: int) -> tuple[Any, int]:
        if depth > MAX_DEPTH:  # never in sitegen's own files: PyYAML's C loader decides
            raise _NotTheLayout("nested too deeply")
        indent, is_item, text = self.tokens[pos]
        if is_item:
            return self._sequence(pos, indent, depth)
        if _KEY_LINE.fullmatch(text):
            return self._mapping(pos, indent, depth)
        return _loads(text), pos + 1

    def _sequence(self, pos: int, indent: int, depth: int) -> tuple[list, int]:
        items = []
        while pos < len(self.tokens) and self.tokens[pos][:2] == (indent, True):
            value, pos = self._value(pos + 1, depth + 1)
            items.append(value)
        return items, pos

    def _mapping(self, pos: int, indent: int, depth: int) -> tuple[dict, int]:
        mapping: dict[str, Any] = {}
        tokens = self.tokens
        while pos < len(tokens) and tokens[pos][0] == indent and not tokens[pos][1]:
            match = _KEY_LINE.fullmatch(tokens[pos][2])
            if match is None:
                raise _NotTheLayout(tokens[pos][2])
            key, rest = match.groups()
            if key.startswith('"'):
                key = _loads(key)
            pos += 1
            if rest is not None:
                mapping[key] = _loads(rest)
            elif pos < len(tokens) and (tokens[pos][0] > indent or tokens[pos][:2] == (indent, True)):
                mapping[key], pos = self._value(pos, depth + 1)
            else:
                mapping[key] = None
        return mapping, pos


def load_content(text: str, path: Path | str) -> Any:
    """A content file: the fast reader for sitegen's own layout, else PyYAML."""
    try:
        data = _LayoutReader(text).read()
    except (_NotTheLayout, IndexError):
        return load_fast(text, path)
    # sitegen never writes a lone surrogate; a hand edit may spell one.
    return scrub_all(data) if may_hold_surrogates(text) else data
