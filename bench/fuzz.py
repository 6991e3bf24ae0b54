"""Long fuzz runs: the strategies and checks of tests/test_fuzz.py, with
100,000 examples per parser.

    python bench/fuzz.py                       # every parser, 100,000 examples each
    python bench/fuzz.py --parser sarif --examples 20000
    python bench/fuzz.py --limits              # time the large inputs the README's Limits promise

Per parser it prints the examples run, each distinct exception (its type and
where it was raised, with the smallest example hypothesis could shrink it
to), and the slowest input's time and size. Parsers run one after another;
`--minutes` stops a parser's run early (the examples run are reported).
Run it against the checkout (it puts the repository and tests/ on sys.path).
"""

from __future__ import annotations

import argparse
import heapq
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from fuzz_targets import TARGETS, run_check  # noqa: E402

CHUNK = 5_000


def _size(example) -> int:
    if isinstance(example, str):
        return len(example)
    if isinstance(example, tuple):
        return sum(_size(part) for part in example)
    return len(repr(example))


def _signature(exc: BaseException) -> str:
    """The exception's type and the innermost frame of sitegen (or of the check) that raised it."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/sitegen/" in f.filename] or frames[-1:]
    where = f"{Path(ours[-1].filename).name}:{ours[-1].lineno} ({ours[-1].name})" if ours else "?"
    return f"{type(exc).__name__} at {where}"


@dataclass
class Found:
    signature: str
    message: str
    example: object
    count: int = 0


@dataclass
class Run:
    name: str
    examples: int = 0
    seconds: float = 0.0
    slowest: tuple[float, int] = (0.0, 0)
    slowest_example: object = None
    found: dict[str, Found] = field(default_factory=dict)
    _candidates: list = field(default_factory=list)
    """(time, n, example) of the slowest inputs seen, re-timed at the end."""

    def call(self, example) -> BaseException | None:
        start = time.perf_counter()
        problem = None
        try:
            run_check(self.name, example)
        except Exception as exc:  # noqa: BLE001 - recording every kind is the point
            problem = exc
        spent = time.perf_counter() - start
        self.examples += 1
        entry = (spent, self.examples, example)
        if len(self._candidates) < RETIMED:
            heapq.heappush(self._candidates, entry)
        elif spent > self._candidates[0][0]:
            heapq.heapreplace(self._candidates, entry)
        if problem is not None:
            key = _signature(problem)
            known = self.found.get(key)
            if known is None:
                known = self.found[key] = Found(key, f"{problem}"[:300], example)
            elif _size(example) < _size(known.example):
                known.example = example
            known.count += 1
        return problem

    def retime(self) -> None:
        """The slowest input, each candidate timed again (best of three): a
        single time on a shared machine may include someone else's work."""
        for _, _, example in self._candidates:
            best = float("inf")
            for _ in range(3):
                start = time.perf_counter()
                try:
                    run_check(self.name, example)
                except Exception:  # noqa: BLE001 - already counted
                    pass
                best = min(best, time.perf_counter() - start)
            if best > self.slowest[0]:
                self.slowest, self.slowest_example = (best, _size(example)), example


RETIMED = 10


def _settings(examples: int, phases) -> settings:
    return settings(max_examples=examples, deadline=None, database=None, phases=phases,
                    suppress_health_check=list(HealthCheck), derandomize=False)


def fuzz(name: str, examples: int, minutes: float, base_seed: int) -> Run:
    strategy, _ = TARGETS[name]
    run = Run(name)
    _warm_up(name, strategy)
    began = time.perf_counter()
    chunk_index = 0
    while run.examples < examples and time.perf_counter() - began < minutes * 60:
        wanted = min(CHUNK, examples - run.examples)

        @_settings(wanted, [Phase.generate])
        @seed(base_seed + chunk_index)
        @given(strategy)
        def chunk(example):
            run.call(example)

        chunk()
        chunk_index += 1
        print(f"  {name}: {run.examples} examples, {len(run.found)} kinds of exception, "
              f"{time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)
    run.seconds = time.perf_counter() - began
    run.retime()
    for found in run.found.values():
        found.example = _shrunk(name, strategy, found)
    return run


def _warm_up(name: str, strategy) -> None:
    """One example first, outside the counts: imports, compiled patterns and
    templates would otherwise make it the slowest input."""

    @_settings(1, [Phase.generate])
    @given(strategy)
    def once(example):
        try:
            run_check(name, example)
        except Exception:  # noqa: BLE001 - counted in the run proper
            pass

    once()


def _shrunk(name: str, strategy, found: Found):
    """The smallest example hypothesis shrinks this kind of exception to (it
    searches again, failing only on it); else the smallest one seen."""
    smallest = [found.example]

    @_settings(20_000, [Phase.generate, Phase.shrink])
    @given(strategy)
    def search(example):
        try:
            run_check(name, example)
        except Exception as exc:  # noqa: BLE001
            if _signature(exc) == found.signature:
                smallest[0] = example  # the last failing call is the shrunk example
                raise

    try:
        search()
    except Exception:  # noqa: BLE001 - hypothesis re-raises the shrunk failure
        pass
    return smallest[0]


def report(run: Run) -> None:
    slow, size = run.slowest
    print(f"{run.name}: {run.examples} examples in {run.seconds:.0f} s; slowest input {slow * 1000:.0f} ms (best of 3) "
          f"({size:,} characters); exceptions: {len(run.found) or 'none'}")
    shown = repr(run.slowest_example)
    print(f"  slowest: {shown if len(shown) <= 300 else shown[:300] + '…'}")
    for found in run.found.values():
        shown = repr(found.example)
        shown = shown if len(shown) <= 400 else shown[:400] + f"… ({len(shown):,} characters)"
        print(f"  {found.signature} ×{found.count}: {found.message}\n    example: {shown}")
    sys.stdout.flush()


# --- the large inputs of the README's Limits ---------------------------------------

def limits() -> None:
    from sitegen.collectors import checklists, reports, sarif

    priorities = {"critical": "P1", "high": "P2", "medium": "P3", "low": "P4", "info": "P4"}
    mib = 1 << 20
    inputs = {
        "3,000-deep list (2-space steps)": "".join("  " * i + f"- [ ] task {i}\n" for i in range(3000)),
        "3,000-deep list (4-space steps)": "".join("    " * i + f"- [ ] task {i}\n" for i in range(3000)),
        "one line of 100,000 '>'": ">" * 100_000 + " - [ ] x\n",
        "100,000 lines of '>' (one each)": "> - [ ] x\n" * 100_000,
        "quote staircase to 10 MiB (4,580 lines, line n has n '>')": "".join(
            ">" * n + " - [ ] x\n" for n in range(1, 4_581)),
        "10 MiB single-line task": "- [ ] " + "word " * (2 * mib) + "\n",
        "10 MiB single line of backticks": "- [ ] " + "`" * (10 * mib) + "\n",
        "10 MiB single line of '[](' and spaces": "- High: " + "[](  " * (2 * mib) + "\n",
        "100,000 short tasks": "".join(f"- [ ] task {i}\n" for i in range(100_000)),
        "100,000 headings alike": "## Tasks\n- [ ] x\n" * 100_000,
    }
    print(f"{'input':62} {'MiB':>5} {'checklist':>10} {'report':>10}")
    for label, text in inputs.items():
        times = []
        for parse in (lambda t: checklists.parse_document(t, "TODO.md", "todo"),
                      lambda t: reports.parse_report(t, "AUDIT.md", priorities)):
            start = time.perf_counter()
            parse(text)
            times.append(time.perf_counter() - start)
        print(f"{label:62} {len(text) / mib:5.1f} {times[0]:9.2f}s {times[1]:9.2f}s", flush=True)
    context = sarif._Context(Path("/repo"), "big.sarif", priorities)
    for label, text in {
        "SARIF nested 100,000 deep": '{"runs": ' + "[" * 100_000 + "]" * 100_000 + "}",
        "10 MiB SARIF string": '{"version": "2.1.0", "runs": [{"results": [{"message": {"text": "'
                               + "a" * (10 * mib) + '"}}]}]}',
    }.items():
        start = time.perf_counter()
        sarif.parse_json(text, context)
        print(f"{label:62} {len(text) / mib:5.1f} {time.perf_counter() - start:9.2f}s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=100_000, help="examples per parser (default 100,000)")
    parser.add_argument("--parser", action="append", choices=sorted(TARGETS), help="run only this parser (repeatable)")
    parser.add_argument("--minutes", type=float, default=float("inf"), help="stop each parser after this long")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--limits", action="store_true", help="time the large inputs instead")
    args = parser.parse_args()
    if args.limits:
        limits()
        return
    for name in args.parser or list(TARGETS):
        report(fuzz(name, args.examples, args.minutes, args.seed))


if __name__ == "__main__":
    main()
