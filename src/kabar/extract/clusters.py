"""Word clusters (from multilingual USE word embeddings, built by training/build_clusters.py), used as features
by the NER model so that rare names share evidence with frequent ones of the same kind."""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources
from pathlib import Path

CLUSTERS_FILE = "word-clusters.tsv.gz"


def default_clusters_path() -> Path:
    return Path(str(resources.files("kabar").joinpath("models", CLUSTERS_FILE)))


@cache
def word_clusters(path: str | None = None) -> dict[str, tuple[str, ...]]:
    """Folded word -> its cluster ids at each granularity; empty when the file is not installed."""
    file = Path(path) if path else default_clusters_path()
    if not file.is_file():
        return {}
    table: dict[str, tuple[str, ...]] = {}
    with gzip.open(file, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#"):
                continue
            word, *ids = line.rstrip("\n").split("\t")
            table[word] = tuple(ids)
    return table
