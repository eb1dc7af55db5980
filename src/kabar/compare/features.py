"""What two statements have in common and where they differ: content words, entities, numbers, negation and
stance cues. Used both to align statements across articles and to relate a premise and a hypothesis.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kabar.lang import WORD, fold, root_of, stopwords

NEGATIONS = frozenset({"tidak", "tak", "bukan", "belum", "tanpa", "jangan", "enggan", "not", "no", "never",
                       "without", "gagal", "menolak"})  # fmt: skip
DENIAL = frozenset(
    {"membantah", "menyangkal", "menampik", "denied", "denies", "deny", "rejected", "dibantah"}
)
ADMISSION = frozenset({"mengakui", "membenarkan", "mengonfirmasi", "admitted", "admits", "confirmed", "confirms",
                       "diakui", "dibenarkan"})  # fmt: skip
ANTONYMS = (
    ("naik", "turun"), ("meningkat", "menurun"), ("menang", "kalah"), ("hidup", "mati"), ("tewas", "selamat"),
    ("setuju", "menolak"), ("besar", "kecil"), ("lama", "baru"), ("awal", "akhir"), ("pertama", "terakhir"),
    ("bertambah", "berkurang"), ("mendukung", "menentang"), ("increase", "decrease"), ("rose", "fell"),
    ("won", "lost"), ("up", "down"), ("membuka", "menutup"), ("dibuka", "ditutup"), ("lebih", "kurang"),
)  # fmt: skip
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True, slots=True)
class Profile:
    """The comparable content of one statement."""

    words: frozenset[str]
    """Content words, reduced to their roots."""
    raw_words: tuple[str, ...]
    entities: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    negated: bool = False
    denial: bool = False
    admission: bool = False
    capitals: frozenset[str] = field(default_factory=frozenset)


def content_word(word: str) -> str:
    """A word's comparable form: its root; denial and admission verbs share one form, so that statements
    taking opposite stances on the same thing still align (and then conflict)."""
    low = fold(word)
    if low in DENIAL or low in ADMISSION:
        return "~stance"
    root = root_of(low) if low.isalpha() else None
    return root or low


def profile(text: str, entities: frozenset[str] = frozenset()) -> Profile:
    found = WORD.findall(text)
    stop = stopwords()
    raw = tuple(fold(w) for w in found)
    # Names are compared as entities; content words are the rest (the first word of a sentence counts too).
    numbers = frozenset(_number_key(n) for n in _NUMBER.findall(text))
    words = frozenset(
        content_word(f)
        for k, (w, f) in enumerate(zip(found, raw, strict=True))
        if f not in stop and not f.isdigit() and (k == 0 or not w[:1].isupper())
    ) | {f"#{n}" for n in numbers}  # numbers are shared content in any language
    capitals = frozenset(fold(w) for w in WORD.findall(text)[1:] if w[:1].isupper())
    return Profile(
        words=words,
        raw_words=raw,
        entities=entities,
        numbers=numbers,
        negated=any(w in NEGATIONS for w in raw),
        denial=any(w in DENIAL for w in raw),
        admission=any(w in ADMISSION for w in raw),
        capitals=capitals,
    )


def _number_key(raw: str) -> str:
    """ "5,6" and "5.6" -> "5.6"; "2.000" -> "2000" (Indonesian thousands); "13.21" stays."""
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    elif raw.count(".") == 1 and len(raw.split(".")[1]) == 3:
        raw = raw.replace(".", "")
    return raw


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def coverage(part: frozenset[str], whole: frozenset[str]) -> float:
    """Share of ``part`` found in ``whole`` (1.0 for an empty part)."""
    return len(part & whole) / len(part) if part else 1.0


def antonym_clash(a: Profile, b: Profile) -> bool:
    wa, wb = set(a.raw_words), set(b.raw_words)
    return any(
        (x in wa and y in wb and y not in wa) or (y in wa and x in wb and x not in wa) for x, y in ANTONYMS
    )


def align_features(cos: float, a: Profile, b: Profile) -> list[float]:
    """Features of the same-fact model: [cosine, content-word overlap, linked-entity overlap]."""
    return [cos, jaccard(a.words, b.words), jaccard(a.entities, b.entities)]


def relate_features(cos: float, premise: Profile, hypothesis: Profile) -> list[float]:
    """Features of the premise/hypothesis relation model."""
    return [
        cos,
        coverage(hypothesis.words, premise.words),
        coverage(premise.words, hypothesis.words),
        float(hypothesis.negated != premise.negated),
        float(hypothesis.negated and not premise.negated),
        float(bool(hypothesis.numbers - premise.numbers)),
        float(bool(hypothesis.numbers & premise.numbers)),
        1.0 - coverage(hypothesis.capitals, premise.capitals),
        float(antonym_clash(premise, hypothesis)),
        float((premise.denial and hypothesis.admission) or (premise.admission and hypothesis.denial)),
        min(len(hypothesis.raw_words) / max(1, len(premise.raw_words)), 2.0),
    ]
