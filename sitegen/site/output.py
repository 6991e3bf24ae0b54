"""Writing the site: everything goes to a staging folder beside the output,
which replaces the output only once it is complete. A failed build leaves the
previous site exactly as it was."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from sitegen.errors import SitegenError


def staging_dir(output: Path) -> Path:
    return output.with_name(f".{output.name}.building")


def retired_dir(output: Path) -> Path:
    return output.with_name(f".{output.name}.previous")


def fresh_staging(output: Path) -> Path:
    staging = staging_dir(output)
    shutil.rmtree(staging, ignore_errors=True)  # left by a build that was killed
    staging.mkdir(parents=True)
    return staging


def write_file(staging: Path, url: str, text: str) -> None:
    # A lexical check is enough: staging is ours and holds no symlinks.
    relative = os.path.normpath(url)
    if os.path.isabs(relative) or relative.split(os.sep)[0] in ("..", "."):
        raise SitegenError(f"refusing to write outside the site: {url!r}")
    target = os.path.join(staging, relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)


def copy_static(theme_dirs: list[Path], staging: Path) -> None:
    """Static files of every theme in the chain; the more specific one wins."""
    for theme in reversed(theme_dirs):
        static = theme / "static"
        if static.is_dir():
            shutil.copytree(static, staging / "static", dirs_exist_ok=True)


def publish(staging: Path, output: Path) -> None:
    """Swap the finished staging folder into place of `output`."""
    retired = retired_dir(output)
    shutil.rmtree(retired, ignore_errors=True)
    if output.exists():
        os.replace(output, retired)
    os.replace(staging, output)
    shutil.rmtree(retired, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
