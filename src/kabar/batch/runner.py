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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from kabar.batch.blocking import block, candidates
from kabar.batch.parts import (
    PARTITION_SIZE,
    Partition,
    Represented,
    TaskSummary,
    iter_representations,
    partition_articles,
    partition_items,
    plan,
    write_array,
    write_lines,
    write_text,
)
from kabar.errors import UsageError
from kabar.records import Article, AssignedArticle, Failure

NAME = "batch.v1"
COMPARE_CHUNK = 25
EMBED_DIM = 512

Members = dict[str, list[tuple[str, str]]]
"""Each event's (article id, partition id) pairs, in input order."""

__all__ = ["NAME", "BatchReport", "Partition", "plan", "run_batch"]


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
    versions: dict[str, list[str]] = field(default_factory=dict)
    """The stages that made the outputs: annotate, cluster, compare (``kabar.versions``)."""

    def add_busy(self, stage: str, summary: TaskSummary) -> None:
        if summary.skipped:
            return
        per_worker = self.busy.setdefault(stage, {})
        key = str(summary.pid)
        per_worker[key] = round(per_worker.get(key, 0.0) + summary.seconds, 2)


def represent_partition(
    part: Partition, out: str, annotate_articles: bool = True, parquet: bool = False
) -> TaskSummary:
    """Dask task: read, annotate, represent and embed one partition; write its files atomically (and, with
    ``parquet``, its articles as ``parquet/articles/PART.parquet``)."""
    worker_environment()
    from kabar.embed import default_embedder, encoder_stats

    folder = Path(out) / "parts"
    folder.mkdir(parents=True, exist_ok=True)
    done = folder / f"{part.id}.done"
    articles_parquet = Path(out) / "parquet" / "articles" / f"{part.id}.parquet"
    if done.exists():
        if parquet and not articles_parquet.exists():  # an earlier run wrote JSONL only
            _articles_parquet(folder / f"{part.id}.annotations.jsonl", articles_parquet)
        previous = TaskSummary.from_json(done.read_text(encoding="utf-8"))
        return TaskSummary(**{**asdict(previous), "skipped": True})
    clock = time.perf_counter()
    reps, texts, annotated, failures = _represent(partition_items(part), annotate_articles)
    vectors = default_embedder().encode(texts) if texts else np.zeros((0, EMBED_DIM), dtype=np.float32)
    write_lines(folder / f"{part.id}.reps.jsonl", [r.to_json() for r in reps])
    write_lines(
        folder / f"{part.id}.annotations.jsonl", [json.dumps(a, ensure_ascii=False) for a in annotated]
    )
    write_lines(folder / f"{part.id}.failures.jsonl", [json.dumps(_failure_dict(f)) for f in failures])
    if parquet:
        from kabar.batch.parquet import write_articles

        write_articles(annotated, articles_parquet)
    write_array(folder / f"{part.id}.vectors.npy", vectors.astype(np.float16))
    stats = encoder_stats()
    summary = TaskSummary(os.getpid(), time.perf_counter() - clock, part.id, len(reps), len(failures),
                          encoder_loads=stats["encoder_loads"], encoder_threads=stats["encoder_threads"])  # fmt: skip
    write_text(done, summary.to_json())
    return summary


def _represent(
    items: Iterator[Article | Failure], annotate_articles: bool
) -> tuple[list[Represented], list[str], list[dict[str, Any]], list[Failure]]:
    """Each article's representation and embedding text (and annotate document); one bad article is a
    failure, never the partition lost."""
    from kabar.cluster.engine import represent
    from kabar.pipeline import annotate_article
    from kabar.render import article_dict

    reps: list[Represented] = []
    texts: list[str] = []
    annotated: list[dict[str, Any]] = []
    failures: list[Failure] = []
    for item in items:
        if isinstance(item, Failure):
            failures.append(item)
            continue
        try:
            rep = represent(item)
            if annotate_articles:
                annotated.append(article_dict(annotate_article(item)))
        except Exception as error:  # one bad article never loses the partition
            failures.append(Failure(item.path or item.id, f"{type(error).__name__}: {error}", "internal"))
            continue
        reps.append(Represented(item.id, item.published, item.source, item.title, item.url, rep.entities, rep.terms,
                                rep.day))  # fmt: skip
        texts.append(rep.text)
    return reps, texts, annotated, failures


def _failure_dict(failure: Failure) -> dict[str, str]:
    return {"path": failure.path, "reason": failure.reason, "code": failure.code}


def _articles_parquet(annotations: Path, target: Path) -> None:
    from kabar.batch.parquet import write_articles

    with annotations.open(encoding="utf-8") as handle:
        write_articles((json.loads(line) for line in handle if line.strip()), target)


def assign_events(out: Path, parts: Sequence[Partition], blocked: bool = False) -> Members:
    """The online engine over all partitions in input order; writes events.jsonl and event_summaries.jsonl.
    Candidate events come from the engine's ANN index, or, when ``blocked``, from the events of the earlier
    articles the blocking step paired each article with (``parts/PID.candidates.npy``)."""
    from kabar.cluster.engine import EventEngine

    engine = EventEngine(use_index=not blocked)
    members: Members = {}
    event_numbers: list[np.ndarray] = []  # per partition before this one: the event number of each row
    tmp = out / ".events.jsonl.tmp"
    with tmp.open("w", encoding="utf-8") as lines:
        for part in parts:
            current: list[int] = []
            pending = candidates(out, part) if blocked else {}
            for _, rep, vector in iter_representations(out, [part]):
                found = None
                if blocked:
                    found = set()
                    for earlier_part, earlier_row in pending.get(len(current), ()):
                        number = int(current[earlier_row] if earlier_part == len(event_numbers)
                                     else event_numbers[earlier_part][earlier_row])  # fmt: skip
                        found.add(engine.by_number[number].id)
                event, _ = engine.assign(vector, rep.representation(), rep.source, rep.title or rep.id,
                                         candidates=found)  # fmt: skip
                current.append(engine.events[event].number)
                members.setdefault(event, []).append((rep.id, part.id))
                lines.write(json.dumps({"id": rep.id, "event": event}, ensure_ascii=False) + "\n")
            event_numbers.append(np.array(current, dtype=np.int64))
    os.replace(tmp, out / "events.jsonl")
    write_lines(out / "event_summaries.jsonl", [_event_summary(engine, e, ids) for e, ids in members.items()])
    return members


def _event_summary(engine: Any, event_id: str, ids: list[tuple[str, str]]) -> str:
    state = engine.events[event_id]
    return json.dumps({
        "event": event_id, "title": state.title, "articles": len(ids), "sources": len(state.sources),
        "first_published": state.first.isoformat() if state.first else None,
        "last_published": state.last.isoformat() if state.last else None,
        "top_entities": [k for k, _ in state.entities.most_common(10)], "members": [a for a, _ in ids],
    }, ensure_ascii=False)  # fmt: skip


def compare_events(events: list[tuple[str, list[str]]], parts: list[Partition], out: str) -> TaskSummary:
    """Dask task: compare several events whose articles lie in ``parts`` (read once); writes compare/EVENT.json
    for each event not yet done. Reports how many it computed, in how many seconds, in which process."""
    worker_environment()
    from kabar.report import comparison_dict
    from kabar.workflows import compare_items

    clock = time.perf_counter()
    folder = Path(out) / "compare"
    todo = [(e, ids) for e, ids in events if not (folder / f"{e}.json").exists()]
    if not todo:
        return TaskSummary(os.getpid(), 0.0)
    wanted = {a for _, ids in todo for a in ids}
    texts = {a.id: a for part in parts for a in partition_articles(part).values() if a.id in wanted}
    folder.mkdir(parents=True, exist_ok=True)
    for event_id, ids in todo:
        result = comparison_dict(compare_items([texts[a] for a in ids if a in texts]))
        write_text(folder / f"{event_id}.json", json.dumps({"event": event_id, **result}, ensure_ascii=False))
    return TaskSummary(os.getpid(), time.perf_counter() - clock, computed=len(todo))


def load_database(out: Path, parts: Sequence[Partition], members: Members, db: str) -> int:
    """Load articles, vectors, entities and events into a Kabar database as ``kabar ingest`` stores them
    (``Corpus.load_assigned``; existing ids are left alone), one partition at a time."""
    from kabar.corpus import Corpus
    from kabar.store import open_store

    store = open_store(db)
    try:
        return Corpus(store, restore=False).load_assigned(_assigned(out, parts, members))
    finally:
        store.close()


def _assigned(out: Path, parts: Sequence[Partition], members: Members) -> Iterator[AssignedArticle]:
    """The batch's articles with their stored vectors, entities and events, in input order."""
    event_of = {a: e for e, ids in members.items() for a, _ in ids}
    texts: dict[str, Article] = {}
    current = ""
    for part, rep, vector in iter_representations(out, parts):
        if part.id != current:
            texts, current = partition_articles(part), part.id
        article = texts.get(rep.id)
        event = event_of.get(rep.id)
        if article is not None and event is not None:
            yield AssignedArticle(article, vector, rep.entities, event)


ProgressFn = Callable[[str, int, int], None]


@dataclass
class _Run:
    """One batch in progress: what every stage needs."""

    client: Any
    out: Path
    parts: list[Partition]
    report: BatchReport
    on_progress: ProgressFn | None

    def progress(self, stage: str, done: int, total: int) -> None:
        if self.on_progress:
            self.on_progress(stage, done, total)

    def timed(self, stage: str, clock: float) -> None:
        self.report.seconds[stage] = round(time.perf_counter() - clock, 2)

    def gather(self, stage: str, futures: list[Any]) -> Iterator[TaskSummary]:
        """The tasks' summaries as they finish, counted as busy time and shown as progress."""
        from dask.distributed import as_completed

        for k, future in enumerate(as_completed(futures), start=1):
            summary: TaskSummary = future.result()
            self.report.add_busy(stage, summary)
            self.progress(stage, k, len(futures))
            yield summary


def run_batch(
    inputs: Sequence[str | Path],
    out: str | Path,
    scheduler: str | None = None,
    workers: int = 2,
    partition_size: int = PARTITION_SIZE,
    annotate_articles: bool = True,
    compare_min_articles: int = 2,
    db: str | None = None,
    on_progress: ProgressFn | None = None,
    output_format: str = "jsonl",
    on_dashboard: Callable[[str | None], None] | None = None,
    blocking: str = "ann",
) -> BatchReport:
    """Run the batch; see the module docstring.

    Raises:
        UsageError: an unknown ``blocking`` or ``output_format``.
    """
    if blocking not in {"ann", "lsh"}:
        raise UsageError(f"unknown blocking {blocking!r} (ann or lsh)")
    if output_format not in {"jsonl", "parquet"}:
        raise UsageError(f"unknown output format {output_format!r} (jsonl or parquet)")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    parts = plan(inputs, partition_size)
    write_text(out / "plan.json", json.dumps([p.as_dict() for p in parts]))
    client, cluster = _connect(scheduler, workers)
    report = BatchReport(partitions=len(parts), dashboard=client.dashboard_link, versions=_versions())
    run = _Run(client, out, parts, report, on_progress)
    if on_dashboard:
        on_dashboard(run.report.dashboard)
    try:
        _represent_all(run, annotate_articles, parquet=output_format == "parquet")
        if blocking == "lsh":
            _block_all(run)
        clock = time.perf_counter()
        members = assign_events(out, parts, blocked=blocking == "lsh")
        run.timed("assign", clock)
        run.report.events = len(members)
        _compare_all(run, members, compare_min_articles)
        if output_format == "parquet":
            _write_parquet(run)
        if db:
            clock = time.perf_counter()
            run.report.loaded = load_database(out, parts, members, db)
            run.timed("load", clock)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    write_text(out / "report.json", json.dumps(asdict(run.report), ensure_ascii=False, indent=2))
    return run.report


def _versions() -> dict[str, list[str]]:
    from kabar.versions import annotate_versions, cluster_versions, compare_versions

    return {"annotate": annotate_versions(), "cluster": cluster_versions(), "compare": compare_versions()}


def _connect(scheduler: str | None, workers: int) -> tuple[Any, Any]:
    """A client of the given scheduler, or of a new LocalCluster of ``workers`` single-threaded processes."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
        client = Client(cluster)
    client.run(worker_environment)
    return client, cluster


def _represent_all(run: _Run, annotate_articles: bool, parquet: bool) -> None:
    report, out = run.report, run.out
    report.partitions_done_before = sum(1 for p in run.parts if (out / "parts" / f"{p.id}.done").exists())
    clock = time.perf_counter()
    futures = [
        run.client.submit(represent_partition, p, str(out), annotate_articles, parquet, pure=False)
        for p in run.parts
    ]
    for summary in run.gather("represent", futures):
        report.articles += summary.articles
        report.failures += summary.failures
    run.timed("represent", clock)
    report.worker_rss_mb = sorted(round(v / 1e6, 1) for v in run.client.run(_rss).values())


def _block_all(run: _Run) -> None:
    clock = time.perf_counter()
    run.progress("block", 0, 1)
    run.report.candidate_pairs = block(run.client, run.out, run.parts)
    run.timed("block", clock)
    run.progress("block", 1, 1)


def _compare_all(run: _Run, members: Members, min_articles: int) -> None:
    """Compare every event of ``min_articles`` or more, in tasks grouped by the partitions holding their
    articles, so that a task reads its partitions once."""
    clock = time.perf_counter()
    to_compare = sorted((e, ids) for e, ids in members.items() if len(ids) >= min_articles)
    done = run.out / "compare"
    run.report.comparisons_done_before = sum(1 for e, _ in to_compare if (done / f"{e}.json").exists())
    by_id = {p.id: p for p in run.parts}
    groups: dict[tuple[str, ...], list[tuple[str, list[str]]]] = {}
    for e, ids in to_compare:
        groups.setdefault(tuple(sorted({q for _, q in ids})), []).append((e, [a for a, _ in ids]))
    futures = [
        run.client.submit(
            compare_events, chunk[k : k + COMPARE_CHUNK], [by_id[q] for q in key], str(run.out), pure=False
        )
        for key, chunk in sorted(groups.items())
        for k in range(0, len(chunk), COMPARE_CHUNK)
    ]
    for _ in run.gather("compare", futures):
        pass
    run.report.comparisons = len(to_compare)
    run.timed("compare", clock)


def _write_parquet(run: _Run) -> None:
    from kabar.batch.parquet import write_comparisons, write_events

    clock = time.perf_counter()
    write_events(run.out)
    write_comparisons(run.out)
    run.timed("parquet", clock)


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
