"""Text from untrusted JSON and YAML, made fit to write out as UTF-8.

A file read as UTF-8 (or Latin-1) never holds a lone surrogate, but the
escapes of JSON and YAML can make one ("\\ud800"), and one such character in
a finding's title would make its page impossible to write. `scrub` joins
escaped pairs into the character they spell and replaces lone surrogates
with U+FFFD.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""How JSON text (and YAML's double-quoted strings) can spell a surrogate:
text decoded from UTF-8 holds none otherwise."""


def may_hold_surrogates(text: str) -> bool:
    """Whether `text` (JSON or YAML) holds a surrogate, or an escape that spells one."""
    return bool(SURROGATE_ESCAPE.search(text) or (not text.isascii() and _SURROGATE.search(text)))


def scrub(text: str) -> str:
    if text.isascii() or not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def scrub_all(value):
    """`value` (parsed JSON or YAML) with every string in it scrubbed, keys too.
    Iterative, so nesting depth costs no recursion; a list or mapping that
    occurs many times (a YAML alias) is visited once."""
    root = [value]
    stack = [(root, 0)]
    seen: set[int] = set()
    while stack:
        container, key = stack.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = scrub(item)
            continue
        if not isinstance(item, (list, dict)) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, list):
            stack.extend((item, index) for index in range(len(item)))
        elif isinstance(item, dict):
            if any(isinstance(k, str) and scrub(k) is not k for k in item):
                cleaned = {scrub(k) if isinstance(k, str) else k: v for k, v in item.items()}
                item.clear()
                item.update(cleaned)
            stack.extend((item, k) for k in list(item))
    return root[0]
