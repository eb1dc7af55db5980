"""Read endpoints: health, events (listed and one compared). Search is in ``explore``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from kabar import __version__
from kabar.api.state import State
from kabar.errors import NotFound
from kabar.report import event_dict, event_row_dict

router = APIRouter()


@router.get("/api/health")
def health(state: State) -> dict[str, Any]:
    return {"ok": True, "version": __version__, "counts": state.store().counts()}


@router.get("/api/events")
def list_events(
    state: State,
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0),
    sort: str = Query("newest", pattern="^(newest|sources|articles|conflicts)$"),
) -> dict[str, Any]:
    rows = state.store().events(limit + 1, offset, sort)
    items = [event_row_dict(r) for r in rows[:limit]]
    next_offset = offset + limit if len(rows) > limit else None
    return {"ok": True, "items": items, "limit": limit, "offset": offset, "next_offset": next_offset}


@router.get("/api/events/{event_id}")
def get_event(state: State, event_id: str) -> dict[str, Any]:
    """One event compared: the document ``kabar event ID --format json`` writes, with ``"ok": true``."""
    from kabar.workflows import compare_event

    store = state.store()
    row = store.event(event_id)
    if row is None:
        raise NotFound(f"no event {event_id!r}")
    return state.cached_event(
        (row.id, row.updated_at, row.articles),
        lambda: {"ok": True, **event_dict(compare_event(store, event_id))},
    )
