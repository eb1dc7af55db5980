"""The packaged Indonesian named-entity model: a linear-chain CRF (python-crfsuite) over rich token features.

Features, shared by training (``training/train_ner.py``) and tagging: the word and its affixes, its shape,
case (left out for sentences written all in lower case, so one model serves cased and lower-cased text),
membership of the gazetteer (longest match, as B-/I- with its type), of title, head and cue word lists and of
Sastrawi's root-word list, and the same for two words either side.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from kabar.errors import ModelError
from kabar.extract.clusters import cluster_ids
from kabar.lang import fold, gazetteer, gazetteer_max_len, root_words, word_lists

NAME = "entities.crf.v1"
MODEL_FILE = "ner-crf.crfsuite"
LABELS = ("PER", "ORG", "LOC", "EVT", "FNB")

# Dataset labels mapped to Kabar's types.
LABEL_MAP = {
    "PER": "PER", "PERSON": "PER", "PPL": "PER",
    "ORG": "ORG", "ORGANISATION": "ORG", "ORGANIZATION": "ORG", "IND": "ORG",
    "LOC": "LOC", "PLACE": "LOC", "PLC": "LOC", "GPE": "LOC",
    "EVT": "EVT", "EVENT": "EVT", "FNB": "FNB",
}  # fmt: skip

_SHAPE_MAP = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "XXXXXXXXXXXXXXXXXXXXXXXXXXxxxxxxxxxxxxxxxxxxxxxxxxxxdddddddddd",
)
_REPEATS = re.compile(r"(.)\1+")
_OFFSETS = (-2, -1, 1, 2)


def map_tag(tag: str) -> str:
    """Map a dataset's IOB2 tag to Kabar's types ("B-PERSON" -> "B-PER"); unknown types become O."""
    if tag == "O" or "-" not in tag:
        return "O"
    prefix, _, label = tag.partition("-")
    mapped = LABEL_MAP.get(label.upper())
    return f"{prefix}-{mapped}" if mapped and prefix in {"B", "I"} else "O"


@lru_cache(maxsize=200_000)
def _word_features(word: str, cased: bool) -> tuple[tuple[str, ...], dict[int, tuple[str, ...]]]:
    """(features of the word itself, the smaller set used when it is a neighbour, by offset)."""
    low = fold(word)
    shape = word.translate(_SHAPE_MAP) if cased else low.translate(_SHAPE_MAP)
    short = _REPEATS.sub(r"\1", shape)
    lists = word_lists()
    own = [
        f"w={low}",
        f"p2={low[:2]}",
        f"p3={low[:3]}",
        f"s2={low[-2:]}",
        f"s3={low[-3:]}",
        f"s4={low[-4:]}",
        f"sh={short}",
        f"len={min(len(word), 12)}",
    ]
    ctx = [f"w={low}", f"sh={short}"]
    if len(shape) <= 6:
        own.append(f"shape={shape}")
    if cased:
        if word[:1].isupper():
            own.append("title")
            ctx.append("title")
        if word.isupper() and len(word) > 1:
            own.append("upper")
            ctx.append("upper")
    else:
        own.append("nocase")
    if any(c.isdigit() for c in word):
        own.append("digit")
    if "-" in word:
        own.append("hyphen")
    if low in root_words():
        own.append("root")
        ctx.append("root")
    clusters = cluster_ids(low)
    if clusters:
        own.extend(f"c{k}={c}" for k, c in enumerate(clusters))
        ctx.append(f"c0={clusters[0]}")
    for name in (
        "title",
        "org_head",
        "loc_head",
        "person_cue",
        "org_cue",
        "loc_cue",
        "org_suffix",
        "loc_suffix",
    ):
        if low in lists[name]:
            own.append(f"list={name}")
            ctx.append(f"list={name}")
    return tuple(own), {off: tuple(f"{off}:{f}" for f in ctx) for off in _OFFSETS}


def _gazetteer_tags(words: Sequence[str]) -> list[str | None]:
    gaz = gazetteer()
    tags: list[str | None] = [None] * len(words)
    folded = [fold(w) for w in words]
    i = 0
    max_len = gazetteer_max_len()
    while i < len(words):
        for n in range(min(max_len, len(words) - i), 0, -1):
            entry = gaz.get(tuple(folded[i : i + n]))
            if entry is not None and (
                entry.exact is None or "".join(words[i : i + n]) == entry.exact.replace(" ", "")
            ):
                tags[i] = f"B-{entry.type}"
                for k in range(i + 1, i + n):
                    tags[k] = f"I-{entry.type}"
                i += n - 1
                break
        i += 1
    return tags


def sentence_features(words: Sequence[str]) -> list[list[str]]:
    """CRF features for each word of one sentence."""
    cased = any(c.isupper() for w in words for c in w)
    pairs = [_word_features(w, cased) for w in words]
    gaz = _gazetteer_tags(words)
    n = len(words)
    out: list[list[str]] = []
    for i in range(n):
        feats = ["bias", *pairs[i][0]]
        if gaz[i]:
            feats.append(f"gaz={gaz[i]}")
        if i == 0:
            feats.append("BOS")
        if i == n - 1:
            feats.append("EOS")
        for off in _OFFSETS:
            j = i + off
            if 0 <= j < n:
                feats.extend(pairs[j][1][off])
                if gaz[j]:
                    feats.append(f"{off}:gaz={gaz[j]}")
            elif abs(off) == 1:
                feats.append(f"{off}:{'BOS' if off < 0 else 'EOS'}")
        if i > 0:
            feats.append(f"bi={fold(words[i - 1])}|{fold(words[i])}")
        out.append(feats)
    return out


@dataclass(frozen=True, slots=True)
class TaggedSpan:
    start: int
    """Index of the first word."""
    end: int
    """Index after the last word."""
    type: str


def spans_from_tags(tags: Sequence[str]) -> list[TaggedSpan]:
    """Entity spans of an IOB2 sequence, conlleval style (an I- after O or another type starts an entity)."""
    spans: list[TaggedSpan] = []
    start, current = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        continues = prefix == "I" and label == current
        if current and not continues:
            spans.append(TaggedSpan(start, i, current))
            current = ""
        if prefix in {"B", "I"} and not continues:
            start, current = i, label
    return spans


def default_model_path() -> Path:
    return Path(str(resources.files("kabar").joinpath("models", MODEL_FILE)))


def model_available(path: Path | None = None) -> bool:
    return (path or default_model_path()).is_file()


@cache
def _tagger(path: str) -> Any:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(path)
    except (OSError, ValueError) as err:
        raise ModelError(f"cannot open the NER model at {path}: {err}") from err
    return tagger


def tag_words(words: Sequence[str], path: Path | None = None) -> list[str]:
    """IOB2 tags for one sentence of words."""
    if not words:
        return []
    model = path or default_model_path()
    if not model.is_file():
        raise ModelError(
            f"the NER model is missing at {model}; rebuild it with: python training/train_ner.py"
        )
    return list(_tagger(str(model)).tag(sentence_features(words)))


def tag_sentences(sentences: Sequence[Sequence[str]], path: Path | None = None) -> Iterator[list[str]]:
    for words in sentences:
        yield tag_words(words, path)
