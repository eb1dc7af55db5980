"""The one tokenizer of Kabar: words, tokens with offsets, and the folded comparison key of a name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
"""A word: letters and digits, joined by inner hyphens or apostrophes ("Jum'at", "pejabat-pejabat")."""
LETTER_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
"""A word of letters only (no digits): the shape of a counted noun or a name part."""
SPELLED_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
"""A word of letters only, joined by inner hyphens or straight apostrophes: a word as a language spells it
("Jum'at", "kupu-kupu"), what language identification counts."""
TOKEN = re.compile(WORD.pattern + r"|\S")
"""A word, or any other single non-space character (punctuation)."""


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


def words(text: str) -> list[str]:
    """The words of a text, in order, as written."""
    return WORD.findall(text)


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """The comparison key of a word or name: case-folded, apostrophes and hyphen variants unified."""
    return text.casefold().replace("’", "'").replace("‐", "-").replace("–", "-")


@lru_cache(maxsize=200_000)
def name_key(name: str) -> tuple[str, ...]:
    """A name as a tuple of folded tokens: the key of the gazetteer and of entity linking."""
    return tuple(fold(t.text) for t in tokenize(name))
