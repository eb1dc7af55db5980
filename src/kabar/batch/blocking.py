"""The distributed blocking step of ``kabar batch --blocking lsh``: each partition's blocking keys in parallel
(``kabar.cluster.blocking``), a Dask shuffle grouping articles by key, the candidate pairs within each group,
and a second shuffle writing each partition's pairs beside it (``parts/PID.candidates.npy``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from kabar.batch.parts import Partition, load_representations, write_array

ArticleNumber = tuple[int, int]
"""(partition number in the plan, row in the partition): sorts in input order."""


def partition_keys(numbered: tuple[int, str], out: str) -> list[tuple[str, ArticleNumber]]:
    """Dask task: the blocking keys of one partition's articles, from its stored representations."""
    from kabar.cluster.blocking import blocking_keys
    from kabar.cluster.engine import parse_day

    number, part_id = numbered
    vectors, reps = load_representations(Path(out), part_id)
    keys = blocking_keys(vectors, [r.names for r in reps], [parse_day(r.day) for r in reps])
    return [(key, (number, row)) for row, article_keys in enumerate(keys) for key in article_keys]


def _pairs_by_partition(
    groups: Iterable[tuple[str, list[tuple[str, ArticleNumber]]]],
) -> list[tuple[int, np.ndarray]]:
    """Candidate pairs of a bag partition's key groups, as one array per later article's partition: rows of
    (row of the later article, partition and row of the earlier one), without repeats. Compact arrays keep
    the second shuffle cheap."""
    from kabar.cluster.blocking import pairs_in_group

    rows: dict[int, list[tuple[int, int, int]]] = {}
    for _, members in groups:
        for earlier, later in pairs_in_group([n for _, n in members]):
            rows.setdefault(later[0], []).append((later[1], earlier[0], earlier[1]))
    return [(number, np.unique(np.array(r, dtype=np.int64), axis=0)) for number, r in rows.items()]


def _first(pair: tuple[Any, Any]) -> Any:
    return pair[0]


def write_candidates(group: tuple[int, list[tuple[int, np.ndarray]]], out: str, part_ids: list[str]) -> int:
    """Dask task: one partition's candidate pairs as ``parts/PID.candidates.npy``, rows of (row of the later
    article, partition number and row of the earlier one), sorted and without repeats. Returns the row count."""
    number, arrays = group
    rows = np.unique(np.concatenate([a for _, a in arrays]), axis=0)
    write_array(Path(out) / "parts" / f"{part_ids[number]}.candidates.npy", rows)
    return len(rows)


def block(client: Any, out: Path, parts: Sequence[Partition]) -> int:
    """The distributed blocking step. Returns the number of candidate pairs."""
    import dask.bag as db

    for stale in (out / "parts").glob("*.candidates.npy"):
        stale.unlink()
    part_ids = [p.id for p in parts]
    numbered = list(enumerate(part_ids))
    keyed = (
        db.from_sequence(numbered, npartitions=max(1, len(numbered))).map(partition_keys, str(out)).flatten()
    )
    pairs = keyed.groupby(_first).map_partitions(_pairs_by_partition)
    written = pairs.groupby(_first).map(write_candidates, str(out), part_ids)
    return int(sum(client.compute(written).result()))


def candidates(out: Path, part: Partition) -> dict[int, list[tuple[int, int]]]:
    """A partition's candidate pairs: for each row, the (partition number, row) of its earlier partners."""
    path = out / "parts" / f"{part.id}.candidates.npy"
    found: dict[int, list[tuple[int, int]]] = {}
    if path.exists():
        for later, earlier_part, earlier_row in np.load(path).tolist():
            found.setdefault(later, []).append((earlier_part, earlier_row))
    return found
