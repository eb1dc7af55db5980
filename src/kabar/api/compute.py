"""Compute endpoints: compare articles and relate statements, nothing stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from kabar.api.models import CompareIn, RelateIn

router = APIRouter()


@router.post("/api/compare")
def compare_articles(body: CompareIn) -> dict[str, Any]:
    """Articles about one event compared (as ``kabar compare --format json``); a record that cannot be used is
    listed in ``failures``; none usable answers 400."""
    from kabar.report import comparison_dict
    from kabar.workflows import compare_items, parse_records

    return {"ok": True, **comparison_dict(compare_items(parse_records(body.records()), body.brief_length))}


@router.post("/api/relate")
def relate(body: RelateIn) -> dict[str, Any]:
    from kabar.workflows import relate_pairs, relation_dict

    return {"ok": True, "items": [relation_dict(r) for r in relate_pairs(body.triples())]}
