"""Facts from aligned statements and their claims.

An alignment fact holds statements of *different* sources: matches are joined best first, and a match that
would bring a second statement of a source into a fact is left out, so a fact never chains into a group holding
many statements of one source; it is ``shared`` (two or more sources) or ``unique``. A conflict (between two
matched or related statements, or between the values of one figure) is a ``conflict`` fact of its own holding
the statements that disagree: sources may share a fact and still dispute its hour, so a sentence may belong to
several facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np

from kabar.compare.align import Statement
from kabar.compare.features import profile
from kabar.lang import fold
from kabar.records import AnnotatedArticle, Conflict, ConflictValue, Fact, FigureClaim, SentenceRef

NAME = "facts.v3"
# Two quotes are one quote attributed twice when they share this share of the shorter's content words: the seed
# articles' translation variants share 3 of 4; two officials' separate statements about one toll share half.
SAME_QUOTE = 0.7
# A statement naming more places than this lists places; it does not place one claim.
MAX_PLACES = 2
_PLACE_KIND_OF = {
    "kosmodrom": "cosmodrome", "cosmodrome": "cosmodrome", "bandara": "airport", "airport": "airport",
    "pelabuhan": "port", "port": "port", "stadion": "stadium", "stadium": "stadium", "istana": "palace",
    "palace": "palace", "hotel": "hotel", "rsud": "hospital", "rumah": "hospital", "hospital": "hospital",
    "stasiun": "station", "station": "station", "terminal": "terminal", "lapas": "prison", "prison": "prison",
    "masjid": "mosque", "mosque": "mosque", "gunung": "mountain", "mount": "mountain",
}  # fmt: skip
_ORIGIN = frozenset(["dari", "from", "asal", "bertolak", "berangkat"])
_DESTINATION = frozenset(["ke", "menuju", "tujuan", "to", "towards", "mendarat"])
_AS_OF = re.compile(r"\b(?:hingga|sampai|per|as of|until)\b[^,.;]{0,25}$", re.I)
_NOT_ONLY = re.compile(r"\b(?:tidak|tak|bukan) (?:hanya|cuma|sekadar)\b|\bnot only\b", re.I)
# Words that name the kind of a place, not the place: "Desa Cijedil" and "Cijedil" are one place.
_PLACE_KINDS = frozenset(
    [
        "desa",
        "kelurahan",
        "kecamatan",
        "kabupaten",
        "kab",
        "kota",
        "provinsi",
        "dusun",
        "kampung",
        "jalan",
        "jl",
        "pulau",
        "gunung",
        "sungai",
        "village",
        "district",
        "regency",
        "city",
        "province",
        "island",
        "mount",
        "river",
    ]
)


def aligned_groups(
    items: Sequence[Statement], matches: Iterable[tuple[int, int]], prob: np.ndarray
) -> list[int]:
    """The group of each statement: matches joined best first, never two statements of one source in a group."""
    root = list(range(len(items)))
    sources: dict[int, set[int]] = {k: {item.source} for k, item in enumerate(items)}

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for i, j in sorted(matches, key=lambda p: -float(prob[p[0], p[1]])):
        ri, rj = find(i), find(j)
        if ri == rj or sources[ri] & sources[rj]:
            continue
        keep, gone = min(ri, rj), max(ri, rj)
        root[gone] = keep
        sources[keep] |= sources.pop(gone)
    return [find(k) for k in range(len(items))]


def same_place(a: str, b: str) -> bool:
    """Whether two place names name one place once their kind words are set aside ("Desa Cijedil"/"Cijedil")."""
    wa = [w for w in re.findall(r"\w+", fold(a)) if w not in _PLACE_KINDS]
    wb = [w for w in re.findall(r"\w+", fold(b)) if w not in _PLACE_KINDS]
    if not wa or not wb:
        return False
    return wa == wb or " ".join(wa) in " ".join(wb) or " ".join(wb) in " ".join(wa)


def real_conflicts(
    found: list[Conflict], a: Statement, b: Statement, named: dict[str, list[str]]
) -> list[Conflict]:
    """The conflicts of a pair that hold once names are read as entities and figures by key: no numbers
    (figures are compared by key, see ``compare.figures``); no place that is one place ("Desa Cijedil" /
    "Cijedil") or that the other article names too (a source naming both places does not dispute either);
    no speaker or quote conflict unless the two quotes say nearly the same words."""
    out = []
    for conflict in found:
        first, second = conflict.values[0], conflict.values[1]
        if conflict.kind == "number":
            continue
        if conflict.kind == "place" and (
            same_place(first.text, second.text)
            or any(same_place(first.text, n) for n in named.get(second.article, []))
            or any(same_place(second.text, n) for n in named.get(first.article, []))
        ):
            continue
        if conflict.kind in {"speaker", "quote"} and not _same_words(a, b):
            continue
        if conflict.kind == "date" and (_as_of(a, first.text) or _as_of(b, second.text)):
            continue  # "per Jumat (3/1)" says when a count was made, not when anything happened
        if conflict.kind == "place" and max(_places_named(a), _places_named(b)) > MAX_PLACES:
            continue  # a list of places is no one place of a claim
        if conflict.kind == "place" and _place_role(a, first.text) != _place_role(b, second.text):
            continue  # where a flight left from and where it was going are two claims
        if conflict.kind == "place" and not (
            _kind_of(first.text) and _kind_of(first.text) == _kind_of(second.text)
        ):
            continue  # "di Padang Panjang" / "di Kabupaten Agam": places of a story, not two answers to one claim
        if conflict.kind in {"quote", "negation"} and (_NOT_ONLY.search(a.text) or _NOT_ONLY.search(b.text)):
            continue  # "tidak hanya di Jabodetabek": not only, no denial
        out.append(conflict)
    return out


def _as_of(statement: Statement, text: str) -> bool:
    at = statement.sentence.text.find(text)
    return at >= 0 and _AS_OF.search(statement.sentence.text[:at]) is not None


def _kind_of(place: str) -> str | None:
    """The kind of place a name's head word says ("Kosmodrom Vostochny", "Vostochny Cosmodrome": a cosmodrome)."""
    words = re.findall(r"\w+", fold(place))
    for word in (words[:1] + words[-1:]) if len(words) > 1 else []:
        if word in _PLACE_KIND_OF:
            return _PLACE_KIND_OF[word]
    return None


def _place_role(statement: Statement, text: str) -> str:
    """Whether a place is where something came from, where it went, or where it was."""
    at = statement.sentence.text.find(text)
    before = fold(statement.sentence.text[max(0, at - 20) : max(0, at)]).split()[-2:] if at >= 0 else []
    if any(w in _ORIGIN for w in before):
        return "origin"
    if any(w in _DESTINATION for w in before):
        return "destination"
    return "at"


def _places_named(statement: Statement) -> int:
    return len({m.entity or m.text for m in statement.mentions if m.type == "LOC"})


def _same_words(a: Statement, b: Statement) -> bool:
    """Whether a quote of each statement says nearly the same words (``SAME_QUOTE`` of the shorter's content
    words, and at least 3)."""
    for qa in (q for q in a.quotes if q.direct):
        for qb in (q for q in b.quotes if q.direct):
            wa, wb = profile(qa.content).words, profile(qb.content).words
            shared = len(wa & wb)
            if shared >= 3 and shared >= SAME_QUOTE * min(len(wa), len(wb)):
                return True
    return False


def named_places(docs: Sequence[AnnotatedArticle]) -> dict[str, list[str]]:
    """The place names each article mentions."""
    return {doc.article.id: sorted({m.text for m in doc.mentions if m.type == "LOC"}) for doc in docs}


def figure_conflict(a: FigureClaim, b: FigureClaim) -> Conflict:
    return Conflict(
        "number", (ConflictValue(a.article, a.sentence, a.text), ConflictValue(b.article, b.sentence, b.text))
    )


def build_facts(
    items: Sequence[Statement],
    groups: list[int],
    pair_conflicts: dict[tuple[int, int], list[Conflict]],
    extra: list[tuple[list[int], list[Conflict]]],
    agreed: Sequence[list[int]] = (),
    alone: Sequence[int] = (),
) -> list[Fact]:
    """Alignment facts in text order, then the figures sources give alike that alignment left apart
    (``agreed``: statements of different sources) and the figures one source alone gives in a sentence aligned
    with others (``alone``), then the conflict facts of matched or related statements and
    figures (``extra``: members and conflicts), merged when they hold the same statements."""
    members: dict[int, list[int]] = {}
    for k, g in enumerate(groups):
        members.setdefault(g, []).append(k)
    extra = [*extra, *(([i, j], conflicts) for (i, j), conflicts in pair_conflicts.items())]
    facts: list[Fact] = []
    for ks in sorted(members.values(), key=min):
        status = "shared" if len({items[k].source for k in ks}) > 1 else "unique"
        facts.append(_fact(len(facts) + 1, status, [items[k].ref for k in ks], []))
    for ks in agreed:
        if len({groups[k] for k in ks}) > 1:
            facts.append(_fact(len(facts) + 1, "shared", [items[k].ref for k in ks], []))
    for k in alone:  # a figure only this source gives, in a sentence aligned with other sources'
        if len({items[m].source for m in members[groups[k]]}) > 1:
            facts.append(_fact(len(facts) + 1, "unique", [items[k].ref], []))
    merged: dict[tuple[SentenceRef, ...], list[Conflict]] = {}
    for ks, conflicts in extra:
        refs = tuple(
            sorted({items[k].ref for k in ks}, key=lambda r: (r.article, r.sentence, r.span or (0, 0)))
        )
        merged.setdefault(refs, []).extend(conflicts)
    for refs, conflicts in merged.items():
        facts.append(_fact(len(facts) + 1, "conflict", list(refs), _unique(conflicts)))
    return facts


def _fact(number: int, status: str, refs: list[SentenceRef], conflicts: list[Conflict]) -> Fact:
    return Fact(id=f"F{number}", status=status, members=tuple(refs), conflicts=tuple(conflicts))


def _unique(found: list[Conflict]) -> list[Conflict]:
    seen = set()
    out = []
    for conflict in found:
        key = (conflict.kind, tuple((v.article, v.sentence, v.text) for v in conflict.values))
        if key not in seen:
            seen.add(key)
            out.append(conflict)
    return out
