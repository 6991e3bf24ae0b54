"""Past revisions of the repository as folders sitegen can collect, made
without touching the user's checkout: the first with `git archive`, each next
one by writing only the files that changed (so that the collectors' caches,
keyed on each file's size and time, still hold for the rest)."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.config import Config
from sitegen.errors import SitegenError

if TYPE_CHECKING:
    import tarfile

LINK, SUBMODULE = "120000", "160000"


def git(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", "-C", str(root), *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise SitegenError("reading past revisions needs git, which is not installed") from None


def output(root: Path, *args: str, timeout: float = 300) -> bytes | None:
    """What `git -C root ARGS` prints, or None when it fails, takes too long
    or git is not installed (for what sitegen can do without: a revision, a
    date, a blame)."""
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def repository_top(root: Path) -> Path:
    found = git(root, "rev-parse", "--show-toplevel")
    if found.returncode != 0:
        raise SitegenError("the root is not in a git repository", root)
    return Path(found.stdout.decode().strip()).resolve()


def commit_of(top: Path, ref: str) -> str | None:
    """The commit `ref` names, or None."""
    if ref.startswith("-"):
        return None
    found = git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    return found.stdout.decode().strip() if found.returncode == 0 else None


def inside(top: Path, path: Path) -> str | None:
    """`path` relative to `top` (posix), or None when it is outside."""
    relative = os.path.relpath(path.resolve(), top)
    return None if relative == ".." or relative.startswith("../") else Path(relative).as_posix()


def committed(top: Path, commit: str, path: str | None) -> bytes | None:
    """The file at `path` in `commit`, if it has one."""
    if path is None:
        return None
    shown = git(top, "show", f"{commit}:{path}")
    return shown.stdout if shown.returncode == 0 else None


def _files_and_folders(member: tarfile.TarInfo, destination: str) -> tarfile.TarInfo | None:
    """Regular files and folders that land inside the tree; links, devices and
    anything else are left out (the collectors never follow a link out of the
    tree, and a revision's tree is as untrusted as today's)."""
    import tarfile

    if not (member.isfile() or member.isdir()):
        return None
    try:
        return tarfile.data_filter(member, destination)
    except tarfile.FilterError:
        return None


class PastTree:
    """One folder that holds, in turn, the tree of each revision asked for,
    and `config` moved onto it (content, output and cache in `work`)."""

    def __init__(self, config: Config, work: Path):
        self.top = repository_top(config.root_dir)
        root_at = inside(self.top, config.root_dir)
        if root_at is None:
            raise SitegenError("the root is outside its git repository", config.root_dir)
        self.paths = [] if root_at == "." else ["--", root_at]
        self.tree = work / "tree"
        base_at = inside(self.top, config.base_dir)
        base = self.tree / base_at if base_at is not None else self.tree
        self.config = dataclasses.replace(config, base_dir=base, root=os.path.relpath(self.tree / root_at, base),
                                          content=str(work / "content"), output=str(work / "public"))
        self.commit: str | None = None

    def checkout(self, commit: str) -> Config:
        """The tree of `commit` in the folder; the config that collects it."""
        if self.commit is None:
            self._extract(commit)
        else:
            self._update(self.commit, commit)
        self.commit = commit
        self.config.base_dir.mkdir(parents=True, exist_ok=True)
        return self.config

    def _extract(self, commit: str) -> None:
        import tarfile  # 25 ms of imports that the TODO collector, which imports `output`, never needs

        self.tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.Popen(["git", "-C", str(self.top), "archive", "--format=tar", commit, *self.paths],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            with tarfile.open(fileobj=archive.stdout, mode="r|") as tar:
                tar.extractall(self.tree, filter=_files_and_folders)
        except (tarfile.TarError, OSError) as exc:
            raise SitegenError(f"the tree of {commit[:12]} could not be read ({exc})") from None
        finally:
            archive.stdout.close()
            archive.wait()

    def _update(self, old: str, new: str) -> None:
        """Write the files that differ between the two commits; remove those gone."""
        changed = git(self.top, "diff", "--raw", "--no-renames", "-z", old, new, *self.paths)
        fields = changed.stdout.decode("utf-8", "surrogateescape").split("\0")
        writes: list[tuple[str, str]] = []
        for meta, path in zip(fields[0::2], fields[1::2]):
            _, new_mode, _, blob, status = meta.lstrip(":").split(" ")
            target = self.tree / path
            if target.is_dir():  # a folder that becomes a file
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            if status != "D" and new_mode not in (LINK, SUBMODULE):
                writes.append((path, blob))  # links and submodules are never followed: left out, as git archive's
        self._write_blobs(writes)

    def _write_blobs(self, writes: list[tuple[str, str]]) -> None:
        if not writes:
            return
        batch = git(self.top, "cat-file", "--batch", stdin="".join(f"{blob}\n" for _, blob in writes).encode())
        out, at = batch.stdout, 0
        for path, _ in writes:
            header_end = out.index(b"\n", at)
            size = int(out[at:header_end].split()[2])
            target = self.tree / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(out[header_end + 1:header_end + 1 + size])
            at = header_end + 1 + size + 1
