"""When each TODO's line was last changed, and by whom, from `git blame`
(`todos.blame: true`).

Only the TODOs' own lines are blamed (`-L n,n` ranges), a file at a time, a
few files at once. A file whose content is HEAD's is cached by its blob id:
its lines' blame cannot change while the blob is the same, so a run after one
commit blames only the files that commit changed. Files with uncommitted
changes are blamed every run (their new lines have no commit yet: no date).
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sitegen.cache import load_keyed, save_keyed, settings_key
from sitegen.gittree import output

Blamed = tuple[str, str]
"""(the day the line was last changed, YYYY-MM-DD; its author)."""
UNCOMMITTED = "0" * 40


def _blobs(top: Path, prefix: str) -> dict[str, str]:
    """Path (relative to `top`) → blob id at HEAD, for the files under `prefix`."""
    listed = output(top, "ls-tree", "-r", "-z", "HEAD", "--", prefix or ".") or b""
    blobs = {}
    for entry in listed.split(b"\0"):
        if entry:
            meta, _, path = entry.partition(b"\t")
            blobs[path.decode("utf-8", "surrogateescape")] = meta.split()[2].decode()
    return blobs


def _changed(top: Path, prefix: str) -> set[str]:
    """Tracked files whose working copy differs from HEAD."""
    listed = output(top, "diff", "--name-only", "-z", "HEAD", "--", prefix or ".") or b""
    return {path.decode("utf-8", "surrogateescape") for path in listed.split(b"\0") if path}


def _parsed(porcelain: bytes) -> dict[int, Blamed]:
    """Line number → blame, from `git blame --line-porcelain` output."""
    out: dict[int, Blamed] = {}
    line = author = when = None
    commit = ""
    for raw in porcelain.split(b"\n"):
        if raw.startswith(b"\t"):
            if line is not None and commit != UNCOMMITTED and when is not None:
                out[line] = (datetime.fromtimestamp(when, timezone.utc).strftime("%Y-%m-%d"), author or "")
            line = author = when = None
        elif line is None and raw:
            fields = raw.split()
            commit, line = fields[0].decode(), int(fields[2])
        elif raw.startswith(b"author "):
            author = raw[7:].decode("utf-8", "replace")
        elif raw.startswith(b"author-time "):
            when = int(raw[12:])
    return out


def _blame_file(top: Path, path: str, lines: list[int]) -> dict[int, Blamed]:
    ranges = [arg for n in sorted(set(lines)) for arg in ("-L", f"{n},{n}")]
    porcelain = output(top, "blame", "--line-porcelain", *ranges, "--", path)
    return _parsed(porcelain) if porcelain else {}


def _todo_lines(todos: Iterable, root_at: str) -> dict[str, list[tuple[int, str]]]:
    """Path relative to the repository's top → (line, TODO id) of its TODOs."""
    by_file: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for todo in todos:
        path = todo.file if root_at in ("", ".") else f"{root_at}/{todo.file}"
        by_file[path].append((todo.line, todo.id))
    return by_file


CACHE_FILE = "blame.marshal"


def _is_blame(value) -> bool:
    return (isinstance(value, dict) and all(isinstance(line, int) and isinstance(b, tuple) and len(b) == 2
                                            and all(isinstance(part, str) for part in b) for line, b in value.items()))


def _cached(cache_dir: Path | None) -> dict[str, dict[int, Blamed]]:
    """"path\0blob" → its TODO lines' blame, as the last run left them (entries of another shape dropped)."""
    data = load_keyed(cache_dir / CACHE_FILE, settings_key("blame")) if cache_dir is not None else None
    return {key: value for key, value in (data or {}).items() if isinstance(key, str) and _is_blame(value)}


@dataclass(frozen=True)
class Blame:
    lines: dict[str, Blamed]
    """TODO id → (day its line was last changed, author), for the TODOs whose line is committed."""
    blamed: int = 0
    """Files `git blame` ran on this time."""
    cached: int = 0
    """Files whose blame came from the cache."""
    seconds: float = 0.0

    def said(self) -> str:
        return (f"blame: {len(self.lines)} TODO line(s) dated; {self.blamed} file(s) blamed, "
                f"{self.cached} from the cache, in {self.seconds:.2f}s")


def blame_todos(root: Path, todos: Iterable, cache_dir: Path | None) -> Blame:
    """When each TODO's line was last changed and by whom; nothing outside a git repository."""
    started = time.perf_counter()
    top_out = output(root, "rev-parse", "--show-toplevel")
    if top_out is None:
        return Blame({})
    top = Path(top_out.decode().strip())
    root_at = Path(os.path.relpath(root.resolve(), top.resolve())).as_posix()
    by_file = _todo_lines(todos, root_at)
    blobs, changed = _blobs(top, root_at), _changed(top, root_at)
    known = _cached(cache_dir)
    fresh: dict[str, dict[int, Blamed]] = {}
    kept: dict[str, dict[int, Blamed]] = {}
    to_blame = []
    for path, entries in by_file.items():
        blob = blobs.get(path)
        if blob is None:
            continue  # not committed: no blame
        key = f"{path}\0{blob}"
        if path not in changed and key in known:
            kept[key] = known[key]
        else:
            to_blame.append((path, key, [line for line, _ in entries], path not in changed))
    with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 1) * 2)) as pool:
        results = pool.map(lambda job: _blame_file(top, job[0], job[2]), to_blame)
        for (path, key, _, cacheable), lines in zip(to_blame, results):
            fresh[path] = lines
            if cacheable:
                kept[key] = lines
    if cache_dir is not None and kept != known:
        save_keyed(cache_dir / CACHE_FILE, settings_key("blame"), kept)
    out: dict[str, Blamed] = {}
    for path, entries in by_file.items():
        blob = blobs.get(path)
        lines = fresh.get(path) or kept.get(f"{path}\0{blob}", {})
        for line, todo_id in entries:
            if line in lines:
                out[todo_id] = lines[line]
    return Blame(dict(sorted(out.items())), len(to_blame), len(by_file) - len(to_blame),
                 time.perf_counter() - started)

