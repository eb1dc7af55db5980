"""Compute endpoints: compare articles and relate statements, nothing stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from kabar.api.models import CompareIn, RelateIn
from kabar.api.state import State
from kabar.errors import ApiError

router = APIRouter()


MAX_COMPARE_CHARS = 300_000
"""Characters of article text one compare request may carry (about 60 long articles; 413 beyond): comparing 300k
characters of ordinary news takes about 30-40 s on one core, within the 60 s a request may take at most."""
MAX_RELATE_CHARS = 200_000
"""Characters of premises and hypotheses one relate request may carry (413 beyond)."""


@router.post("/api/compare")
async def compare_articles(state: State, body: CompareIn) -> dict[str, Any]:
    """Articles about one event compared (as ``kabar compare --format json``); a record that cannot be used is
    listed in ``failures``; none usable answers 400. Runs in a compute worker by a deadline set from the size of
    the text (503 with Retry-After when no worker is free at once, or when the deadline passes)."""
    size = sum(len(a.text) + len(a.title or "") for a in body.articles)
    if size > MAX_COMPARE_CHARS:
        raise ApiError(
            413, f"{size:,} characters to compare, over the limit of {MAX_COMPARE_CHARS:,} per request"
        )
    return {"ok": True, **await state.compute.run("compare", body.records(), body.brief_length, chars=size)}


@router.post("/api/relate")
async def relate(state: State, body: RelateIn) -> dict[str, Any]:
    size = sum(len(p.premise) + len(p.hypothesis) for p in body.pairs)
    if size > MAX_RELATE_CHARS:
        raise ApiError(
            413, f"{size:,} characters to relate, over the limit of {MAX_RELATE_CHARS:,} per request"
        )
    return {"ok": True, "items": await state.compute.run("relate", body.triples(), chars=size)}
