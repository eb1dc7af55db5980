"""Link entity mentions within and across articles into entities with one canonical name.

Rules, in order:
1. Mentions of one alias group of the gazetteer are one entity ("PBB" = "Perserikatan Bangsa-Bangsa",
   "DPRK" = "Korea Utara"); inline definitions ("Komisi Pemberantasan Korupsi (KPK)") add groups.
2. Mentions with the same name up to case, word order and generic words translated between Indonesian and
   English are one entity ("Kosmodrom Vostochny" = "Vostochny Cosmodrome").
3. Acronyms join the one multi-word name whose initials they spell.
4. A shorter name joins a longer one that contains it ("Putin" -> "Vladimir Putin"): for people, the
   candidate the mention's own article names most (a bare "Kim" in a story about Kim Jong Un is Kim Jong Un,
   never Kim Myong Sik); for places and organisations only when what the longer name adds is generic
   ("Vostochny" -> "Kosmodrom Vostochny", but "Rusia" never joins "Kementerian Pertahanan Rusia").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import cache, lru_cache

from kabar.lang import fold, gazetteer, name_key, word_lists
from kabar.records import Entity, Mention
from kabar.unionfind import DisjointSets

NAME = "link.v1"

# Generic words of place and organisation names, Indonesian -> English, so both spellings meet.
GENERIC = {
    "kosmodrom": "cosmodrome",
    "pulau": "island",
    "kepulauan": "islands",
    "sungai": "river",
    "gunung": "mount",
    "mt": "mount",
    "danau": "lake",
    "laut": "sea",
    "samudra": "ocean",
    "samudera": "ocean",
    "selat": "strait",
    "teluk": "gulf",
    "kota": "city",
    "provinsi": "province",
    "bandara": "airport",
    "pelabuhan": "port",
    "kementerian": "ministry",
    "universitas": "university",
    "dewan": "council",
    "partai": "party",
    "badan": "agency",
    "komisi": "commission",
    "semenanjung": "peninsula",
    "jalan": "street",
    "istana": "palace",
    "stadion": "stadium",
    "stasiun": "station",
    "wilayah": "region",
    "kawasan": "region",
    "distrik": "district",
    "oblast": "region",
    "the": "",
}
_SKIP_INITIAL = frozenset({"dan", "untuk", "of", "the", "and", "for", "dari", "di", "&"})
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,9}$")
_PERSON_TYPES = frozenset({"PER", "UNK"})


@lru_cache(maxsize=100_000)
def _signature(text: str) -> tuple[str, ...]:
    tokens = [GENERIC.get(t, t) for t in name_key(text) if t not in {"'", "’"}]
    return tuple(sorted(t for t in tokens if t))


@lru_cache(maxsize=100_000)
def _distinct(text: str) -> frozenset[str]:
    generic = _generic_words()
    return frozenset(t for t in name_key(text) if t not in generic and t.replace("-", "").isalnum())


@cache
def _generic_words() -> frozenset[str]:
    """Generic words of names (heads, translated generic words) that do not tell two names apart."""
    words = word_lists()
    heads = words["org_head"] | words["loc_head"] | words["org_suffix"] | words["loc_suffix"]
    return frozenset(h for h in heads if " " not in h) | set(GENERIC) | set(GENERIC.values())


def _initials(text: str) -> set[str]:
    words = [w for w in re.split(r"\s+", text) if w and fold(w) not in _SKIP_INITIAL]
    plain = "".join(w[0] for w in words if w[0].isalpha()).upper()
    hyphen = "".join(p[0] for w in words for p in w.split("-") if p and p[0].isalpha()).upper()
    return {plain, hyphen}


def link_entities(
    mentions: Sequence[Mention], acronym_pairs: Sequence[tuple[str, str]] = ()
) -> tuple[list[Mention], list[Entity]]:
    """Link mentions (from one or many articles) into entities.

    Args:
        mentions: all mentions, in article and text order.
        acronym_pairs: (long name, acronym) pairs defined inline in the articles.

    Returns:
        The mentions with ``entity`` and a resolved ``type`` set, and the entities in order of first mention.
    """
    if not mentions:
        return [], []
    gaz = gazetteer()
    sets = DisjointSets(len(mentions))
    group_of: dict[int, str] = {}
    first_by_key: dict[tuple[str, ...], int] = {}
    first_by_group: dict[str, int] = {}
    defined = {fold(acr): long for long, acr in acronym_pairs}

    for i, m in enumerate(mentions):
        entry = gaz.get(name_key(m.text))
        if entry is not None and (
            entry.exact is None or m.text.replace(" ", "") == entry.exact.replace(" ", "")
        ):
            group_of[i] = entry.group
            if entry.group in first_by_group:
                sets.union(i, first_by_group[entry.group])
            else:
                first_by_group[entry.group] = i
        key = _signature(m.text)
        if key in first_by_key:
            sets.union(i, first_by_key[key])
        else:
            first_by_key[key] = i

    # Inline acronym definitions join the acronym to its long form.
    for i, m in enumerate(mentions):
        long = defined.get(fold(m.text))
        if long is not None and _signature(long) in first_by_key:
            sets.union(i, first_by_key[_signature(long)])

    _join_acronyms(mentions, sets, group_of)
    moved = _join_short_names(mentions, sets, group_of)
    return _build(mentions, sets, group_of, moved)


def _clusters(mentions: Sequence[Mention], sets: DisjointSets) -> dict[int, list[int]]:
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        clusters[sets.find(i)].append(i)
    return clusters


def _join_acronyms(mentions: Sequence[Mention], sets: DisjointSets, group_of: dict[int, str]) -> None:
    clusters = _clusters(mentions, sets)
    by_initials: dict[str, set[int]] = defaultdict(set)
    for root, members in clusters.items():
        for i in members:
            if len(mentions[i].text.split()) > 1 and mentions[i].type in {"ORG", "LOC", "UNK"}:
                for initials in _initials(mentions[i].text):
                    by_initials[initials].add(root)
    for root, members in list(clusters.items()):
        text = mentions[members[0]].text
        if not _ACRONYM.match(text) or any(i in group_of for i in members):
            continue
        candidates = {sets.find(r) for r in by_initials.get(text, set())} - {sets.find(root)}
        if len(candidates) == 1:
            sets.union(root, candidates.pop())


def _join_short_names(
    mentions: Sequence[Mention], sets: DisjointSets, group_of: dict[int, str]
) -> dict[int, int]:
    """Return, for each mention of a shorter name, the root of the longer name's cluster it joins."""
    clusters = _clusters(mentions, sets)
    moved: dict[int, int] = {}
    # Per cluster: its tokens (distinct words), type votes, and mention counts per article.
    tokens: dict[int, frozenset[str]] = {}
    votes: dict[int, Counter[str]] = {}
    per_article: dict[int, Counter[str]] = {}
    first_pos: dict[int, dict[str, int]] = {}
    for root, members in clusters.items():
        tokens[root] = frozenset().union(*(_distinct(mentions[i].text) for i in members))
        votes[root] = Counter(mentions[i].type for i in members)
        per_article[root] = Counter(mentions[i].article for i in members)
        first_pos[root] = {}
        for i in members:
            first_pos[root].setdefault(mentions[i].article, mentions[i].start)
    longest = {
        root: max(len(name_key(mentions[i].text)) for i in members) for root, members in clusters.items()
    }
    containing: dict[str, set[int]] = defaultdict(set)
    for root, words in tokens.items():
        for word in words:
            containing[word].add(root)
    for root, members in clusters.items():
        if any(i in group_of for i in members):
            continue
        mine = tokens[root]
        if not mine:
            continue
        type_ = _vote(votes[root])
        pool = set.intersection(*(containing[w] for w in mine)) - {root}
        candidates = [
            other
            for other in sorted(pool)
            if longest[other] > longest[root]
            and mine < tokens[other]
            and _compatible(type_, _vote(votes[other]))
            and (type_ in _PERSON_TYPES or _only_generic_added(mentions, clusters[other], mine))
        ]
        if not candidates:
            continue
        # Decide per mention: the candidate its own article talks about most, else the corpus' only one.
        for i in members:
            article = mentions[i].article
            local = [c for c in candidates if per_article[c][article] > 0]
            if local:
                best = max(
                    local,
                    key=lambda c: (per_article[c][article], len(clusters[c]), -first_pos[c][article]),
                )
            elif len(candidates) == 1:
                best = candidates[0]
            else:
                continue
            moved[i] = best
    return moved


def _only_generic_added(mentions: Sequence[Mention], members: list[int], mine: frozenset[str]) -> bool:
    return any(_distinct(mentions[i].text) == mine for i in members)


def _compatible(a: str, b: str) -> bool:
    if a == "UNK" or b == "UNK":
        return True
    return a == b


def _vote(counter: Counter[str]) -> str:
    typed = [(n, t) for t, n in counter.items() if t != "UNK"]
    return max(typed)[1] if typed else "UNK"


def _build(
    mentions: Sequence[Mention], sets: DisjointSets, group_of: dict[int, str], moved: dict[int, int]
) -> tuple[list[Mention], list[Entity]]:
    gaz = gazetteer()
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        clusters[moved.get(i, sets.find(i))].append(i)
    ordered = sorted(clusters.values(), key=lambda members: min(members))
    out = list(mentions)
    entities: list[Entity] = []
    for number, members in enumerate(ordered, start=1):
        entity_id = f"E{number}"
        forms = Counter(mentions[i].text for i in members)
        groups = [group_of[i] for i in members if i in group_of]
        type_ = _vote(Counter(mentions[i].type for i in members))
        if groups:
            name = Counter(groups).most_common(1)[0][0]
            entry = gaz.get(name_key(name))
            type_ = entry.type if entry is not None else type_
        else:
            name = max(
                forms,
                key=lambda f: (len(name_key(f)), forms[f], -min(i for i in members if mentions[i].text == f)),
            )
        if type_ == "UNK":
            type_ = "PER"
        aliases = tuple(sorted(f for f in forms if f != name))
        entities.append(Entity(id=entity_id, name=name, type=type_, aliases=aliases, mentions=len(members)))
        for i in members:
            out[i] = replace(mentions[i], entity=entity_id, type=type_)
    return out, entities


_DEFINITION = re.compile(
    r"([A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|dan|untuk|of|the|and|for|&)){1,9})\s*\(([A-Z][A-Z0-9&]{1,9})\)"
)


def inline_acronyms(text: str) -> list[tuple[str, str]]:
    """Find "Long Name (LN)" definitions whose initials match; returns (long name, acronym) pairs."""
    pairs = []
    for match in _DEFINITION.finditer(text):
        long, acronym = match.group(1), match.group(2)
        words = long.split()
        # The definition may start mid-run ("Ketua Komisi Pemberantasan Korupsi (KPK)"): try suffixes.
        for k in range(len(words)):
            candidate = " ".join(words[k:])
            if acronym in _initials(candidate):
                pairs.append((candidate, acronym))
                break
    return pairs
