"""Read models over the store for the analyst's pages: search with snippets, entities, outlets, counts per day.

Everything here reads; nothing writes. Queries are written once with ``?`` placeholders and run on SQLite and
PostgreSQL alike; only search differs (FTS5 ``snippet()`` against PostgreSQL ``ts_headline``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from kabar.errors import QueryError
from kabar.ingest.outlets import outlet_named
from kabar.store.query import Query, parse, to_fts5, to_tsquery

# Marks around a matched word in a snippet; control characters that never occur in stored text.
MARK_START, MARK_END = "\x02", "\x03"
SNIPPET_WORDS = 28
# An outlet "usually covers" an event's entities when it wrote at least this many articles on them elsewhere;
# one article is chance, two is a habit (set by hand; the smallest figure that is not chance).
USUAL_MIN_ARTICLES = 2
# The event's entities that define whom it is about, for the coverage question.
COVERAGE_ENTITIES = 5
# In a corpus of COMMON_MIN_CORPUS articles or more, a name in over COMMON_SHARE of all articles (the capital, the
# country, an outlet's own name in its datelines) says nothing of whom an event is about. Set by hand on 750
# IndoSum articles of 10 outlets, where "Jakarta" is in 49% of them and "Indonesia" in 47%.
COMMON_MIN_CORPUS = 50
COMMON_SHARE = 0.1


class ReadStore(Protocol):
    dialect: str

    def query(self, sql: str, params: Any = ...) -> list[Any]: ...


@dataclass(frozen=True, slots=True)
class Filters:
    since: str | None = None
    """First day (ISO date), inclusive."""
    until: str | None = None
    """Last day (ISO date), inclusive."""
    outlet: str | None = None
    entity: str | None = None
    """An entity key (as stored in article_entities)."""


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: str
    title: str | None
    event: str | None
    event_title: str | None
    outlet: str | None
    published: str | None
    snippet: tuple[tuple[str, bool], ...]
    """The matched passage as (text, matched) pieces."""


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: Query
    hits: tuple[SearchHit, ...]
    total: int


def _filter_sql(filters: Filters) -> tuple[str, list[Any]]:
    sql, params = "", []
    if filters.since:
        sql += " AND a.published >= ?"
        params.append(_day(filters.since, "since"))
    if filters.until:
        sql += " AND a.published < ?"
        params.append((date.fromisoformat(_day(filters.until, "until")) + timedelta(days=1)).isoformat())
    if filters.outlet:
        sql += " AND a.source = ?"
        params.append(outlet_named(filters.outlet) or filters.outlet)
    if filters.entity:
        sql += " AND a.id IN (SELECT article_id FROM article_entities WHERE name = ?)"
        params.append(filters.entity)
    return sql, params


def _day(value: str, name: str) -> str:
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError as err:
        raise QueryError(f"{name} must be a date written YYYY-MM-DD, not {value!r}") from err


def pieces(snippet: str) -> tuple[tuple[str, bool], ...]:
    """Split a marked snippet into (text, matched) pieces."""
    out: list[tuple[str, bool]] = []
    for k, part in enumerate(snippet.split(MARK_START)):
        if k == 0:
            if part:
                out.append((part, False))
            continue
        hit, _, rest = part.partition(MARK_END)
        if len(out) >= 2 and out[-1][1] is False and not out[-1][0].strip() and out[-2][1]:
            gap = out.pop()[0]  # PostgreSQL marks each word of a phrase: join them back
            hit = out.pop()[0] + gap + hit
        elif out and out[-1][1]:
            hit = out.pop()[0] + hit
        out.append((hit, True))
        if rest:
            out.append((rest, False))
    return tuple(out)


_HIT_COLUMNS = "a.id, a.title, a.event_id, ev.title, a.source, a.published"


def search(
    store: ReadStore, text: str, filters: Filters = Filters(), limit: int = 20, offset: int = 0
) -> SearchResult:
    """Articles matching ``text`` (syntax in kabar.store.query) within ``filters``, best first, with snippets.

    Raises:
        QueryError: the query cannot be read, or a filter is malformed.
    """
    query = parse(text)
    where, params = _filter_sql(filters)
    if store.dialect == "sqlite":
        match = to_fts5(query)
        base = ("FROM articles_fts f JOIN articles a ON a.id = f.article_id LEFT JOIN events ev ON ev.id = a.event_id "
                f"WHERE articles_fts MATCH ?{where}")  # fmt: skip
        snippet = f"snippet(articles_fts, 2, '{MARK_START}', '{MARK_END}', '…', {SNIPPET_WORDS})"
        try:
            rows = store.query(f"SELECT {_HIT_COLUMNS}, {snippet} {base} ORDER BY rank LIMIT ? OFFSET ?",
                               [match, *params, limit, offset])  # fmt: skip
            total = int(store.query(f"SELECT count(*) {base}", [match, *params])[0][0])
        except (
            sqlite3.OperationalError
        ) as err:  # pragma: no cover - the expression is built from quoted words
            raise QueryError(f"the query {text!r} cannot be searched: {err}") from err
    else:
        tsq = to_tsquery(query)
        options = (f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords={SNIPPET_WORDS}, MinWords=12, "
                   "MaxFragments=2, FragmentDelimiter=\" … \"")  # fmt: skip
        base = f"FROM articles a LEFT JOIN events ev ON ev.id = a.event_id WHERE a.search @@ to_tsquery('simple', ?){where}"
        rows = store.query(
            f"SELECT {_HIT_COLUMNS}, ts_headline('simple', a.text, to_tsquery('simple', ?), ?) {base} "
            "ORDER BY ts_rank(a.search, to_tsquery('simple', ?)) DESC, a.id LIMIT ? OFFSET ?",
            [tsq, options, tsq, *params, tsq, limit, offset],
        )
        total = int(store.query(f"SELECT count(*) {base}", [tsq, *params])[0][0])
    hits = tuple(SearchHit(r[0], r[1], r[2], r[3], r[4], r[5], pieces(r[6] or "")) for r in rows)
    return SearchResult(query, hits, total)


# -- entities ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntityRow:
    key: str
    type: str
    articles: int
    events: int
    mentions: int


def entities(
    store: ReadStore, limit: int = 50, offset: int = 0, prefix: str | None = None
) -> list[EntityRow]:
    """Entities by the number of articles naming them (``prefix``: keys starting with it)."""
    where, params = "", []
    if prefix:
        where, params = "WHERE e.name LIKE ?", [prefix.casefold().replace("%", "").replace("_", "") + "%"]
    rows = store.query(
        "SELECT e.name, min(e.type), count(DISTINCT e.article_id), count(DISTINCT a.event_id), sum(e.mentions) "
        f"FROM article_entities e JOIN articles a ON a.id = e.article_id {where} GROUP BY e.name "
        "ORDER BY 3 DESC, 5 DESC, e.name LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [EntityRow(r[0], r[1], int(r[2]), int(r[3]), int(r[4])) for r in rows]


def entity(store: ReadStore, key: str) -> EntityRow | None:
    rows = store.query(
        "SELECT e.name, min(e.type), count(DISTINCT e.article_id), count(DISTINCT a.event_id), sum(e.mentions) "
        "FROM article_entities e JOIN articles a ON a.id = e.article_id WHERE e.name = ? GROUP BY e.name",
        [key],
    )
    return (
        EntityRow(rows[0][0], rows[0][1], int(rows[0][2]), int(rows[0][3]), int(rows[0][4])) if rows else None
    )


def entity_events(store: ReadStore, key: str, limit: int = 100) -> list[dict[str, Any]]:
    """Every event the entity appears in, newest first, with how many of its articles name it."""
    join = "JOIN article_entities e ON e.article_id = a.id WHERE e.name = ?"
    return _events_with(store, "count(DISTINCT a.id)", join, key, limit, "naming")


def entity_articles(store: ReadStore, key: str, limit: int = 40) -> list[str]:
    """Ids of the articles naming the entity, newest first."""
    rows = store.query(
        "SELECT a.id FROM articles a JOIN article_entities e ON e.article_id = a.id WHERE e.name = ? "
        "AND a.duplicate_of IS NULL ORDER BY CASE WHEN a.published IS NULL THEN 1 ELSE 0 END, a.published DESC, "
        "a.id LIMIT ?",
        [key, limit],
    )
    return [r[0] for r in rows]


def cooccurring(store: ReadStore, key: str, limit: int = 15) -> list[dict[str, Any]]:
    """The entities most often named in the same articles as ``key``."""
    rows = store.query(
        "SELECT o.name, min(o.type), count(DISTINCT o.article_id) FROM article_entities e JOIN article_entities o "
        "ON o.article_id = e.article_id AND o.name <> e.name WHERE e.name = ? GROUP BY o.name "
        "ORDER BY 3 DESC, o.name LIMIT ?",
        [key, limit],
    )
    return [{"key": r[0], "type": r[1], "articles": int(r[2])} for r in rows]


def entity_outlets(store: ReadStore, key: str) -> list[dict[str, Any]]:
    rows = store.query(
        "SELECT a.source, count(DISTINCT a.id) FROM articles a JOIN article_entities e ON e.article_id = a.id "
        "WHERE e.name = ? GROUP BY a.source ORDER BY 2 DESC, a.source",
        [key],
    )
    return [{"outlet": r[0], "articles": int(r[1])} for r in rows]


# -- outlets ----------------------------------------------------------------------------------------------


def outlets(store: ReadStore) -> list[dict[str, Any]]:
    """Every outlet with its article and event counts and first and last publication days."""
    rows = store.query(
        "SELECT a.source, count(*), count(DISTINCT a.event_id), min(a.published), max(a.published), "
        "sum(CASE WHEN ev.conflicts > 0 THEN 1 ELSE 0 END) FROM articles a LEFT JOIN events ev "
        "ON ev.id = a.event_id WHERE a.duplicate_of IS NULL AND a.source IS NOT NULL GROUP BY a.source "
        "ORDER BY 2 DESC, a.source"
    )
    keys = ("name", "articles", "events", "first_published", "last_published", "in_conflicted_events")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def outlet_events(store: ReadStore, name: str, limit: int = 200) -> list[dict[str, Any]]:
    """The outlet's events, newest first: the event, the outlet's articles in it, the event's conflicts."""
    where = "WHERE a.source = ? AND a.duplicate_of IS NULL"
    return _events_with(store, "count(a.id)", where, name, limit, "by_outlet")


_EVENT_COLUMNS = ("id", "title", "first_published", "last_published", "articles", "sources", "conflicts")


def _events_with(
    store: ReadStore, count: str, where: str, value: str, limit: int, counted: str
) -> list[dict[str, Any]]:
    """Events holding articles that match ``where`` (one parameter, ``value``), newest first, each with ``count``
    of those articles under the key ``counted``."""
    columns = ", ".join(f"ev.{c}" for c in _EVENT_COLUMNS)
    rows = store.query(
        f"SELECT {columns}, {count} FROM events ev JOIN articles a ON a.event_id = ev.id {where} "
        f"GROUP BY {columns} "
        "ORDER BY CASE WHEN ev.last_published IS NULL THEN 1 ELSE 0 END, ev.last_published DESC, ev.id LIMIT ?",
        [value, limit],
    )
    keys = (*_EVENT_COLUMNS, counted)
    return [dict(zip(keys, r, strict=True)) for r in rows]


def _defining_entities(store: ReadStore, event_id: str) -> list[str]:
    """The event's most named entities, leaving out in a large corpus those named everywhere."""
    total = int(store.query("SELECT count(*) FROM articles WHERE duplicate_of IS NULL")[0][0])
    common = ""
    params: list[Any] = [event_id]
    if total >= COMMON_MIN_CORPUS:
        common = ("HAVING (SELECT count(DISTINCT c.article_id) FROM article_entities c WHERE c.name = e.name) "
                  "<= ?")  # fmt: skip
        params.append(int(COMMON_SHARE * total))
    rows = store.query(
        "SELECT e.name FROM article_entities e JOIN articles a ON a.id = e.article_id WHERE a.event_id = ? "
        f"GROUP BY e.name {common} ORDER BY count(DISTINCT a.id) DESC, sum(e.mentions) DESC, e.name LIMIT ?",
        [*params, COVERAGE_ENTITIES],
    )
    return [r[0] for r in rows]


def coverage(store: ReadStore, event_id: str) -> dict[str, Any]:
    """Which outlets covered the event, and which did not among those that usually cover its entities."""
    covered = store.query(
        "SELECT a.source, count(*) FROM articles a WHERE a.event_id = ? AND a.duplicate_of IS NULL "
        "GROUP BY a.source ORDER BY 2 DESC, a.source",
        [event_id],
    )
    keys = _defining_entities(store, event_id)
    usual: list[Any] = []
    if keys:
        marks = ", ".join("?" for _ in keys)
        usual = store.query(
            "SELECT a.source, count(DISTINCT a.id) FROM articles a JOIN article_entities e ON e.article_id = a.id "
            f"WHERE e.name IN ({marks}) AND a.source IS NOT NULL AND a.duplicate_of IS NULL "
            "AND (a.event_id IS NULL OR a.event_id <> ?) GROUP BY a.source HAVING count(DISTINCT a.id) >= ? "
            "ORDER BY 2 DESC, a.source",
            [*keys, event_id, USUAL_MIN_ARTICLES],
        )
    present = {r[0] for r in covered}
    return {
        "covered": [{"outlet": r[0], "articles": int(r[1])} for r in covered],
        "missing": [
            {"outlet": r[0], "articles_on_entities": int(r[1])} for r in usual if r[0] not in present
        ],
        "entities": keys,
    }


# -- counts per day -----------------------------------------------------------------------------------------


def per_day(store: ReadStore, event_id: str | None = None, outlet: str | None = None) -> list[dict[str, Any]]:
    """Articles per publication day (undated articles are not counted), for the corpus, an event or an outlet."""
    where, params = "a.duplicate_of IS NULL AND a.published IS NOT NULL", []
    if event_id is not None:
        where += " AND a.event_id = ?"
        params.append(event_id)
    if outlet is not None:
        where += " AND a.source = ?"
        params.append(outlet)
    rows = store.query(
        f"SELECT substr(a.published, 1, 10) AS day, count(*) FROM articles a WHERE {where} GROUP BY day ORDER BY day",
        params,
    )
    return [{"day": r[0], "articles": int(r[1])} for r in rows]


def undated(store: ReadStore, event_id: str | None = None) -> int:
    where, params = "duplicate_of IS NULL AND published IS NULL", []
    if event_id is not None:
        where += " AND event_id = ?"
        params.append(event_id)
    return int(store.query(f"SELECT count(*) FROM articles WHERE {where}", params)[0][0])


def per_day_of_entity(store: ReadStore, key: str) -> list[dict[str, Any]]:
    """Articles naming the entity per publication day."""
    rows = store.query(
        "SELECT substr(a.published, 1, 10) AS day, count(DISTINCT a.id) FROM articles a JOIN article_entities e "
        "ON e.article_id = a.id WHERE e.name = ? AND a.published IS NOT NULL AND a.duplicate_of IS NULL "
        "GROUP BY day ORDER BY day",
        [key],
    )
    return [{"day": r[0], "articles": int(r[1])} for r in rows]
