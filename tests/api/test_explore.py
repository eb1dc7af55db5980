"""The analyst's endpoints: messages, search, entities, outlets, coverage, offline docs, page routes."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
from fastapi.testclient import TestClient

from kabar.api.explore import choose_language
from tests.api.test_app import assert_error


@pytest.mark.parametrize(
    ("asked", "cookie", "accept", "chosen"),
    [
        (None, None, None, "id"),
        (None, None, "en-US,en;q=0.9", "en"),
        (None, None, "fr-FR,en;q=0.5,id;q=0.8", "id"),
        (None, None, "de-DE", "id"),
        (None, "en", "id-ID", "en"),
        ("id", "en", "en-GB", "id"),
    ],
)
def test_explore_language_choice(
    asked: str | None, cookie: str | None, accept: str | None, chosen: str
) -> None:
    assert choose_language(asked, cookie, accept) == chosen


def test_explore_messages_follow_accept_language(outlets_client: TestClient) -> None:
    default = outlets_client.get("/api/messages").json()
    assert default["language"] == "id" and default["messages"]["nav.search"] == "Cari"
    english = outlets_client.get("/api/messages", headers={"Accept-Language": "en-GB,en;q=0.8"}).json()
    assert english["language"] == "en" and english["messages"]["nav.search"] == "Search"
    outlets_client.cookies.set("kabar_lang", "id")
    switched = outlets_client.get("/api/messages", headers={"Accept-Language": "en"}).json()
    assert switched["language"] == "id"


def test_explore_catalogues_have_the_same_messages() -> None:
    static = resources.files("kabar").joinpath("web", "static")
    ids = json.loads(static.joinpath("messages.id.json").read_text("utf-8"))
    ens = json.loads(static.joinpath("messages.en.json").read_text("utf-8"))
    assert set(ids) == set(ens)
    used = set()
    for name in ("app.js", "pages.js", "charts.js", "i18n.js"):
        used |= set(re.findall(r'\bt\("([a-z_]+\.[a-z_.]*[a-z])"', static.joinpath(name).read_text("utf-8")))
    assert used and used <= set(ids), used - set(ids)


def test_explore_search_snippets_and_entity(outlets_client: TestClient) -> None:
    body = outlets_client.get("/api/search", params={"q": "Jokowi", "limit": 3}).json()
    assert body["total"] == 6 and len(body["items"]) == 3 and body["next_offset"] == 3
    assert body["entity"]["key"] == "joko widodo" and body["entity"]["label"] == "Joko Widodo"
    marked = [p["text"] for item in body["items"] for p in item["snippet"] if p["match"]]
    assert marked and set(marked) <= {"Jokowi", "Joko Widodo"}
    detik = outlets_client.get("/api/search", params={"q": "Jokowi", "outlet": "Detik"}).json()["items"]
    assert [i["article"] for i in detik] == ["detik"]
    by_entity = outlets_client.get(
        "/api/search", params={"q": "ibu kota", "entity": "Bambang Brodjonegoro"}
    ).json()
    assert [i["article"] for i in by_entity["items"]] == ["antara-ibu-kota-2"]


@pytest.mark.parametrize(
    ("params", "reason"),
    [({"q": 'Setya AND "KPK'}, "unclosed quote"), ({"q": "x", "since": "kemarin"}, "YYYY-MM-DD")],
)
def test_explore_search_errors_say_why(
    outlets_client: TestClient, params: dict[str, str], reason: str
) -> None:
    response = outlets_client.get("/api/search", params=params)
    assert_error(response, 400)
    assert reason in response.json()["error"]


def test_explore_entity_who_said_what(outlets_client: TestClient) -> None:
    body = outlets_client.get("/api/entities/Jokowi").json()
    assert body["key"] == "joko widodo" and {"Joko Widodo", "Jokowi"} <= set(body["names"])
    quotes = [q for q in body["quotes"] if q["direct"]]
    assert {q["outlet"] for q in quotes} == {"Kompas", "Detik", "Tempo", "Antara"}
    detik = next(q for q in quotes if q["outlet"] == "Detik")
    assert detik["content"].startswith("Saya minta warga Jakarta") and detik["sentence"].startswith("detik:")
    assert detik["event"] in {e["id"] for e in body["events"]}
    assert len(body["events"]) >= 2 and body["together"] and body["outlets"]
    assert_error(outlets_client.get("/api/entities/Tidak%20Ada%20Siapa"), 404)
    by_alias = outlets_client.get("/api/entities?prefix=Jokowi").json()["items"]
    assert by_alias[0]["key"] == "joko widodo"
    listed = outlets_client.get("/api/entities?limit=3").json()
    assert listed["items"][0]["key"] == "joko widodo" and listed["next_offset"] == 3


def test_explore_outlets_and_coverage(outlets_client: TestClient) -> None:
    outlets = {o["name"]: o for o in outlets_client.get("/api/outlets").json()["items"]}
    assert set(outlets) == {"Kompas", "Detik", "Tempo", "Antara"}
    kompas = outlets_client.get("/api/outlets/Kompas").json()
    assert len(kompas["events"]) == 2 and kompas["outlet"]["articles"] == 2
    assert_error(outlets_client.get("/api/outlets/Tidak%20Ada"), 404)
    mrt = next(e for e in outlets_client.get("/api/events?sort=sources").json()["items"] if e["sources"] == 3)
    coverage = outlets_client.get(f"/api/events/{mrt['id']}/coverage").json()
    assert [m["outlet"] for m in coverage["missing"]] == ["Antara"]
    assert coverage["per_day"] == [{"day": "2019-03-24", "articles": 1}] and coverage["undated"] == 2
    assert_error(outlets_client.get("/api/events/ev999/coverage"), 404)
    stats = outlets_client.get("/api/stats").json()
    assert stats["outlets"] == 4 and sum(d["articles"] for d in stats["per_day"]) == 3


def test_explore_docs_are_served_offline(outlets_client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = outlets_client.get(page).text
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources and all(s.startswith("/") for s in sources), sources
        for source in sources:
            if source.startswith("/static/docs/"):
                assert outlets_client.get(source).status_code == 200
    assert_error(outlets_client.get("/static/docs/secret.txt"), 404)


@pytest.mark.parametrize(
    "path", ["/search", "/entities", "/entity/joko%20widodo", "/outlets", "/outlet/Kompas"]
)
def test_explore_pages_are_the_web_page(outlets_client: TestClient, path: str) -> None:
    response = outlets_client.get(path)
    assert response.status_code == 200 and '<main id="app">' in response.text
