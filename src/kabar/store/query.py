"""Search queries: a small syntax read once, written out for SQLite FTS5 and PostgreSQL ``tsquery``.

Syntax: words and ``"quoted phrases"`` must all match; ``OR`` between two terms matches either; ``-word`` or
``NOT word`` excludes. ``AND`` is allowed and changes nothing. A name known to the gazetteer matches all of its
names ("Jokowi" also finds "Joko Widodo", "Korut" finds "Korea Utara"). A query that cannot be read raises
:class:`~kabar.errors.QueryError` saying why; the database never sees user syntax, only quoted words.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from kabar.errors import QueryError
from kabar.lang.resources import gazetteer
from kabar.lang.tokens import name_key

_TOKEN = re.compile(r'"[^"]*"|-?[^\s"]+|"')
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 32
# Gazetteer names of more words than this are not looked for in a query (the longest useful alias is 6 words).
MAX_NAME_WORDS = 6


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to match: any of ``phrases`` (each a tuple of words); ``negated`` excludes it."""

    phrases: tuple[tuple[str, ...], ...]
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """Clauses that must all match; a clause matches when any of its terms does."""

    clauses: tuple[tuple[Term, ...], ...]

    @property
    def words(self) -> list[str]:
        return [w for clause in self.clauses for t in clause if not t.negated for p in t.phrases for w in p]


@cache
def _alias_groups() -> dict[str, tuple[tuple[str, ...], ...]]:
    groups: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for key, entry in gazetteer().items():
        groups[entry.group].append(key)
    return {group: tuple(keys) for group, keys in groups.items()}


def aliases_of(words: tuple[str, ...], original: str) -> tuple[tuple[str, ...], ...]:
    """Every name of the gazetteer group ``words`` belong to (``words`` first), or just ``words``."""
    entry = gazetteer().get(name_key(original))
    if entry is None or (entry.exact is not None and original != entry.exact):
        return (words,)
    names = [words] + [k for k in _alias_groups().get(entry.group, ()) if k != words]
    return tuple(tuple(w for k in name for w in _WORD.findall(k)) for name in names if name)


def parse(text: str) -> Query:
    """Read a query; raises QueryError for one that cannot be read."""
    if text.count('"') % 2:
        raise QueryError(f"unclosed quote in the query {text!r}: close it or remove it")
    reader = _Reader(text)
    for token in _TOKEN.findall(text):
        reader.take(token)
    return reader.finish()


class _Reader:
    """Reads tokens left to right: runs of plain words (where gazetteer names are found), quoted phrases,
    operators."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.clauses: list[list[Term]] = []
        self.pending_or = False
        self.negate_next = False
        self.words: list[str] = []

    def take(self, token: str) -> None:
        if token in {"OR", "|"}:
            self.flush()
            if not self.clauses or self.pending_or:
                raise QueryError(f"OR needs a term on each side in the query {self.text!r}")
            self.pending_or = True
        elif token in {"AND", "&"}:
            self.flush()
        elif token == "NOT":
            self.flush()
            self.negate_next = True
        elif token.startswith(('"', "-")) or self.negate_next:
            self.flush()
            negated = self.negate_next or token.startswith("-")
            self.negate_next = False
            words = tuple(_WORD.findall(token.strip('"').removeprefix("-").lower()))
            if words:  # punctuation alone ("--", '""') searches for nothing
                if negated and self.pending_or:
                    raise QueryError(f"cannot combine OR with an excluded term in the query {self.text!r}")
                self.add(Term((words,), negated=negated))
        else:
            self.words.append(token)

    def add(self, term: Term) -> None:
        if self.pending_or and self.clauses:
            self.clauses[-1].append(term)
        else:
            self.clauses.append([term])
        self.pending_or = False

    def flush(self) -> None:
        """Turn the run of plain words into terms, a known name of several words being one term."""
        k = 0
        while k < len(self.words):
            size = _longest_name(self.words, k)
            original = " ".join(self.words[k : k + size])
            words = tuple(w for part in self.words[k : k + size] for w in _WORD.findall(part.lower()))
            k += size
            if words:
                self.add(Term(aliases_of(words, original)))
        self.words.clear()

    def finish(self) -> Query:
        self.flush()
        if self.pending_or:
            raise QueryError(f"OR needs a term on each side in the query {self.text!r}")
        if self.negate_next:
            raise QueryError(f"NOT needs a term after it in the query {self.text!r}")
        if not self.clauses:
            raise QueryError(f"the query {self.text!r} holds no word to search for")
        if all(t.negated for clause in self.clauses for t in clause):
            raise QueryError(f"the query {self.text!r} only excludes: add a word to search for")
        if sum(len(c) for c in self.clauses) > MAX_TERMS:
            raise QueryError(f"the query has more than {MAX_TERMS} terms")
        return Query(tuple(tuple(c) for c in self.clauses))


def _longest_name(words: list[str], start: int) -> int:
    """How many words from ``start`` make the longest gazetteer name (1 when none does)."""
    for size in range(min(MAX_NAME_WORDS, len(words) - start), 1, -1):
        if gazetteer().get(name_key(" ".join(words[start : start + size]))) is not None:
            return size
    return 1


def _fts_phrase(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"'


def to_fts5(query: Query) -> str:
    """The query as an FTS5 MATCH expression (every word quoted)."""
    positive: list[str] = []
    negative: list[str] = []
    for clause in query.clauses:
        if len(clause) == 1 and clause[0].negated:
            negative.extend(_fts_phrase(p) for p in clause[0].phrases)
            continue
        options = [_fts_phrase(p) for t in clause for p in t.phrases]
        positive.append(options[0] if len(options) == 1 else "(" + " OR ".join(options) + ")")
    expression = " AND ".join(positive)
    for excluded in negative:
        expression = f"({expression}) NOT {excluded}"
    return expression


def _ts_phrase(words: tuple[str, ...]) -> str:
    return " <-> ".join(f"'{w}'" for w in words)


def to_tsquery(query: Query) -> str:
    """The query as a PostgreSQL ``to_tsquery('simple', ...)`` expression (every word quoted)."""
    parts: list[str] = []
    for clause in query.clauses:
        if len(clause) == 1 and clause[0].negated:
            parts.extend(f"!({_ts_phrase(p)})" for p in clause[0].phrases)
            continue
        options = [f"({_ts_phrase(p)})" for t in clause for p in t.phrases]
        parts.append("(" + " | ".join(options) + ")")
    return " & ".join(parts)
