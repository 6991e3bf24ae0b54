"""Which folders a build may write into. The output folder is sitegen's
alone: a build writes into, prunes, moves or replaces only a folder that is
absent, empty, or marked as holding a site sitegen made — never the source
tree, the content or cache folder, a folder of the user's, or one reached
through a link committed to the repository. Checked before anything is read
or written, so a refused build changes nothing.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import SitegenError, shown
from sitegen.site.output import IGNORE_ALL, IGNORE_TEXT, MARKER, retired_dir, staging_dir

_GENERATOR = b'<meta name="generator" content="sitegen '


@dataclass(frozen=True)
class Protected:
    """Folders the output must stay clear of."""

    root: Path
    """The source tree the collectors read."""
    config_dir: Path
    """The folder holding sitegen.yaml (the repository, usually)."""
    content: Path
    cache: Path


def claim_output(output: Path, protected: Protected, *, adopt: bool = False) -> Path:
    """The output folder, resolved, once it is certain that a build may write,
    prune and replace it and its two copies beside it; SitegenError saying why
    not (before anything was written). `adopt` (--force) accepts folders that
    hold only what an earlier sitegen build wrote, before sites were marked."""
    if output.is_symlink():
        raise SitegenError("the output folder is a symbolic link; give the folder itself", output)
    real = Path(os.path.realpath(output))
    _refuse_overlap(real, output, protected)
    _refuse_links_on_the_way(Path(os.path.abspath(output)), protected.config_dir)
    for folder in (real, staging_dir(real), retired_dir(real)):
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
    for name, folder in (("content", protected.content), ("cache", protected.cache)):
        if real.is_relative_to(folder) or folder.is_relative_to(real):
            raise refuse(f"it overlaps the {name} folder ({shown(folder)})")
    if ".git" in real.parts:
        raise refuse("it is inside a .git folder")


def _refuse_links_on_the_way(absolute: Path, base: Path) -> None:
    """A folder sitegen writes into must not be reached through a link inside
    the repository: a link committed there could lead the writes anywhere."""
    if not absolute.is_relative_to(base):
        return  # given by the user's own config or command line
    here = base
    for part in absolute.relative_to(base).parts:
        here = here / part
        if here.is_symlink():
            raise SitegenError("a symbolic link on the way to a folder sitegen writes into; "
                               "give the real folder", here)


def check_writable_folder(folder: Path, base: Path) -> None:
    """The content and cache folders: like the output, never through a link."""
    _refuse_links_on_the_way(Path(os.path.abspath(folder)), base)


def _refuse_if_not_ours(folder: Path, adopt: bool) -> None:
    if not os.path.lexists(folder):
        return
    if folder.is_symlink() or not folder.is_dir():
        raise SitegenError("in the way of the site: not a folder sitegen made; move it away", folder)
    if (folder / MARKER).is_file() or not any(os.scandir(folder)):
        return
    strangers = _files_sitegen_did_not_make(folder)
    if adopt and not strangers:
        return
    if strangers:
        raise SitegenError(
            f"refusing to build the site here: it holds {len(strangers)} file(s) that sitegen did not make "
            f"(such as {strangers[0]}); choose an empty or new folder for the site", folder)
    raise SitegenError(
        "refusing to build the site here: it was not marked as made by sitegen; if it holds only "
        "the site of an earlier sitegen build, run the build once with --force to adopt it", folder)


def _files_sitegen_did_not_make(folder: Path) -> list[str]:
    """Files in `folder` that no sitegen build writes: all but pages carrying
    sitegen's generator tag, static files and the copies' .gitignore."""
    strangers = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_dir() and not path.is_symlink():
            continue
        if rel == IGNORE_ALL and path.read_bytes().startswith(IGNORE_TEXT.encode()):
            continue
        if rel.startswith("static/") and path.is_file() and not path.is_symlink():
            continue
        if rel.endswith(".html") and not path.is_symlink() and _GENERATOR in path.read_bytes()[:2048]:
            continue
        strangers.append(f"{shown(folder)}/{rel}")
    return strangers
