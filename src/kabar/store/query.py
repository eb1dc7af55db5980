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
    tokens = _TOKEN.findall(text)
    clauses: list[list[Term]] = []
    pending_or = False
    negate_next = False
    words_run: list[str] = []

    def flush_words() -> None:
        nonlocal pending_or
        k = 0
        while k < len(words_run):
            size = _longest_name(words_run, k)
            original = " ".join(words_run[k : k + size])
            words = tuple(w for part in words_run[k : k + size] for w in _WORD.findall(part.lower()))
            k += size
            if not words:
                continue
            term = Term(aliases_of(words, original))
            if pending_or and clauses:
                clauses[-1].append(term)
            else:
                clauses.append([term])
            pending_or = False
        words_run.clear()

    for token in tokens:
        if token in {"OR", "|"}:
            flush_words()
            if not clauses or pending_or:
                raise QueryError(f"OR needs a term on each side in the query {text!r}")
            pending_or = True
        elif token in {"AND", "&"}:
            flush_words()
        elif token == "NOT":
            flush_words()
            negate_next = True
        elif token.startswith('"') or token.startswith("-") or negate_next:
            flush_words()
            negated = negate_next or token.startswith("-")
            words = tuple(_WORD.findall(token.strip('"').removeprefix("-").lower()))
            negate_next = False
            if not words:
                continue  # punctuation alone ("--", '""') searches for nothing
            if negated and pending_or:
                raise QueryError(f"cannot combine OR with an excluded term in the query {text!r}")
            term = Term((words,), negated=negated)
            if pending_or and clauses:
                clauses[-1].append(term)
            else:
                clauses.append([term])
            pending_or = False
        else:
            words_run.append(token)
    flush_words()
    if pending_or:
        raise QueryError(f"OR needs a term on each side in the query {text!r}")
    if negate_next:
        raise QueryError(f"NOT needs a term after it in the query {text!r}")
    if not clauses:
        raise QueryError(f"the query {text!r} holds no word to search for")
    if all(t.negated for clause in clauses for t in clause):
        raise QueryError(f"the query {text!r} only excludes: add a word to search for")
    if sum(len(c) for c in clauses) > MAX_TERMS:
        raise QueryError(f"the query has more than {MAX_TERMS} terms")
    return Query(tuple(tuple(c) for c in clauses))


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
