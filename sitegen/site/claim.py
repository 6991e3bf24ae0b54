"""Which folders a build may write into. The output folder is sitegen's
alone: a build writes into, prunes, moves or replaces only a folder that is
absent, empty, or marked as holding a site sitegen made — never the source
tree, the content or cache folder, a folder of the user's, or one reached
through a link committed to the repository. Checked before anything is read
or written, so a refused build changes nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sitegen.config import Config
from sitegen.errors import SitegenError, shown
from sitegen.files import NotRead, read_start
from sitegen.site.urls import HEALTH_JSON
from sitegen.site.output import IGNORE_ALL, IGNORE_TEXT, MARKER, retired_dir, staging_dir

_GENERATOR = re.compile(rb'<meta name="generator" content="sitegen [0-9]')


@dataclass(frozen=True)
class Protected:
    """Folders the output must stay clear of, and where the repository is."""

    root: Path
    """The source tree the collectors read (resolved)."""
    config_dir: Path
    """The folder holding sitegen.yaml (resolved)."""
    content: Path
    cache: Path
    themes: tuple[Path, ...] = ()
    """The user's theme folder, if any (resolved)."""
    anchors: tuple[Path, ...] = ()
    """Where the repository starts, as written (the config's folder and the
    root): no folder sitegen writes may be reached through a link below them."""


def claim_folders(config: Config, cache_dir: Path, output: Path | None = None, adopt: bool = False) -> Path | None:
    """Check, before anything is read or written, the folders a run uses: the
    content, cache and theme folders are not reached through a link inside
    the repository, the cache did not come with it, and the output (if given)
    is sitegen's own; returns the output, resolved."""
    anchors = (config.base_dir, Path(os.path.abspath(config.base_dir / config.root)))
    for folder in (config.base_dir / config.content, cache_dir):
        refuse_links_on_the_way(folder, anchors)
    if config.theme_override_dir is not None:
        theme = config.base_dir / config.theme
        for folder in (theme, theme / "templates", theme / "static"):
            refuse_links_on_the_way(folder, anchors, purpose="reads a theme from")
    if tracked_by_git(cache_dir):
        raise SitegenError("the cache folder is tracked by git: a cache must never come with the repository "
                           f"(git rm -r --cached {shown(cache_dir)})", cache_dir)
    if output is None:
        return None
    protected = Protected(
        root=config.root_dir, config_dir=config.base_dir, content=Path(os.path.realpath(config.content_dir)),
        cache=Path(os.path.realpath(cache_dir)),
        themes=(config.theme_override_dir,) if config.theme_override_dir else (), anchors=anchors,
    )
    return claim_output(output, protected, adopt=adopt)


@contextmanager
def one_build_at_a_time(config: Config, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the repository's build lock: a second build of the same repository
    (`sitegen build` while `sitegen serve` rebuilds, two CI steps) waits for
    the first, calling `waiting`, instead of moving the same folders under it.
    The lock is on the folder of the config (flock), so that nothing is
    written for it: a refused build changes nothing. Where there is no flock
    (Windows, or a directory on NFS), builds are not kept apart."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    handle = os.open(config.base_dir, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(handle, fcntl.LOCK_EX)
        except OSError:
            pass  # no such lock on this file system (NFS and CIFS lock only files opened for writing)
        yield
    finally:
        os.close(handle)  # which lets the lock go


def tracked_by_git(folder: Path) -> bool:
    """Whether git tracks anything in `folder` (False where there is no git)."""
    if not folder.is_dir():
        return False
    try:
        listed = subprocess.run(["git", "-C", str(folder), "ls-files", "-z", "--", "."],
                                capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return listed.returncode == 0 and bool(listed.stdout)


def claim_output(output: Path, protected: Protected, *, adopt: bool = False) -> Path:
    """The output folder, resolved, once it is certain that a build may write,
    prune and replace it and its two copies beside it; SitegenError saying why
    not (before anything was written). `adopt` (--force) accepts folders that
    hold only what an earlier sitegen build wrote, before sites were marked."""
    if output.is_symlink():
        raise SitegenError("the output folder is a symbolic link; give the folder itself", output)
    refuse_links_on_the_way(output, protected.anchors)
    real = Path(os.path.realpath(output))
    _refuse_overlap(real, output, protected)  # first: "/" has no copies beside it
    copies = (real, staging_dir(real), retired_dir(real))
    for folder in copies[1:]:
        _refuse_overlap(folder, output, protected)
    for folder in copies:
        _refuse_if_not_ours(folder, adopt)
    return real


def _refuse_overlap(real: Path, given: Path, protected: Protected) -> None:
    def refuse(why: str) -> SitegenError:
        return SitegenError(f"refusing to build the site here: {why}; "
                            "choose a folder of its own for the site, such as public", given)

    if protected.root.is_relative_to(real):
        raise refuse("it is the source tree (root)" if real == protected.root else "it holds the source tree (root)")
    if protected.config_dir.is_relative_to(real):
        raise refuse("it holds sitegen.yaml")
    named = [("content", protected.content), ("cache", protected.cache), *(("theme", t) for t in protected.themes)]
    for name, folder in named:
        if real.is_relative_to(folder) or folder.is_relative_to(real):
            raise refuse(f"it overlaps the {name} folder ({shown(folder)})")
    if ".git" in real.parts:
        raise refuse("it is inside a .git folder")


def refuse_links_on_the_way(given: Path, anchors: tuple[Path, ...], purpose: str = "writes into") -> None:
    """A folder below the repository's top (an anchor) must be reached without
    a link: a link committed to the repository could lead sitegen's writes,
    or its reads of a theme, anywhere. `given` is checked as written, before
    any `..` in it is taken away."""
    absolute = Path(os.path.abspath(given))
    below = [anchor for anchor in anchors if absolute.is_relative_to(anchor)]
    if not below:
        return  # outside the repository: named by the user's own config or command line
    anchor = max(below, key=lambda a: len(a.parts))
    if Path(os.path.realpath(given)) == Path(os.path.realpath(anchor)) / absolute.relative_to(anchor):
        return
    here, culprit = anchor, given
    for part in absolute.relative_to(anchor).parts:
        here = here / part
        if here.is_symlink():
            culprit = here
            break
    raise SitegenError(f"a symbolic link on the way to a folder sitegen {purpose}; give the real folder", culprit)


def _refuse_if_not_ours(folder: Path, adopt: bool) -> None:
    if not os.path.lexists(folder):
        return
    if folder.is_symlink() or not folder.is_dir():
        raise SitegenError("in the way of the site: not a folder sitegen made; move it away", folder)
    if (folder / MARKER).is_file() or not any(os.scandir(folder)):
        return
    strangers, pages = _files_sitegen_did_not_make(folder)
    if adopt and pages and not strangers:
        return
    if strangers:
        raise SitegenError(
            f"refusing to build the site here: it holds {len(strangers)} file(s) that sitegen did not make "
            f"(such as {strangers[0]}); choose an empty or new folder for the site", folder)
    raise SitegenError(
        "refusing to build the site here: it was not marked as made by sitegen; if it holds only "
        "the site of an earlier sitegen build, run the build once with --force to adopt it", folder)


# How every data file the scripts read starts (list_data.script; tests/test_output_folder.py
# adopts a site that has them).
_DATA_START = b"window.sitegenData=window.sitegenData||{};"

# robots.txt as the default theme writes it (see templates/robots.txt).
_ROBOTS = re.compile(rb"User-agent: \*\n(?:Disallow: /\n|Allow: /\n(?:Sitemap: \S+sitemap\.xml\n)?)")


# data/health.json as sitegen/export/json_format.py writes it: sorted keys, "checklists" first.
_HEALTH_START = b'{\n "checklists": ['


# A README badge as templates/badge.svg draws it.
_BADGE = re.compile(rb'<svg xmlns="http://www.w3.org/2000/svg" width="\d+" height="20" role="img" aria-label="')


def _files_sitegen_did_not_make(folder: Path) -> tuple[list[str], int]:
    """(files in `folder` that no sitegen build writes, how many of its pages
    do): sitegen writes pages carrying its generator tag, static files beside
    them, data files for its scripts, its robots.txt, data/health.json and
    badges, and the copies' .gitignore. Links and special files are strangers,
    and nothing is read through them."""
    strangers, pages = [], 0
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_dir() and not path.is_symlink():
            continue
        try:
            if rel == IGNORE_ALL and read_start(path, len(IGNORE_TEXT)) == IGNORE_TEXT.encode():
                continue
            if rel.endswith(".html") and _GENERATOR.search(read_start(path, 2048)):
                pages += 1
                continue
            if rel.startswith("static/") and path.is_file() and not path.is_symlink():
                continue
            if rel.startswith("data/") and read_start(path, len(_DATA_START)) == _DATA_START:
                continue
            if rel == "robots.txt" and _ROBOTS.fullmatch(read_start(path, 4096)):
                continue
            if rel == HEALTH_JSON and read_start(path, len(_HEALTH_START)) == _HEALTH_START:
                continue
            if rel.startswith("badges/") and rel.endswith(".svg") and _BADGE.match(read_start(path, 200)):
                continue
        except (OSError, NotRead):
            pass
        strangers.append(f"{shown(folder)}/{rel}")
    return strangers, pages
