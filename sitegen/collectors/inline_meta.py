"""Metadata written inline in a task's text: owners, tags, due dates, file
paths and links. The text itself is kept as written; this only reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from sitegen import priority
from sitegen.collectors import lexers

_TICKS = re.compile(r"`+")
# Link text and URL stop at the next "[" and autolinks at the next "<": a scan
# from one opening bracket never runs over the next one, which keeps a text of
# many unclosed brackets linear.
_MD_LINK = re.compile(r"\[[^\[\]]*\]\(\s*<?([^)\s>\[]++)>?(?:\s+[\"'(][^)\[]*)?\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_BARE_URL = re.compile(r"https?://[^\s<>()\[\]`]+")
_OWNER = re.compile(r"(?<![\w.@/])@([A-Za-z0-9](?:[\w.-]*[A-Za-z0-9_])?)")
_TAG = re.compile(r"(?<![\w&#/])#([A-Za-z][\w/-]*)")
_DUE = re.compile(r"(?:\bdue\s*[:=]\s*|📅\s*)(\d{4}-\d{2}-\d{2})", re.I)
_EXTERNAL = re.compile(r"^(?:https?://|mailto:)", re.I)
_PATH_LINE = re.compile(r":\d+(?:-\d+)?$")
_PATHLIKE = re.compile(r"^(?:\.{1,2}/)?[\w.@+-]+(?:/[\w.@+-]+)*/?$")

# A code span names a file if its extension or name is one the language table
# knows ("m": Objective-C or MATLAB, told apart by content there).
FILE_EXTENSIONS = frozenset(lexers.EXTENSIONS) | {"m"}
FILE_NAMES = frozenset(lexers.FILE_NAMES)


@dataclass
class InlineMeta:
    priority: str | None = None
    owners: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    due: str | None = None
    files: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))


def code_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, content) of each code span, paired as CommonMark pairs
    them: a run of n backticks, up to the next run of exactly n. Linear (a
    regex with a back-reference takes cubic time on a run of backticks)."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    same_after: list[int | None] = [None] * len(runs)  # the next run of the same length
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        same_after[index] = last.get(length)
        last[length] = index
    spans, index = [], 0
    while index < len(runs):
        close = same_after[index]
        if close is None:  # no closing run: these backticks are text
            index += 1
            continue
        spans.append((runs[index][0], runs[close][1], text[runs[index][1]:runs[close][0]]))
        index = close + 1
    return spans


@lru_cache(maxsize=4096)  # documents name the same few paths again and again
def file_reference(code: str) -> str | None:
    """The repo path a code span names (`src/app.py:12` → src/app.py), or None."""
    code = code.strip()
    path = _PATH_LINE.sub("", code)
    if not _PATHLIKE.match(path) or path.startswith("/") or "://" in path:
        return None
    if path.endswith("/") and len(path) > 1:  # a folder, written as one
        return path
    name = path.rstrip("/").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in FILE_EXTENSIONS or name in FILE_NAMES or name.startswith(".env"):
        return path
    if "/" in path.strip("/") and not path.replace("/", "").replace(".", "").isdigit():
        return path
    return None


def parse(text: str) -> InlineMeta:
    meta = InlineMeta()
    # Most tasks carry no metadata: each pattern runs only when its marker is there.
    if "`" in text and (spans := code_spans(text)):
        meta.files = _unique(f for f in map(file_reference, (content for _, _, content in spans)) if f)
        parts, end = [], 0
        for start, stop, _ in spans:
            parts += [text[end:start], " "]
            end = stop
        text = "".join(parts) + text[end:]
    if "](" in text or "<" in text or "://" in text:
        links = [m.group(1) for m in _MD_LINK.finditer(text)]
        links += [m.group(1) for m in _AUTOLINK.finditer(text)]
        text = _AUTOLINK.sub(" ", _MD_LINK.sub(" ", text))
        links += [m.group().rstrip(".,;:!?'\"") for m in _BARE_URL.finditer(text)]
        text = _BARE_URL.sub(" ", text)
        # Only links to other sites are metadata; relative ones point into the repo.
        meta.links = _unique(link for link in links if _EXTERNAL.match(link))
    if "@" in text:
        meta.owners = _unique(_OWNER.findall(text))
    if "#" in text:
        meta.tags = _unique(_TAG.findall(text))
    if "📅" in text or "due" in text or "Due" in text or "DUE" in text:
        due = _DUE.search(text)
        meta.due = due.group(1) if due else None
    meta.priority = priority.in_item(text)
    return meta
