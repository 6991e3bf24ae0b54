"""`sitegen serve`: build, serve the output, rebuild what each save changes,
reload the browsers. session.py decides what a change re-runs, watch.py
turns file events into batches, server.py answers the browsers."""

from __future__ import annotations

import errno
import gc
import ipaddress
import os
import queue
import shutil
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sitegen.errors import SitegenError, one_line
from sitegen.pipeline import Built
from sitegen.serve.server import PreviewServer, SiteState
from sitegen.serve.session import Session
from sitegen.site import urls

LOOPBACK_NAMES = ("localhost",)


@dataclass
class Options:
    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(options: Options, state: SiteState, session: Session) -> PreviewServer:
    """The server, listening (before the first build, so a port in use is said at once)."""
    try:
        return PreviewServer((options.host, options.port), session.cwd, state)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise SitegenError(f"port {options.port} is in use on {options.host}; "
                               "choose another with --port, or --port 0 for any free one") from None
        raise SitegenError(f"cannot listen on {options.host}:{options.port} ({exc.strerror or exc})") from None


class Preview:
    """One `sitegen serve` run: the server, the session and the watch loop."""

    def __init__(self, session: Session, options: Options, say: Callable[[str], None]):
        self.session = session
        self.options = options
        self.say = say
        self.state = SiteState()
        self.stop = threading.Event()
        self.server = bind(options, self.state, session)
        self._serving: threading.Thread | None = None
        self._batches: queue.Queue = queue.Queue()
        self._watcher = None

    def start(self) -> None:
        """Watch, then the first build (requests wait for it), then serve."""
        started = time.perf_counter()
        self.session.load()
        self._watch(self.session.watched())
        self._serving = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                                         name="sitegen-serve", daemon=True)
        with self.state.gate.writing():
            self._serving.start()
            built = self.session.start()
            self.server.root = os.path.realpath(built.output)
        self.state.published()
        self._watcher.ready.wait(timeout=10)
        if not is_loopback(self.options.host):
            self.say(f"sitegen: warning: serving on {self.options.host}: the report is visible to anyone "
                     "on the network who can reach this address")
        self.say(f"built {built.pages} page(s) in {time.perf_counter() - started:.2f}s; serving on {self.server.url}"
                 " (Ctrl-C to stop)")
        if self.options.open_browser:
            threading.Thread(target=webbrowser.open, args=(self.server.url,), daemon=True).start()
        self.session.warm()  # (a save meanwhile is queued, and rebuilt once this is done)

    def _watch(self, places: list) -> None:
        from sitegen.serve.watch import Watcher

        if self._watcher is not None:
            self._watcher.close()
        self._watcher = Watcher(places, self.session.never_read(), self._batches)

    def watch(self) -> None:
        """Rebuild on each batch of changes (and those that came meanwhile)
        until `stop` is set; a config change may move the watched places."""
        while not self.stop.is_set():
            try:
                changes = self._batches.get(timeout=0.2)
            except queue.Empty:
                continue
            while not self._batches.empty():
                changes += self._batches.get_nowait()
            self.rebuild(changes)
            if (places := self.session.watched()) != self._watcher.paths:
                self._watch(places)

    def rebuild(self, changes) -> None:
        started = time.perf_counter()
        # The files that hold every item (data/: for the scripts, and health.json) are rendered
        # after the reload signal: a page reloads at once, and a request for one of those files
        # waits until it is written (state.later). 1.5 s of a rebuild at 100,000 tasks. Both
        # steps hold the build lock, so no other build publishes a site between them.
        with self.state.later.writing(), self.session.building():
            with _no_collection_until_reloaded():
                built = self._published(changes)
            if built is None:
                return
            shown = time.perf_counter() - started
            try:
                self.session.finish(built)
            except Exception as exc:  # the pages are published; their data files are not
                self._data_failed(built, exc)
                return
        self.say(f"rebuilt: {built.rendered} of {built.pages} page(s) rendered in "
                 f"{time.perf_counter() - started:.2f}s (pages reloaded after {shown:.2f}s)")

    def _published(self, changes) -> Built | None:
        """The rebuild of `changes` published and the browsers told to reload;
        None when it failed (said) or changed nothing."""
        try:
            with self.state.gate.writing():
                built = self.session.rebuild(changes, later=lambda page: urls.in_data(page.url))
        except (SitegenError, OSError) as exc:
            self._failed(str(exc) if isinstance(exc, SitegenError) else f"{exc.filename}: {exc.strerror}")
            return None
        except Exception as exc:  # a bug: the preview goes on, the error is shown
            self._failed(f"internal error: {type(exc).__name__}: {exc}")
            return None
        if built is not None:
            self.server.root = os.path.realpath(built.output)  # (a config change may move it)
            self.state.published()
        return built

    def _data_failed(self, built, exc: Exception) -> None:
        """The data files of the published pages could not be written: none is
        served (an older one would not match the pages) until a rebuild makes them."""
        if self.stop.is_set():  # Ctrl-C stopped its workers: the files are left as they are
            return
        data = os.path.join(built.output, urls.DATA)
        shutil.rmtree(data, ignore_errors=True)
        problem = str(exc) if isinstance(exc, SitegenError) else f"{type(exc).__name__}: {exc}"
        self._failed(f"the pages were rebuilt, but not their data files ({urls.DATA}): {problem}")

    def _failed(self, message: str) -> None:
        if self.stop.is_set():  # a rebuild cut short by Ctrl-C (its workers stopped): nothing to tell
            return
        message = one_line(message)
        self.state.published(error=message)
        self.say(f"sitegen: rebuild failed: {message}")
        self.say("  (still serving the last good site; the error shows on every page until it is fixed)")

    def close(self) -> None:
        """Stop watching and serving. A rebuild under way in another thread is
        left to the process's exit, once it is not writing into the site
        (Carried.publishing), and its worker processes are stopped."""
        self.stop.set()
        self.session.stop_publishing()
        _stop_workers()
        self.state.close()
        if self._watcher is not None:
            self._watcher.close()
        if self._serving is not None and self._serving.is_alive():
            self.server.shutdown()
        self.server.server_close()


@contextmanager
def _no_collection_until_reloaded() -> Iterator[None]:
    """The garbage collector held off while a save is rebuilt up to the reload
    signal: a collection of the oldest generation walks every object the
    session keeps, 0.3 s at 100,000 files, and fell on one save in a few.
    It runs after the signal instead, while the data files are written."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _stop_workers(patience: float = 1.0) -> None:
    """End the worker processes of a rebuild under way (forked render or scan
    workers) and reap them: a child this process exits without waiting for
    stays a zombie until the system's init gets to it, seconds later in a
    container. One still there after `patience` seconds is killed."""
    multiprocessing = sys.modules.get("multiprocessing")  # (imported only once a build forked workers)
    children = multiprocessing.active_children() if multiprocessing is not None else []
    for child in children:
        child.terminate()
    deadline = time.monotonic() + patience
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
        if child.is_alive():
            child.kill()
            child.join(patience)


def _running(preview: Preview, failed: list[BaseException]) -> None:
    try:
        preview.start()
        preview.watch()
    except BaseException as exc:  # handed to the main thread, which raises it
        failed.append(exc)


def serve(session: Session, options: Options, say: Callable[[str], None]) -> None:
    preview = Preview(session, options, say)
    # The first build and the rebuilds run in a thread of their own: Ctrl-C
    # (KeyboardInterrupt, which only the main thread receives) then never
    # lands inside one, say between the halves of a fork's bookkeeping,
    # which left a lock taken and the process hung at exit.
    failed: list[BaseException] = []
    rebuilding = threading.Thread(target=_running, args=(preview, failed), name="sitegen-rebuild", daemon=True)
    try:
        rebuilding.start()
        while rebuilding.is_alive():
            rebuilding.join(0.2)
        if failed:
            raise failed[0]
    except KeyboardInterrupt:
        pass
    finally:
        preview.close()
    say("stopped")
    rebuilding.join(0.3)  # (a watch with nothing to do ends within 0.2 s)
    if rebuilding.is_alive():
        _leave_a_rebuild_cut_short()


def _leave_a_rebuild_cut_short() -> None:
    """Exit now, without the interpreter's joins at exit. A rebuild that
    Ctrl-C cut short may have forked workers after `close` ended those it
    found (one forked while this thread printed holds the stream's lock
    for ever), and exit would wait for their pool; CI saw a process hang
    there after saying "stopped". The site is whole: `close` holds the
    publishing lock; what the rebuild had not saved is made again next time."""
    _stop_workers()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
