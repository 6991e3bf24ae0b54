"""`sitegen serve`'s server: confined to the output folder, read-only, the
site's security headers, no half-built or mixed page under load; the
command: the URL, a save shown, Ctrl-C, a port in use."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import serving, sitegen_command
from test_serve_session import make_repo

from sitegen import pipeline
from sitegen.config import load_config
from sitegen.serve import Options, Preview
from sitegen.serve.server import SECURITY_HEADERS, PreviewServer, SiteState
from sitegen.serve.session import MODIFIED, Change, Session
from sitegen.site.links import broken_links


def request(port: int, path: str, method: str = "GET") -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)  # the path exactly as given
    connection.putheader("Host", "127.0.0.1")
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


@pytest.fixture
def served(tmp_path):
    """A built site with links planted in it, served; a secret beside it."""
    repo = make_repo(tmp_path / "repo")
    pipeline.build(load_config(repo / "sitegen.yaml"))
    (tmp_path / "secret.txt").write_text("SECRET")
    public = repo / "public"
    os.symlink(tmp_path / "secret.txt", public / "leak.txt")
    os.symlink(tmp_path, public / "outside")
    os.symlink(public / "index.html", public / "inside.html")  # a link, even to a page: sitegen makes none
    with serving(PreviewServer(("127.0.0.1", 0), public, SiteState())) as port:
        yield port, tmp_path


TRAVERSALS = [
    "/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2fsecret.txt", "/static/../../secret.txt",
    "/static/%2e%2e/%2e%2e/secret.txt", "/..\\secret.txt", "/%5c..%5csecret.txt", "/.%2e/secret.txt",
    "/%252e%252e/secret.txt", "/leak.txt", "/outside/secret.txt", "/outside/", "/inside.html", "/index.html%00",
]


def test_nothing_outside_the_output_is_served(served):
    port, outside = served
    absolute = [str(outside / "secret.txt"), "//" + str(outside / "secret.txt").lstrip("/"),
                "http://127.0.0.1/../secret.txt", "file://" + str(outside / "secret.txt"), "/etc/passwd", "*"]
    for path in TRAVERSALS + absolute:
        status, _, body = request(port, path)
        assert status in (403, 404, 400), path
        assert b"SECRET" not in body and b"root:" not in body, path


def test_pages_have_the_site_headers_and_only_get_and_head_answer(served):
    port, _ = served
    status, headers, body = request(port, "/")
    assert status == 200 and b"/__sitegen/reload.js" in body
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value
    status, headers, body = request(port, "/checklists/", "HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0
    for method in ("POST", "PUT", "DELETE", "OPTIONS"):
        assert request(port, "/index.html", method)[0] == 405
    assert request(port, "/static/")[0] == 404  # no listing of a folder


def test_a_page_carries_the_version_it_was_served_at_and_a_failed_rebuild_moves_it(tmp_path):
    """A rebuild published while a page loads, before its script opens the
    event stream, must still reload it: the page says which version it is
    (the script starts from it), and a failed rebuild moves that version and
    adds the banner together, on a page and on the 404 page alike."""
    (tmp_path / "index.html").write_text("<html><head></head><body>home</body></html>")
    (tmp_path / "404.html").write_text("<html><head></head><body>gone</body></html>")
    state = SiteState()

    def version_and_banner(port: int, path: str) -> tuple[int, bool]:
        body = request(port, path)[2]
        return int(re.search(rb'data-version="(\d+)"', body).group(1)), b'id="sitegen-serve-error"' in body

    with serving(PreviewServer(("127.0.0.1", 0), tmp_path, state)) as port:
        state.published()
        assert version_and_banner(port, "/index.html") == (state.version, False)
        state.published(error="content/triage.yaml:2: bad")
        assert (version_and_banner(port, "/index.html") == version_and_banner(port, "/nothing.html")
                == (state.version, True))


@pytest.mark.heavy
def test_many_clients_during_rebuilds_see_only_whole_published_pages(tmp_path):
    repo = make_repo(tmp_path / "repo")
    preview = Preview(Session(repo / "sitegen.yaml"), Options(port=0), lambda message: None)
    preview.start()
    port = preview.server.server_address[1]
    page = repo / "public/checklists/tasks/index.html"
    published = {page.read_bytes()}
    failures, served, stop = [], [], threading.Event()

    def client() -> None:
        while not stop.is_set():
            try:
                status, _, body = request(port, "/checklists/tasks/index.html")
            except OSError as exc:
                failures.append(repr(exc))
                continue
            if status != 200:
                failures.append(status)
            served.append(re.sub(rb'<script src="/__sitegen/reload.js" data-version="\d+" defer></script>', b"", body))

    clients = [threading.Thread(target=client) for _ in range(20)]
    started = time.perf_counter()
    for thread in clients:
        thread.start()
    tasks = repo / "TASKS.md"
    for n in range(10):
        tasks.write_text(tasks.read_text() + f"- [{'x' if n % 2 else ' '}] added {n}\n")
        preview.rebuild([Change(str(tasks), MODIFIED)])
        published.add(page.read_bytes())
    stop.set()
    for thread in clients:
        thread.join()
    seconds = time.perf_counter() - started
    preview.close()
    assert not failures
    assert len(published) == 11 and set(served) <= published, "a page that was never published was served"
    print(f"{len(served)} requests by 20 clients during 10 rebuilds in {seconds:.2f}s, none failed or mixed")


@pytest.mark.parametrize("path", ["/data/health.json", "//%64ata//health.json?x"])
def test_a_data_file_asked_for_as_the_pages_reload_is_the_rebuilds_own(tmp_path, path):
    """A rebuild publishes the pages and signals the reload before it writes
    the data files (every item, for the scripts): a request for one waits for
    the new one, never gets the one before."""
    repo = make_repo(tmp_path / "repo")
    preview = Preview(Session(repo / "sitegen.yaml"), Options(port=0), lambda message: None)
    preview.start()
    port = preview.server.server_address[1]
    tasks = repo / "TASKS.md"
    for n in range(4):
        seen, added = preview.state.version, f"a task added as number {n}"
        tasks.write_text(tasks.read_text() + f"- [ ] {added}\n")
        rebuilding = threading.Thread(target=preview.rebuild, args=([Change(str(tasks), MODIFIED)],))
        rebuilding.start()
        preview.state.wait_for_change(seen, timeout=60)  # the reload signal
        status, _, body = request(port, path)
        rebuilding.join()
        assert status == 200 and added in body.decode("utf-8")
        assert body == (repo / "public/data/health.json").read_bytes()
    preview.close()


def test_data_files_that_could_not_be_written_are_not_served_and_the_banner_says_so(tmp_path, monkeypatch):
    from sitegen.site import render

    repo = make_repo(tmp_path / "repo")
    preview = Preview(Session(repo / "sitegen.yaml"), Options(port=0), lambda message: None)
    preview.start()
    port = preview.server.server_address[1]
    tasks = repo / "TASKS.md"

    def cut_short(site, *args, **kwargs):
        (site / "data/health.json").write_text('{\n "checklists": [')  # a write that stopped half way
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(render, "render_later", cut_short)
    tasks.write_text(tasks.read_text() + "- [ ] one more\n")
    preview.rebuild([Change(str(tasks), MODIFIED)])
    assert request(port, "/data/health.json")[0] == 404  # no half file, no file of the site before
    status, _, page = request(port, "/checklists/tasks/index.html")
    assert status == 200 and b"one more" in page and b"not their data files" in page  # the banner
    monkeypatch.undo()
    tasks.write_text(tasks.read_text() + "- [ ] and another\n")
    preview.rebuild([Change(str(tasks), MODIFIED)])
    status, _, body = request(port, "/data/health.json")
    assert status == 200 and b"and another" in body and preview.state.error is None
    preview.close()


def _as_in_a_terminal() -> None:
    """Ctrl-C reaches the preview as in a terminal, where it runs in the
    foreground: a suite started as a shell's background job (`… &`) has
    SIGINT ignored, and a child inherits that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(repo: Path, *args: str) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sitegen_command(), "serve", *args], cwd=repo, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, preexec_fn=_as_in_a_terminal)
    line = process.stdout.readline()
    found = re.search(r"http://\S+", line)
    assert found, line + process.stderr.read()
    return process, found.group(0)


def _forked(children: list[str], parent: int) -> list[str]:
    """The children that are forks of `parent` (its workers, whose command line
    is its own), not the programs it runs (git, say)."""
    def command(pid) -> bytes | None:
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:  # gone already
            return None

    own = command(parent)
    return [pid for pid in children if command(pid) == own]


def _interrupt(process: subprocess.Popen) -> tuple[float, str]:
    sent = time.perf_counter()
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=10)
    return time.perf_counter() - sent, stderr


def test_serve_shows_a_save_and_stops_on_ctrl_c(tmp_path):
    repo = make_repo(tmp_path / "repo")
    process, url = _start(repo, "--port", "0", "--host", "0.0.0.0")
    try:
        page = urllib.request.urlopen(url + "checklists/tasks/index.html", timeout=10).read()
        assert b"1 of 3" in page or b"1/3" in page or b"33" in page
        (repo / "src/a.py").write_text("# TODO: seen by the preview\n")
        deadline = time.perf_counter() + 5
        while b"seen by the preview" not in urllib.request.urlopen(url + "todos/index.html", timeout=10).read():
            assert time.perf_counter() < deadline, "the save was not shown within 5 s"
            time.sleep(0.05)
    finally:
        seconds, stderr = _interrupt(process)
    assert "visible to anyone on the network" in stderr
    assert process.returncode == 0 and "Traceback" not in stderr
    assert seconds < 1.5


@pytest.mark.heavy
@pytest.mark.parametrize("delay", [0.0, 0.1])
def test_ctrl_c_during_a_rebuild_stops_at_once_and_leaves_a_whole_site(tmp_path, delay):
    """Ctrl-C lands while a save's rebuild runs (its data files rendered by
    forked workers): the process stops within a second with no traceback, no
    worker left, and the site published whole (an earlier one, or the new one)."""
    repo = make_repo(tmp_path / "repo")
    for n in range(40):
        (repo / f"src/m{n}.py").write_text(f"x = {n}  # TODO: item {n}\n")
    process, url = _start(repo, "--port", "0")
    try:
        urllib.request.urlopen(url + "index.html", timeout=10).read()
        (repo / "TASKS.md").write_text((repo / "TASKS.md").read_text() + "- [ ] one more\n")
        time.sleep(0.06 + delay)  # the watcher's wait for quiet, then into the rebuild
        children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
        workers = _forked(children, process.pid)
    finally:
        seconds, stderr = _interrupt(process)
    assert process.returncode == 0 and "Traceback" not in stderr and "failed" not in stderr, stderr
    assert seconds < 1.5
    time.sleep(0.2)
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]
    site = repo / "public"
    assert (site / ".sitegen-output").is_file()
    assert broken_links(site, {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}) == []


def _sleep_ignoring_sigterm(ignore: bool, ready) -> None:
    if ignore:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ready.release()
    time.sleep(60)


def test_stopping_the_workers_of_a_rebuild_reaps_them_even_one_deaf_to_sigterm():
    """A worker ended but not waited for would stay a zombie (its /proc entry
    kept) until the system's init reaps it, which in CI's container took
    seconds; one that ignores SIGTERM is killed."""
    import multiprocessing

    from sitegen.serve import _stop_workers

    context = multiprocessing.get_context("fork")
    ready = context.Semaphore(0)
    children = [context.Process(target=_sleep_ignoring_sigterm, args=(ignore, ready)) for ignore in (False, True)]
    for child in children:
        child.start()
    for _ in children:
        assert ready.acquire(timeout=10)
    started = time.perf_counter()
    _stop_workers(patience=0.5)
    assert time.perf_counter() - started < 2
    assert [Path(f"/proc/{child.pid}").exists() for child in children] == [False, False]
    assert [child.exitcode for child in children] == [-signal.SIGTERM, -signal.SIGKILL]


def test_open_asks_the_users_browser_for_the_preview(tmp_path, monkeypatch):
    repo = make_repo(tmp_path / "repo")
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {opened}\n')
    browser.chmod(0o755)
    monkeypatch.setenv("BROWSER", str(browser))  # Python's webbrowser runs $BROWSER with the URL
    process, url = _start(repo, "--port", "0", "--open")
    try:
        deadline = time.perf_counter() + 5
        while not (opened.exists() and opened.read_text()):
            assert time.perf_counter() < deadline, "no browser was asked to open the preview"
            time.sleep(0.05)
    finally:
        _interrupt(process)
    assert opened.read_text() == url


def test_a_port_in_use_is_a_clear_error(tmp_path):
    repo = make_repo(tmp_path / "repo")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        done = subprocess.run([sitegen_command(), "serve", "--port", str(taken.getsockname()[1])], cwd=repo,
                              capture_output=True, text=True, timeout=30)
    assert done.returncode == 2
    assert "in use" in done.stderr and "--port 0" in done.stderr and "Traceback" not in done.stderr


def test_the_preview_sends_the_hosted_sites_headers():
    import tomllib

    netlify = tomllib.loads((Path(__file__).parent.parent / "netlify.toml").read_text(encoding="utf-8"))
    [every_page] = [h["values"] for h in netlify["headers"] if h["for"] == "/*"]
    assert every_page == SECURITY_HEADERS
