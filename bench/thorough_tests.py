"""The property, fuzz and sampled tests with every example and case (the
"thorough" hypothesis profile; see tests/conftest.py):

    python bench/thorough_tests.py [pytest args…]

The default suite runs 40 examples of each property test (a twentieth of
what a test asks for in `examples(n)`, at least 50) and a sample of the
sampled tests' cases (every eighth file name, every tenth file of the
standard library) to stay quick; this runs 2,000 examples a test, `n` where
asked, and every case. Run it before a release or after changing a parser,
a fast path or the content layout. It takes tens of minutes on 2 cores.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def thorough_tests(repo: Path) -> list[str]:
    """The test files whose tests draw examples (hypothesis) or sample cases (`is_thorough`)."""
    return sorted(str(path.relative_to(repo)) for path in (repo / "tests").glob("test_*.py")
                  if any(word in path.read_text(encoding="utf-8") for word in ("@given", "is_thorough", "given(")))


def main() -> None:
    repo = Path(__file__).resolve().parent.parent
    env = {**os.environ, "HYPOTHESIS_PROFILE": "thorough"}
    tests = thorough_tests(repo)
    sys.exit(subprocess.run([sys.executable, "-m", "pytest", "-q", *tests, *sys.argv[1:]], cwd=repo, env=env).returncode)


if __name__ == "__main__":
    main()
