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
from kabar.report import event_document, event_row_dict
from kabar.workflows import StoredEvent, load_event

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
    event = await anyio.to_thread.run_sync(lambda: load_event(state.store(), event_id))  # its thread's store
    key = (
        event.row.id,
        event.row.updated_at,
        len(event.members),
    )  # a new member (a repeat too) makes a new key
    cached = state.cached_event(key)
    if cached is not None:
        return _json(cached)
    last = state.latest_event(event.row.id)
    if last is not None:
        state.in_background(key, lambda: _compare_event(state, event, key))
        return _json(b'{"stale": true, ' + last[1:])
    async with state.event_lock(key):
        cached = state.cached_event(key)
        if cached is not None:
            return _json(cached)
        data, conflicts = await state.compute.run("compare_articles", event.articles, chars=_size(event))
        return _json(_remember(state, key, event, data, conflicts))


def _json(body: bytes) -> Response:
    return Response(body, media_type="application/json")


def _compare_event(state: ApiState, event: StoredEvent, key: EventKey) -> None:
    data, conflicts = state.compute.run_blocking("compare_articles", event.articles, chars=_size(event))
    _remember(state, key, event, data, conflicts)


def _size(event: StoredEvent) -> int:
    """Characters of text compared for the event (what sets the comparison's deadline)."""
    return sum(len(a.text) + len(a.title or "") for a in event.articles)


def _remember(
    state: ApiState, key: EventKey, event: StoredEvent, data: dict[str, Any], conflicts: int
) -> bytes:
    """The event's document from its comparison (as ``kabar.report.event_dict`` makes it), kept rendered."""
    row = replace(event.row, conflicts=conflicts, compared_with=tuple(data["versions"]))
    document = {"ok": True, **event_document(row, data, event.repeats, event.top_entities)}
    rendered = json.dumps(jsonable_encoder(document), ensure_ascii=False).encode()
    state.remember_event(key, rendered)
    return rendered
