"""`sitegen init`: starter files that work as they are."""

from __future__ import annotations

from pathlib import Path

from sitegen.config import CONFIG_NAME
from sitegen.errors import SitegenError

STARTER_CONFIG = """\
# sitegen.yaml: how sitegen builds this repository's health report.
# Every key is optional; the values below are the defaults.
# Paths are relative to this file. Docs: https://pypi.org/project/sitegen/

# Shown in the page titles and the header.
title: "Project health"

# The source tree the collectors read.
root: .

# Where collectors write their YAML (content/*.yaml). Hand-written files live
# here too: content/triage.yaml overrides priority, owner, status and notes by
# item id and is never rewritten.
content: content

# Where `sitegen build` writes the site. It is replaced only when a build
# succeeds, so a failed build leaves the previous site as it was.
output: public

# The absolute URL the site will be hosted at (https://…). With it, each page
# names its canonical URL and sitemap.xml lists the pages. Internal links are
# always relative, so the site also works from a sub-path or from file://.
base_url: ""

# A bundled theme ("default"), or a folder whose templates/ and static/
# override some of the default theme's files.
theme: default

# Symbolic links in the tree: "inside" follows a link only to a file inside
# `root` that sitegen reads anyway; "none" follows none; "outside" also
# follows links that leave `root`: only for trees you trust, since a link to
# ~/.ssh or /etc would then be read and published (see SECURITY.md).
follow_symlinks: inside

# Markdown task checklists: `- [ ]` / `- [x]` items under headings, with
# phases ("## Phase 1: …") and priority sections ("## High Priority").
checklists:
  # gitignore-style patterns, matched against paths relative to `root`.
  paths:
    - "**/TODO.md"
    - "**/TASKS.md"
    - "**/ROADMAP.md"
"""

STARTER_TRIAGE = """\
# triage.yaml: hand-written overrides, by item id (shown on each item's
# permalink). sitegen reads this file and never rewrites it.
#
# ck-1a2b3c4d5e:
#   priority: P1          # P1 (critical) … P4 (low)
#   owner: alice
#   status: accepted      # open, accepted, in-progress, blocked, wontfix, done
#   notes: Waiting for the vendor's fix.
#   issue: https://example.org/issues/12
"""


def write_starter_files(directory: Path, force: bool = False) -> list[Path]:
    config = directory / CONFIG_NAME
    if config.exists() and not force:
        raise SitegenError(f"{CONFIG_NAME} already exists (use --force to overwrite it)", config)
    directory.mkdir(parents=True, exist_ok=True)
    config.write_text(STARTER_CONFIG, encoding="utf-8")
    written = [config]
    triage = directory / "content" / "triage.yaml"
    if not triage.exists():
        triage.parent.mkdir(parents=True, exist_ok=True)
        triage.write_text(STARTER_TRIAGE, encoding="utf-8")
        written.append(triage)
    return written
