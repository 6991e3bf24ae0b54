"""sitegen.yaml → a typed, validated Config.

Every key is optional. An unknown key or a value of the wrong type is a
SitegenError naming the file, the line and the key.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from sitegen.errors import SitegenError
from sitegen.textio import read_text
from sitegen.yamlio import LineDict, load_with_lines

CONFIG_NAME = "sitegen.yaml"
BUNDLED_THEMES = Path(__file__).parent / "themes"


@dataclass(frozen=True)
class ChecklistsConfig:
    paths: tuple[str, ...] = ("**/TODO.md", "**/TASKS.md", "**/ROADMAP.md")


@dataclass(frozen=True)
class Config:
    base_dir: Path
    """The folder holding the config file (or the current folder without one)."""
    file: Path | None = None
    title: str = "Project health"
    root: str = "."
    content: str = "content"
    output: str = "public"
    base_url: str = ""
    theme: str = "default"
    checklists: ChecklistsConfig = field(default_factory=ChecklistsConfig)

    @property
    def root_dir(self) -> Path:
        return (self.base_dir / self.root).resolve()

    @property
    def content_dir(self) -> Path:
        return (self.base_dir / self.content).resolve()

    @property
    def output_dir(self) -> Path:
        return (self.base_dir / self.output).resolve()

    @property
    def theme_override_dir(self) -> Path | None:
        """The user's theme folder, or None for a bundled theme."""
        if self.theme in bundled_theme_names():
            return None
        return (self.base_dir / self.theme).resolve()


def bundled_theme_names() -> list[str]:
    return sorted(p.name for p in BUNDLED_THEMES.iterdir() if (p / "templates").is_dir())


# --- validation -------------------------------------------------------------

Check = Callable[[Any], bool]


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# key → (check, description of the expected type), or a nested spec for a section
Spec = dict[str, "tuple[Check, str] | Spec"]
_SPEC: Spec = {
    "title": (_is_str, "a string"),
    "root": (_is_str, "a string (a folder path)"),
    "content": (_is_str, "a string (a folder path)"),
    "output": (_is_str, "a string (a folder path)"),
    "base_url": (_is_str, "a string (an absolute URL)"),
    "theme": (_is_str, "a string (a bundled theme name or a folder path)"),
    "checklists": {"paths": (_is_str_list, "a list of glob patterns (strings)")},
}


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    for kind, name in ((bool, "a boolean"), (int, "a number"), (float, "a number"),
                       (str, "a string"), (dict, "a mapping"), (list, "a list")):
        if isinstance(value, kind):
            return name
    return type(value).__name__


def _unknown_key(key: Any, known: list[str], prefix: str, path: Path, line: int) -> SitegenError:
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"; did you mean '{prefix}{close[0]}'?" if close else f" (known keys: {', '.join(known)})"
    return SitegenError(f"unknown key '{prefix}{key}'{hint}", path, line)


def _checked(mapping: LineDict, spec: Spec, prefix: str, path: Path) -> dict[str, Any]:
    """The mapping's values, each checked against `spec`; sections become dicts."""
    values: dict[str, Any] = {}
    for key, value in mapping.items():
        line = mapping.line_of(key)
        if key not in spec:
            raise _unknown_key(key, list(spec), prefix, path, line)
        rule = spec[key]
        if isinstance(rule, dict):
            if value is None:
                continue
            if not isinstance(value, LineDict):
                raise SitegenError(f"'{prefix}{key}' must be a mapping, not {_type_name(value)}", path, line)
            values[key] = _checked(value, rule, f"{prefix}{key}.", path)
            continue
        check, expected = rule
        if not check(value):
            raise SitegenError(f"'{prefix}{key}' must be {expected}, not {_type_name(value)}", path, line)
        values[key] = value
    return values


def _validated(raw: Any, path: Path) -> dict[str, Any]:
    if raw is None:
        return {}
    if not isinstance(raw, LineDict):
        raise SitegenError(f"the config must be a mapping of keys, not {_type_name(raw)}", path, 1)
    values = _checked(raw, _SPEC, "", path)
    _check_theme(values.get("theme"), path, raw.line_of("theme"))
    return values


def _check_theme(theme: str | None, path: Path, line: int) -> None:
    if theme is None or theme in bundled_theme_names():
        return
    folder = path.parent / theme
    if not folder.is_dir():
        raise SitegenError(
            f"theme '{theme}' is neither a bundled theme ({', '.join(bundled_theme_names())}) "
            f"nor a folder", path, line,
        )


def _with_line_dicts_converted(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if key == "checklists":
            paths = value.get("paths")
            out[key] = ChecklistsConfig(tuple(paths)) if paths is not None else ChecklistsConfig()
        else:
            out[key] = value
    return out


def load_config(path: Path | None) -> Config:
    """Load `path`, or the defaults rooted at the current folder when it is None."""
    if path is None:
        return Config(base_dir=Path.cwd())
    if not path.is_file():
        raise SitegenError("config file not found", path)
    text, notice = read_text(path, str(path))
    if notice is not None:
        raise SitegenError("the config must be UTF-8 text", path, notice.line)
    values = _validated(load_with_lines(text, path), path)
    return Config(base_dir=path.parent.resolve(), file=path, **_with_line_dicts_converted(values))


def default_config_path() -> Path | None:
    candidate = Path.cwd() / CONFIG_NAME
    return candidate if candidate.is_file() else None
