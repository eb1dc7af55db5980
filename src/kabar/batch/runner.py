"""The whole pipeline over many articles on a Dask cluster (``kabar batch``).

1. **Represent** (parallel): the input is cut into partitions (slices of JSONL shards, or groups of files). Each
   Dask task reads its partition, annotates every article (optional), builds the clustering representation and
   embeds it, and writes ``parts/PID.*`` atomically (temporary files, then renames, then a ``.done`` marker).
   Models load once per worker process (module-level caches), not per article.
2. **Block** (parallel, with ``blocking="lsh"``): each partition's blocking keys (LSH bands of the vectors and
   entity keys, time-bucketed: ``kabar.cluster.blocking``), a Dask shuffle grouping articles by key, and the
   candidate pairs within each group.
3. **Assign** (sequential, cheap): the online engine of ``kabar cluster`` assigns articles to events in input
   order, from the stored vectors, with candidate events from its ANN index (``blocking="ann"``) or from the
   blocking step, so a batch and ``kabar cluster --blocking`` of the same kind give the same events.
4. **Compare** (parallel): each event with at least two articles is compared; ``compare/EVENT.json``.
5. **Load** (optional): articles, vectors, entities and events into a Kabar database.

Outputs: ``events.jsonl`` (article → event), ``event_summaries.jsonl``, ``parts/PID.annotations.jsonl`` and
``compare/EVENT.json``; with ``output_format="parquet"`` also ``parquet/`` (see ``kabar.batch.parquet``).

A re-run skips partitions and comparisons already done, so a failed or killed batch resumes without redoing or
duplicating work; outputs of the sequential steps are rewritten whole, atomically.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kabar.errors import UsageError
from kabar.records import AssignedArticle

NAME = "batch.v1"
PARTITION_SIZE = 2000
COMPARE_CHUNK = 25
TEXT_SUFFIXES = {".txt", ".html", ".htm", ".text", ".md"}


@dataclass(frozen=True, slots=True)
class Partition:
    id: str
    path: str
    """A JSONL shard, or "" for a group of files."""
    start: int = 0
    stop: int = 0
    files: tuple[str, ...] = ()


@dataclass
class BatchReport:
    partitions: int = 0
    partitions_done_before: int = 0
    articles: int = 0
    failures: int = 0
    events: int = 0
    comparisons: int = 0
    comparisons_done_before: int = 0
    loaded: int = 0
    candidate_pairs: int = 0
    """With LSH blocking: the candidate (later, earlier) article pairs the blocking step found."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each stage: represent, assign, compare, load."""
    busy: dict[str, dict[str, float]] = field(default_factory=dict)
    """For each parallel stage, the seconds each worker process spent in its tasks (wall time minus busy time
    is scheduling, transfer and idle time)."""
    worker_rss_mb: list[float] = field(default_factory=list)
    dashboard: str | None = None
    notes: list[str] = field(default_factory=list)


def plan(inputs: Sequence[str | Path], size: int = PARTITION_SIZE) -> list[Partition]:
    """Cut the inputs into partitions, deterministically (sorted files, fixed sizes)."""
    parts: list[Partition] = []
    files: list[str] = []
    for raw in inputs:
        path = Path(raw)
        candidates = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in candidates:
            if file.suffix.lower() in {".jsonl", ".ndjson"}:
                lines = _count_lines(file)
                for start in range(0, max(lines, 1), size):
                    parts.append(Partition(f"p{len(parts):05d}", str(file), start, min(start + size, lines)))
            elif file.suffix.lower() in TEXT_SUFFIXES:
                files.append(str(file))
    for start in range(0, len(files), size):
        parts.append(Partition(f"p{len(parts):05d}", "", files=tuple(files[start : start + size])))
    return parts


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def _partition_items(part: Partition) -> Iterator[Any]:
    from kabar.ingest.readers import parse_record, read_paths
    from kabar.records import Failure

    if part.files:
        yield from read_paths(part.files)
        return
    from kabar.errors import InputError

    with open(part.path, "rb") as handle:
        for lineno, raw in enumerate(handle):
            if lineno < part.start:
                continue
            if lineno >= part.stop:
                break
            if not raw.strip():
                continue
            where = f"{part.path}:{lineno + 1}"
            try:
                yield parse_record(raw, where=where, default_id=f"{Path(part.path).stem}-{lineno + 1}")
            except InputError as err:
                yield Failure(err.path, err.reason, err.code)


def represent_partition(
    part: Partition, out: str, annotate_articles: bool = True, parquet: bool = False
) -> dict[str, Any]:
    """Dask task: read, annotate, represent and embed one partition; write its files atomically (and, with
    ``parquet``, its articles as ``parquet/articles/PART.parquet``)."""
    worker_environment()
    from kabar.cluster.engine import represent
    from kabar.embed import default_embedder
    from kabar.pipeline import annotate_article
    from kabar.records import Article
    from kabar.render import article_dict

    folder = Path(out) / "parts"
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / f"{part.id}.done"
    articles_parquet = Path(out) / "parquet" / "articles" / f"{part.id}.parquet"
    if done.exists():
        previous: dict[str, Any] = json.loads(done.read_text(encoding="utf-8"))
        if parquet and not articles_parquet.exists():  # an earlier run wrote JSONL only
            _articles_parquet(folder / f"{part.id}.annotations.jsonl", articles_parquet)
        return previous | {"skipped": True}
    clock = time.perf_counter()
    reps: list[dict[str, Any]] = []
    texts: list[str] = []
    failures: list[dict[str, Any]] = []
    annotated: list[dict[str, Any]] = []
    for item in _partition_items(part):
        if not isinstance(item, Article):
            failures.append({"path": item.path, "reason": item.reason, "code": item.code})
            continue
        try:
            rep = represent(item)
            if annotate_articles:
                annotated.append(article_dict(annotate_article(item)))
        except Exception as error:  # one bad article never loses the partition
            failures.append(
                {
                    "path": item.path or item.id,
                    "reason": f"{type(error).__name__}: {error}",
                    "code": "internal",
                }
            )
            continue
        reps.append({"id": item.id, "published": item.published, "source": item.source, "title": item.title,
                     "url": item.url, "entities": [list(e) for e in rep.entities]})  # fmt: skip
        texts.append(rep.text)
    vectors = default_embedder().encode(texts) if texts else np.zeros((0, 512), dtype=np.float32)
    _write(folder / f"{part.id}.reps.jsonl", "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reps))
    _write(
        folder / f"{part.id}.annotations.jsonl",
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in annotated),
    )
    _write(
        folder / f"{part.id}.failures.jsonl",
        "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in failures),
    )
    if parquet:
        from kabar.batch.parquet import write_articles

        write_articles(annotated, articles_parquet)
    _write_array(folder / f"{part.id}.vectors.npy", vectors.astype(np.float16))
    from kabar.embed import encoder_stats

    summary = {"partition": part.id, "articles": len(reps), "failures": len(failures), "pid": os.getpid(),
               **encoder_stats(), "seconds": time.perf_counter() - clock}  # fmt: skip
    _write(done, json.dumps(summary))
    return summary


def _articles_parquet(annotations: Path, target: Path) -> None:
    from kabar.batch.parquet import write_articles

    with annotations.open(encoding="utf-8") as handle:
        write_articles((json.loads(line) for line in handle if line.strip()), target)


def _write_array(path: Path, array: np.ndarray) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as handle:
        np.save(handle, array)
    os.replace(tmp, path)


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def iter_representations(
    out: Path, parts: Sequence[Partition]
) -> Iterator[tuple[Partition, dict[str, Any], np.ndarray]]:
    for part in parts:
        folder = out / "parts"
        vectors = np.load(folder / f"{part.id}.vectors.npy").astype(np.float32)
        with (folder / f"{part.id}.reps.jsonl").open(encoding="utf-8") as handle:
            for rep, vector in zip((json.loads(line) for line in handle), vectors, strict=True):
                yield part, rep, vector


ArticleNumber = tuple[int, int]
"""(partition number in the plan, row in the partition): sorts in input order."""


def partition_keys(numbered: tuple[int, str], out: str) -> list[tuple[str, ArticleNumber]]:
    """Dask task of the blocking step: the blocking keys of one partition's articles, from its stored
    representations."""
    from kabar.cluster.blocking import blocking_keys
    from kabar.cluster.engine import parse_day

    number, part_id = numbered
    folder = Path(out) / "parts"
    vectors = np.load(folder / f"{part_id}.vectors.npy").astype(np.float32)
    with (folder / f"{part_id}.reps.jsonl").open(encoding="utf-8") as handle:
        reps = [json.loads(line) for line in handle]
    keys = blocking_keys(vectors, [[e[0] for e in r["entities"]] for r in reps],
                         [parse_day(r["published"]) for r in reps])  # fmt: skip
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
    _write_array(Path(out) / "parts" / f"{part_ids[number]}.candidates.npy", rows)
    return len(rows)


def block(client: Any, out: Path, parts: Sequence[Partition]) -> int:
    """The distributed blocking step: keys of every partition in parallel, a shuffle that groups articles by
    key, candidate pairs within each group, and a second shuffle that writes each partition's pairs beside
    it. Returns the number of candidate pairs."""
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


def _candidates(out: Path, part: Partition) -> dict[int, list[tuple[int, int]]]:
    path = out / "parts" / f"{part.id}.candidates.npy"
    found: dict[int, list[tuple[int, int]]] = {}
    if path.exists():
        for later, earlier_part, earlier_row in np.load(path).tolist():
            found.setdefault(later, []).append((earlier_part, earlier_row))
    return found


def assign_events(
    out: Path, parts: Sequence[Partition], blocked: bool = False
) -> dict[str, list[tuple[str, str]]]:
    """The online engine over all partitions in input order; writes events.jsonl and event_summaries.jsonl.
    Candidate events come from the engine's ANN index, or, when ``blocked``, from the events of the earlier
    articles the blocking step paired each article with (``parts/PID.candidates.npy``). Returns each event's
    (article id, partition id) pairs."""
    from kabar.cluster.engine import EventEngine

    engine = EventEngine(use_index=not blocked)
    members: dict[str, list[tuple[str, str]]] = {}
    event_numbers: list[np.ndarray] = []  # per partition before this one: the event number of each row
    tmp = out / ".events.jsonl.tmp"
    with tmp.open("w", encoding="utf-8") as lines:
        for part in parts:
            current: list[int] = []
            pending = _candidates(out, part) if blocked else {}
            for _, rep, vector in iter_representations(out, [part]):
                found = None
                if blocked:
                    found = set()
                    for earlier_part, earlier_row in pending.get(len(current), ()):
                        number = int(current[earlier_row] if earlier_part == len(event_numbers)
                                     else event_numbers[earlier_part][earlier_row])  # fmt: skip
                        found.add(engine.by_number[number].id)
                event, _ = engine.assign(vector, [e[0] for e in rep["entities"]], rep["published"],
                                         rep["source"], rep["title"] or rep["id"], candidates=found)  # fmt: skip
                current.append(engine.events[event].number)
                members.setdefault(event, []).append((rep["id"], part.id))
                lines.write(json.dumps({"id": rep["id"], "event": event}, ensure_ascii=False) + "\n")
            event_numbers.append(np.array(current, dtype=np.int64))
    os.replace(tmp, out / "events.jsonl")
    summaries = []
    for event_id, ids in members.items():
        state = engine.events[event_id]
        summaries.append(json.dumps({
            "event": event_id, "title": state.title, "articles": len(ids), "sources": len(state.sources),
            "first_published": state.first.isoformat() if state.first else None,
            "last_published": state.last.isoformat() if state.last else None,
            "top_entities": [k for k, _ in state.entities.most_common(10)], "members": [a for a, _ in ids],
        }, ensure_ascii=False))  # fmt: skip
    _write(out / "event_summaries.jsonl", "\n".join(summaries) + ("\n" if summaries else ""))
    return members


def compare_events(events: list[tuple[str, list[str]]], parts: list[Partition], out: str) -> dict[str, Any]:
    """Dask task: compare several events whose articles lie in ``parts`` (read once); writes compare/EVENT.json
    for each event not yet done. Returns how many it computed, in how many seconds, in which process."""
    worker_environment()
    from kabar.records import Article
    from kabar.report import comparison_dict
    from kabar.workflows import compare_items

    clock = time.perf_counter()
    folder = Path(out) / "compare"
    todo = [(e, ids) for e, ids in events if not (folder / f"{e}.json").exists()]
    if not todo:
        return {"computed": 0, "seconds": 0.0, "pid": os.getpid()}
    wanted = {a for _, ids in todo for a in ids}
    texts = {
        a.id: a for part in parts for a in _partition_items(part) if isinstance(a, Article) and a.id in wanted
    }
    folder.mkdir(parents=True, exist_ok=True)
    for event_id, ids in todo:
        result = comparison_dict(compare_items([texts[a] for a in ids if a in texts]))
        _write(folder / f"{event_id}.json", json.dumps({"event": event_id, **result}, ensure_ascii=False))
    return {"computed": len(todo), "seconds": time.perf_counter() - clock, "pid": os.getpid()}


def load_database(
    out: Path, parts: Sequence[Partition], members: dict[str, list[tuple[str, str]]], db: str
) -> int:
    """Load articles, vectors, entities and events into a Kabar database as ``kabar ingest`` stores them
    (``Corpus.load_assigned``; existing ids are left alone), one partition at a time."""
    from kabar.corpus import Corpus
    from kabar.store import open_store

    store = open_store(db)
    try:
        return Corpus(store, restore=False).load_assigned(_assigned(out, parts, members))
    finally:
        store.close()


def _assigned(
    out: Path, parts: Sequence[Partition], members: dict[str, list[tuple[str, str]]]
) -> Iterator[AssignedArticle]:
    """The batch's articles with their stored vectors, entities and events, in input order."""
    from kabar.records import Article

    event_of = {a: e for e, ids in members.items() for a, _ in ids}
    texts: dict[str, Article] = {}
    current = ""
    for part, rep, vector in iter_representations(out, parts):
        if part.id != current:
            texts = {a.id: a for a in _partition_items(part) if isinstance(a, Article)}
            current = part.id
        article = texts.get(rep["id"])
        event = event_of.get(rep["id"])
        if article is not None and event is not None:
            entities = tuple((str(k), str(t), int(n)) for k, t, n in rep["entities"])
            yield AssignedArticle(article, vector, entities, event)


def run_batch(
    inputs: Sequence[str | Path],
    out: str | Path,
    scheduler: str | None = None,
    workers: int = 2,
    partition_size: int = PARTITION_SIZE,
    annotate_articles: bool = True,
    compare_min_articles: int = 2,
    db: str | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
    output_format: str = "jsonl",
    on_dashboard: Callable[[str | None], None] | None = None,
    blocking: str = "ann",
) -> BatchReport:
    """Run the batch; see the module docstring."""
    from dask.distributed import Client, LocalCluster, as_completed

    if blocking not in {"ann", "lsh"}:
        raise UsageError(f"unknown blocking {blocking!r} (ann or lsh)")
    if output_format not in {"jsonl", "parquet"}:
        raise UsageError(f"unknown output format {output_format!r} (jsonl or parquet)")
    parquet = output_format == "parquet"
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    parts = plan(inputs, partition_size)
    report = BatchReport(partitions=len(parts))
    _write(out / "plan.json", json.dumps([_part_dict(p) for p in parts]))
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        client = Client(cluster)
    client.run(worker_environment)
    report.dashboard = client.dashboard_link
    if on_dashboard:
        on_dashboard(report.dashboard)
    try:
        report.partitions_done_before = sum(1 for p in parts if (out / "parts" / f"{p.id}.done").exists())
        clock = time.perf_counter()
        futures = [
            client.submit(represent_partition, p, str(out), annotate_articles, parquet, pure=False)
            for p in parts
        ]
        for k, future in enumerate(as_completed(futures), start=1):
            summary = future.result()
            _add_busy(report, "represent", summary)
            report.articles += int(summary["articles"])
            report.failures += int(summary["failures"])
            if on_progress:
                on_progress("represent", k, len(parts))
        report.seconds["represent"] = round(time.perf_counter() - clock, 2)
        report.worker_rss_mb = sorted(round(v / 1e6, 1) for v in client.run(_rss).values())
        if blocking == "lsh":
            clock = time.perf_counter()
            if on_progress:
                on_progress("block", 0, 1)
            report.candidate_pairs = block(client, out, parts)
            report.seconds["block"] = round(time.perf_counter() - clock, 2)
            if on_progress:
                on_progress("block", 1, 1)
        clock = time.perf_counter()
        members = assign_events(out, parts, blocked=blocking == "lsh")
        report.seconds["assign"] = round(time.perf_counter() - clock, 2)
        report.events = len(members)
        clock = time.perf_counter()
        to_compare = sorted((e, ids) for e, ids in members.items() if len(ids) >= compare_min_articles)
        report.comparisons_done_before = sum(
            1 for e, _ in to_compare if (out / "compare" / f"{e}.json").exists()
        )
        # Events grouped by the partitions holding their articles: a task reads its partitions once.
        by_id = {p.id: p for p in parts}
        groups: dict[tuple[str, ...], list[tuple[str, list[str]]]] = {}
        for e, ids in to_compare:
            groups.setdefault(tuple(sorted({q for _, q in ids})), []).append((e, [a for a, _ in ids]))
        compare_futures = [
            client.submit(
                compare_events, chunk[k : k + COMPARE_CHUNK], [by_id[q] for q in key], str(out), pure=False
            )
            for key, chunk in sorted(groups.items())
            for k in range(0, len(chunk), COMPARE_CHUNK)
        ]
        for k, future in enumerate(as_completed(compare_futures), start=1):
            _add_busy(report, "compare", future.result())
            if on_progress:
                on_progress("compare", k, len(compare_futures))
        report.comparisons = len(to_compare)
        report.seconds["compare"] = round(time.perf_counter() - clock, 2)
        if parquet:
            from kabar.batch.parquet import write_comparisons, write_events

            clock = time.perf_counter()
            write_events(out)
            write_comparisons(out)
            report.seconds["parquet"] = round(time.perf_counter() - clock, 2)
        if db:
            clock = time.perf_counter()
            report.loaded = load_database(out, parts, members, db)
            report.seconds["load"] = round(time.perf_counter() - clock, 2)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    _write(out / "report.json", json.dumps(report.__dict__, ensure_ascii=False, indent=2))
    return report


def _add_busy(report: BatchReport, stage: str, summary: dict[str, Any]) -> None:
    if summary.get("skipped"):
        return
    per_worker = report.busy.setdefault(stage, {})
    key = str(summary["pid"])
    per_worker[key] = round(per_worker.get(key, 0.0) + float(summary["seconds"]), 2)


def worker_environment() -> None:
    """Settings of a worker process, made before its first model loads: one encoder (BLAS) thread, since the
    worker processes are the parallelism and a second thread per process only contends for the cores, and an
    in-memory embedding cache only, since workers sharing one on-disk cache wait on each other's writes.

    Run on every worker by ``client.run`` and again at the start of each task (a worker may join later).
    It must be a module function: ``client.run(os.environ.__setitem__, ...)`` would set a pickled copy."""
    os.environ["KABAR_ENCODER_THREADS"] = "1"
    os.environ["KABAR_NO_CACHE"] = "1"


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


def _part_dict(part: Partition) -> dict[str, Any]:
    return {name: getattr(part, name) for name in part.__slots__}
