"""Packaged word knowledge: the tokenizer, the gazetteer of known entities and aliases, role and head words,
and the Indonesian common-word test (Sastrawi's root-word list and stemmer).
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|\S")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int


def tokenize(text: str, offset: int = 0) -> list[Token]:
    """Split text into word and punctuation tokens with absolute character offsets."""
    return list(_tokenize(text, offset))


@lru_cache(maxsize=4096)
def _tokenize(text: str, offset: int) -> tuple[Token, ...]:
    # Several stages tokenize the same sentence; tokens are immutable, so they are shared.
    return tuple(Token(m.group(0), m.start() + offset, m.end() + offset) for m in TOKEN.finditer(text))


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """The comparison key of a name: case-folded, apostrophes and hyphen variants unified."""
    return text.casefold().replace("’", "'").replace("‐", "-").replace("–", "-")


@lru_cache(maxsize=200_000)
def name_key(name: str) -> tuple[str, ...]:
    return tuple(fold(t.text) for t in tokenize(name))


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    group: str
    """The canonical name of the alias group this name belongs to."""
    type: str
    exact: str | None
    """For all-capital acronyms, the exact spelling that must match (so "AS" is not "As")."""


def _data_lines(name: str) -> Iterator[list[str]]:
    text = resources.files("kabar").joinpath("data", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


@cache
def word_lists() -> dict[str, frozenset[str]]:
    """Role, head and cue word lists from ``data/words.tsv``, by list name (phrases as folded strings)."""
    lists: dict[str, frozenset[str]] = {}
    for row in _data_lines("words.tsv"):
        lists[row[0]] = frozenset(" ".join(name_key(w)) for w in row[1].split("|") if w)
    return lists


@cache
def gazetteer() -> dict[tuple[str, ...], GazetteerEntry]:
    """Known names (folded token tuples) with their alias group and type.

    Built from ``data/aliases.tsv`` and completed with pycountry's country names in English and Indonesian.
    """
    entries: dict[tuple[str, ...], GazetteerEntry] = {}

    def add(name: str, group: str, type_: str) -> None:
        key = name_key(name)
        if not key or key in entries:
            return
        exact = name if name.replace(".", "").isupper() and len(name) <= 6 else None
        entries[key] = GazetteerEntry(group=group, type=type_, exact=exact)

    for row in _data_lines("aliases.tsv"):
        canonical, type_ = row[0], row[1]
        add(canonical, canonical, type_)
        for alias in row[2].split("|") if len(row) > 2 else []:
            add(alias, canonical, type_)
    for country_names in _country_names():
        group = next((entries[name_key(n)].group for n in country_names if name_key(n) in entries), None)
        group = group or country_names[0]
        for name in country_names:
            add(name, group, "LOC")
    return entries


def _country_names() -> Iterator[list[str]]:
    import pycountry

    try:
        translate: Callable[[str], str] = gettext.translation(
            "iso3166-1", pycountry.LOCALES_DIR, languages=["id"]
        ).gettext
    except OSError:  # translations missing: English names only
        translate = str
    for country in pycountry.countries:
        names = [translate(country.name)]
        for attr in ("common_name", "name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                names.append(value)
        names = [n for n in names if "," not in n]
        if names:
            yield list(dict.fromkeys(names))


@cache
def gazetteer_max_len() -> int:
    return max(len(k) for k in gazetteer())


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


_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "but",
        "and",
        "or",
        "if",
        "as",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "their",
        "our",
        "my",
        "its",
        "for",
        "with",
        "after",
        "before",
        "when",
        "while",
        "there",
        "here",
        "what",
        "which",
        "who",
        "how",
        "why",
        "where",
        "some",
        "many",
        "most",
        "more",
        "other",
        "such",
        "no",
        "not",
        "all",
        "any",
        "each",
        "both",
        "during",
        "since",
        "until",
        "from",
        "by",
        "about",
        "over",
        "under",
        "into",
        "new",
        "old",
        "first",
        "last",
        "next",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "said",
        "says",
        "according",
        "however",
        "meanwhile",
        "also",
        "still",
        "just",
        "only",
        "then",
        "than",
        "so",
        "because",
        "although",
        "di",
        "ke",
        "dari",
        "pada",
        "yang",
        "dan",
        "atau",
        "tetapi",
        "tapi",
        "namun",
        "ia",
        "dia",
        "mereka",
        "kami",
        "kita",
        "saya",
        "ini",
        "itu",
        "untuk",
        "dengan",
        "oleh",
        "dalam",
        "akan",
        "telah",
        "sudah",
        "belum",
        "tidak",
        "bukan",
        "juga",
        "pun",
        "lalu",
        "kemudian",
        "sementara",
        "sedangkan",
        "bagi",
        "para",
        "sang",
        "si",
        "kepada",
        "terhadap",
        "antara",
        "seperti",
        "karena",
        "sebab",
        "jika",
        "kalau",
        "bila",
        "ketika",
        "saat",
        "sejak",
        "hingga",
        "sampai",
        "agar",
        "supaya",
        "meski",
        "meskipun",
        "walaupun",
        "setelah",
        "sebelum",
        "selama",
        "tentang",
        "bahwa",
        "adalah",
        "ialah",
        "yakni",
        "yaitu",
        "serta",
        "baik",
        "maupun",
        "hanya",
        "masih",
        "sangat",
        "lebih",
        "paling",
        "ada",
        "apa",
        "siapa",
        "mana",
        "bagaimana",
        "mengapa",
        "kenapa",
        "namun",
        "sehingga",
        "tersebut",
        "beberapa",
        "banyak",
        "semua",
        "setiap",
        "tiap",
        "sebuah",
        "seorang",
        "sejumlah",
    ]
)


@lru_cache(maxsize=50_000)
def is_common_word(word: str) -> bool:
    """True when a word is ordinary vocabulary (an Indonesian root or derived word, or English function word)."""
    low = word.casefold()
    if low in _FUNCTION_WORDS:
        return True
    roots = root_words()
    if low in roots:
        return True
    if not low.isalpha() and "-" not in low:
        return False
    return root_of(low) is not None


# Root words that complete a title ("Menteri Luar Negeri", "Jaksa Agung") rather than start a name.
TITLE_COMPLEMENTS = frozenset(
    [
        "luar",
        "negeri",
        "dalam",
        "jenderal",
        "umum",
        "utama",
        "besar",
        "agung",
        "muda",
        "madya",
        "pertama",
        "negara",
        "agama",
        "sosial",
        "hukum",
        "politik",
        "ekonomi",
        "militer",
        "pertanian",
        "perhubungan",
        "perdagangan",
        "perindustrian",
        "pariwisata",
        "koordinator",
        "bidang",
        "bersenjata",
        "darat",
        "laut",
        "udara",
        "staf",
        "gabungan",
        "tinggi",
        "negeri",
        "kota",
        "provinsi",
        "daerah",
        "pusat",
        "nasional",
        "internasional",
        "senior",
        "eksekutif",
        "operasional",
        "luar",
        "biasa",
        "berkuasa",
        "penuh",
    ]
)


@lru_cache(maxsize=50_000)
def completes_title(word: str) -> bool:
    """True for words that continue a title: derived words ("Kesehatan", "Pertahanan") and title complements.

    A bare root word that is also a given name ("Budi", "Agus") does not continue a title.
    """
    low = word.casefold()
    if low in TITLE_COMPLEMENTS:
        return True
    if not low.isalpha() or low in root_words():
        return False
    return root_of(low) is not None
