"""Tables derived from installed model files, kept under ``$KABAR_CACHE/models`` so the next process maps them
instead of deriving them again (the encoder's inflated weights and its sorted pieces: 0.25 s of CPU per process).

Safe to lose, share and find stale:

- a file is named by what it was derived from (the source files' paths, sizes and modification times, and this
  format's version), so an upgraded package is never read through an old table; older tables of the same name
  are removed when a new one is written (if a day old);
- it is written to a temporary file and renamed into place, so a reader never sees half a table, and several
  processes may write the same one;
- it holds plain numeric arrays (no pickled objects) behind a header with their size and CRC-32; anything
  unexpected is ignored and the table derived again;
- ``KABAR_NO_CACHE=1`` (or an unwritable cache folder) leaves every table in memory only.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import struct
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

try:  # ISA-L's CRC-32: checking a 79 MB table takes 2 ms instead of zlib's 25
    from isal.isal_zlib import crc32 as _crc32
except ImportError:  # pragma: no cover - isal is a dependency
    from zlib import crc32 as _crc32

FORMAT = 1
MAGIC = b"KABARTB1"
ALIGN = 64  # every array starts on a 64-byte boundary
# Tables of the same name derived from other files are removed when a table is written, if they are older than
# this: an upgrade leaves no 80 MB behind, and two installs sharing a cache folder rewrite at most once a day.
STALE_AFTER = 24 * 3600
_HEAD = struct.Struct("<8sQ")  # magic, header length


def table_path(name: str, sources: Sequence[str]) -> Path | None:
    """Where the table ``name`` derived from ``sources`` is kept; None when caching is off."""
    if os.environ.get("KABAR_NO_CACHE"):
        return None
    from kabar.embed import cache_dir

    try:
        stamp = "|".join(f"{p}:{os.stat(p).st_size}:{os.stat(p).st_mtime_ns}" for p in sources)
    except OSError:
        return None
    key = hashlib.sha1(f"{FORMAT}|{stamp}".encode()).hexdigest()[:16]
    return cache_dir() / "models" / f"{name}-{key}.bin"


def load_table(path: Path | None) -> dict[str, np.ndarray] | None:
    """The arrays of a kept table, as read-only views on the mapped file; None if it is missing or not sound."""
    if path is None:
        return None
    try:
        with open(path, "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        magic, size = _HEAD.unpack_from(mapped, 0)
        if magic != MAGIC:
            return None
        header = json.loads(bytes(mapped[_HEAD.size : _HEAD.size + size]))
        if (
            header.get("bytes") != len(mapped)
            or _crc32(memoryview(mapped)[header["start"] :]) != header["crc"]
        ):
            return None
        arrays = {}
        for name, (dtype, shape, offset) in header["arrays"].items():
            count = int(np.prod(shape))
            arrays[name] = np.frombuffer(mapped, dtype=np.dtype(dtype), count=count, offset=offset).reshape(
                shape
            )
        return arrays
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None


def save_table(path: Path | None, arrays: Mapping[str, np.ndarray]) -> None:
    """Keep a table (nothing happens when caching is off or the folder is not writable)."""
    if path is None:
        return
    layout = {}
    size = 0
    for name, array in arrays.items():
        layout[name] = (array.dtype.str, list(array.shape), size)
        size += -(-array.nbytes // ALIGN) * ALIGN
    body = [np.ascontiguousarray(array).tobytes() for array in arrays.values()]
    body = [data + b"\0" * (-len(data) % ALIGN) for data in body]
    crc = 0
    for data in body:
        crc = _crc32(data, crc)
    start = 0  # where the arrays begin: after the header, which states their offsets from the file's start
    while True:
        header = json.dumps(
            {
                "arrays": {n: [d, s, o + start] for n, (d, s, o) in layout.items()},
                "bytes": start + size,
                "start": start,
                "crc": crc,
            }
        ).encode()
        needed = -(-(_HEAD.size + len(header)) // ALIGN) * ALIGN
        if needed <= start:
            break
        start = needed
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as out:
            out.write(_HEAD.pack(MAGIC, len(header)) + header)
            out.write(b"\0" * (start - _HEAD.size - len(header)))
            for data in body:
                out.write(data)
        os.replace(tmp, path)
        tmp = None
        stem = path.name.rsplit("-", 1)[0]
        for old in path.parent.glob(f"{stem}-*.bin"):
            if old != path and time.time() - old.stat().st_mtime > STALE_AFTER:
                old.unlink(missing_ok=True)
    except OSError:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
