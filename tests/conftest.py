from __future__ import annotations

import contextlib
import gc
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

FIXTURES = Path(__file__).parent / "fixtures"


def _temporary_folders_in_memory(ram: str = "/dev/shm", room: int = 2**30) -> None:
    """Have tmp_path's folders (and tempfile's) made on `ram` when it is a
    memory file system with `room` to spare and programs may run from it
    (Docker mounts its /dev/shm noexec), unless the user chose a root
    (TMPDIR, PYTEST_DEBUG_TEMPROOT). Tests make some 25,000 files: on this
    machine's ext4 (mounted with discard) a folder and a file took 0.5-1.3 ms
    to make, on tmpfs 0.04 ms, and a small build 39-70 ms against 25 ms."""
    if os.environ.get("TMPDIR") or os.environ.get("PYTEST_DEBUG_TEMPROOT"):
        return
    try:
        free = os.statvfs(ram)
    except OSError:
        return
    runs_programs = not free.f_flag & getattr(os, "ST_NOEXEC", 0)  # tests run scripts and a venv they make there
    if (os.path.ismount(ram) and os.access(ram, os.W_OK | os.X_OK) and runs_programs
            and free.f_bavail * free.f_frsize >= room):
        os.environ["TMPDIR"] = ram  # for the processes the tests start, too
        tempfile.tempdir = None  # looked up again by gettempdir()


ON_DISK = os.environ.setdefault("SITEGEN_TESTS_ON_DISK", tempfile.gettempdir())
"""The system's folder for temporary files, as it was before the move to
memory (in the environment: xdist's workers start with TMPDIR moved)."""
_temporary_folders_in_memory()


@pytest.fixture
def disk_path():
    """A folder of its own outside /dev, for tests whose repository links out
    to folders that must read as ordinary ones: sitegen never follows a link
    into /proc, /sys or /dev, and the tests' folders may lie in /dev/shm."""
    folder = Path(tempfile.mkdtemp(prefix="sitegen-test-", dir=ON_DISK))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def sitegen_command() -> str:
    """The installed console script beside this interpreter (what users run)."""
    found = Path(sys.executable).with_name("sitegen")
    return str(found) if found.exists() else shutil.which("sitegen") or "sitegen"


def run_sitegen(*args: str, cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    """`sitegen ARGS` run in `cwd` as a process of its own: its exit code,
    stdout and stderr, as `subprocess.run` gives them.

    The process is forked from this one, which has imported sitegen and run
    a build already (`_sitegen_warmed`): starting the console script costs
    half a second of imports and first-use tables, which the suite's few
    hundred builds would each pay. The child has its own working folder,
    streams, exit code and memory, as a user's run has; tests that need the
    console script itself call `sitegen_command()`.
    """
    from sitegen.cli import main

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        pid = os.fork()
        if pid == 0:  # the child: never returns into pytest
            code = 1
            try:
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
                signal.alarm(timeout)
                os.chdir(cwd)
                null = os.open(os.devnull, os.O_RDONLY)
                for fd, target in ((null, 0), (out.fileno(), 1), (err.fileno(), 2)):
                    os.dup2(fd, target)
                sys.stdin = open(0, encoding="utf-8", closefd=False)
                sys.stdout = open(1, "w", encoding="utf-8", closefd=False)
                sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)
                sys.argv = ["sitegen", *args]
                main()  # as the console script: arguments from sys.argv
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                if isinstance(exc.code, str):
                    print(exc.code, file=sys.stderr)
            except BaseException:
                traceback.print_exc()
            finally:
                for stream in (sys.stdout, sys.stderr):
                    try:
                        stream.flush()
                    except Exception:
                        pass
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(["sitegen", *args], code, out.read().decode("utf-8"),
                                           err.read().decode("utf-8", "backslashreplace"))


def read_cache(path: Path) -> tuple[str, dict]:
    """(key, data) of a cache file as sitegen.cache.save_keyed writes it, read
    whatever its key (save_keyed writes it back)."""
    import marshal

    prefix = b"sitegen-cache\0"
    raw = path.read_bytes()
    assert raw.startswith(prefix)
    key, _, rest = raw[len(prefix):].partition(b"\0")
    return key.decode("ascii"), marshal.loads(rest[4:])


def read_yaml(path: Path):
    """`path` read by PyYAML's safe loader, its C one (libyaml) when built with
    it: the pure-Python one took 4 of the suite's seconds on the corpus labels."""
    import yaml

    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def html_tree(path: Path):
    """`path` parsed by lxml.html, queried with `.cssselect()`: for the suite's
    pages of 1,000 rows, where soup() takes 0.6 s a page and this 0.03 s."""
    import lxml.html

    return lxml.html.fromstring(path.read_bytes())


def soup(path: Path) -> BeautifulSoup:
    # lxml: as a browser parses, and twice as fast as html.parser on the suite's 1,000-row pages
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Each file's bytes by its path, and each folder (as "path/": b""), so
    that a site with an empty folder left over is not the same site."""
    return {
        str(p.relative_to(folder)) + ("" if p.is_file() else "/"): p.read_bytes() if p.is_file() else b""
        for p in sorted(folder.rglob("*"))
    }


@contextlib.contextmanager
def serving(server):
    """`server` (a socketserver) answering on a thread of its own while the
    block runs; its port. It polls for the stop every 20 ms: socketserver's
    default of 0.5 s held each test that stopped a server that long."""
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True, scope="session")
def _temp_folders_are_a_repository_top(tmp_path_factory) -> None:
    """sitegen looks for sitegen.yaml upward, stopping at a folder holding
    .git: one at the base of pytest's temporary folders keeps a stray
    sitegen.yaml above them (in /tmp, say) out of every test."""
    (tmp_path_factory.getbasetemp() / ".git").mkdir(exist_ok=True)


@pytest.fixture(autouse=True, scope="session")
def _sitegen_warmed(tmp_path_factory) -> None:
    """One build in this process of a small repository of each kind of input,
    so that the builds run_sitegen forks start where the second build of a
    `sitegen serve` starts: sitegen's lazily imported modules (the collectors,
    markdown-it, pygments, Jinja) loaded, the bundled theme compiled
    (site/environment.py: CompiledTemplates), pygments' file name patterns
    and the lexers' tables made. Each forked build made them again: 0.35 s
    of the 0.45 s a build of two checklists and a TODO took."""
    from sitegen import pipeline
    from sitegen.config import Config

    root = tmp_path_factory.mktemp("warm-up")
    (root / "app").mkdir()
    shutil.copy(FIXTURES / "checklists/priorities.md", root / "TODO.md")
    shutil.copy(FIXTURES / "checklists/phased.md", root / "app/TASKS.md")
    shutil.copy(FIXTURES / "reports/CODE_AUDIT.md", root / "CODE_AUDIT.md")
    for name in ("sample_app.py", "sample_app.js", "ruff.sarif"):
        shutil.copy(FIXTURES / "findings" / name, root / "app" / name)
    (root / "app/todo.py").write_text("def f():\n    pass  # TODO: a comment the build highlights\n")
    (root / "app/todo.js").write_text("let x = 1; // FIXME: so is this one\n")
    pipeline.build(Config(base_dir=root))
    # What is loaded now lives as long as the worker: left out of its garbage
    # collections, and of those of the builds it forks (as parallel.process_map does).
    gc.collect()
    gc.freeze()


CHROMIUM = "/usr/bin/chromium"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's `load` scheduling, except that the tests of the modules named
    test_*_browser.py run on one worker, which starts Chromium once for them
    all (the `browser` fixture), and are handed out first. Spread over the
    workers, each started one, at 0.9 s of CPU a start, and a group of a fifth
    of the suite's time handed out last would leave the other worker idle.
    (xdist's own `xdist_group` mark does nothing under pytest 9.2: xdist puts
    the group in the node id through an attribute pytest no longer reads.)"""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadGroupScheduling  # largest group first, then one test at a time

    class BrowserTestsTogether(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "browser" if nodeid.partition("::")[0].endswith("_browser.py") else nodeid

    return BrowserTestsTogether(config, log)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "heavy: a test of seconds (real tools, a package, many processes), run first")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests marked heavy first: handed out last, one could leave the
    other worker idle for its seconds at the end of the run."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)


def browser_missing() -> str | None:
    """Why the browser tests cannot run here (what to install), or None.
    Each browser module skips itself with it, so the skip names the module."""
    if shutil.which(CHROMIUM) is None:
        return f"{CHROMIUM} is not installed (scripts/test installs it with apt-get)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the test extras' playwright is not installed"
    return None


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium (scripts/test installs it), driven by Playwright's
    synchronous API: one per test process, which a thread may drive only once."""
    if why := browser_missing():
        pytest.skip(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A repository with the two checklist fixtures as TODO.md and app/TASKS.md."""
    (tmp_path / "app").mkdir()
    shutil.copy(FIXTURES / "checklists/priorities.md", tmp_path / "TODO.md")
    shutil.copy(FIXTURES / "checklists/phased.md", tmp_path / "app/TASKS.md")
    return tmp_path


# Hypothesis: "ci" (the default, 40 examples a test) and HYPOTHESIS_PROFILE=thorough
# (bench/thorough_tests.py: 2,000 a test, and every case of the sampled tests).
# Property tests that need more examples than the default ask for `examples(n)`:
# n when thorough, a twentieth of it (at least 50) otherwise. With 75 and a tenth,
# the property tests took 38 of the suite's 150 serial seconds; now 27.
from datetime import timedelta

from hypothesis import HealthCheck, settings

_SLOW_INPUTS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile("ci", max_examples=40, deadline=timedelta(seconds=2),
                          suppress_health_check=_SLOW_INPUTS)
settings.register_profile("thorough", max_examples=2000, deadline=timedelta(seconds=2),
                          suppress_health_check=_SLOW_INPUTS)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def is_thorough() -> bool:
    """Whether this is the thorough run (bench/thorough_tests.py), where sampled tests take every case."""
    return os.environ.get("HYPOTHESIS_PROFILE") == "thorough"


def examples(thorough: int) -> int:
    """max_examples for a property test that runs `thorough` examples in the thorough profile."""
    return thorough if is_thorough() else max(50, thorough // 20)


# --- a repository with a history (tests of check, history) ---------------------------

GATE = """\
todos:
  tags: {SECURITY: P1, FIXME: P2, TODO: P3}
gate:
  max_open: {todos P3: 10}
  max_new: {P1: 0}
  min_progress: {TODO.md: 20}
  max_reopened: 0
"""


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def commit(repo: Path, message: str, files: dict[str, str | None]) -> None:
    for name, text in files.items():
        path = repo / name
        if text is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def git_history(tmp_path: Path) -> Path:
    """A git repository of four commits. The first has an old P1 TODO, an old P1 task and a done
    task; the last adds a P1 TODO, a P1 task and a critical finding, and
    opens the done task again. Content files are gitignored, as `init` sets up."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "start", {
        "sitegen.yaml": GATE,
        ".gitignore": "/public/\n/.sitegen-cache/\n/content/todos.yaml\n/content/checklists.yaml\n"
                      "/content/findings.yaml\n",
        "src/app.py": "def main():\n    pass  # SECURITY: the token is logged in clear\n",
        "TODO.md": "# Tasks\n\n- [ ] (A) Rotate the signing key\n- [x] Write the changelog\n- [ ] Tidy the CSS\n",
    })
    commit(repo, "a P3 TODO", {"src/util.py": "x = 1  # TODO: name this better\n"})
    commit(repo, "a report with one high finding", {
        "SECURITY_AUDIT.md": "# Security audit\n\n## High\n\n- High: the session cookie lacks SameSite in `src/app.py`\n"})
    commit(repo, "new P1 work", {
        "src/api.py": "def handler():\n    return 1  # SECURITY: no rate limit on login\n",
        "TODO.md": "# Tasks\n\n- [ ] (A) Rotate the signing key\n- [ ] Write the changelog\n- [ ] Tidy the CSS\n"
                   "- [ ] (A) Revoke the leaked keys\n- [x] Ship 1.0\n",
        "SECURITY_AUDIT.md": "# Security audit\n\n## Critical\n\n- Critical: SQL built by string formatting "
                             "in `src/api.py:2`\n\n## High\n\n- High: the session cookie lacks SameSite in `src/app.py`\n",
    })
    return repo


