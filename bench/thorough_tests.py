"""The property and fuzz tests with ten times the examples of the default run
(the "thorough" hypothesis profile; see tests/conftest.py):

    python bench/thorough_tests.py [pytest args…]

The default suite runs a tenth of these examples to stay quick; run this
before a release or after changing a parser, a fast path or the content layout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = ["tests/test_fuzz.py", "tests/test_markup.py", "tests/test_simple_blocks.py", "tests/test_content.py"]


def main() -> None:
    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, "HYPOTHESIS_PROFILE": "thorough"}
    sys.exit(subprocess.run([sys.executable, "-m", "pytest", "-q", *TESTS, *sys.argv[1:]], cwd=repo, env=env).returncode)


if __name__ == "__main__":
    main()
