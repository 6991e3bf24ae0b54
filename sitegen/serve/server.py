"""The preview's HTTP side: the built site, read-only and confined to the
output folder, with a reload script and an error banner added to each HTML
page as it is sent (never written into the site).

The standard library's ThreadingHTTPServer, with Server-Sent Events for the
reload signal: the site's Content-Security-Policy allows same-origin scripts
and connections, so the script is a file served from `/__sitegen/` and needs
no exception to the policy. A request waits while a rebuild publishes (a
read-write gate), so no page is read half-replaced or from two sites; a
request for a data file (data/, which a rebuild writes after publishing the
pages) also waits for those (a second gate).
"""

from __future__ import annotations

import html
import mimetypes
import os
import stat
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sitegen.site import urls

# The same headers as netlify.toml's, so that the preview breaks where the hosted site would.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
PREFIX = "/__sitegen/"
EVENTS = PREFIX + "events"
RELOAD_JS = """\
// Added by `sitegen serve` (not part of the built site): reload when the site is rebuilt.
// It starts from the version its page was served at: a rebuild published while the page
// loaded (before this stream opened) reloads it too.
(function () {
  var script = document.currentScript;
  var version = script && script.dataset.version ? script.dataset.version : null;
  var source = new EventSource("/__sitegen/events");
  source.onmessage = function (event) {
    if (version !== null && event.data !== version) { location.reload(); }
    version = event.data;
  };
})();
"""
BANNER_CSS = """\
/* Added by `sitegen serve`: the last rebuild's error. */
#sitegen-serve-error { position: sticky; top: 0; z-index: 2147483647; margin: 0; padding: .75em 1em;
  background: #8b0000; color: #fff; font: 14px/1.4 system-ui, sans-serif; white-space: pre-wrap; }
#sitegen-serve-error code { font: 13px/1.4 ui-monospace, monospace; }
"""
_OWN_FILES = {PREFIX + "reload.js": ("text/javascript", RELOAD_JS), PREFIX + "serve.css": ("text/css", BANNER_CSS)}
MAX_PATH = 4096


class SiteGate:
    """Readers (requests) share the site; a rebuild has it alone. A rebuild
    waiting for the gate keeps new readers out, so a steady stream of
    requests cannot starve it."""

    def __init__(self):
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and not self._writers_waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            self._cond.wait_for(lambda: not self._writing and self._readers == 0)
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class SiteState:
    """What the server shows besides the files: the site's version (each
    published rebuild or error change bumps it) and the last rebuild's error."""

    def __init__(self):
        self.gate = SiteGate()
        self.later = SiteGate()
        """Held by a rebuild until the files it renders after publishing (data/) are written;
        a request for one of those takes it before `gate`."""
        self._cond = threading.Condition()
        self.version = 0
        self.error: str | None = None
        self.closed = False

    def published(self, error: str | None = None) -> None:
        """A rebuild finished (error: it failed, the old site stays): tell the browsers."""
        with self._cond:
            self.version += 1
            self.error = error
            self._cond.notify_all()

    def shown(self) -> tuple[int, str | None]:
        """(the version, the last rebuild's error), read together."""
        with self._cond:
            return self.version, self.error

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self._cond:
            self._cond.wait_for(lambda: self.version != seen or self.closed, timeout)
            return self.version

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


def resolve(root: str, url_path: str) -> str | None:
    """The regular file inside `root` that `url_path` names (a folder's
    index.html for a folder), or None: nothing outside `root` is ever
    named, whatever the path's dots, encodings or links."""
    path = urllib.parse.unquote(url_path.split("?", 1)[0].split("#", 1)[0], errors="strict")
    if "\0" in path or "\\" in path or len(path) > MAX_PATH or not path.startswith("/"):
        return None
    parts = path.split("/")[1:]
    if any(part in ("..", ".") for part in parts):
        return None
    candidate = os.path.join(root, *[p for p in parts if p])
    if os.path.isdir(candidate):
        candidate = os.path.join(candidate, "index.html")
    real = os.path.realpath(candidate)
    if real != candidate or not real.startswith(root + os.sep):
        return None  # a link anywhere on the way: sitegen never makes one
    try:
        info = os.stat(real, follow_symlinks=False)
    except OSError:
        return None
    return real if stat.S_ISREG(info.st_mode) else None


def with_overlay(page: bytes, version: int, error: str | None) -> bytes:
    """An HTML page with the reload script (told the site's `version` the
    page is of), and the error banner when the last rebuild failed, added
    where a browser reads them."""
    tags = b'<script src="/__sitegen/reload.js" data-version="%d" defer></script>' % version
    if error is not None:
        tags += b'<link rel="stylesheet" href="/__sitegen/serve.css">'
    head_end = page.find(b"</head>")
    page = page[:head_end] + tags + page[head_end:] if head_end >= 0 else tags + page
    if error is None:
        return page
    banner = (f'<div id="sitegen-serve-error" role="alert">sitegen serve: the last rebuild failed; this is the '
              f'site before it.\n<code>{html.escape(error)}</code></div>').encode("utf-8")
    body = page.find(b"<body")
    body_end = page.find(b">", body) + 1 if body >= 0 else 0
    return page[:body_end] + banner + page[body_end:]


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    server_version = "sitegen-serve"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _refuse(self) -> None:
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self._finish_headers(0)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse

    def log_message(self, format: str, *args) -> None:
        pass  # the terminal shows rebuilds and errors, not every request

    def _finish_headers(self, length: int) -> None:
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def _send(self, status: int, content_type: str, body: bytes, with_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self._finish_headers(len(body))
        if with_body:
            self.wfile.write(body)

    def _answer(self, with_body: bool) -> None:
        state = self.server.state
        path = self.path.split("?", 1)[0]
        if path == EVENTS:
            return self._events()
        if path in _OWN_FILES:
            content_type, text = _OWN_FILES[path]
            return self._send(200, content_type + "; charset=utf-8", text.encode(), with_body)
        with state.later.reading() if _is_data(path) else nullcontext(), state.gate.reading():
            try:
                found = resolve(self.server.root, self.path)
            except UnicodeDecodeError:
                found = None
            if found is None:
                return self._not_found(with_body)
            body = _read(found)
            # (read after the page: a rebuild bumps the version once its pages are written, so a
            # page is never older than the version it carries; at worst newer, and reloaded once more)
            version, error = state.shown()
        if body is None:
            return self._not_found(with_body)
        content_type = _content_type(found)
        if content_type.startswith("text/html"):
            body = with_overlay(body, version, error)
        self._send(200, content_type, body, with_body)

    def _not_found(self, with_body: bool) -> None:
        page = _read(os.path.join(self.server.root, "404.html"))
        if page is None:
            return self._send(404, "text/plain; charset=utf-8", b"not found\n", with_body)
        # The 404 page's links are relative to the site's root, where it is served from here too.
        self._send(404, "text/html; charset=utf-8", with_overlay(page, *self.server.state.shown()), with_body)

    def _events(self) -> None:
        """Server-Sent Events: the site's version now, then each time it changes."""
        state = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.close_connection = True
        version = state.version
        try:
            self.wfile.write(f"retry: 500\ndata: {version}\n\n".encode())
            self.wfile.flush()
            while not state.closed:
                now = state.wait_for_change(version, timeout=15)
                message = f"data: {now}\n\n" if now != version else ": keep-alive\n\n"
                version = now
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def _is_data(url_path: str) -> bool:
    """Whether a request is for a file of the site's data/ folder (which a
    rebuild writes after publishing the pages), read as `resolve` reads it."""
    try:
        path = urllib.parse.unquote(url_path.split("?", 1)[0].split("#", 1)[0], errors="strict")
    except UnicodeDecodeError:
        return False
    return urls.in_data(path.casefold())  # a case-insensitive file system (macOS's) finds /Data/… too


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError:
        return None


def _content_type(path: str) -> str:
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return guessed + "; charset=utf-8" if guessed.startswith("text/") or guessed.endswith(("json", "xml",
                                                                                          "javascript")) else guessed


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], root: Path, state: SiteState):
        self.root = os.path.realpath(root)
        self.state = state
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"
