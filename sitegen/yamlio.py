"""YAML in and out: line-aware loading for hand-written files, fast and
deterministic loading and dumping for generated content files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sitegen.errors import SitegenError

FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FastDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


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


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):  # type: ignore[override]
        self.flatten_mapping(node)
        result = LineDict(line=node.start_mark.line + 1)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in result:
                raise yaml.MarkedYAMLError(
                    problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
                )
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_sequence(self, node, deep=False):  # type: ignore[override]
        return LineList(
            (self.construct_object(child, deep=True) for child in node.value),
            line=node.start_mark.line + 1,
            item_lines=[child.start_mark.line + 1 for child in node.value],
        )


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)


def _syntax_error(exc: yaml.YAMLError, path: Path | str) -> SitegenError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    line = mark.line + 1 if mark is not None else None
    return SitegenError(f"invalid YAML: {problem}", path, line)


def load_with_lines(text: str, path: Path | str) -> Any:
    """Parse a hand-written YAML file; mappings and lists know their lines."""
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, path) from None


def load_fast(text: str, path: Path | str) -> Any:
    try:
        return yaml.load(text, Loader=FastLoader)  # noqa: S506 - the safe C loader
    except yaml.YAMLError as exc:
        raise _syntax_error(exc, path) from None


def dump(data: Any) -> str:
    """Deterministic YAML: keys in the order given, unicode kept, no wrapping."""
    return yaml.dump(
        data,
        Dumper=FastDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100_000,
        default_flow_style=False,
    )
