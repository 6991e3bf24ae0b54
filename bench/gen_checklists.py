"""Generate a deterministic tree of realistic checklist documents.

    python bench/gen_checklists.py DIR [--docs 1000] [--items 100]

Each document has a title, phases with numbered sub-sections, priority
sections, nested tasks, inline metadata (bold, code spans with paths, @owners,
#tags, due dates, links), plain-bullet notes, a code fence and an HTML comment.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

VERBS = ["Add", "Fix", "Refactor", "Remove", "Document", "Test", "Migrate", "Harden", "Cache", "Validate"]
NOUNS = ["auth middleware", "upload handler", "session store", "billing webhook", "search index",
         "rate limiter", "email queue", "CSV export", "audit log", "feature flags", "retry policy"]
FILES = ["api/routes/users.py", "services/billing.py", "web/src/App.tsx", "db/migrations/0042.sql",
         "infra/main.tf", "docs/ops.md", "workers/email.go"]


def task_text(rng: random.Random, n: int) -> str:
    text = f"{rng.choice(VERBS)} {rng.choice(NOUNS)} ({n})"
    roll = rng.random()
    if roll < 0.3:
        text = f"**{text}** - update `{rng.choice(FILES)}`"
    elif roll < 0.45:
        text += f" @{rng.choice(['alice', 'bob', 'chen', 'dara'])} #{rng.choice(['infra', 'security', 'ux'])}"
    elif roll < 0.55:
        text += f" due:2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    elif roll < 0.6:
        text += " (see [runbook](https://example.org/runbook))"
    return text


def document(rng: random.Random, index: int, items: int) -> str:
    lines = [f"# Service {index} tasks", "", "Tracking work for this service.", ""]
    written, phase = 0, 0
    while written < items:
        phase += 1
        lines += [f"## Phase {phase}: {rng.choice(NOUNS).title()}", ""]
        for sub in range(1, 4):
            if written >= items:
                break
            lines += [f"### {phase}.{sub} {rng.choice(NOUNS).title()}", ""]
            for _ in range(rng.randint(4, 9)):
                if written >= items:
                    break
                done = "x" if rng.random() < 0.35 else " "
                lines.append(f"- [{done}] {task_text(rng, written)}")
                written += 1
                if rng.random() < 0.15 and written < items:
                    lines.append(f"  - [ ] {task_text(rng, written)}")
                    written += 1
                if rng.random() < 0.1:
                    lines.append("  - note: check with the on-call team first")
            lines.append("")
    lines += ["## Notes", "", "<!-- - [ ] not a task -->", "```", "- [ ] not a task either", "```", ""]
    return "\n".join(lines)


def generate(root: Path, docs: int, items: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for index in range(docs):
        folder = root / f"services/svc{index:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "TASKS.md").write_text(document(rng, index, items), encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--items", type=int, default=100)
    args = parser.parse_args()
    generate(args.directory, args.docs, args.items)
