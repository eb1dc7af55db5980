"""Read endpoints: health, events (listed and one compared). Search is in ``explore``."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import anyio
from fastapi import APIRouter, Query, Response
from fastapi.encoders import jsonable_encoder

from kabar import __version__
from kabar.api.state import ApiState, EventKey, State
from kabar.errors import NotFound
from kabar.records import EventRow, StoredArticle
from kabar.report import event_document, event_row_dict

router = APIRouter()

MAX_OFFSET = 1_000_000_000
"""Offsets past this are refused (422): the databases hold 64-bit integers, and no corpus has a billion events."""


@router.get("/api/health")
def health(state: State) -> dict[str, Any]:
    return {"ok": True, "version": __version__, "counts": state.store().counts()}


@router.get("/api/events")
def list_events(
    state: State,
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    sort: str = Query("newest", pattern="^(newest|sources|articles|conflicts)$"),
) -> dict[str, Any]:
    rows = state.store().events(limit + 1, offset, sort)
    items = [event_row_dict(r) for r in rows[:limit]]
    next_offset = offset + limit if len(rows) > limit else None
    return {"ok": True, "items": items, "limit": limit, "offset": offset, "next_offset": next_offset}


@router.get("/api/events/{event_id}")
async def get_event(state: State, event_id: str) -> Response:
    """One event compared: the document ``kabar event ID --format json`` writes, with ``"ok": true``. The
    comparison runs in a compute worker and nothing is written (the conflict count in ``event`` is the one just
    found; the stored one is refreshed when the event gains articles). While an event that changed is compared
    again, its previous document is served with ``"stale": true``; requests for an event never compared wait for
    the one comparison under way. Documents are kept rendered, so a cached one costs no serialisation."""
    row, members, entities = await anyio.to_thread.run_sync(_load_event, state, event_id)
    key = (row.id, row.updated_at, len(members))  # a new member (a repeat too) makes a new key
    cached = state.cached_event(key)
    if cached is not None:
        return _json(cached)
    last = state.latest_event(row.id)
    if last is not None:
        state.in_background(key, lambda: _compare_event(state, row, members, entities, key))
        return _json(b'{"stale": true, ' + last[1:])
    async with state.event_lock(key):
        cached = state.cached_event(key)
        if cached is not None:
            return _json(cached)
        articles = [m.article for m in members if m.duplicate_of is None]
        data, conflicts = await state.compute.run("compare_articles", articles)
        return _json(_remember(state, key, row, members, entities, data, conflicts))


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


def _compare_event(state: ApiState, row: EventRow, members: list[StoredArticle], entities: list[tuple[str, str, int]],
                   key: EventKey) -> None:  # fmt: skip
    articles = [m.article for m in members if m.duplicate_of is None]
    data, conflicts = state.compute.run_blocking("compare_articles", articles)
    _remember(state, key, row, members, entities, data, conflicts)


def _remember(state: ApiState, key: EventKey, row: EventRow, members: list[StoredArticle],
              entities: list[tuple[str, str, int]], data: dict[str, Any], conflicts: int) -> bytes:  # fmt: skip
    repeats = [m for m in members if m.duplicate_of is not None]
    row = replace(row, conflicts=conflicts, compared_with=tuple(data["versions"]))
    document = {"ok": True, **event_document(row, data, repeats, entities)}
    rendered = json.dumps(jsonable_encoder(document), ensure_ascii=False).encode()
    state.remember_event(key, rendered)
    return rendered


def _load_event(
    state: ApiState, event_id: str
) -> tuple[EventRow, list[StoredArticle], list[tuple[str, str, int]]]:
    from kabar.workflows import TOP_ENTITIES

    store = state.store()
    row = store.event(event_id)
    if row is None:
        raise NotFound(f"no event {event_id!r}")
    return row, store.articles_of_event(event_id), store.event_entities(event_id, TOP_ENTITIES)
