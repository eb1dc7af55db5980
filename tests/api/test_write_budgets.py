"""Writes under budgets: articles are stored by the writer process, each request is bounded in size (413) and in
time (503), and a write refused or stopped stores nothing."""

from __future__ import annotations

import os
import time
from pathlib import Path

from kabar.api.write import MAX_ARTICLE_CHARS, MAX_ARTICLES, MAX_FILE_INPUTS
from kabar.store import open_store
from tests.api.conftest import article_count, local_client

TEXT = (
    "Banjir merendam {k} rumah di Kecamatan Contoh pada Selasa, kata petugas BPBD setempat kepada wartawan."
)


def _body(count: int, start: int = 0) -> dict[str, object]:
    return {"articles": [{"id": f"b-{k}", "text": TEXT.format(k=k)} for k in range(start, start + count)]}


def test_write_articles_are_stored_by_another_process(db: str) -> None:
    before = article_count(db)
    with local_client(db) as client:
        answer = client.post("/api/articles", json=_body(3))
        assert answer.status_code == 200 and answer.json()["added"] + answer.json()["duplicates"] == 3
        writer = client.app.state.kabar.writer  # type: ignore[attr-defined]
        assert writer._process is not None and writer._process.pid != os.getpid()
        assert client.get("/api/health").json()["counts"]["articles"] == before + 3  # read by the server
    assert article_count(db) == before + 3


def test_write_too_many_articles_or_characters_answer_413(db: str) -> None:
    before = article_count(db)
    with local_client(db) as client:
        many = client.post("/api/articles", json=_body(MAX_ARTICLES + 1)).json()
        assert many["status"] == 413 and many["ok"] is False
        assert f"over the limit of {MAX_ARTICLES}" in many["error"] and "several requests" in many["error"]
        long = {"articles": [{"id": "long", "text": "kata " * (MAX_ARTICLE_CHARS // 5 + 1)}]}
        assert client.post("/api/articles", json=long).json()["status"] == 413
        lines = "".join(
            f'{{"id": "f-{k}", "text": "{TEXT.format(k=k)}"}}\n' for k in range(MAX_FILE_INPUTS + 1)
        )
        upload = client.post(
            "/api/articles/upload", files=[("files", ("many.jsonl", lines.encode(), "text/plain"))]
        )
        assert upload.status_code == 413 and f"{MAX_FILE_INPUTS:,} per request" in upload.json()["error"]
        assert (
            client.post("/api/articles", json=_body(MAX_ARTICLES)).status_code == 200
        )  # the cap itself passes
    assert article_count(db) == before + MAX_ARTICLES


def test_write_over_the_time_budget_answers_503_and_stores_nothing(db: str) -> None:
    before = article_count(db)
    with local_client(db, ingest_seconds=0.001) as client:
        answer = client.post("/api/articles", json=_body(20))
        assert answer.status_code == 503 and "was not stored" in answer.json()["error"]
        assert answer.json() == {"ok": False, "error": answer.json()["error"], "status": 503}
        # The stopped writer is replaced at once, not at the next write: the new one rebuilds its state meanwhile.
        writer = client.app.state.kabar.writer  # type: ignore[attr-defined]
        for _ in range(300):
            if writer._conn is not None:
                break
            time.sleep(0.1)
        assert writer._conn is not None and writer._process.is_alive()
    assert article_count(db) == before
    with local_client(db) as client:  # a writer within budget stores the same articles
        assert client.post("/api/articles", json=_body(20)).status_code == 200
    assert article_count(db) == before + 20


def test_write_after_closing_is_refused_and_the_write_in_flight_is_kept(db: str) -> None:
    before = article_count(db)
    with local_client(db) as client:
        assert client.post("/api/articles", json=_body(1)).status_code == 200
        state = client.app.state.kabar  # type: ignore[attr-defined]
        state.writer.close()
        refused = client.post("/api/articles", json=_body(1, start=1))
        assert refused.status_code == 503 and "shutting down" in refused.json()["error"]
    assert article_count(db) == before + 1


def test_write_conflict_counts_are_refreshed_after_the_answer(tmp_path: Path) -> None:
    """The events that grew are compared in a compute worker after the write answered, and their counts stored."""
    db = str(tmp_path / "fresh.sqlite")
    examples = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt"))
    body = {"articles": [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in examples]}
    with local_client(db, compute_workers=1) as client:
        assert client.post("/api/articles", json=body).json()["added"] == 2
        store = open_store(db)
        try:
            event = store.article(examples[0].stem)
            assert event is not None and event.event is not None
            for _ in range(300):
                row = store.event(event.event)
                if row is not None and row.conflicts is not None:
                    break
                time.sleep(0.2)
            assert row is not None and row.articles == 2 and row.conflicts is not None
        finally:
            store.close()
