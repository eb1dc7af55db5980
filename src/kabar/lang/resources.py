"""Packaged language data: the stop-word list, the gazetteer of known entities and aliases, and the role,
head and cue word lists. All of it lives in ``kabar/data`` as text files; this module only reads them.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

from kabar.lang.tokens import fold, name_key


def data_lines(name: str) -> Iterator[list[str]]:
    """The tab-separated fields of each line of a packaged data file, skipping blanks and ``#`` comments."""
    text = resources.files("kabar").joinpath("data", name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            yield line.split("\t")


def _word_set(name: str) -> frozenset[str]:
    return frozenset(fold(row[0].strip()) for row in data_lines(name))


@cache
def stopwords() -> frozenset[str]:
    """Function words of Indonesian and English (``data/stopwords.txt``), folded."""
    return _word_set("stopwords.txt")


def is_stopword(word: str) -> bool:
    return fold(word) in stopwords()


@cache
def title_complements() -> frozenset[str]:
    """Root words that continue a title ("Menteri Luar Negeri", "Jaksa Agung"): ``data/title-complements.txt``."""
    return _word_set("title-complements.txt")


@cache
def word_lists() -> dict[str, frozenset[str]]:
    """Role, head and cue word lists from ``data/words.tsv``, by list name (phrases as folded strings)."""
    lists: dict[str, frozenset[str]] = {}
    for row in data_lines("words.tsv"):
        lists[row[0]] = frozenset(" ".join(name_key(w)) for w in row[1].split("|") if w)
    return lists


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    group: str
    """The canonical name of the alias group this name belongs to."""
    type: str
    exact: str | None
    """For all-capital acronyms, the exact spelling that must match (so "AS" is not "As")."""


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

    for row in data_lines("aliases.tsv"):
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
def attribution_cues() -> dict[str, tuple[str, ...]]:
    """Attribution cue words by role (``data/attribution-cues.tsv``: pre, post, trailing, leading, reporting,
    source, said), each list in the file's order. One list serves quotes and the attribution of figures."""
    roles: dict[str, list[str]] = {}
    for row in data_lines("attribution-cues.tsv"):
        for role in row[1].strip().split(","):
            roles.setdefault(role, []).append(row[0].strip())
    return {role: tuple(words) for role, words in roles.items()}


def cue_pattern(role: str) -> str:
    """A regex alternation of a role's cue words, longest first (so "according to" wins over "according"),
    a space in a phrase matching any run of spaces."""
    words = sorted(attribution_cues()[role], key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
