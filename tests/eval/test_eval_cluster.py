"""The clustering quality gate: ECB+ BCubed and pairwise F1 may not fall below eval/baselines/cluster.json."""

from __future__ import annotations

import json

import pytest
from eval.eval_cluster import BASELINE, TOLERANCE, bcubed, pairwise, run
from training.ecbplus import DEFAULT_DIR, load

from kabar.cluster.engine import ENTITY_WEIGHT, JOIN_THRESHOLD
from kabar.embed import Embedder


def test_eval_cluster_scores() -> None:
    gold = {"a": "x", "b": "x", "c": "y"}
    assert bcubed(gold, {"a": "1", "b": "1", "c": "2"})[2] == 1.0
    p, r, _ = pairwise(gold, {"a": "1", "b": "2", "c": "2"})
    assert p == 0.0 and r == 0.0


@pytest.mark.skipif(not DEFAULT_DIR.is_dir(), reason="../shared/data is not beside the repo")
def test_eval_cluster_holds_the_baseline() -> None:
    pinned = json.loads(BASELINE.read_text(encoding="utf-8"))
    result = run(load(), JOIN_THRESHOLD, ENTITY_WEIGHT, Embedder(disk_cache=False))
    for key, value in pinned.items():
        assert 100 * result[key] >= value - TOLERANCE, (key, 100 * result[key], value)
