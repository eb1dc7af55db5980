"""Where a story's figures hold: the places a story is about, and one name for each place.

A figure's scope is the place its clause confines it to (``claims.figures``): a linked entity, or a name as
written ("~pesisir selatan"). Two outlets write one place differently ("Sumatra Barat" / "Sumatera Barat",
"Kabupaten Pesisir Selatan" / "Pesisir Selatan", linked in one article and not in another), so scopes are
matched by a place key: the name folded, its kind word ("Kabupaten", "Kota", …) dropped and the vowels after
each word's first letter left out. A name as written that the story never names as a place ("BNPB mencatat")
is no scope.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import replace

from kabar.compare.figures import STORY_PLACE_SHARE, WEAK_KEYS, Placed, interval
from kabar.lang import fold
from kabar.records import AnnotatedArticle

NAME = "scopes.v1"
_KIND_WORDS = frozenset(
    ["kabupaten", "kab", "kota", "provinsi", "prov", "kecamatan", "kec", "desa", "kelurahan", "nagari", "dusun",
     "kampung", "regency", "province", "city", "district", "village"]
)  # fmt: skip


def place_key(name: str) -> str:
    """A place's key: "Kabupaten Pesisir Selatan" and "Pesisir Selatan" give "pssr sltn", "Sumatra Barat" and
    "Sumatera Barat" give "smtr brt"."""
    words = [w for w in re.findall(r"[^\W\d_]+", fold(name)) if w not in _KIND_WORDS]
    return " ".join(w[0] + re.sub(r"[aeiou]", "", w[1:]) for w in words)


def same_places(
    placed: Sequence[Placed], docs: Sequence[AnnotatedArticle], names: dict[str, str]
) -> tuple[list[Placed], dict[str, str]]:
    """The values with one scope per place (the first linked entity of its key, else the first name as
    written), names as written that the story never names as a place dropped; and the mapping used, from each
    scope to its place's scope (``names``: linked entity names)."""
    known = {
        place_key(m.text)
        for doc in docs
        for m in doc.mentions
        if m.type in {"LOC", "UNK"} or fold(m.text.split()[0]) in _KIND_WORDS
    }
    scopes = sorted({p.claim.scope for p in placed if p.claim.scope}, key=lambda s: (s.startswith("~"), s))
    scopes += sorted({e for e in names if e not in scopes})
    first: dict[str, str] = {}
    mapping: dict[str, str] = {}
    for scope in scopes:
        key = place_key(scope[1:] if scope.startswith("~") else names.get(scope, scope))
        if scope.startswith("~") and key not in known:
            continue
        mapping[scope] = first.setdefault(key, scope) if key else scope
    out = []
    for p in placed:
        written = p.claim.scope
        if written is not None and mapping.get(written) != written:
            claim = replace(
                p.claim,
                scope=mapping.get(written),
                scope_text=p.claim.scope_text if written in mapping else None,
            )
            p = Placed(claim, p.source, p.group)
        out.append(p)
    return out, mapping


def story_places(docs: Sequence[AnnotatedArticle]) -> frozenset[str]:
    """The places the story itself is about: linked places named in the title or lead sentence of at least
    ``STORY_PLACE_SHARE`` of the articles (and two). A figure scoped to one of them ("banjir di Jabodetabek")
    is the story's whole figure, not a part of it."""
    counts: dict[str, int] = {}
    for doc in docs:
        opening = [s for s in doc.sentences if s.is_title][:1] + [
            s for s in doc.sentences if s.boilerplate is None and not s.is_title
        ][:1]
        found = {
            m.entity
            for m in doc.mentions
            for s in opening
            if m.entity and m.type in {"LOC", "UNK"} and s.start <= m.start < s.end
        }
        for entity in found:
            counts[entity] = counts.get(entity, 0) + 1
    need = max(2, math.ceil(STORY_PLACE_SHARE * len(docs)))
    return frozenset(e for e, n in counts.items() if n >= need)


def unscoped(placed: Sequence[Placed], places: frozenset[str]) -> list[Placed]:
    """The values with a scope that is one of the story's own places taken as unscoped, unless an article
    gives that place's value as a part of a larger one of its own (then the place is one of several the story
    counts: "Padang Pariaman melaporkan 3 korban" beside the province's 19)."""
    parts = {
        p.claim.scope
        for p in placed
        for q in placed
        if p.claim.scope in places
        and q.claim.article == p.claim.article
        and q.claim.key == p.claim.key
        and q.claim.scope != p.claim.scope
        and interval(q.claim)[0] > interval(p.claim)[1]
    }
    whole = places - parts
    return [
        Placed(replace(p.claim, scope=None, scope_text=None), p.source, p.group)
        if p.claim.scope in whole
        else p
        for p in placed
    ]


def listed(placed: Sequence[Placed]) -> list[Placed]:
    """Values of a weak key (``WEAK_KEYS``) whose sentence gives another value of that key for the same place
    ("andil 0,12% dengan inflasi 0,63%, sedangkan transportasi … andil 0,12% dengan inflasi 0,45%") are items of
    a list: which value of another source's aligned statement each answers is unknown, so they are tied to no
    aligned fact and never disputed across sources. A place's part ("tujuh desa …: enam desa di Kecamatan
    Wulanggitang") is no second value of the whole."""
    values: dict[tuple[str, str, str | None], set[float | None]] = {}
    for p in placed:
        values.setdefault(_slot(p), set()).add(p.claim.value)
    return [
        replace(p, group=-1)
        if len(values[_slot(p)]) > 1 and p.claim.key.lstrip("~").split(":")[0].split("@")[0] in WEAK_KEYS
        else p
        for p in placed
    ]


def _slot(p: Placed) -> tuple[str, str, str | None]:
    return p.claim.sentence, p.claim.key, p.claim.scope
