"""Indonesian morphology: the root-word list (Sastrawi's) and a light affix stripper, and the tests built on
them (is a word ordinary vocabulary, does a word continue a title).
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources

from kabar.lang.resources import stopwords, title_complements


@cache
def root_words() -> frozenset[str]:
    path = resources.files("Sastrawi").joinpath("Stemmer", "data", "kata-dasar.txt")
    return frozenset(path.read_text(encoding="utf-8").split())


_PARTICLES = ("lah", "kah", "pun", "nya", "ku", "mu")
_SUFFIXES = ("kan", "an", "i")
# Prefixes with the root-initial sound they may have replaced ("menulis" = meN + tulis).
_PREFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("memper", ("",)), ("diper", ("",)), ("meng", ("", "k")), ("meny", ("s",)), ("mem", ("", "p")),
    ("men", ("", "t")), ("me", ("",)), ("peng", ("", "k")), ("peny", ("s",)), ("pem", ("", "p")),
    ("pen", ("", "t")), ("per", ("",)), ("pe", ("",)), ("ber", ("",)), ("be", ("",)), ("ter", ("",)),
    ("te", ("",)), ("di", ("",)), ("ke", ("",)), ("se", ("",)),
)  # fmt: skip


def _unsuffixed(word: str) -> list[str]:
    forms = [word]
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 3:
            forms.append(word[: -len(particle)])
    for form in list(forms):
        for suffix in _SUFFIXES:
            if form.endswith(suffix) and len(form) - len(suffix) >= 3:
                forms.append(form[: -len(suffix)])
    return forms


def _unprefixed(word: str) -> list[str]:
    out: list[str] = []
    for prefix, restores in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            rest = word[len(prefix) :]
            out.extend(r + rest for r in restores)
    return out


@lru_cache(maxsize=100_000)
def root_of(word: str) -> str | None:
    """The Indonesian root of a derived word by affix stripping ("pertahanan" -> "tahan"), or None.

    A light approximation of Sastrawi's stemmer (which is 100x slower): it strips particles, suffixes and up to
    two prefixes with their sound changes, and accepts the first form found in the root-word list. Reduplicated
    words ("pejabat-pejabat") reduce to their first half.
    """
    low = word.casefold()
    if "-" in low:
        first, _, second = low.partition("-")
        if first == second or second.startswith(first) or first.startswith(second):
            low = first
        else:
            return None
    roots = root_words()
    if low in roots:
        return low
    for form in _unsuffixed(low):
        if form in roots and form != low:
            return form
        for stripped in _unprefixed(form):
            if stripped in roots:
                return stripped
            for again in _unprefixed(stripped):
                if again in roots:
                    return again
    return None


@lru_cache(maxsize=50_000)
def is_common_word(word: str) -> bool:
    """True when a word is ordinary vocabulary (an Indonesian root or derived word, or English function word)."""
    low = word.casefold()
    if low in stopwords():
        return True
    roots = root_words()
    if low in roots:
        return True
    if not low.isalpha() and "-" not in low:
        return False
    return root_of(low) is not None


@lru_cache(maxsize=50_000)
def completes_title(word: str) -> bool:
    """True for words that continue a title: derived words ("Kesehatan", "Pertahanan") and title complements.

    A bare root word that is also a given name ("Budi", "Agus") does not continue a title.
    """
    low = word.casefold()
    if low in title_complements():
        return True
    if not low.isalpha() or low in root_words():
        return False
    return root_of(low) is not None
