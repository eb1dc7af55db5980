"""People and organisations across the corpus: an entity's page and *who said what*.

An entity is known by its key (``kabar.cluster.engine.entity_key``: a gazetteer group, a person's surname, else the
folded name), the key stored for every article that names it. Its quotes are found by annotating the articles
that name it and keeping the quotes whose speaker links to it, each cited to its article, sentence and outlet.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kabar.cluster.engine import entity_key
from kabar.lang.resources import gazetteer
from kabar.lang.tokens import name_key
from kabar.records import Annotation, Entity
from kabar.store import explore
from kabar.store.base import Store

# Articles annotated for an entity's quotes, newest first: enough for a page, bounded in time (about 0.05 s each).
QUOTE_ARTICLES = 40
# A one-word key this short is written in capitals ("mrt", "kpk", "apbn"): most such names are acronyms.
ACRONYM_CHARS = 4


def key_of(name: str) -> str:
    """The entity key a name written by a user stands for ("Jokowi" -> "joko widodo", "Putin" -> "putin")."""
    entry = gazetteer().get(name_key(name))
    if entry is not None:
        return entity_key(name, entry.type)[0]
    return entity_key(name, "PER" if len(name.split()) > 1 else "UNK")[0]


def _speaks_for(entity: Entity, key: str) -> bool:
    return any(entity_key(n, entity.type)[0] == key for n in (entity.name, *entity.aliases))


def quotes_of(store: Store, key: str, limit: int = QUOTE_ARTICLES) -> tuple[list[dict[str, Any]], list[str]]:
    """The entity's quotes in the newest ``limit`` articles naming it, and the names it is written with."""
    from kabar.pipeline import annotate

    ids = list(
        dict.fromkeys([*explore.entity_articles(store, key, limit), *_named_anywhere(store, key, limit)])
    )
    stored = [s for s in (store.article(i) for i in ids[:limit]) if s is not None and s.duplicate_of is None]
    if not stored:
        return [], []
    annotation: Annotation = annotate([s.article for s in stored])
    by_id = {e.id: e for e in annotation.entities}
    events = {s.article.id: s.event for s in stored}
    names: Counter[str] = Counter()
    for entity in annotation.entities:
        if _speaks_for(entity, key):
            names.update([entity.name, *entity.aliases])
    quotes: list[dict[str, Any]] = []
    for doc in annotation.articles:
        a = doc.article
        for q in doc.quotes:
            speaker = by_id.get(q.speaker_entity or "")
            if speaker is None or not _speaks_for(speaker, key):
                continue
            quotes.append({"article": a.id, "title": a.title, "outlet": a.source, "published": a.published,
                           "event": events.get(a.id), "speaker": q.speaker_text, "content": q.content,
                           "cue": q.cue, "direct": q.direct, "sentence": q.sentence,
                           "start": q.content_start, "end": q.content_end})  # fmt: skip
    return quotes, [n for n, _ in names.most_common()]


def _named_anywhere(store: Store, key: str, limit: int) -> list[str]:
    """Articles whose text names the entity anywhere (by any of its known names), not only in the lead."""
    from kabar.errors import QueryError

    try:
        return [hit.article for hit in explore.search(store, key, limit=limit).hits]
    except QueryError:
        return []


def label_of(key: str, names: list[str]) -> str:
    """How to write the entity: its gazetteer name, else the longest name it is written with, else the key."""
    entry = gazetteer().get(name_key(key))
    if entry is not None:
        return entry.group
    full = [n for n in names if entity_key(n, "PER")[0] == key or n.casefold() == key]
    if full:
        return max(full, key=lambda n: (len(n.split()), names.index(n) * -1))
    if key.islower() and " " not in key and len(key) <= ACRONYM_CHARS:
        return key.upper()
    return key.title() if key.islower() else key


def entity_page(store: Store, key: str) -> dict[str, Any] | None:
    """Everything the entity page shows: events, quotes by outlet, co-occurring entities, outlets; None if unknown."""
    row = explore.entity(store, key)
    if row is None:
        return None
    quotes, names = quotes_of(store, key)
    gazetteer_names = _gazetteer_names(key)
    return {
        "key": row.key,
        "label": label_of(key, names),
        "type": row.type,
        "names": _distinct([*names, *gazetteer_names]),
        "articles": row.articles,
        "mentions": row.mentions,
        "events": explore.entity_events(store, key),
        "quotes": quotes,
        "together": [{**o, "label": label_of(o["key"], [])} for o in explore.cooccurring(store, key)],
        "outlets": explore.entity_outlets(store, key),
        "per_day": explore.per_day_of_entity(store, key),
    }


def _distinct(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def _gazetteer_names(key: str) -> list[str]:
    entry = gazetteer().get(name_key(key))
    if entry is None:
        return []
    from kabar.store.query import aliases_of

    return [" ".join(p) for p in aliases_of(name_key(key), key)]
