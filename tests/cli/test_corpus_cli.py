from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_main import kabar
from tests.conftest import DATA, SEEDS


def test_corpus_cli_ingest_events_event_search(tmp_path: Path) -> None:
    db = str(tmp_path / "k.sqlite")
    first = kabar("ingest", str(SEEDS), str(DATA / "pairs"), "--db", db, "-q")
    assert first.returncode == 0, first.stderr
    assert "5 article(s) added, 2 new event(s)" in first.stderr
    listing = kabar("events", "--db", db, "--format", "jsonl")
    events = [json.loads(line) for line in listing.stdout.splitlines()]
    assert len(events) == 2 and {e["articles"] for e in events} == {2, 3}
    top = kabar("events", "--db", db, "--sort", "articles", "--limit", "1")
    assert "Gempa" in top.stdout and len(top.stdout.strip().splitlines()) == 2
    event_id = next(e["id"] for e in events if e["articles"] == 2)
    shown = kabar("event", event_id, "--db", db, "-f", "json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["facts"]
    found = kabar("search", "Vostochny", "--db", db)
    assert found.returncode == 0 and "000_88221f3e0d7eafc3" in found.stdout
    missing = kabar("event", "ev999999", "--db", db)
    assert missing.returncode == 3 and "no event" in missing.stderr


def test_corpus_cli_rerun_is_idempotent(tmp_path: Path) -> None:
    db = str(tmp_path / "k.sqlite")
    kabar("ingest", str(SEEDS), "--db", db, "-q")
    again = kabar("ingest", str(SEEDS), "--db", db, "-q")
    assert (
        again.returncode == 0 and "0 article(s) added" in again.stderr and "2 already stored" in again.stderr
    )


def test_cluster_cli(tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    result = kabar("cluster", str(SEEDS), str(DATA / "pairs"), "-o", str(out), "-q")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 5 and len({r["event"] for r in rows}) == 2


def test_corpus_cli_bad_database_url(tmp_path: Path) -> None:
    result = kabar("events", "--db", "postgresql://nobody@127.0.0.1:9/none")
    assert result.returncode in {2, 3} and "Traceback" not in result.stderr and "***" not in result.stderr


def test_corpus_cli_outlets_conflicts_and_search_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "k.sqlite")
    added = kabar("ingest", str(DATA / "outlets"), "--db", db, "-q")
    assert added.returncode == 0, added.stderr
    listing = kabar("events", "--db", db, "--format", "jsonl", "--sort", "sources")
    events = [json.loads(line) for line in listing.stdout.splitlines()]
    assert events[0]["sources"] == 3  # kompas.txt, detik.txt, tempo.html: three outlets, not "sources 1"
    assert all(e["conflicts"] is not None for e in events)  # counted as the articles arrived
    bad = kabar("search", 'Setya AND "KPK', "--db", db)
    assert bad.returncode == 2 and "unclosed quote" in bad.stderr
    found = kabar("search", "Jokowi", "--db", db)
    assert found.returncode == 0 and "detik" in found.stdout  # Detik writes only "Joko Widodo"
