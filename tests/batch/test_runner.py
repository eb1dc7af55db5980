"""kabar batch on a real LocalCluster with several worker processes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from training.ecbplus import DEFAULT_DIR, load

from kabar.batch.runner import plan, run_batch
from kabar.cluster.run import cluster_articles
from kabar.embed import Embedder
from kabar.extract.ner import few_articles_mode
from kabar.ingest import read_paths
from kabar.records import Article
from kabar.versions import annotate_versions
from tests.conftest import DATA, SEEDS

# Partitions of 16 articles over the seeds, the Cianjur reports and 60 ECB+ articles; on a bare clone (no
# ../shared/data, so no ECB+) partitions of 2 still give the several partitions these tests need.
PART = 16 if DEFAULT_DIR.is_dir() else 2


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSONL shard: the seeds, the Cianjur reports, 60 ECB+ articles, and a malformed line."""
    path = tmp_path_factory.mktemp("batch") / "sample.jsonl"
    rows = [
        {"id": a.id, "text": a.text, "title": a.title}
        for a in read_paths([SEEDS, DATA / "pairs"])
        if isinstance(a, Article)
    ]
    if DEFAULT_DIR.is_dir():
        rows += [
            {"id": d.name, "title": d.sentences[0], "text": "\n\n".join(d.sentences)}
            for d in load()[::13][:60]
        ]
    with path.open("w", encoding="utf-8") as out:
        for k, row in enumerate(rows):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            if k == 3:
                out.write('{"id": "broken", "text": \n')
    return path


def events_of(out: Path) -> dict[str, str]:
    return {
        r["id"]: r["event"]
        for r in map(json.loads, (out / "events.jsonl").read_text(encoding="utf-8").splitlines())
    }


@pytest.fixture(scope="module")
def first_run(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, object]]:
    out = tmp_path_factory.mktemp("out") / "run"
    # A fresh embedding cache for the worker processes, so that they must load the encoder.
    previous = os.environ.get("KABAR_CACHE")
    os.environ["KABAR_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    try:
        report = run_batch([sample], out, workers=2, partition_size=PART, annotate_articles=True)
    finally:
        if previous is None:
            os.environ.pop("KABAR_CACHE", None)
        else:
            os.environ["KABAR_CACHE"] = previous
    yield out, report


def test_batch_same_events_as_kabar_cluster(sample: Path, first_run: tuple[Path, object]) -> None:
    out, report = first_run
    articles = [a for a in read_paths([sample]) if isinstance(a, Article)]
    expected = dict(cluster_articles(articles, embedder=Embedder(disk_cache=False)))
    assert events_of(out) == expected
    assert report.failures == 1 and report.articles == len(articles)  # type: ignore[attr-defined]


def test_batch_outputs_and_models_once_per_worker(first_run: tuple[Path, object]) -> None:
    out, report = first_run
    summaries = [json.loads(p.read_text()) for p in (out / "parts").glob("*.done")]
    assert len(summaries) == report.partitions > 2  # type: ignore[attr-defined]
    assert len({s["pid"] for s in summaries}) == 2  # two worker processes did the work
    loads = {s["pid"]: s["encoder_loads"] for s in sorted(summaries, key=lambda s: s["partition"])}
    assert set(loads.values()) == {1}  # each worker loaded the encoder exactly once, for all its partitions
    assert {s["encoder_threads"] for s in summaries} == {1}  # the workers are the parallelism
    annotations = [json.loads(line) for p in sorted((out / "parts").glob("*.annotations.jsonl"))
                   for line in p.read_text(encoding="utf-8").splitlines()]  # fmt: skip
    assert {"sentences", "mentions", "quotes", "dates"} <= set(annotations[0])
    seeds_event = events_of(out)["000_88221f3e0d7eafc3"]
    comparison = json.loads((out / "compare" / f"{seeds_event}.json").read_text(encoding="utf-8"))
    assert comparison["facts"] and comparison["brief"]
    recorded = json.loads((out / "report.json").read_text(encoding="utf-8"))["versions"]
    assert recorded["cluster"][-1].startswith("cluster.") and recorded["annotate"] == annotate_versions()
    # The comparison names the stages that made it: the few-articles entity tier, then compare's declared ones.
    assert comparison["versions"] == annotate_versions(few_articles_mode()) + recorded["compare"]
    summaries_out = [json.loads(line) for line in (out / "event_summaries.jsonl").read_text().splitlines()]
    assert sum(s["articles"] for s in summaries_out) == len(events_of(out))


def test_batch_resumes_without_redoing_work(
    sample: Path, first_run: tuple[Path, object], tmp_path: Path
) -> None:
    out, _ = first_run
    copy = tmp_path / "resume"
    shutil.copytree(out, copy)
    (copy / "parts" / "p00001.done").unlink()
    for file in (copy / "parts").glob("p00001.*"):
        file.unlink()
    compare_files = sorted((copy / "compare").glob("*.json"))
    compare_files[0].unlink()
    report = run_batch([sample], copy, workers=2, partition_size=PART)
    assert report.partitions_done_before == report.partitions - 1
    assert report.comparisons_done_before == report.comparisons - 1
    assert events_of(copy) == events_of(out)
    lines = (copy / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines))


def test_batch_killed_then_resumed(sample: Path, tmp_path: Path, first_run: tuple[Path, object]) -> None:
    out = tmp_path / "killed"
    cmd = [
        sys.executable,
        "-m",
        "kabar",
        "batch",
        str(sample),
        "--out",
        str(out),
        "--partition-size",
        "8",
        "--format",
        "parquet",
        "-q",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 180
    while time.time() < deadline and not list((out / "parts").glob("*.done")):
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list((out / "parts").glob("*.done")))
    assert done_before >= 1
    rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 1, rerun.stderr  # the malformed line is reported as skipped
    assert f"({done_before} already done)" in rerun.stderr or "already done" in rerun.stderr
    assert events_of(out) == events_of(first_run[0])
    check_parquet(out)


def check_parquet(out: Path) -> None:
    """The Parquet copies hold exactly what the JSONL outputs hold."""
    events = pq.read_table(out / "parquet" / "events.parquet").to_pylist()
    assert {r["id"]: r["event"] for r in events} == events_of(out) and len(events) == len(events_of(out))
    articles = pq.read_table(out / "parquet" / "articles").to_pylist()
    assert sorted(r["id"] for r in articles) == sorted(events_of(out))
    for row in articles[:5]:
        document = json.loads(row["annotation"])
        assert document["id"] == row["id"] and row["sentences"] == len(document["sentences"]) > 0
    summaries = pq.read_table(out / "parquet" / "event_summaries.parquet").to_pylist()
    assert sum(r["articles"] for r in summaries) == len(events)
    assert sorted(m for r in summaries for m in r["members"]) == sorted(events_of(out))
    comparisons = pq.read_table(out / "parquet" / "comparisons").to_pylist()
    assert sorted(r["event"] for r in comparisons) == sorted(p.stem for p in (out / "compare").glob("*.json"))
    for row in comparisons:
        facts = json.loads(row["comparison"])["facts"]
        assert row["shared"] + row["unique"] + row["conflict"] == len(facts)


def test_batch_parquet_from_an_earlier_jsonl_run(
    sample: Path, first_run: tuple[Path, object], tmp_path: Path
) -> None:
    out, _ = first_run
    copy = tmp_path / "to_parquet"
    shutil.copytree(out, copy)
    report = run_batch([sample], copy, workers=2, partition_size=PART, output_format="parquet")
    assert (
        report.partitions_done_before == report.partitions
        and report.comparisons_done_before == report.comparisons
    )
    check_parquet(copy)


def test_batch_plan_is_deterministic(sample: Path) -> None:
    assert plan([sample], PART) == plan([sample], PART)
    parts = plan([sample], PART)
    assert parts[0].start == 0 and all(p.stop - p.start <= PART for p in parts)


def test_batch_lsh_blocking_same_events_as_kabar_cluster_lsh(sample: Path, tmp_path: Path) -> None:
    report = run_batch([sample], tmp_path / "lsh", workers=2, partition_size=PART, annotate_articles=False,
                       blocking="lsh")  # fmt: skip
    articles = [a for a in read_paths([sample]) if isinstance(a, Article)]
    expected = dict(cluster_articles(articles, embedder=Embedder(disk_cache=False), blocking="lsh"))
    assert events_of(tmp_path / "lsh") == expected
    assert report.candidate_pairs > 0 and "block" in report.seconds
    assert len(set(expected.values())) < len(expected)  # the blocking found stories to join


def test_batch_load_database_stores_what_ingest_stores(
    sample: Path, first_run: tuple[Path, object], tmp_path: Path
) -> None:
    from kabar.batch.runner import load_database
    from kabar.store import open_store

    out, _ = first_run
    assigned = events_of(out)
    members: dict[str, list[tuple[str, str]]] = {}
    for article_id, event in assigned.items():
        members.setdefault(event, []).append((article_id, "?"))
    parts = plan([sample], PART)
    db = str(tmp_path / "loaded.sqlite")
    assert load_database(out, parts, members, db) == len(assigned)
    assert load_database(out, parts, members, db) == 0  # loading again stores nothing twice
    store = open_store(db)
    try:
        assert store.counts()["articles"] == len(assigned)
        sizes = {r.id: r.articles for r in store.events(1000, 0, "newest")}
        assert sizes == {e: len(ids) for e, ids in members.items()}
        some = next(iter(assigned))
        stored = store.article(some)
        assert stored is not None and stored.event == assigned[some] and stored.content_hash
    finally:
        store.close()
