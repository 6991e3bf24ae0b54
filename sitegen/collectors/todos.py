"""Marker comments (TODO, FIXME, …) in a source tree → Todo items.

Each file is read once as bytes. Most files hold no tag at all, and a
bytes-level search rules them out before any decoding or lexing; the rest are
decoded (UTF-8, else Latin-1 with a warning), lexed for their comments, and
searched for markers at the start of comments. Files that are binary (by
their extension, their first bytes, or a NUL byte in their first 8 KiB),
minified, too large or of no known language are skipped and counted.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen import content, gittree
from sitegen.cache import FileCache, settings_key
from sitegen.categories import Classifier, classifier
from sitegen.config import TodosConfig
from sitegen.errors import Notice
from sitegen.files import NotRead, read_regular
from sitegen.ids import normalised, stable_id
from sitegen.model import Todo
from sitegen.parallel import process_map
from sitegen.textio import decode
from sitegen.walk import Listing, WalkSummary

if TYPE_CHECKING:
    from sitegen.collectors import markers

MAX_FILE_BYTES = 2 * 1024 * 1024
CONTEXT_BEFORE, CONTEXT_AFTER = 2, 3
_MINIFIED_NAME = re.compile(r"[.-]min\.(?:js|css|mjs)$|\.bundle\.js$|\.js\.map$|\.css\.map$")
_SNIFF = 8192

# Extensions (lower case, no dot) of files that are binary whatever their
# first bytes hold: they are skipped as "binary" before they are read. A PDF,
# for one, may have no NUL byte in its first 8 KiB, and was then decoded as
# Latin-1 (with a warning) and lexed. An extension mapped to a syntax in
# `todos.languages` is read all the same.
BINARY_EXTENSIONS = frozenset("""
    pdf
    png jpg jpeg gif webp ico icns bmp tif tiff psd heic heif avif
    zip gz tgz bz2 tbz2 xz txz zst lz4 lzma 7z rar tar jar war ear whl egg apk deb rpm dmg iso cab
    ttf otf woff woff2 eot
    doc docx xls xlsx ppt pptx odt ods odp
    mp3 mp4 m4a m4v aac wav ogg oga ogv webm mov avi mkv flac
    so dll dylib exe o a class pyc pyo pyd wasm bin
    sqlite sqlite3 db
""".split())
# The first bytes of binary formats, for files with an unusual name (a PDF
# called `notes`): PDF, PNG, GIF, JPEG, zip (and docx, jar, whl…), gzip,
# bzip2, xz, 7z, rar, zstd, ELF, Mach-O and Java class, SQLite, WOFF,
# Photoshop, Ogg, FLAC, Matroska/WebM, old Office documents.
BINARY_SIGNATURES = (
    b"%PDF-", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"PK\x03\x04", b"PK\x05\x06",
    b"\x1f\x8b", *(b"BZh%d" % level for level in range(1, 10)), b"\xfd7zXZ\x00", b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07", b"\x28\xb5\x2f\xfd", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe", b"SQLite format 3\x00", b"wOFF", b"wOF2", b"8BPS", b"OggS", b"fLaC",
    b"\x1a\x45\xdf\xa3", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
)


@dataclass(frozen=True)
class _Settings:
    """What every worker needs to scan a file; built once, shared by fork."""

    tags: markers._TagMatcher
    tag_priority: dict[str, str]
    finders: tuple[Callable[[bytes], object], ...]
    """One per tag: whether lowered bytes hold it as a word (see `_word_finder`);
    a file whose lowered bytes hold none has no marker."""
    words: tuple[str, ...]
    """The tags in lower case, as text (for `last_tag_offset`)."""
    needles: tuple[bytes, ...]
    """The same, UTF-8 encoded."""
    opens: str
    """What starts a comment line that may open a marker (markers.opening): the lexer skips the rest."""
    languages: dict[str, str]
    classifier: Classifier

    def may_have_markers(self, data: bytes) -> bool:
        """Whether a tag stands in `data` as a word of its own, as every
        marker's tag does: a file where "todo" occurs only inside words
        ("todos", "xxxl") is never lexed."""
        return self.lowered_if_marked(data) is not None

    def lowered_if_marked(self, data: bytes) -> bytes | None:
        """`data` in lower case if `may_have_markers` (UTF-16 as it is), else None."""
        # bytes.lower() and find() run at hundreds of MB/s; a case-insensitive
        # regex over the same bytes runs at about 25 MB/s.
        if data.startswith(_UTF16_BOMS):
            return data  # its tags are not these bytes: decoded and lexed
        lowered = data.lower()
        return lowered if any(finder(lowered) for finder in self.finders) else None

    def last_tag_offset(self, data: bytes, lowered: bytes, text: str) -> int | None:
        """`last_tag_offset` of `text`, decoded from `data`: found in the lowered
        bytes when they are ASCII (the same offsets), without lowering the text."""
        if data.isascii():
            return max(lowered.rfind(needle) for needle in self.needles)
        return last_tag_offset(text, self.words)


_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _word_finder(needle: bytes) -> Callable[[bytes], object]:
    """A test of lower-cased bytes: whether `needle` occurs there with no
    letter, digit or "_" on either side (a needle that is not itself a word,
    anywhere)."""
    if not needle.isalnum():
        return lambda data: needle in data
    # The needle first, its boundaries after: the engine finds a literal
    # prefix quickly (2× a loop over bytes.find, which stopped at each "debug").
    word = re.escape(needle)
    return re.compile(rb"%s(?![a-z0-9_])(?<![a-z0-9_]%s)" % (word, word)).search


def last_tag_offset(text: str, words: tuple[str, ...]) -> int | None:
    """The offset of the last occurrence of any of the lower-case `words` in
    `text` (any case), or None when not known cheaply (text whose lower case
    has another length)."""
    if not text.isascii():
        return None
    lowered = text.lower()
    return max(lowered.rfind(word) for word in words)


@dataclass
class FileScan:
    path: str
    todos: list[Todo] = field(default_factory=list)
    """What the scan found; the cache and the parent keep only their lines."""
    skipped: str | None = None
    notice: Notice | None = None
    item_lines: list[str] = field(default_factory=list)
    """The TODOs as todos.yaml's lines (see _payload)."""


@dataclass
class TodoScan:
    item_lines: list[str] = field(default_factory=list)
    """The TODOs as content/todos.yaml's lines, one each."""
    file_digests: list[bytes] = field(default_factory=list)
    """A hash of the lines of each file that has TODOs, in the same order
    (`lines_digest`): what the scan is known by (`scan_digest`), with no
    pass over 5 MB of lines on every save of `sitegen serve`."""
    files_scanned: int = 0
    files_with_todos: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    skipped_links: dict[str, str] = field(default_factory=dict)
    """Symbolic links and special files passed over (path → why)."""
    notices: list[Notice] = field(default_factory=list)
    revision: str | None = None


def settings(config: TodosConfig) -> _Settings:
    # The lexers and marker patterns are imported by the first scan that reads a file: a warm
    # `collect` whose files are all unchanged never needs them (20 ms).
    from sitegen.collectors import markers

    tags = dict(config.tags)
    needles = tuple(sorted({t.lower().encode() for t in tags}))
    return _Settings(
        tags=markers.matcher(tags),
        tag_priority=tags,
        finders=tuple(_word_finder(needle) for needle in needles),
        words=tuple(sorted({t.lower() for t in tags})),
        needles=needles,
        opens=markers.opening(tags),
        languages=dict(config.languages),
        classifier=classifier(config.categories),
    )


def _looks_minified(text: str) -> bool:
    return len(text) > 20_000 and len(text) / (text.count("\n") + 1) > 1_000


def _context(lines: list[str], line: int) -> tuple[int, list[str]]:
    first = max(1, line - CONTEXT_BEFORE)
    context = [text.rstrip("\r") for text in lines[first - 1:line + CONTEXT_AFTER]]
    while len(context) > line - first + 1 and not context[-1].strip():
        context.pop()
    return first, context


def _binary_name(rel: str, languages: dict[str, str]) -> bool:
    stem, dot, extension = rel.rpartition("/")[2].rpartition(".")
    if not (dot and stem):
        return False
    extension = extension.lower()
    return extension in BINARY_EXTENSIONS and extension not in languages


def scan_file(shared: _Settings, job: tuple[str, str]) -> FileScan:
    rel, absolute = job
    result = FileScan(rel)
    if _MINIFIED_NAME.search(rel):
        result.skipped = "minified"
        return result
    if _binary_name(rel, shared.languages):
        result.skipped = "binary"
        return result
    try:
        data = read_regular(absolute, MAX_FILE_BYTES)
    except NotRead as exc:
        result.skipped = exc.reason
        return result
    except OSError as exc:
        result.skipped = "unreadable"
        result.notice = Notice(f"could not be read ({exc.strerror or exc})", rel)
        return result
    if not data.startswith(_UTF16_BOMS) and (b"\0" in data[:_SNIFF] or data.startswith(BINARY_SIGNATURES)):
        result.skipped = "binary"  # (UTF-16 text is half NUL bytes)
    if result.skipped or (lowered := shared.lowered_if_marked(data)) is None:
        return result
    from sitegen.collectors import lexers, markers

    text, notice = decode(data, rel)
    syntax = lexers.syntax_for(rel, text.partition("\n")[0], shared.languages, text)
    if syntax is None:
        result.skipped = "no known language"
        return result
    if _looks_minified(text):
        result.skipped = "minified"
        return result
    result.notice = notice
    # Comments after the last tag (and after the comment that holds it) are not lexed.
    comments = lexers.comments(text, syntax, until=shared.last_tag_offset(data, lowered, text), opens=shared.opens)
    found = markers.find(comments, shared.tags, syntax)
    if found:
        lines = text.split("\n")
        result.todos = [_todo(rel, marker, lines, shared) for marker in found]
    return result


def _todo(rel: str, marker: markers.Marker, lines: list[str], shared: _Settings) -> Todo:
    category, rule_priority = shared.classifier.classify(marker.text)
    first, context = _context(lines, marker.line)
    tag_priority = shared.tag_priority.get(marker.tag, "P3")
    return Todo(
        id="", tag=marker.tag, text=marker.text, file=rel, line=marker.line,
        # A category raises a tag's priority, never lowers it ("P1" < "P2"): a tag set to P1 stays P1
        priority=min(rule_priority or tag_priority, tag_priority),
        category=category, author=marker.author, refs=marker.refs,
        context_start=first, context=context,
    )


def _assign_ids(todos: list[Todo]) -> None:
    seen: Counter[tuple[str, str, str]] = Counter()
    for todo in todos:
        key = (todo.file, todo.tag, normalised(todo.text))
        todo.id = stable_id("td", *key, seen[key])
        seen[key] += 1


def git_revision(root: Path) -> str | None:
    head = gittree.output(root, "rev-parse", "HEAD", timeout=10)
    return head.decode().strip() if head is not None else None


# Most files hold no marker: their cache entry is this, and no object is built for them.
_NOTHING = 0


def _payload(result: FileScan) -> dict | int:
    """A FileScan as plain data for the cache. Its TODOs are kept as the lines
    todos.yaml will hold, ids included (an id depends on its file alone): an
    unchanged file's lines are written again as they are, never re-encoded."""
    if not (result.skipped or result.notice or result.todos):
        return _NOTHING
    _assign_ids(result.todos)
    return {
        "skipped": result.skipped,
        "notice": [result.notice.message, result.notice.line] if result.notice else None,
        "items": content.todo_item_lines(result.todos),
    }


def _scan_payload(shared: _Settings, job: tuple[str, str]) -> dict | int:
    """What a worker sends back: a file's scan as its cache payload (most
    files' is the number 0, the cheapest thing to pass between processes)."""
    return _payload(scan_file(shared, job))


def _from_payload(rel: str, payload: dict | int) -> FileScan | None:
    if payload == _NOTHING:
        return None
    notice = payload["notice"]
    return FileScan(
        path=rel, skipped=payload["skipped"],
        notice=Notice(notice[0], rel, notice[1]) if notice else None, item_lines=payload["items"],
    )


@dataclass
class ScannedFiles:
    """A scan before it is summarised: what each file read gave."""

    files: list[tuple[str, str]]
    """(relative path, absolute path) of every file scanned, sorted."""
    results: dict[str, FileScan | None]
    """By relative path; None: scanned, nothing found."""
    walked: WalkSummary
    _summary: tuple[str | None, TodoScan] | None = field(default=None, repr=False, compare=False)
    _position: dict[str, int] | None = field(default=None, repr=False, compare=False)

    def positions(self) -> dict[str, int]:
        """Each file's place in `files` (the walk's order, not always the order
        of the strings), made once: 50 ms at 100,000 files, which `sitegen
        serve` makes ahead (Session.warm) rather than in the first save."""
        if self._position is None:
            self._position = {rel: n for n, (rel, _) in enumerate(self.files)}
        return self._position

    def summary(self, revision: str | None) -> TodoScan:
        """The scan summarised; the same object again while no file was
        scanned again (`rescanned`) and the revision is the same (only read)."""
        if self._summary is None or self._summary[0] != revision:
            results = list(map(self.results.__getitem__, map(itemgetter(0), self.files)))
            self._summary = (revision, _summarise(results, self.walked, revision))
        return self._summary[1]

    def rescanned(self, rel: str, result: FileScan | None) -> None:
        """Take what one file gave when scanned again (`sitegen serve`): a
        checklist's box ticked is a save of a file the scan reads too, which
        gives what it gave before. When the file was and is read whole with
        no notice, the summary keeps all but that file's TODOs (a TODO added
        by a save: summarising 100,000 files again took 50 ms of it)."""
        before = self.results.get(rel)
        if rel not in self.results or before == result:
            return
        self.results[rel] = result
        summary = self._summary
        if summary is not None and _items_only(before) and _items_only(result):
            self._summary = (summary[0], self._with_items_of(rel, before, result, summary[1]))
        else:
            self._summary = None

    def _with_items_of(self, rel: str, before: FileScan | None, now: FileScan | None, scan: TodoScan) -> TodoScan:
        """`scan` with the TODOs of file `rel` now those of `now`, where they were `before`'s."""
        earlier = self.files[:self.positions()[rel]]  # the files before it, in the scan's order
        found_before = [found.item_lines for found in filter(None, map(self.results.__getitem__,
                                                                       map(itemgetter(0), earlier)))
                        if found.item_lines]
        start, at = sum(map(len, found_before)), len(found_before)
        end = start + (len(before.item_lines) if before else 0)
        lines = [*scan.item_lines[:start], *(now.item_lines if now else ()), *scan.item_lines[end:]]
        digests = [*scan.file_digests[:at], *([lines_digest(now.item_lines)] if _has_items(now) else ()),
                   *scan.file_digests[at + _has_items(before):]]
        return replace(scan, item_lines=lines, file_digests=digests,
                       files_with_todos=scan.files_with_todos + _has_items(now) - _has_items(before))


def _items_only(result: FileScan | None) -> bool:
    """Whether a file's scan counts as a file read whole, with no notice (what a rescan may patch)."""
    return result is None or result.skipped is None and result.notice is None


def _has_items(result: FileScan | None) -> bool:
    return bool(result is not None and result.item_lines)


def collect(tree: Listing, config: TodosConfig, cache_dir: Path | None = None) -> TodoScan:
    """Every TODO in `tree`, in path and line order, with a summary of the scan.

    With `cache_dir`, files whose size and modification time are unchanged
    since the last scan (with the same settings) are not read again.
    """
    return scan_files(tree, config, cache_dir).summary(git_revision(tree.root))


def scan_files(tree: Listing, config: TodosConfig, cache_dir: Path | None = None) -> ScannedFiles:
    walked = WalkSummary()
    # TODO: hand files to the workers while the walk is still listing them; on
    #   100,000 files the walk takes 0.24 s before any scanning starts.
    files = selected_files(tree, config, walked)
    key = settings_key("todos", config, MAX_FILE_BYTES)
    cache = FileCache(cache_dir / "todos.marshal" if cache_dir else Path(), key, enabled=cache_dir is not None,
                      default=_NOTHING)
    found, to_scan, stamps = cache.check(files) if cache.enabled else ({}, files, {})
    results: dict[str, FileScan | None] = dict.fromkeys(rel for rel, _ in files)  # None: scanned, nothing found
    for rel, payload in found.items():
        results[rel] = _from_payload(rel, payload)
    payloads = process_map(_scan_payload, to_scan, shared=settings(config) if to_scan else None, min_items=2000)
    for (rel, _), payload in zip(to_scan, payloads):
        results[rel] = _from_payload(rel, payload)
        if rel in stamps and (payload == _NOTHING or payload["skipped"] != "unreadable"):
            cache.put(rel, stamps[rel], payload)
    cache.save()
    return ScannedFiles(files, results, walked)


def selected_files(tree: Listing, config: TodosConfig, walked: WalkSummary) -> list[tuple[str, str]]:
    """(relative path, absolute path) of every file the scan reads, sorted."""
    return list(tree.files(walked, use_gitignore=config.gitignore, skip_vendored=True, include=config.include,
                           exclude=config.exclude))


def scan_one(shared: _Settings, rel: str, absolute: str) -> FileScan | None:
    """One file scanned again, as `scan_files` gives it (None: nothing found)."""
    return _from_payload(rel, _scan_payload(shared, (rel, absolute)))


def _summarise(results: list[FileScan | None], walked: WalkSummary, revision: str | None) -> TodoScan:
    scan = TodoScan(skipped=Counter(walked.skipped), skipped_links=dict(walked.links),
                    notices=list(walked.notices), revision=revision)
    scan.files_scanned = results.count(None)  # scanned, nothing found: most files
    for result in filter(None, results):
        if result.skipped:
            scan.skipped[result.skipped] += 1
        else:
            scan.files_scanned += 1
        if result.notice:
            scan.notices.append(result.notice)
        if result.item_lines:
            scan.files_with_todos += 1
            scan.item_lines.extend(result.item_lines)
            scan.file_digests.append(lines_digest(result.item_lines))
    return scan


def lines_digest(lines: list[str]) -> bytes:
    """A hash of one file's TODO lines."""
    return hashlib.blake2b("".join(lines).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def scan_digest(scan: TodoScan, meta: str) -> str:
    """A hash of the scan's TODO lines and of `meta` (the rest of todos.yaml):
    what content/todos.yaml is made from."""
    digest = hashlib.blake2b(meta.encode("utf-8", "surrogatepass"), digest_size=16)
    digest.update(b"".join(scan.file_digests))
    return digest.hexdigest()
