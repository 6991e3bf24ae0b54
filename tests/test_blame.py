"""todos.blame: each TODO's line dated and attributed by git blame, cached by
the file's blob so that a run after one commit blames only what it changed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import yaml

from conftest import read_cache, run_sitegen, soup
from sitegen.cache import save_keyed, settings_key


def _commit(repo: Path, author: str, day: str, files: dict[str, str]) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    stamp = f"{day}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": f"{author}@example.org",
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": f"{author}@example.org",
           "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    for args in (["add", "-A"], ["commit", "-q", "-m", f"{author} {day}"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _blame(repo: Path) -> dict[str, tuple[str, str]]:
    data = yaml.safe_load((repo / "content/todos.yaml").read_text(encoding="utf-8"))
    texts = {item["id"]: item["text"] for item in data["items"]}
    return {texts[todo_id]: tuple(blamed) for todo_id, blamed in (data.get("blame") or {}).items()}


def test_each_todo_line_has_its_last_change_and_a_rerun_blames_only_changed_files(tmp_path: Path):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    _commit(repo, "ada", "2021-03-04", {
        "sitegen.yaml": "todos:\n  blame: true\n",
        ".gitignore": "/public/\n/.sitegen-cache/\n/content/\n",
        "a.py": "x = 1  # TODO: old one\ny = 2\n",
        "b.py": "z = 3  # FIXME: to be edited\n",
    })
    _commit(repo, "bob", "2024-07-08", {"b.py": "z = 3  # FIXME: edited by bob\n"})
    assert run_sitegen("build", cwd=repo).returncode == 0
    assert _blame(repo) == {"old one": ("2021-03-04", "ada"), "edited by bob": ("2024-07-08", "bob")}
    oldest = soup(repo / "public/todos/index.html").select("table.oldest tbody tr")
    assert [row.select("td")[0].get_text() for row in oldest] == ["2021-03-04", "2024-07-08"]
    assert "line last changed 2021-03-04 by ada" in soup(repo / "public/files/a.py.html").get_text()

    # The cache keeps a.py's blame by its blob: mark it, to see that the next run does not blame a.py again
    cache = repo / ".sitegen-cache/blame.marshal"
    key, data = read_cache(cache)
    assert key == settings_key("blame")
    for name, lines in data.items():
        if name.startswith("a.py\0"):
            data[name] = {line: ("2000-01-01", "from the cache") for line in lines}
    save_keyed(cache, key, data)
    _commit(repo, "cy", "2025-01-02", {"b.py": "z = 3  # FIXME: edited by bob\nw = 4  # TODO: cy's\n"})
    assert run_sitegen("collect", cwd=repo).returncode == 0
    assert _blame(repo) == {"old one": ("2000-01-01", "from the cache"), "edited by bob": ("2024-07-08", "bob"),
                            "cy's": ("2025-01-02", "cy")}

    # An uncommitted line has no blame; the file is blamed again each run, the rest still from the cache
    (repo / "a.py").write_text("x = 1  # TODO: old one\ny = 2  # TODO: not committed\n", encoding="utf-8")
    assert run_sitegen("collect", cwd=repo).returncode == 0
    blamed = _blame(repo)
    assert "not committed" not in blamed and blamed["old one"] == ("2021-03-04", "ada")


def test_without_git_or_the_setting_there_is_no_blame(project: Path):
    (project / "app.py").write_text("x = 1  # TODO: somewhere\n", encoding="utf-8")
    (project / "sitegen.yaml").write_text("todos:\n  blame: true\n", encoding="utf-8")
    assert run_sitegen("build", cwd=project).returncode == 0
    assert "blame" not in yaml.safe_load((project / "content/todos.yaml").read_text(encoding="utf-8"))
    assert soup(project / "public/todos/index.html").select_one("table.oldest") is None
