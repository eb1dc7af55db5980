"""The analyst's endpoints: search with snippets, entities, outlets, coverage, counts per day, UI messages.

Each page of the web UI has its JSON twin here or in kabar.api.app. Answers use the API's one error shape.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from functools import cache
from importlib import resources
from typing import Any

from fastapi import APIRouter, Header, Query, Request

from kabar.api.state import State
from kabar.errors import NotFound
from kabar.ingest.outlets import outlet_named
from kabar.people import entity_page, key_of, label_of
from kabar.store import explore

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
ENTITY_CACHE = 32


@cache
def catalogue(language: str) -> dict[str, str]:
    """The UI's messages in ``language`` (``web/static/messages.LANG.json``)."""
    text = resources.files("kabar").joinpath("web", "static", f"messages.{language}.json").read_text("utf-8")
    messages: dict[str, str] = json.loads(text)
    return messages


def choose_language(asked: str | None, cookie: str | None, accept_language: str | None) -> str:
    """``?lang=`` first, then the ``kabar_lang`` cookie the switch sets, then Accept-Language, else Indonesian."""
    for value in (asked, cookie):
        if value in LANGUAGES:
            return value
    ranked: list[tuple[float, int, str]] = []
    for k, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.split("-")[0].lower()
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, k, primary))
    return min(ranked)[2] if ranked else DEFAULT_LANGUAGE


def _hit_dict(hit: explore.SearchHit) -> dict[str, Any]:
    return {"article": hit.article, "title": hit.title, "event": hit.event, "event_title": hit.event_title,
            "outlet": hit.outlet, "published": hit.published,
            "snippet": [{"text": t, "match": m} for t, m in hit.snippet]}  # fmt: skip


router = APIRouter()
_entities: OrderedDict[tuple[str, str, int], dict[str, Any]] = OrderedDict()


@router.get("/api/messages")
def messages(
    request: Request,
    lang: str | None = Query(None, pattern="^(id|en)$"),
    accept_language: str | None = Header(None),
) -> dict[str, Any]:
    """The UI's message catalogue, in the language asked, switched to, or accepted by the browser."""
    chosen = choose_language(lang, request.cookies.get("kabar_lang"), accept_language)
    return {"ok": True, "language": chosen, "languages": list(LANGUAGES), "messages": catalogue(chosen)}


@router.get("/api/search")
def search(
    state: State,
    q: str = Query(min_length=1, max_length=500),
    since: str | None = Query(None, max_length=10, description="first day, YYYY-MM-DD"),
    until: str | None = Query(None, max_length=10, description="last day, YYYY-MM-DD"),
    outlet: str | None = Query(None, max_length=200),
    entity: str | None = Query(None, max_length=200, description="an entity key or any of its names"),
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> dict[str, Any]:
    """Articles matching ``q`` with highlighted snippets; a name matches all of its known names."""
    store = state.store()
    filters = explore.Filters(since, until, outlet or None, key_of(entity) if entity else None)
    result = explore.search(store, q, filters, limit + 1, offset)  # QueryError: 400 with the reason
    known = explore.entity(store, key_of(q)) if '"' not in q else None
    named = (
        {"key": known.key, "label": label_of(known.key, []), "articles": known.articles} if known else None
    )
    return {"ok": True, "q": q, "total": result.total, "items": [_hit_dict(h) for h in result.hits[:limit]],
            "entity": named, "limit": limit, "offset": offset,
            "next_offset": offset + limit if len(result.hits) > limit else None}  # fmt: skip


@router.get("/api/entities")
def list_entities(
    state: State,
    prefix: str | None = Query(None, max_length=100),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> dict[str, Any]:
    """Entities by the number of articles naming them; ``prefix``: keys starting with it, and the entity it names."""
    store = state.store()
    rows = explore.entities(store, limit + 1, offset, prefix)
    named = explore.entity(store, key_of(prefix)) if prefix and offset == 0 else None
    if named is not None and named.key not in {r.key for r in rows}:
        rows.insert(0, named)  # "Jokowi" lists Joko Widodo, whose key does not start with it
    items = [{"key": r.key, "label": label_of(r.key, []), "type": r.type, "articles": r.articles,
              "events": r.events, "mentions": r.mentions} for r in rows[:limit]]  # fmt: skip
    return {"ok": True, "items": items, "limit": limit, "offset": offset,
            "next_offset": offset + limit if len(rows) > limit else None}  # fmt: skip


@router.get("/api/entities/{key}")
def get_entity(state: State, key: str) -> dict[str, Any]:
    """An entity (by key or any of its names): its events, its quotes across outlets, the entities named with it,
    its outlets, its articles per day."""
    store = state.store()
    found = key if explore.entity(store, key) is not None else key_of(key)
    version = (store.url, found, store.counts()["articles"])
    if version not in _entities:
        data = entity_page(store, found)
        if data is None:
            raise NotFound(f"no entity {key!r} in the corpus")
        _entities[version] = {"ok": True, **data}
        while len(_entities) > ENTITY_CACHE:
            _entities.popitem(last=False)
    return _entities[version]


@router.get("/api/outlets")
def list_outlets(state: State) -> dict[str, Any]:
    """Every outlet with its article and event counts."""
    return {"ok": True, "items": explore.outlets(state.store())}


@router.get("/api/outlets/{name}")
def get_outlet(state: State, name: str) -> dict[str, Any]:
    """An outlet: its events (with their conflict counts) and its articles per day."""
    store = state.store()
    wanted = {name.casefold(), (outlet_named(name) or name).casefold()}
    row = next((o for o in explore.outlets(store) if o["name"].casefold() in wanted), None)
    if row is None:
        raise NotFound(f"no outlet {name!r} in the corpus")
    name = row["name"]
    return {"ok": True, "outlet": row, "events": explore.outlet_events(store, name),
            "per_day": explore.per_day(store, outlet=name)}  # fmt: skip


@router.get("/api/events/{event_id}/coverage")
def event_coverage(state: State, event_id: str) -> dict[str, Any]:
    """Which outlets covered the event, which usual outlets of its entities did not, its articles per day."""
    store = state.store()
    if store.event(event_id) is None:
        raise NotFound(f"no event {event_id!r}")
    return {"ok": True, "event": event_id, **explore.coverage(store, event_id),
            "per_day": explore.per_day(store, event_id=event_id), "undated": explore.undated(store, event_id)}  # fmt: skip


@router.get("/api/stats")
def stats(state: State) -> dict[str, Any]:
    """The corpus: counts, articles per day, outlets."""
    store = state.store()
    return {"ok": True, "counts": store.counts(), "per_day": explore.per_day(store), "undated": explore.undated(store),
            "outlets": len(explore.outlets(store))}  # fmt: skip
