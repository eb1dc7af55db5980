"""Parquet copies of a batch's outputs (``kabar batch --format parquet``), for analysis with Arrow, pandas, Dask,
DuckDB or Spark.

``parquet/`` under the output directory holds:

- ``articles/PART.parquet``: one row per article (id, title, source, url, published, language, text, counts of
  sentences, mentions, quotes, quantities and dates) and ``annotation``, the article's annotate JSON document;
  written by each partition's task, in parallel.
- ``events.parquet``: article id → event id, in input order.
- ``event_summaries.parquet``: one row per event (title, article and source counts, first and last publication,
  top entities, member ids).
- ``comparisons/CHUNK.parquet``: one row per compared event (counts of shared, unique and conflicting facts,
  brief length) and ``comparison``, the event's compare JSON document.

Every file is written to a temporary name and renamed, so a killed batch never leaves a half-written file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

NAME = "batch.parquet.v1"
COMPARISONS_PER_FILE = 1000


def write_rows(rows: list[dict[str, Any]], path: Path, schema: Any) -> None:
    """Write ``rows`` as one Parquet file, atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(rows, schema=schema)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def article_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [("id", pa.string()), ("title", pa.string()), ("source", pa.string()), ("url", pa.string()),
         ("published", pa.string()), ("language", pa.string()), ("text", pa.string()),
         ("sentences", pa.int32()), ("mentions", pa.int32()), ("quotes", pa.int32()),
         ("quantities", pa.int32()), ("dates", pa.int32()), ("annotation", pa.string())]
    )  # fmt: skip


def article_row(document: dict[str, Any]) -> dict[str, Any]:
    """A row of ``articles/*.parquet`` from an article's annotate document."""
    return {
        **{
            key: document.get(key)
            for key in ("id", "title", "source", "url", "published", "language", "text")
        },
        **{
            key: len(document.get(key) or [])
            for key in ("sentences", "mentions", "quotes", "quantities", "dates")
        },
        "annotation": json.dumps(document, ensure_ascii=False),
    }


def write_articles(documents: Iterable[dict[str, Any]], path: Path) -> None:
    write_rows([article_row(d) for d in documents], path, article_schema())


def write_events(out: Path) -> None:
    """``events.parquet`` and ``event_summaries.parquet`` from the JSONL the assignment wrote."""
    import pyarrow as pa

    events = [json.loads(line) for line in _lines(out / "events.jsonl")]
    write_rows(
        events, out / "parquet" / "events.parquet", pa.schema([("id", pa.string()), ("event", pa.string())])
    )
    summaries = [json.loads(line) for line in _lines(out / "event_summaries.jsonl")]
    schema = pa.schema(
        [("event", pa.string()), ("title", pa.string()), ("articles", pa.int32()), ("sources", pa.int32()),
         ("first_published", pa.string()), ("last_published", pa.string()),
         ("top_entities", pa.list_(pa.string())), ("members", pa.list_(pa.string()))]
    )  # fmt: skip
    write_rows(summaries, out / "parquet" / "event_summaries.parquet", schema)


def write_comparisons(out: Path) -> int:
    """``comparisons/*.parquet`` from the per-event compare JSON files; returns how many events it wrote."""
    import pyarrow as pa

    schema = pa.schema(
        [("event", pa.string()), ("articles", pa.int32()), ("shared", pa.int32()), ("unique", pa.int32()),
         ("conflict", pa.int32()), ("brief", pa.int32()), ("comparison", pa.string())]
    )  # fmt: skip
    folder = out / "parquet" / "comparisons"
    for stale in folder.glob("*.parquet") if folder.exists() else []:
        stale.unlink()
    files = sorted((out / "compare").glob("*.json")) if (out / "compare").exists() else []
    for number, start in enumerate(range(0, len(files), COMPARISONS_PER_FILE)):
        rows = []
        for file in files[start : start + COMPARISONS_PER_FILE]:
            raw = file.read_text(encoding="utf-8")
            data = json.loads(raw)
            statuses = [f["status"] for f in data.get("facts", [])]
            rows.append({
                "event": data.get("event", file.stem), "articles": len(data.get("articles", [])),
                "shared": statuses.count("shared"), "unique": statuses.count("unique"),
                "conflict": statuses.count("conflict"), "brief": len(data.get("brief", [])), "comparison": raw,
            })  # fmt: skip
        write_rows(rows, folder / f"c{number:05d}.parquet", schema)
    return len(files)


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
