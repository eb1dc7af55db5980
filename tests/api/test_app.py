"""The API in process: every endpoint, the one error shape, pagination, tokens, limits, URL guard."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kabar.api.app import Settings, create_app
from tests.conftest import SEED_A, SEED_B

ERROR_KEYS = {"ok", "error", "status"}


def assert_error(response, status: int) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == status
    body = response.json()
    assert set(body) == ERROR_KEYS and body["ok"] is False and body["status"] == status and body["error"]


@pytest.mark.parametrize(
    ("method", "path", "payload", "status"),
    [
        ("get", "/api/nothing", None, 404),
        ("get", "/api/events/ev999999", None, 404),
        ("get", "/api/events?limit=0", None, 422),
        ("get", "/api/events?sort=random", None, 422),
        ("get", "/api/search", None, 422),
        ("post", "/api/articles", {"articles": []}, 422),
        ("post", "/api/compare", {"articles": [{"text": ""}]}, 422),
        ("post", "/api/relate", {"pairs": [{"premise": "x"}]}, 422),
        ("post", "/api/ingest/url", {"url": "file:///etc/passwd"}, 400),
        ("post", "/api/ingest/url", {"url": "http://127.0.0.1:9/feed"}, 400),
        ("post", "/api/ingest/url", {"url": "http://10.1.2.3/private"}, 400),
        ("post", "/api/compare", {"articles": [{"text": "\u0000\u0001"}]}, 400),
    ],
)
def test_app_error_shape_is_locked(
    client: TestClient, method: str, path: str, payload: object, status: int
) -> None:
    response = (
        getattr(client, method)(path, json=payload) if payload is not None else getattr(client, method)(path)
    )
    assert_error(response, status)


def test_app_health_and_openapi(client: TestClient) -> None:
    assert client.get("/api/health").json()["counts"]["articles"] == 6
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/compare", "/api/relate", "/api/articles",
            "/api/articles/upload", "/api/ingest/url", "/api/search"} <= set(spec["paths"])  # fmt: skip
    assert client.get("/docs").status_code == 200


def test_app_events_paginate(client: TestClient) -> None:
    first = client.get("/api/events?limit=2").json()
    assert len(first["items"]) == 2 and first["next_offset"] == 2
    rest = client.get("/api/events?limit=2&offset=2").json()
    assert len(rest["items"]) == 1 and rest["next_offset"] is None
    ids = [e["id"] for e in first["items"] + rest["items"]]
    assert len(set(ids)) == 3
    by_articles = client.get("/api/events?sort=articles").json()["items"]
    assert by_articles[0]["articles"] == 3


def test_app_event_has_sources_facts_brief_entities(client: TestClient) -> None:
    events = client.get("/api/events?sort=articles&limit=10").json()["items"]
    seeds_event = next(e for e in events if "Putin" in e["title"])
    data = client.get(f"/api/events/{seeds_event['id']}").json()
    assert {a["id"] for a in data["articles"]} == {SEED_A.stem, SEED_B.stem}
    assert data["facts"] and data["brief"] and data["entities"] and data["top_entities"]
    assert any(f["status"] == "shared" for f in data["facts"])
    assert data["event"]["conflicts"] == 0  # counted now that the event has been compared
    by_conflicts = client.get("/api/events?sort=conflicts").json()["items"]
    assert by_conflicts[0]["id"] == seeds_event["id"]  # the only event with a known count comes first


def test_app_search(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "Vostochny"}).json()["items"]
    assert {h["article"] for h in hits} == {SEED_A.stem, SEED_B.stem}


def test_app_compare_and_relate(client: TestClient) -> None:
    body = {"articles": [{"id": "a", "text": SEED_A.read_text(encoding="utf-8")},
                         {"id": "b", "text": SEED_B.read_text(encoding="utf-8")}]}  # fmt: skip
    data = client.post("/api/compare", json=body).json()
    assert data["ok"] and data["facts"] and {a["id"] for a in data["articles"]} == {"a", "b"}
    relation = client.post("/api/relate", json={"pairs": [{"premise": "Harga naik 5 persen.",
                                                           "hypothesis": "Harga naik 15 persen."}]}).json()  # fmt: skip
    assert relation["items"][0]["relation"] == "conflict"


def test_app_writes_need_the_token_when_set(corpus_db: str, tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "copy.sqlite"
    shutil.copy(corpus_db, db)
    guarded = TestClient(
        create_app(Settings(db=str(db), token="s3cret")),
        raise_server_exceptions=False,
        base_url="http://localhost",
    )
    article = {
        "articles": [
            {
                "id": "n1",
                "text": "Banjir melanda Jakarta Timur pada Selasa (2/1/2024), ratusan warga mengungsi.",
            }
        ]
    }
    assert_error(guarded.post("/api/articles", json=article), 401)
    assert_error(guarded.post("/api/articles", json=article, headers={"Authorization": "Bearer wrong"}), 401)
    ok = guarded.post("/api/articles", json=article, headers={"Authorization": "Bearer s3cret"}).json()
    assert ok["added"] == 1
    assert guarded.get("/api/events").status_code == 200  # reading needs no token
    again = guarded.post("/api/articles", json=article, headers={"Authorization": "Bearer s3cret"}).json()
    assert again["already"] == 1 and again["added"] == 0


def test_app_upload_and_body_limit(corpus_db: str, tmp_path: Path) -> None:
    import shutil

    db = tmp_path / "copy.sqlite"
    shutil.copy(corpus_db, db)
    small = TestClient(
        create_app(Settings(db=str(db), max_body_bytes=50_000)),
        raise_server_exceptions=False,
        base_url="http://localhost",
    )
    files = [("files", ("berita.txt", b"Gempa kecil mengguncang Sukabumi, Jawa Barat, Kamis pagi. Tidak ada korban.", "text/plain")),
             ("files", ("rusak.bin", b"\x00\x01\x02\x03", "application/octet-stream"))]  # fmt: skip
    result = small.post("/api/articles/upload", files=files).json()
    assert result["added"] == 1 and result["failures"][0]["code"] == "binary"
    assert_error(
        small.post("/api/compare", content=b"x" * 60_000, headers={"Content-Type": "application/json"}), 413
    )


def test_app_event_is_the_cli_event_document(client: TestClient, corpus_db: str) -> None:
    import json

    from typer.testing import CliRunner

    from kabar.cli.main import app

    events = client.get("/api/events?sort=articles&limit=10").json()["items"]
    event_id = next(e["id"] for e in events if "Putin" in e["title"])
    api = client.get(f"/api/events/{event_id}").json()
    shown = CliRunner().invoke(app, ["event", event_id, "--db", corpus_db, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    cli = json.loads(shown.stdout)
    assert api.pop("ok") is True
    assert cli == api


def test_app_ingest_url_reads_feeds_and_opml_as_the_cli_does(
    corpus_db: str, tmp_path: Path, news_site: str
) -> None:
    import shutil

    db = tmp_path / "copy.sqlite"
    shutil.copy(corpus_db, db)
    open_client = TestClient(
        create_app(Settings(db=str(db), allow_private_urls=True)),
        raise_server_exceptions=False,
        base_url="http://localhost",
    )
    added = open_client.post("/api/ingest/url", json={"url": f"{news_site}/list.opml"}).json()
    assert added["ok"] and added["added"] == 1 and not added["failures"]
    hits = open_client.get("/api/search", params={"q": "Baranangsiang"}).json()["items"]
    assert len(hits) == 1  # the full page, fetched through the feed's teaser link
    assert_error(open_client.post("/api/ingest/url", json={"url": f"{news_site}/local.opml"}), 400)
    guarded = TestClient(
        create_app(Settings(db=str(db))), raise_server_exceptions=False, base_url="http://localhost"
    )
    assert_error(guarded.post("/api/ingest/url", json={"url": f"{news_site}/feed.xml"}), 400)
