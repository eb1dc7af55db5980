"""``relate``'s two tiers on real statements, and what happens when the accurate one is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kabar.compare import relate
from kabar.e5 import pair
from kabar.errors import ModelError, UsageError
from kabar.workflows import relate_pairs

PAIRS = [
    ("a", "Harga beras naik 5 persen pada Januari.", "Harga beras naik 15 persen pada Januari."),
    ("b", "Banjir merendam 300 rumah di Bekasi pada Sabtu.", "Sebanyak 300 rumah di Bekasi terendam banjir."),
]


def test_relate_fast_tier_names_its_model_and_the_kind() -> None:
    found = relate_pairs(PAIRS, tier="fast")
    assert [r.id for r in found] == ["a", "b"]
    assert found[0].relation == "conflict" and found[0].kind == "number"
    assert found[1].relation != "conflict" and found[1].kind is None
    assert {r.model for r in found} == {relate.NAME}


@pytest.mark.skipif(not pair.model_available(), reason="the relation model is not installed")
def test_relate_accurate_tier_is_the_default_and_names_the_kind() -> None:
    found = relate_pairs(PAIRS)
    assert {r.model for r in found} == {pair.NAME}
    assert found[0].relation == "conflict" and found[0].kind == "number"
    assert found[1].relation == "agree" and found[1].kind is None
    assert all(0 < r.score <= 1 for r in found)


def test_relate_accurate_tier_without_its_model_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(pair, "default_model_path", lambda: tmp_path / "missing.onnx")
    with pytest.raises(ModelError, match="relation model is not installed"):
        relate_pairs(PAIRS, tier="accurate")
    assert {r.model for r in relate_pairs(PAIRS)} == {relate.NAME}  # auto falls back to the fast tier


def test_relate_unknown_tier_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown relation tier"):
        relate_pairs(PAIRS, tier="bert")
