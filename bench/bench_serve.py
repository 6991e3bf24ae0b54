"""Time `sitegen serve` on a generated tree: start to first page served,
save-to-reload-signal latency for one source file and for one checklist
document of 100 tasks, and the serve process's peak memory.

    python bench/bench_serve.py DIR [--files 100000] [--docs 1000] [--runs 5]

DIR is made once (bench/gen_tree.py's source tree under DIR/src and
bench/gen_checklists.py's documents under DIR/services) and reused. The
latency is from the write of the file to the Server-Sent Event that tells
browsers to reload, read on a connection opened beforehand, as a browser
holds it. Targets: 300 ms each, 600 MB.

Each save is made once the server is idle: after the signal, the rebuild
goes on writing the data files (data/health.json and the scripts' data,
2.5-3 s at 100,000 files), and a save made meanwhile waits for them. Until
2026-12-02 the next save came a fixed 2 s after the signal, so at 100,000
files each figure held part of the previous save's finish; the time to the
data files is printed on its own now.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent


def make_tree(directory: Path, files: int, docs: int) -> None:
    stamp = directory / ".generated"
    wanted = f"{files} {docs}\n"
    if stamp.exists() and stamp.read_text() == wanted:
        return
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    megabytes = max(1, files * 7 // 1000)
    subprocess.run([sys.executable, HERE / "gen_tree.py", directory / "src", "--files", str(files),
                    "--megabytes", str(megabytes)], check=True)
    subprocess.run([sys.executable, HERE / "gen_checklists.py", directory, "--docs", str(docs)], check=True)
    (directory / "sitegen.yaml").write_text("title: serve bench\n")
    subprocess.run(["git", "init", "-q", str(directory)], check=True)
    stamp.write_text(wanted)


class Events:
    """An open /__sitegen/events stream: each `next_version` waits for the next data line."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.connection.request("GET", "/__sitegen/events")
        self.response = self.connection.getresponse()
        self.version = self.next_version()

    def next_version(self) -> str:
        while True:
            line = self.response.fp.readline().decode()
            if line.startswith("data: "):
                return line[6:].strip()


def fetch(port: int, path: str) -> None:
    """GET `path` from the preview and read the whole answer (it waits while a rebuild writes it)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        assert connection.getresponse().read()
    finally:
        connection.close()


def latency(events: Events, edit, port: int) -> tuple[float, float]:
    """(save → reload signal, reload signal → the data files written): the
    server holds a request for data/health.json until the rebuild's finish
    step has written it, so the next save finds the server idle."""
    saved = time.perf_counter()
    edit()
    version = events.next_version()
    signalled = time.perf_counter()
    events.version = version
    fetch(port, "/data/health.json")
    written = time.perf_counter()
    time.sleep(SETTLE)
    return signalled - saved, written - signalled


SETTLE = 1.0
"""Seconds between the data files written and the next save."""


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    make_tree(args.directory, args.files, args.docs)
    sitegen = str(Path(sys.executable).with_name("sitegen"))
    started, edited = time.perf_counter(), {}
    process = subprocess.Popen([sitegen, "serve", "--port", "0"], cwd=args.directory, stdout=subprocess.PIPE,
                               text=True)
    try:
        url = re.search(r"http://127.0.0.1:(\d+)/", process.stdout.readline())
        port = int(url.group(1))
        fetch(port, "/index.html")
        first_page = time.perf_counter() - started
        events = Events(port)
        source = next(p for p in sorted((args.directory / "src").rglob("*.py")))
        document = args.directory / "services/svc0000/TASKS.md"
        for path in (source, document):  # put back at the end: the next run saves the same files
            edited[path] = path.read_text()
        source_times, document_times, data_times = [], [], []
        for run in range(args.runs):
            seconds, data = latency(events, lambda: source.write_text(
                source.read_text() + f"# TODO: bench edit {run}\n"), port)
            source_times.append(seconds)
            data_times.append(data)
            text = document.read_text()
            box = text.index("- [ ]") if run % 2 == 0 else text.index("- [x]")
            seconds, data = latency(events, lambda: document.write_text(
                text[:box] + ("- [x]" if run % 2 == 0 else "- [ ]") + text[box + 5:]), port)
            document_times.append(seconds)
            data_times.append(data)
        rss = peak_rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # SIGINT ignored (a shell's background job): stop it anyway
            process.kill()
            process.wait()
        for path, text in edited.items():
            path.write_text(text)
    load = os.getloadavg()[0]
    print(f"tree: {args.files} source files, {args.docs} checklist documents; load average at the end {load:.2f}")
    print(f"start to first page served: {first_page:.2f} s")
    print(f"save → reload signal, one source file: median {statistics.median(source_times) * 1000:.0f} ms "
          f"(min {min(source_times) * 1000:.0f}, max {max(source_times) * 1000:.0f}; target 300)")
    print(f"save → reload signal, one 100-task document: median {statistics.median(document_times) * 1000:.0f} ms "
          f"(min {min(document_times) * 1000:.0f}, max {max(document_times) * 1000:.0f}; target 300)")
    print("  each run, in order (ms): source file", [round(t * 1000) for t in source_times],
          "document", [round(t * 1000) for t in document_times])
    print(f"reload signal → data files written (the rebuild's finish, before the next save): median "
          f"{statistics.median(data_times) * 1000:.0f} ms (max {max(data_times) * 1000:.0f})")
    print(f"peak RSS of the serve process: {rss:.0f} MB (target 600)")


if __name__ == "__main__":
    main()
