"""Issue 16's figures for history and blame, on generated git repositories.

    python bench/bench_history.py history [--revisions 200] [--files 2000]
    python bench/bench_history.py blame [--files 100000] [--megabytes 700]

history: a repository of FILES source files (gen_tree's shape) whose
REVISIONS commits each change a few files (a TODO added, one removed, an
edit), then `sitegen history --rebuild`: seconds per revision and peak RSS.

blame: the tree of gen_tree.py committed, `todos.blame: true`; a first
collect (every TODO's file blamed), one commit that changes one file, then the
collect again (only that file blamed): both timed, with peak RSS.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from gen_tree import generate  # noqa: E402
from measure import timed  # noqa: E402

SITEGEN = str(Path(sys.executable).with_name("sitegen"))
ENV = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.org",
       "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.org"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env=ENV, check=True, capture_output=True)


def committed_tree(repo: Path, files: int, megabytes: int, config: str) -> None:
    generate(repo, files, megabytes)
    (repo / "sitegen.yaml").write_text(config, encoding="utf-8")
    (repo / ".gitignore").write_text("/public/\n/.sitegen-cache/\n/content/\n", encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "tree")


def _python_files(repo: Path) -> list[Path]:
    return sorted(p for p in repo.rglob("*.py") if ".git" not in p.parts)


def history(args) -> None:
    with tempfile.TemporaryDirectory(prefix="sitegen-history-") as tmp:
        repo = Path(tmp)
        committed_tree(repo, args.files, max(1, args.files * 7 // 1000), "title: bench\n")
        rng = random.Random(5)
        sources = _python_files(repo)
        for n in range(args.revisions - 1):
            for path in rng.sample(sources, 3):
                text = path.read_text(encoding="utf-8")
                if n % 3 == 0 and "# TODO" in text:  # one TODO removed now and then
                    text = text.replace("# TODO", "# done", 1)
                path.write_text(text + f"x_{n} = {n}  # TODO: step {n} of the plan\n", encoding="utf-8")
            git(repo, "commit", "-q", "-am", f"change {n}")
        seconds, rss, cpu = timed([SITEGEN, "-q", "history", "--rebuild"], repo)
        entries = (repo / "content/history.yaml").read_text(encoding="utf-8").count("- revision:")
        print(f"history --rebuild: {args.revisions} revisions of {args.files} files: {seconds:.2f} s "
              f"({seconds / args.revisions:.3f} s a revision), CPU {cpu:.2f} s, peak RSS {rss:.0f} MiB, "
              f"{entries} entries")


def commit_one_file(repo: Path, path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "y = 1  # TODO: one more\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "one file changed")


def blame(args) -> None:
    with tempfile.TemporaryDirectory(prefix="sitegen-blame-") as tmp:
        repo = Path(tmp)
        committed_tree(repo, args.files, args.megabytes, "title: bench\n")
        timed([SITEGEN, "-q", "collect", "--only", "todos"], repo)  # the scan's cache, as a second run has it
        plain = timed([SITEGEN, "-q", "collect", "--only", "todos"], repo)  # the scan alone, for comparison
        (repo / "sitegen.yaml").write_text("todos:\n  blame: true\n", encoding="utf-8")
        first = timed([SITEGEN, "-q", "collect", "--only", "todos"], repo)
        again = timed([SITEGEN, "-q", "collect", "--only", "todos"], repo)
        first_file, second_file = [p for p in _python_files(repo) if "# TODO" in p.read_text(encoding="utf-8")][:2]
        commit_one_file(repo, first_file)
        after = timed([SITEGEN, "-q", "collect", "--only", "todos"], repo)
        commit_one_file(repo, second_file)  # again, with -v: the blame step's own time
        said = subprocess.run([SITEGEN, "-v", "collect", "--only", "todos"], cwd=repo, capture_output=True,
                              text=True, check=True).stderr.splitlines()
        blamed = (repo / "content/todos.yaml").read_text(encoding="utf-8").split("\nblame:\n", 1)[1]
        count = blamed.split("\nsummary:", 1)[0].count(": [")
        print("the scan alone, no blame (warm): {:.2f} s, CPU {:.2f} s".format(plain[0], plain[2]))
        for label, (seconds, rss, cpu) in (("first collect (all blamed)", first), ("again, nothing changed", again),
                                           ("after a commit of one file", after)):
            print(f"blame, {args.files} files: {label}: {seconds:.2f} s, CPU {cpu:.2f} s, peak RSS {rss:.0f} MiB")
        print(f"{count} TODOs blamed; after another one-file commit, -v says: "
              + next(line for line in said if line.startswith("blame:")))
        shutil.rmtree(repo / ".git")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("history", "blame"))
    parser.add_argument("--revisions", type=int, default=200)
    parser.add_argument("--files", type=int, default=None)
    parser.add_argument("--megabytes", type=int, default=700)
    args = parser.parse_args()
    if args.what == "history":
        args.files = args.files or 2000
        history(args)
    else:
        args.files = args.files or 100_000
        blame(args)


if __name__ == "__main__":
    main()
