"""The per-file cache: a file's stored result is used while its size and
modification time are what they were, and never otherwise."""

from __future__ import annotations

import os

import pytest

from sitegen import parallel
from sitegen.cache import FileCache, file_stamp


@pytest.mark.parametrize("cores", [1, 2])
def test_check_gives_each_unchanged_files_result_and_reads_the_rest_again(tmp_path, monkeypatch, cores):
    monkeypatch.setattr(parallel, "worker_count", lambda: cores)
    names = [f"f{n:05}.py" for n in range(25_000)]  # enough for two parts
    for name in names[:6]:
        (tmp_path / name).write_text("x\n")
    files = [(name, str(tmp_path / name)) for name in names]
    cache_file = tmp_path / "cache.marshal"
    first = FileCache(cache_file, "key", default=0)
    for rel, path in files[:6]:
        if (stamp := file_stamp(path)) is not None:
            first.put(rel, stamp, {"todos": rel} if rel != "f00001.py" else 0)
    first.save()

    (tmp_path / "f00002.py").write_text("changed\n")
    os.utime(tmp_path / "f00002.py", ns=(1, 1))
    (tmp_path / "f00003.py").unlink()
    (tmp_path / "f00009.py").write_text("new\n")
    found, again, stamps = FileCache(cache_file, "key", default=0).check(files)

    assert found == {"f00000.py": {"todos": "f00000.py"}, "f00004.py": {"todos": "f00004.py"},
                     "f00005.py": {"todos": "f00005.py"}}  # f00001.py: unchanged, nothing stored
    assert [rel for rel, _ in again] == ["f00002.py", "f00003.py", *names[6:]]
    assert set(stamps) == {"f00002.py", "f00009.py"}  # the files read again that exist
    assert stamps["f00009.py"] == file_stamp(files[9][1])


def test_kept_files_are_read_again_only_when_the_file_changed(tmp_path):
    from sitegen.cache import KeptFiles, save_keyed

    kept, path = KeptFiles(), tmp_path / "ledger.marshal"
    save_keyed(path, "key", {"page": 1})
    first = kept.load(path, "key")
    assert first == {"page": 1} and kept.load(path, "key") is first  # not unmarshalled again
    save_keyed(path, "key", {"page": 2})  # another build of the same repository wrote it
    assert kept.load(path, "key") == {"page": 2}
    kept.save(path, "key", {"page": 3})
    assert kept.load(path, "key") == {"page": 3}
    assert kept.load(path, "another key") is None
