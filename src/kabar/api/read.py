"""Read endpoints: health, events (listed and one compared). Search is in ``explore``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import anyio
from fastapi import APIRouter, Query

from kabar import __version__
from kabar.api.state import ApiState, State
from kabar.errors import NotFound
from kabar.records import EventRow, StoredArticle
from kabar.report import event_document, event_row_dict
from kabar.versions import annotate_versions, compare_versions

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
async def get_event(state: State, event_id: str) -> dict[str, Any]:
    """One event compared: the document ``kabar event ID --format json`` writes, with ``"ok": true``. The
    comparison runs in a compute worker and nothing is written (the conflict count in ``event`` is the one just
    found; the stored one is refreshed when the event gains articles)."""
    row, members, entities = await anyio.to_thread.run_sync(_load_event, state, event_id)
    key = (row.id, row.updated_at, row.articles)
    cached = state.cached_event(key)
    if cached is not None:
        return cached
    articles = [m.article for m in members if m.duplicate_of is None]
    data, conflicts = await state.compute.run("compare_articles", articles)
    repeats = [m for m in members if m.duplicate_of is not None]
    row = replace(row, conflicts=conflicts, compared_with=tuple(annotate_versions() + compare_versions()))
    document = {"ok": True, **event_document(row, data, repeats, entities)}
    state.remember_event(key, document)
    return document


def _load_event(
    state: ApiState, event_id: str
) -> tuple[EventRow, list[StoredArticle], list[tuple[str, str, int]]]:
    from kabar.workflows import TOP_ENTITIES

    store = state.store()
    row = store.event(event_id)
    if row is None:
        raise NotFound(f"no event {event_id!r}")
    return row, store.articles_of_event(event_id), store.event_entities(event_id, TOP_ENTITIES)
