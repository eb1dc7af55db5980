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
def word_clusters(path: str | None = None) -> dict[str, str]:
    """Folded word -> its cluster ids at each granularity, tab-separated as in the file (split by
    :func:`cluster_ids` when a word is looked up: most of the 38,000 words are never asked for); empty when the
    file is not installed."""
    file = Path(path) if path else default_clusters_path()
    if not file.is_file():
        return {}
    text = gzip.decompress(file.read_bytes()).decode("utf-8")
    return dict(line.split("\t", 1) for line in text.split("\n") if "\t" in line and not line.startswith("#"))


def cluster_ids(word: str, path: str | None = None) -> tuple[str, ...]:
    """The cluster ids of a folded word, coarsest first; () for a word not in the file."""
    ids = word_clusters(path).get(word)
    return tuple(ids.split("\t")) if ids is not None else ()
