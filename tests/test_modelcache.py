"""Derived model tables kept on disk: round trip, and anything unsound ignored."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from kabar.modelcache import load_table, save_table, table_path

ARRAYS = {
    "a": np.arange(1000, dtype=np.float32).reshape(10, 100),
    "b": np.array([True, False]),
    "empty": np.zeros(0, np.uint8),
    "c": np.arange(7, dtype=np.uint32),
}


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KABAR_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("KABAR_NO_CACHE", raising=False)
    source = tmp_path / "model.bin"
    source.write_bytes(b"weights")
    return source


def test_modelcache_round_trip(cache: Path) -> None:
    path = table_path("t", [str(cache)])
    assert path is not None and load_table(path) is None
    save_table(path, ARRAYS)
    loaded = load_table(path)
    assert loaded is not None and loaded.keys() == ARRAYS.keys()
    for name, array in ARRAYS.items():
        assert loaded[name].dtype == array.dtype and np.array_equal(loaded[name], array)
        assert not loaded[name].flags.writeable
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_modelcache_ignores_what_is_not_sound(cache: Path) -> None:
    path = table_path("t", [str(cache)])
    assert path is not None
    save_table(path, ARRAYS)
    data = path.read_bytes()
    path.write_bytes(data[:-64])  # truncated
    assert load_table(path) is None
    damaged = bytearray(data)
    damaged[-64 * 3] ^= 0x01  # one bit of an array
    path.write_bytes(bytes(damaged))
    assert load_table(path) is None
    path.write_bytes(b"something else entirely")
    assert load_table(path) is None


def test_modelcache_named_by_its_sources_and_off_when_asked(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = table_path("t", [str(cache)])
    assert first is not None
    save_table(first, ARRAYS)
    os.utime(first, (0, 0))  # an old table
    cache.write_bytes(b"other weights")  # the package was upgraded
    second = table_path("t", [str(cache)])
    assert second is not None and second != first
    save_table(second, ARRAYS)
    assert not first.exists() and second.exists()  # the old table went
    monkeypatch.setenv("KABAR_NO_CACHE", "1")
    assert table_path("t", [str(cache)]) is None
    save_table(None, ARRAYS)  # nothing to do
