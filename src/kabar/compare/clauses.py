"""Clauses of a sentence that may carry facts of their own.

News sentences often join two facts: "The meeting came hours after the North fired two missiles". Kabar aligns
whole sentences first, then splits a matched sentence at its clause boundaries to find a clause its partner does
not state (see ``align.refine_clauses``). A boundary is a subordinating or contrasting conjunction inside the
sentence (never at its start, never inside a quotation) with at least ``MIN_CLAUSE_WORDS`` words on each side.
"""

from __future__ import annotations

import itertools
import re

from kabar.lang import WORD, root_of

NAME = "clauses.v1"
MIN_CLAUSE_WORDS = 4

# Conjunctions that open a clause stating an event of its own (time, cause, contrast, concession), Indonesian
# and English. Coordinating "dan"/"and" is left out: it joins noun phrases far more often than clauses.
_CONNECTIVES = """
    setelah sesudah sebelum sejak seusai usai ketika sementara sedangkan padahal meskipun walaupun walau kendati
    karena lantaran sehingga namun tetapi tapi melainkan
    after before since while whereas although though because but
"""
CONNECTIVES = frozenset(_CONNECTIVES.split())
# Words that make a predicate without a verbal affix: auxiliaries and frequent bare verbs.
_PREDICATE_WORDS = frozenset(
    [
        "telah",
        "sudah",
        "akan",
        "sedang",
        "belum",
        "masih",
        "pernah",
        "harus",
        "bisa",
        "dapat",
        "ingin",
        "mau",
        "datang",
        "tiba",
        "pergi",
        "pulang",
        "masuk",
        "keluar",
        "naik",
        "turun",
        "jatuh",
        "tewas",
        "hilang",
        "lahir",
        "tinggal",
        "kembali",
        "bilang",
        "is",
        "was",
        "were",
        "are",
        "has",
        "had",
        "have",
        "will",
        "would",
        "could",
        "can",
        "did",
        "does",
        "said",
        "says",
        "told",
    ]
)
# Affixed words that work as prepositions or conjunctions, not predicates.
_NOT_PREDICATES = frozenset(
    [
        "menurut",
        "mengenai",
        "menuju",
        "melalui",
        "menjelang",
        "terhadap",
        "terkait",
        "termasuk",
        "bersama",
        "berdasarkan",
        "beserta",
    ]
)
_VERB_PREFIXES = ("me", "di", "ber", "ter", "be", "te")
# How far into a clause its predicate must appear.
PREDICATE_WINDOW = 8
_QUOTES = {"“": "”", '"': '"', "‘": "’", "«": "»"}


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the clauses of ``text``; one span (the whole text, stripped) when it has no boundary."""
    words = list(WORD.finditer(text))
    inside = _quoted(text)
    cuts: list[int] = []
    for k, word in enumerate(words):
        if k < MIN_CLAUSE_WORDS or len(words) - k < MIN_CLAUSE_WORDS:
            continue
        if word.group().lower() not in CONNECTIVES or inside[word.start()]:
            continue
        if cuts and _count(words, cuts[-1], word.start()) < MIN_CLAUSE_WORDS:
            continue
        if not _has_predicate([w.group() for w in words[k + 1 : k + 1 + PREDICATE_WINDOW]]):
            continue  # "sejak awal 2022", "setelah tur itu": a prepositional phrase, not a clause
        cuts.append(word.start())
    bounds = [0, *cuts, len(text)]
    spans = []
    for start, end in itertools.pairwise(bounds):
        piece = text[start:end]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip(" ,;:—–-"))
        if right > left:
            spans.append((start + left, start + right))
    return spans


def _has_predicate(words: list[str]) -> bool:
    """Whether a verb or an auxiliary comes before the next connective."""
    for word in words:
        low = word.casefold()
        if low in CONNECTIVES:
            return False
        if low in _PREDICATE_WORDS or (low.endswith("ed") and word.islower() and len(low) > 4):
            return True
        if word.islower() and low.startswith(_VERB_PREFIXES) and len(low) > 4 and low not in _NOT_PREDICATES:
            root = root_of(low)
            if root is not None and root != low:
                return True
    return False


def _count(words: list[re.Match[str]], start: int, end: int) -> int:
    return sum(1 for w in words if start <= w.start() < end)


def _quoted(text: str) -> list[bool]:
    """For each character, whether it lies inside a quotation."""
    flags = [False] * (len(text) + 1)
    closer = ""
    for k, char in enumerate(text):
        if closer:
            flags[k] = True
            if char == closer:
                closer = ""
        elif char in _QUOTES:
            closer = _QUOTES[char]
            flags[k] = True
    return flags
