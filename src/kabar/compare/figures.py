"""Figures across a story: every value the sources give for one figure key, and how the values relate.

Two values of one key are compared as intervals: an exact figure is exact, except a round count ("2.000
rumah") which carries ``ROUND_TOLERANCE``; "sekitar" carries ``ABOUT_TOLERANCE``; "lebih dari"/"sedikitnya"
are open above, "hingga"/"kurang dari" below; "puluhan" spans 10-99; a range is its two ends. Compatible values
**agree**. Incompatible values from two sources are an **update** when they hold for different times (the
later one updates the earlier; a count that only grows, such as a death toll, must not fall), a **correction**
when a sentence says it corrects ("diralat", "direvisi"), and otherwise a **disagreement**. A figure's status
is the strongest relation among its values: correction, disagreement, update, agree.

Only specific keys are compared (``keys``: a bare "13 mobil" is not); the old value of "naik dari A menjadi
B" and a part of a whole ("10 di antaranya") are never in conflict with anything.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from kabar.claims.keys import CHANGING, CUMULATIVE, GROWING, is_person_noun, is_verb, label
from kabar.lang import fold
from kabar.records import Figure, FigureClaim

NAME = "figures.v2"
# A round count (a multiple of 100, at least 100) is a rounded figure: "2.000 rumah" agrees with 2.045.
ROUND_TOLERANCE = 0.05
# "sekitar 7 persen" agrees with 6-7 persen and with 8.
ABOUT_TOLERANCE = 0.2
# Two times closer than this are the same time: outlets publishing a toll within the same news cycle report
# the same count, so different values are a disagreement, not an update.
SAME_TIME_HOURS = 3.0
# For counts that accumulate over a day (deaths, injuries, damage, displaced) two reports an hour or more apart
# hold for two times: tolls are recounted hourly in a disaster's first day, so a later, higher count is an
# update. Decided on half of the compare dev set's events, checked on the other half.
CUMULATIVE_SAME_HOURS = 1.0
# A stated hour and a publication time are the same time when this close (a count "hingga pukul 16.00" and a
# report published at 18.20 are two counts).
MIXED_SAME_HOURS = 1.0
# Two hours stated in the text hold for the same time only when this close: "hingga pukul 20.30" and "hingga
# pukul 20.40" are two counts, the later one an update.
STATED_SAME_MINUTES = 5
# An hour given as "sekitar" allows this many minutes either way; other hours are exact. Outlets four minutes
# apart ("pukul 14.40" / "sekira pukul 14.36") disagree in the compare dev set.
HOUR_TOLERANCE_MINUTES = 1.0
# A place named in the title or lead of at least this share of a story's articles is the story's own place.
# Decided on half of the compare dev set's events, checked on the other half.
STORY_PLACE_SHARE = 0.5
# An amount is another price of a product when within this factor of the story's middle price of it (a
# subsidy of Rp 502 triliun in a sentence naming Pertalite is no price of it).
PRICE_RATIO = 3.0
WEAK_KEYS = frozenset({"percent", "money", "measure", "count", "things"})
"""Keys read off the noun phrase before a number ("kenaikan … 7,8 persen": ``percent:naik``), which may name
different things in two articles: two sources' values of one are compared only when alignment put their
statements in one fact; otherwise they are listed side by side. Decided on the seven events added last to the
compare dev set, checked on the other fourteen."""
THINGS = "things"
"""A bare count of a kind of thing ("12 sepeda motor", "gedung lima lantai", "28 jembatan"): weak (compared only in
aligned statements) and counted like damage, which grows as a story unfolds: a later, higher count is an update, a
later, lower one from another source a dispute."""
SHARE_KEYS = frozenset({"percent", "vote_share"})
"""Shares that several counters estimate at once (pollsters' quick counts): values of two different counters
named in their sentences are two estimates side by side, not a dispute between outlets. Decided on the compare
dev set (pilkada-jakarta-2024)."""
_GENERIC_NAME_WORDS = frozenset(
    ["lembaga", "lingkaran", "survei", "indonesia", "kepala", "badan", "pusat", "research", "center", "the"]
)
_EXACT_KEYS = ("price", "score", "votes", "vote_share", "age", "magnitude", "depth")
_RANK = {"agree": 0, "update": 1, "disagreement": 2, "correction": 3}


@dataclass(frozen=True, slots=True)
class Placed:
    """A figure claim with the index of its source (articles that repeat another's text share it)."""

    claim: FigureClaim
    source: int
    group: int = -1
    """The aligned fact its statement belongs to (-1: unknown)."""


def interval(claim: FigureClaim) -> tuple[float, float]:
    """The values a claim allows."""
    low = claim.low if claim.low is not None else claim.value
    high = claim.high if claim.high is not None else claim.value
    if low is None or high is None:
        return -math.inf, math.inf
    if claim.key.startswith("time:"):  # hours of the day, in minutes: "sekitar pukul 19.57" give or take
        slack = HOUR_TOLERANCE_MINUTES if claim.qualifier == "~" else 0.0
        return low - slack, high + slack
    tol = _tolerance(claim, low, high)
    q = claim.qualifier
    if q in {">", ">="}:
        return low * (1 - tol), math.inf
    if q in {"<", "<="}:
        return -math.inf, high * (1 + tol)
    if q == "<~":
        return high * (1 - ABOUT_TOLERANCE), high
    if q == "~":
        return low * (1 - ABOUT_TOLERANCE), high * (1 + ABOUT_TOLERANCE)
    return low * (1 - tol), high * (1 + tol)


def _tolerance(claim: FigureClaim, low: float, high: float) -> float:
    if claim.key.startswith(_EXACT_KEYS) or low != high:
        return 0.0
    return ROUND_TOLERANCE if low >= 100 and low % 100 == 0 else 0.0


def compatible(a: FigureClaim, b: FigureClaim) -> bool:
    x, y = interval(a), interval(b)
    return x[0] <= y[1] + 1e-9 and y[0] <= x[1] + 1e-9


def _when(time: str | None) -> tuple[str, datetime | None] | None:
    """(day, moment): the day as written (a year, a month or a day) and, when an hour is known, the moment."""
    if not time or not time[:1].isdigit():
        return None
    day = time[:10]
    if "T" not in time:
        return day, None
    try:
        moment = datetime.fromisoformat(time)
    except ValueError:
        return day, None
    return day, moment.replace(tzinfo=None) if moment.tzinfo is None else moment


def _two_officials(a: FigureClaim, b: FigureClaim) -> bool:
    return (
        None not in (a.attribution_entity, b.attribution_entity)
        and a.attribution_entity != b.attribution_entity
    )


def _two_counters(a: FigureClaim, b: FigureClaim) -> bool:
    """Whether two values are counted by two different counters: named, and sharing no word but the words
    common to names of organisations ("Charta Politika" and "Charta Politika Indonesia" are one, and so are
    "Kepala BPS Margo Yuwono" and "Margo"; "Lingkaran Survei Indonesia" and "Indikator" are two)."""
    x, y = _name_words(a.attribution), _name_words(b.attribution)
    return a.attribution is not None and b.attribution is not None and not (x & y) and bool(x or y)


def _name_words(name: str | None) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]{3,}", fold(name or "")) if w not in _GENERIC_NAME_WORDS}


def same_scope(a: FigureClaim, b: FigureClaim) -> bool:
    """Whether two values may measure one figure by their places: the same place, or neither naming one, or
    a place's value at least as large as the unscoped one (a smaller place's value is a part of the whole)."""
    if a.scope == b.scope:
        return True
    if a.scope is not None and b.scope is not None:
        return False
    scoped, whole = (a, b) if a.scope is not None else (b, a)
    return interval(scoped)[1] >= interval(whole)[0]


def same_time(
    a: str | None,
    b: str | None,
    origin_a: str = "",
    origin_b: str = "",
    published_hours: float = SAME_TIME_HOURS,
) -> bool:
    """Whether two figures hold for the same time (unknown times are taken to be the same); two hours both
    stated in the text ("pukul 19.57", "hingga pukul 21.00") are the same within ``STATED_SAME_MINUTES``."""
    x, y = _when(a), _when(b)
    if x is None or y is None:
        return True
    if not (x[0].startswith(y[0]) or y[0].startswith(x[0])):
        return False
    if x[1] is None or y[1] is None:
        return True
    try:
        hours = abs((x[1] - y[1]).total_seconds()) / 3600
    except TypeError:  # one with a zone, one without
        hours = abs((x[1].replace(tzinfo=None) - y[1].replace(tzinfo=None)).total_seconds()) / 3600
    if origin_a == origin_b == "stated":
        return hours < STATED_SAME_MINUTES / 60
    if "stated" in (origin_a, origin_b):
        return hours < MIXED_SAME_HOURS
    return hours < published_hours


def later(a: FigureClaim, b: FigureClaim) -> bool:
    """Whether ``a`` holds for a later time than ``b`` (an old value told again is the earlier)."""
    if (a.phase == "earlier") != (b.phase == "earlier") and not _two_officials(a, b):
        return b.phase == "earlier"
    return (a.time or "") > (b.time or "")


def relation(a: Placed, b: Placed) -> str:
    """How two values of one key relate: agree, update, disagreement or correction."""
    if compatible(a.claim, b.claim):
        return "agree"
    if a.claim.corrected or b.claim.corrected:
        return "correction"
    head = a.claim.key.split(":")[0].split("@")[0]
    if head in SHARE_KEYS and _two_counters(a.claim, b.claim):
        return "agree"  # two counters' estimates, each its own
    weak = head in WEAK_KEYS or not (a.claim.certain and b.claim.certain)
    if a.source != b.source and weak and (a.group < 0 or a.group != b.group):
        return "agree"  # a key read off the noun before the number needs the two statements to state one fact
    if a.source != b.source and head in CUMULATIVE and not same_scope(a.claim, b.claim):
        return "agree"  # two places' figures, or a place's part of a larger whole: not one figure
    if a.claim.updated != b.claim.updated and head in CHANGING and head not in GROWING:
        return "update"  # "parameter update: magnitudo 6,0", "data terbaru"
    if (a.claim.phase == "earlier") != (b.claim.phase == "earlier") and not _two_officials(a.claim, b.claim):
        # An old value told again ("Sebelumnya, 41 orang …") is updated by a current one, never disputes it;
        # but two officials' counts ("Sebelumnya, Kementerian Sosial mencatat 26" beside BNPB's 30) do.
        return "update" if head in CHANGING else "agree"
    hours = CUMULATIVE_SAME_HOURS if head in CUMULATIVE else SAME_TIME_HOURS
    if a.claim.phase == b.claim.phase == "earlier" and a.source != b.source:
        return "disagreement"  # two sources' old values told again hold for the same earlier count
    if same_time(a.claim.time, b.claim.time, a.claim.time_origin, b.claim.time_origin, hours):
        # One source's own values at one time are parts or scopes of one another, not a dispute.
        return "disagreement" if a.source != b.source else "agree"
    if head not in CHANGING and head != THINGS:
        return "disagreement" if a.source != b.source else "agree"  # one fact, whenever it is told
    new, old = (a.claim, b.claim) if later(a.claim, b.claim) else (b.claim, a.claim)
    falling = interval(new)[1] < interval(old)[0]
    if (head in GROWING or head == THINGS) and falling and a.source != b.source:
        return "disagreement"
    return "update"


def story_figures(
    placed: Sequence[Placed], names: dict[str, str], language: str, entities: dict[str, str] | None = None
) -> list[Figure]:
    """The figures of a story, those several sources give first (``entities``: linked entity names, for labels
    such as "usia Agus Riyanto").

    Each key (narrowed to a place when its clause names one place and its article gives a larger figure) gives its
    timeline: every value in time order, status ``update`` when a value changes over time, else ``agree``. Values
    that disagree at one time (or correct each other) give a figure of their own holding just them, status
    ``disagreement`` or ``correction``; the timeline is then kept only when it shows an update."""
    by_key: dict[str, list[Placed]] = {}
    kept = [
        q
        for p in placed
        if p.claim.role in {"value", "previous"} and not (q := _thing_count(p)).claim.key.startswith("~")
    ]
    for p in kept:
        by_key.setdefault(_scoped_key(p, kept), []).append(p)
    figures = []
    for key, found in by_key.items():
        values = _distinct(found)
        comparable = _comparable(key, values)
        told_again = _told_again(key, values, comparable)
        named = ":".join((entities or {}).get(part, part) for part in key.split("@")[0].split(":"))
        text = label(named, language) + _scope_words(values, key)
        disputes = _disputes([p for p in comparable if p not in told_again])
        status = "agree"
        for i, a in enumerate(comparable):
            for b in comparable[i + 1 :]:
                if relation(a, b) == "update":
                    status = "update"
        for dispute_status, members in disputes:
            figures.append(_figure(key, text, dispute_status, members, names))
        if status == "update" or not disputes:
            figures.append(_figure(key, text, status, values, names))
    figures.sort(key=lambda f: (-_RANK[f.status], -len({v.article for v in f.values}), f.key))
    return figures


def _thing_count(p: Placed) -> Placed:
    """A bare count of a kind of thing ("12 sepeda motor", "gedung lima lantai": ``~count:sepeda``,
    ``~count:lantai:pakai``) as a weak ``things:<noun>`` figure (``THINGS``); counts of people are keyed by their
    cues, never so."""
    parts = p.claim.key.split(":")
    if parts[0] != "~count" or len(parts) < 2 or is_person_noun(parts[1]):
        return p
    # The noun with its modifier, as counted: "2 mobil pribadi" is not a count of all the cars ("6 mobil").
    words = [w for w in re.findall(r"[^\W\d_]+", fold(p.claim.unit or "")) if not is_verb(w)][:2]
    thing = "_".join(words) if words[:1] == [parts[1]] else parts[1]
    return Placed(replace(p.claim, key=f"{THINGS}:{thing}", certain=False), p.source, p.group)


def _figure(key: str, text: str, status: str, values: Sequence[Placed], names: dict[str, str]) -> Figure:
    ordered = sorted(values, key=lambda p: (p.claim.time or "", p.source, p.claim.start))
    return Figure(
        key=key,
        label=text,
        status=status,
        values=tuple(p.claim for p in ordered),
        sources=tuple(names.get(p.claim.article, p.claim.article) for p in ordered),
    )


def _scoped_key(p: Placed, placed: Sequence[Placed]) -> str:
    """A value's key, narrowed to its place when it is a part of its article's figure ("di Mamuju ada 37 orang
    meninggal" beside a toll of 84), and to ``:before`` for the old value of "naik dari A menjadi B"."""
    key = p.claim.key + (":before" if p.claim.role == "previous" else "")
    if p.claim.phase in {"aftershock", "second"} and not key.endswith(p.claim.phase):
        key += f":{p.claim.phase}"  # an aftershock's or a second incident's figure is its own
    if p.claim.scope is None or p.claim.value is None:
        return key
    # The article itself tells this key apart by place: a larger toll beside it, or another place's value.
    apart = any(
        q.claim.article == p.claim.article
        and q.claim.key == p.claim.key
        and q.claim.scope != p.claim.scope
        and ((q.claim.value or 0) > p.claim.value or q.claim.scope is not None)
        for q in placed
    )
    return f"{key}@{p.claim.scope}" if apart else key


def _scope_words(values: Sequence[Placed], key: str) -> str:
    if "@" not in key:
        return ""
    return f" ({values[0].claim.scope_text})" if values[0].claim.scope_text else ""


def _comparable(key: str, values: list[Placed]) -> list[Placed]:
    """The values that speak for their article. For a growing count an article's largest value is its figure;
    a smaller one is a part of it ("17 orang meninggal karena ...") unless attributed to someone else."""
    if key.split(":")[0].split("@")[0] not in CUMULATIVE:
        return values
    out = []
    for p in values:
        same = [q for q in values if q.claim.article == p.claim.article]
        top = max(same, key=lambda q: (interval(q.claim)[0], q.claim.time or ""))
        someone_else = p.claim.attribution_entity not in (None, top.claim.attribution_entity)
        if p is top or compatible(p.claim, top.claim) or someone_else or _earlier(p, top):
            out.append(p)
    return out


def _earlier(p: Placed, top: Placed) -> bool:
    """An old value told again beside its article's current one ("Laporan awal menyebut enam orang
    meninggal"): an earlier count, not a part."""
    return p.claim.phase == "earlier" and top.claim.phase != "earlier"


def _told_again(key: str, values: list[Placed], comparable: list[Placed]) -> list[Placed]:
    """The old values told again that speak for their article only as its earlier count: they show updates,
    never a dispute (on the check set, letting them dispute reported only wrong pairs)."""
    if key.split(":")[0].split("@")[0] not in CUMULATIVE:
        return []
    out = []
    for p in comparable:
        same = [q for q in values if q.claim.article == p.claim.article]
        top = max(same, key=lambda q: (interval(q.claim)[0], q.claim.time or ""))
        someone_else = p.claim.attribution_entity not in (None, top.claim.attribution_entity)
        if p is not top and not compatible(p.claim, top.claim) and not someone_else and _earlier(p, top):
            out.append(p)
    return out


def _disputes(values: list[Placed]) -> list[tuple[str, list[Placed]]]:
    """Sets of values in dispute: built greedily from the disagreeing (or correcting) pairs so that within a
    set any two values either dispute each other or are the same value; each set with its status."""
    pairs = []
    for i, a in enumerate(values):
        for j in range(i + 1, len(values)):
            found = relation(a, values[j])
            if found in {"disagreement", "correction"}:
                pairs.append((i, j, found))
    out: list[tuple[str, list[Placed]]] = []
    covered: set[tuple[int, int]] = set()
    for i, j, found in pairs:
        if (i, j) in covered:
            continue
        members, status = [i, j], found
        for k in range(len(values)):
            if k in members:
                continue
            fits = [_fits(values[k], values[m]) for m in members]
            if all(f is not None for f in fits):
                members.append(k)
                status = max([status, *(f for f in fits if f)], key=_RANK.__getitem__)
        covered.update((x, y) for x in members for y in members if x < y)
        out.append((status, [values[k] for k in sorted(members)]))
    return out


def _fits(a: Placed, b: Placed) -> str | None:
    """ "" for the same value, the relation for a dispute, None when the two may not share a dispute set."""
    if (
        a.claim.value is not None
        and a.claim.value == b.claim.value
        and a.claim.qualifier == b.claim.qualifier
    ):
        return ""
    found = relation(a, b)
    return found if found in {"disagreement", "correction"} else None


def _distinct(values: list[Placed]) -> list[Placed]:
    """One value per place in the text (a statement and its clause state the same figure)."""
    seen: set[tuple[str, int, int]] = set()
    out = []
    for p in values:
        at = (p.claim.article, p.claim.start, p.claim.end)
        if at not in seen:
            seen.add(at)
            out.append(p)
    return out


def disputed_pairs(figure: Figure, sources: dict[str, int]) -> list[tuple[FigureClaim, FigureClaim]]:
    """The pairs of values of a disputed figure that disagree or correct each other, one pair per two texts."""
    out: list[tuple[FigureClaim, FigureClaim]] = []
    seen: set[tuple[str, str]] = set()
    placed = [Placed(v, sources.get(v.article, -1)) for v in figure.values]
    for i, a in enumerate(placed):
        for b in placed[i + 1 :]:
            if a.source == b.source or relation(a, b) not in {"disagreement", "correction"}:
                continue
            texts = (a.claim.text, b.claim.text)
            if texts in seen:
                continue
            seen.add(texts)
            out.append((a.claim, b.claim))
    return out


def priced(placed: Sequence[Placed], texts: dict[str, str]) -> list[Placed]:
    """Amounts of money that are a named product's price: an amount keyed by the noun before it ("harganya naik
    dari Rp 5.150 menjadi Rp 6.800" names no product in its clause) whose sentence names exactly one product
    the story prices elsewhere, and which is of the size of that product's other prices, is that product's
    price, so that it meets the other outlets' prices of it."""
    prices: dict[str, list[float]] = {}
    for p in placed:
        if p.claim.key.startswith("price:") and p.claim.value:
            prices.setdefault(p.claim.key.split(":", 1)[1], []).append(p.claim.value)
    if not prices:
        return list(placed)
    out = []
    for p in placed:
        claim = p.claim
        if claim.key.startswith("money:") and claim.value:
            words = set(re.findall(r"[^\W_]+", fold(texts.get(claim.sentence, ""))))
            named = [k for k in prices if set(k.split("_")) <= words]
            if len(named) == 1 and _price_sized(claim.value, prices[named[0]]):
                claim = replace(claim, key=f"price:{named[0]}")
        out.append(Placed(claim, p.source, p.group))
    return out


def _price_sized(value: float, others: list[float]) -> bool:
    middle = sorted(others)[len(others) // 2]
    return middle / PRICE_RATIO <= value <= middle * PRICE_RATIO
