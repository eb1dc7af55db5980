"""Language identification per article: CLD3, then Indonesian against Malay by the words each uses.

CLD3 tells Indonesian from Malay poorly on news: it labels about one Indonesian article in nine, and one
Indonesian paragraph in four, as Malay. When CLD3 answers Indonesian or Malay, the choice between the two is
made again from marker words that one of the standards uses and the other does not ("karena" / "kerana",
"uang" / "wang", "polisi" / "polis", "Senin" / "Isnin", "persen" / "peratus", "WIB", "Rp" / "RM"; the lists are
in ``data/language-markers.tsv``). With no marker, or as many of each, the answer is Indonesian: Kabar reads
Indonesian news first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from kabar.lang import SPELLED_WORD
from kabar.lang.resources import data_lines

NAME = "language.v2"

# CLD3 is unreliable on very short text; below this many characters we say "und" unless it is confident.
_MIN_CHARS = 40
_MIN_PROBABILITY = 0.5
# Characters read for marker words: enough for any news article's evidence, bounded for long pages.
_MARKER_CHARS = 20_000
# Marker points that outweigh an unsure CLD3 answer: two marker words of weight 2 ("persen", "WIB"). Lists of
# names and scores, which CLD3 also hesitates on, hold none.
_STRONG_MARKERS = 4
# Languages of Indonesia CLD3 knows, which it answers for Indonesian paragraphs it is unsure of.
_NEIGHBOURS = frozenset({"jv", "su"})
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s*[\"“'(]?|\n\s*[\"“'(]?)$")
_SUFFIX = re.compile(r"(?<=\w{3})(nya|lah)$")
_CURRENCY = re.compile(r"\b(Rp|RM)\s?\d")


@lru_cache(maxsize=1)
def _identifier() -> Any:
    import gcld3

    return gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=4000)


def detect_language(text: str) -> str:
    """Return an ISO 639-1 code ("id", "ms", "en", ...) or "und" when the text is too short or unclear."""
    sample = text[:4000]
    if len(sample.strip()) < 3:
        return "und"
    result = _identifier().FindLanguage(text=sample)
    language = str(result.language)
    if language in {"id", "ms"} and result.probability >= _MIN_PROBABILITY:
        return indonesian_or_malay(text)
    unsure = result.probability < _MIN_PROBABILITY or language in _NEIGHBOURS
    if unsure and not result.is_reliable and language != "en":
        # A short paragraph, a list of names, CLD3 hesitating towards Javanese or Sundanese: marker words decide
        # when they are many. (English news about Indonesia also writes "Rp" and "WIB": never overridden.)
        indonesian, malay = marker_scores(text)
        if max(indonesian, malay) >= _STRONG_MARKERS:
            return "ms" if malay > indonesian else "id"
    if result.probability < _MIN_PROBABILITY or (len(sample) < _MIN_CHARS and not result.is_reliable):
        return "und"
    return language


def indonesian_or_malay(text: str) -> str:
    """Return "ms" when the text holds more Malay than Indonesian marker words, else "id"."""
    indonesian, malay = marker_scores(text)
    return "ms" if malay > indonesian else "id"


def marker_scores(text: str) -> tuple[int, int]:
    """The weighted count of Indonesian and of Malay marker words in (the start of) ``text``."""
    markers = _markers()
    indonesian = malay = 0
    sample = text[:_MARKER_CHARS]
    for match in SPELLED_WORD.finditer(sample):
        word = match.group(0)
        weights = markers.cased.get(word)
        if weights is None:
            start = match.start()
            if not word.islower() and not _SENTENCE_START.search(sample, max(0, start - 4), start):
                continue  # a capitalised word inside a sentence is a name: "Wang Yilyu", "Harry Warganegara"
            weights = markers.lower.get(_SUFFIX.sub("", word.lower()), (0, 0))
        indonesian += weights[0]
        malay += weights[1]
    for code in _CURRENCY.findall(sample):  # "Rp 5.000", "RM300"; a bare "RM" may be a name
        indonesian, malay = (indonesian + 2, malay) if code == "Rp" else (indonesian, malay + 2)
    return indonesian, malay


@dataclass(frozen=True, slots=True)
class _Markers:
    lower: dict[str, tuple[int, int]]
    """Lower-case marker words: (Indonesian weight, Malay weight)."""
    cased: dict[str, tuple[int, int]]
    """Capitalised marker words and acronyms, matched as written."""


@cache
def _markers() -> _Markers:
    lower: dict[str, tuple[int, int]] = {}
    cased: dict[str, tuple[int, int]] = {}
    for language, weight, word in data_lines("language-markers.tsv"):
        table = lower if word.islower() else cased
        indonesian, malay = table.get(word, (0, 0))
        table[word] = (int(weight), malay) if language == "id" else (indonesian, int(weight))
    return _Markers(lower, cased)
