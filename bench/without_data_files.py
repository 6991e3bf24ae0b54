"""`sitegen ARGS`, as the sitegen installed beside this Python runs it, except
that data/health.json and data/search.js are written empty.

    python bench/without_data_files.py build -q

For like-for-like timings against versions from before those two files
(issues 15 and 16 added them: 47 MB and about a second of CPU for the
checklist benchmark's 100,000 tasks), e.g. with ab_checklists.py:

    python bench/ab_checklists.py OLD/bin/sitegen "NEW/bin/python bench/without_data_files.py"

Every other page and data file is made as a build makes it.
"""

from __future__ import annotations

import sys

from sitegen.cli import main
from sitegen.site import pages, urls

_LEFT_EMPTY = {urls.HEALTH_JSON, urls.SEARCH_DATA}
_generated = pages.generated


def _left_empty(url, key, make_text, *rest):
    # Known by another key, so that a build of sitegen itself in this tree makes them again.
    if url in _LEFT_EMPTY:
        return _generated(url, key + " (left empty)", lambda: "")
    return _generated(url, key, make_text, *rest)


if __name__ == "__main__":
    pages.generated = _left_empty
    sys.argv = ["sitegen", *sys.argv[1:]]
    main()
