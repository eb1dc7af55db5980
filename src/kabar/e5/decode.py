"""Word-level IOB2 decoding of the token classifier's scores: a Viterbi pass that forbids I-X after anything
but B-X or I-X, over the scores of each word's first piece."""

from __future__ import annotations

import numpy as np

from kabar.extract.crf import LABELS

TAGS = ("O", *(f"{p}-{t}" for t in LABELS for p in ("B", "I")))


def _allowed() -> np.ndarray:
    n = len(TAGS)
    ok = np.ones((n, n), dtype=bool)  # ok[prev, cur]
    for j, tag in enumerate(TAGS):
        if tag.startswith("I-"):
            label = tag[2:]
            ok[:, j] = [t in {f"B-{label}", f"I-{label}"} for t in TAGS]
    return ok


_TRANSITION = np.where(_allowed(), 0.0, -1e4).astype(np.float32)
_START = np.array([-1e4 if t.startswith("I-") else 0.0 for t in TAGS], dtype=np.float32)


def log_softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=-1, keepdims=True)
    out: np.ndarray = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    return out


def viterbi(word_scores: np.ndarray) -> list[str]:
    """(words, tags) log-probabilities -> the best valid IOB2 sequence."""
    n = len(word_scores)
    if n == 0:
        return []
    best = word_scores[0] + _START
    back = np.zeros((n, len(TAGS)), dtype=np.int64)
    for i in range(1, n):
        cand = best[:, None] + _TRANSITION
        back[i] = cand.argmax(axis=0)
        best = cand.max(axis=0) + word_scores[i]
    path = [int(best.argmax())]
    for i in range(n - 1, 0, -1):
        path.append(int(back[i, path[-1]]))
    return [TAGS[j] for j in reversed(path)]


def word_tags(logits: np.ndarray, word_ids: list[int | None], n_words: int) -> list[str]:
    """Tags of ``n_words`` words from one sequence's (pieces, tags) logits; words cut off by the length
    limit are tagged O."""
    first: dict[int, int] = {}
    for pos, w in enumerate(word_ids):
        if w is not None and w not in first:
            first[w] = pos
    covered = sorted(first)
    if not covered:
        return ["O"] * n_words
    scores = log_softmax(logits[[first[w] for w in covered]].astype(np.float32))
    tags = ["O"] * n_words
    for w, tag in zip(covered, viterbi(scores), strict=True):
        tags[w] = tag
    return tags
