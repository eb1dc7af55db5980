"""Figure claims: each number of a statement with what it measures, its value or range, the time it holds for
and who it is attributed to.

Built on the extractors: quantities (with their counted noun) from ``extract.numbers``, durations from
``extract.dates``, quotes and linked mentions. On top of them: ranges ("6–7 persen", "antara 10 dan 12"),
scores of named teams ("Indonesia menang 3-2 atas Thailand": Indonesia 3, Thailand 2), votes of a named
candidate, prices of a named product, parts of a whole ("13 mobil rusak, 10 di antaranya mobil dinas": the 10
is a part) and old values ("naik dari Rp 6.450 menjadi Rp 7.000": the 6.450 is the previous price).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from kabar.claims.claim import Item, make_claim
from kabar.claims.keys import (
    CUMULATIVE,
    KeyFound,
    anchor_noun,
    clause_bounds,
    clause_window,
    count_key,
    is_price_context,
    magnitude_or_depth,
)
from kabar.claims.moments import durations, hours, weekdays
from kabar.claims.phase import phase
from kabar.lang import cue_pattern, fold
from kabar.records import AnnotatedArticle, FigureClaim, Mention, Quantity, Sentence

NAME = "figure-claims.v2"
_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|hingga|sampai|s\.d\.?|to)\s*$", re.I)
_BETWEEN = re.compile(r"(?:antara|between)\s+$", re.I)
_PART_BEFORE = re.compile(r"(?:di antaranya|diantaranya|of them|among them|termasuk|including)\s*$", re.I)
_PART_AFTER = re.compile(r"^\s*(?:[^\W\d_]+\s+){0,2}(?:di antaranya|diantaranya|of them|among them)\b", re.I)
# A count broken down by cause ("17 orang meninggal karena terseret arus"): a part of the toll.
_CAUSE_AFTER = re.compile(r"^\s*(?:[^\W\d_]+\s+){0,3}karena\b", re.I)
_CAUSE_SENTENCE = re.compile(r"\b(?:faktor penyebab|penyebabnya|by cause)\b", re.I)
# A figure expected, not counted ("diperkirakan akan mencapai 50 orang", "could rise to 50").
_PROJECTION_BEFORE = re.compile(
    r"\b(?:akan|kemungkinan|diperkirakan|diprediksi|berpotensi|bisa|could|may|might|expected|likely)\b"
    r"[^,;.]{0,60}$",
    re.I,
)
_PREVIOUS = re.compile(r"(?:\bdari|\bfrom)\s+$", re.I)
_NEW_VALUE = re.compile(r"^[^,;.]{0,30}?\b(?:menjadi|ke|to)\s", re.I)
_COORDINATE = re.compile(r"^\s*(?:°|derajat\b|LS\b|LU\b|BT\b|BB\b|[NSEW]\b)")
_PLACE_WORDS = frozenset(
    ["kecamatan", "kabupaten", "desa", "kelurahan", "kota", "nagari", "dusun", "provinsi"]
)
# Words before a place that make it where a figure holds.
_LOCATIVE = frozenset(["di", "in", "at", "wilayah", "kawasan", "daerah", "se", "within", "across"])
_FRONTED = re.compile(r"^\W*(?:[Dd]i|[Ii]n|[Aa]t)\s+(?P<place>(?:[A-Z][\w'’-]*\s*){1,4}),")
_REPORTING_SUBJECT = re.compile(
    rf"^\W*(?P<name>(?:[A-Z][\w'’-]*\s+){{1,4}})(?:juga\s+|telah\s+|sudah\s+)?(?:{cue_pattern('reporting')})\b"
)
_NOT_SUBJECT = frozenset({"Data", "Laporan", "Pihaknya", "Ia", "Dia", "Mereka", "He", "She", "They", "The"})
_DATELINE = re.compile(r"^\s*(?:\(|[-–—]|,\s*[A-Z]{2,}|[A-Z]{2,})")
_AGE_AFTER_NAME = re.compile(r"(?P<name>(?:[A-Z][\w'’-]+\s){0,3}[A-Z][\w'’-]+)\s?\($")
_BECOMES_NEXT = re.compile(r"^\s*(?:per \w+\s+)?menjadi\s", re.I)
_PHONE = re.compile(
    r"\b(?:hotline|telepon|telp|tel|nomor|no\.|call center|whatsapp|wa|sms)\b[^,;.]{0,25}$", re.I
)
_SCORE = re.compile(r"(?<![\d.,:/])(?P<a>\d{1,2})\s?[-–]\s?(?P<b>\d{1,2})(?![\d.,:/])")
_OPPONENT = re.compile(
    r"\b(?:atas|dari|melawan|kontra|lawan|menghadapi|versus|vs\.?|against|over|to|from)\s+$", re.I
)
_PRODUCT_STOP = frozenset(
    [
        "jenis",
        "bbm",
        "jenis",
        "harga",
        "untuk",
        "per",
        "di",
        "naik",
        "turun",
        "menjadi",
        "sebesar",
        "dari",
        "rp",
        "the",
        "of",
        "price",
        "prices",
        "at",
        "to",
    ]
)


def figure_claims(
    doc: AnnotatedArticle, sentence: Sentence, span: tuple[int, int] | None = None
) -> list[FigureClaim]:
    """The figure claims of a sentence, or of the clause ``span`` (offsets within the sentence) of it."""
    lo, hi = span if span is not None else (0, len(sentence.text))
    base = sentence.start
    mentions = [m for m in doc.mentions if base <= m.start < sentence.end]
    out: list[FigureClaim] = []
    taken: list[tuple[int, int]] = []
    for start, end, key, value in _scores(sentence.text, mentions, base):
        if lo <= start < hi:
            out.append(make_claim(doc, sentence, start, end, key, Item(start, end, value, value, value, "goals",
                                                                     "score", None)))  # fmt: skip
        taken.append((start, end))
    for item in _items(doc, sentence, lo, hi):
        if any(item.start < e and s < item.end for s, e in taken):
            continue
        if _COORDINATE.match(sentence.text[item.end :]) or _plate(sentence.text, item):
            continue
        found = _key(item, sentence.text, mentions, base, doc.article.language != "en")
        if found is None:
            continue
        role = _role(sentence.text, item)
        key = found.key if found.specific else f"~{found.key}"
        claim = make_claim(doc, sentence, item.start, item.end, key, item, role)
        scope, scope_text = _scope(sentence.text, item, mentions, base)
        stage = phase(sentence.text, item.start, item.end, key)
        out.append(replace(claim, scope=scope, scope_text=scope_text, phase=stage, certain=not found.far))
    out.extend(durations(doc, sentence, lo, hi))
    out.extend(hours(doc, sentence, lo, hi))
    out.extend(weekdays(doc, sentence, lo, hi))
    out.sort(key=lambda c: c.start)
    return _breakdowns(out)


def _items(doc: AnnotatedArticle, sentence: Sentence, lo: int, hi: int) -> list[Item]:
    """The sentence's quantities within ``lo``-``hi``, adjacent ones joined into ranges."""
    base = sentence.start
    quantities = [
        q
        for q in doc.quantities
        if sentence.start <= q.start < sentence.end and lo <= q.start - base < hi and q.value is not None
    ]
    items: list[Item] = []
    k = 0
    while k < len(quantities):
        q = quantities[k]
        nxt = quantities[k + 1] if k + 1 < len(quantities) else None
        between = sentence.text[q.end - base : nxt.start - base] if nxt is not None else ""
        if nxt is not None and nxt.value is not None and q.value is not None and _joins(q, nxt, between):
            low, high = sorted((q.value, nxt.value))
            items.append(Item(q.start - base, nxt.end - base, None, low, high, nxt.unit, nxt.kind, None))
            k += 2
            continue
        items.append(_single(q, base))
        k += 1
    return items


def _plate(text: str, item: Item) -> bool:
    """A number plate ("T 7591 TB", "AD 1507 EH"), a telephone number ("hotline 021-806 378 17"), a code with a
    leading zero or a code after capital letters ("SJ 182") is no figure."""
    if re.match(r"0\d", text[item.start : item.end]) or _PHONE.search(text[: item.start]):
        return True
    if re.search(r"\b[A-Z]{2,}\s$", text[: item.start]) and re.match(r"^\s[A-Z]{2,}\b", text[item.end :]):
        return True  # a number inside a name of acronyms ("SMK 1 PGRI")
    if _code(text, item):
        return True  # a code after letters, counting nothing: a flight ("SJ 182"), a year ("UMP 2023")
    return bool(re.search(r"\b[A-Z]{1,2}\s?$", text[: item.start])) and bool(
        re.match(r"^\s?[A-Z]{1,3}\b", text[item.end :])
    )


def _code(text: str, item: Item) -> bool:
    whole = item.value is not None and float(item.value).is_integer()
    counts_nothing = item.unit is None and item.kind == "count"
    return whole and counts_nothing and re.search(r"\b[A-Z]{2,4}\s$", text[: item.start]) is not None


def _joins(q: Quantity, nxt: Quantity, between: str) -> bool:
    if q.unit not in (None, nxt.unit) and q.kind == nxt.kind == "count":
        return False
    return _RANGE_JOIN.match(between) is not None


def _single(q: Quantity, base: int) -> Item:
    value = q.value
    qualifier = q.qualifier
    if fold(q.text).startswith(("mencapai", "sebanyak")):
        qualifier = None  # "mencapai 268 orang": the count reached 268
    low: float | None = value
    high: float | None = value
    if qualifier in {"tens", "hundreds", "thousands", "millions", "billions", "dozens"} and value:
        low, high = value, value * 10 - 1
    elif qualifier == "teens" and value:
        low, high = 11.0, 19.0  # "belasan": eleven to nineteen
    elif qualifier == "several":
        low, high = 2.0, 9.0
    return Item(q.start - base, q.end - base, value, low, high, q.unit, q.kind, qualifier, q.of)


def _key(item: Item, text: str, mentions: list[Mention], base: int, head_first: bool) -> KeyFound | None:
    before, after = clause_window(text, item.start, item.end)
    bracketed = _AGE_AFTER_NAME.search(text[: item.start])
    if item.kind == "count" and bracketed and text[item.end :].startswith(")") and (item.value or 0) < 120:
        return KeyFound(f"age:{fold(bracketed.group('name'))}", True)  # "Elmufida Ullya (24)"
    if item.kind == "age":
        owner = next(
            (m for m in mentions if m.entity == item.of or fold(m.text) == fold(item.of or "")), None
        )
        # Keyed by the name as written, so that an article whose mention was not linked still meets the others.
        owner_key = fold(owner.text) if owner is not None else fold(item.of or "")
        return KeyFound(f"age:{owner_key}", bool(owner_key))
    if item.kind == "count" and re.match(r"M\d", text[item.start : item.end]):
        return KeyFound(magnitude_or_depth(["magnitudo", *before], after, item.kind) or "magnitude", True)
    special = magnitude_or_depth(before, after, item.kind)
    if special is not None:
        return KeyFound(special, True)
    unit_words = [fold(w) for w in re.findall(r"\w+", item.unit or "")]
    if item.kind == "count" and (unit_words[:1] == ["suara"] or unit_words[:1] == ["votes"]):
        candidate = _candidate(mentions, base + item.start, base)
        return KeyFound(f"votes:{candidate}", True) if candidate else None
    if item.kind == "percent":
        if "suara" in after[:2] or "votes" in after[:3] or "vote" in after[:3]:
            candidate = _candidate(mentions, base + item.start, base)
            return KeyFound(f"vote_share:{candidate}", True) if candidate else None
        noun = anchor_noun(before, head_first)
        return KeyFound(f"percent:{noun}", True) if noun else None
    if item.kind == "money":
        product = _product(text, item.start, before)
        if product is not None and _names_a_party(product, text, mentions, base):
            product = None  # "politikus Partai NasDem … Rp 8,3 triliun": an organisation, not a product
        if product is not None and (is_price_context(before) or _near_name(text, item.start)):
            return KeyFound(f"price:{product}", True)
        noun = anchor_noun(before, head_first)
        return KeyFound(f"money:{noun}", True) if noun else None
    if item.kind == "measure":
        noun = anchor_noun(before, head_first)
        return KeyFound(f"measure:{item.unit}:{noun}", True) if noun else None
    return count_key(item.unit, before, after)


def _names_a_party(product: str, text: str, mentions: list[Mention], base: int) -> bool:
    """Whether a would-be product is part of a person's name or a name of several words ("Partai NasDem")."""
    for m in mentions:
        words = [fold(w) for w in m.text.split()]
        if product.split("_")[0] in words and (m.type == "PER" or len(words) > 1):
            return True
    return False


def _near_name(text: str, start: int) -> bool:
    """Whether a capitalised name comes within four words before an amount ("Solar subsidi naik dari Rp 5.150")."""
    return any(w[:1].isupper() for w in re.findall(r"[^\W\d_]+", text[:start])[-4:])


def _candidate(mentions: list[Mention], at: int, base: int) -> str | None:
    """The person or party a vote count belongs to: the nearest name before the number (else after it)."""
    named = [m for m in mentions if m.type in {"PER", "ORG", "UNK"}]
    before = [m for m in named if m.end <= at]
    after = [m for m in named if m.start >= at]
    pick = before[-1] if before else (after[0] if after else None)
    if pick is None:
        return None
    return pick.entity or fold(pick.text)


def _product(text: str, start: int, before: list[str]) -> str | None:
    """The named product a price is for: the words after "harga" ("harga Pertalite", "harga beras medium"),
    else the nearest capitalised word before the amount in its clause ("Pertalite naik menjadi Rp 10.000")."""
    left = text[:start]
    clause = re.split(r"[,;:]|\s(?:sedangkan|while|dan|and)\s", left)[-1]
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", clause)
    if is_price_context(before):
        at = max(k for k, w in enumerate(words) if fold(w) in {"harga", "price", "prices", "tarif"})
        picked = [w for w in words[at + 1 : at + 4] if fold(w) not in _PRODUCT_STOP]
        capital = [w for w in picked if w[:1].isupper()]
        name = capital[:1] or picked[:2]
        if name:
            return "_".join(fold(w) for w in name)
    opening = clause[: clause.find(words[0])] if words else ""
    # A capital opening the sentence names nothing; after a quotation mark or inside a sentence it may.
    first = 0 if len(clause) < len(left) or any(q in opening for q in "\"“'") else 1
    for word in reversed(words[first:]):
        if word[:1].isupper() and fold(word) not in _PRODUCT_STOP and len(word) > 2:
            return fold(word)
    return None


def _role(text: str, item: Item) -> str:
    before, after = text[: item.start], text[item.end :]
    if _PART_BEFORE.search(before) or _PART_AFTER.match(after):
        return "part"
    if item.kind == "count" and (_CAUSE_AFTER.match(after) or _CAUSE_SENTENCE.search(text)):
        return "part"
    if (_PREVIOUS.search(before) and _NEW_VALUE.match(after)) or _BECOMES_NEXT.match(after):
        return "previous"
    if _PROJECTION_BEFORE.search(before):
        return "projection"
    return "value"


def _breakdowns(claims: list[FigureClaim]) -> list[FigureClaim]:
    """In a sentence giving several counts of one growing key ("17 orang ..., lima orang ..., tiga orang"),
    the largest is the figure and the others are its parts."""
    by_key: dict[str, list[FigureClaim]] = {}
    for c in claims:
        if c.role == "value" and c.key.split(":")[0].split("@")[0] in CUMULATIVE and c.value is not None:
            by_key.setdefault(c.key, []).append(c)
    parts: set[int] = set()
    for found in by_key.values():
        if len(found) > 1:
            top = max(found, key=lambda c: c.value or 0)
            # A part naming its place ("di Mamuju ada 37") stays a value: that place's own figure.
            parts.update(id(c) for c in found if c is not top and c.scope is None)
    return [replace(c, role="part") if id(c) in parts else c for c in claims]


def _scope(text: str, item: Item, mentions: list[Mention], base: int) -> tuple[str | None, str | None]:
    """The one place named in the figure's clause ("empat orang tewas di Pulogadung"), if only one is."""
    lo, hi = clause_bounds(text, item.start, item.end)
    places = [
        m
        for m in mentions
        if (m.type in {"LOC", "UNK"} or fold(m.text.split()[0]) in _PLACE_WORDS)
        and m.entity
        and lo <= m.start - base < hi
        and _locative(text[lo : m.start - base], text[m.end - base :])
    ]
    if not places:
        return _fronted(text, item, mentions, base) if _FRONTED.match(text) else _subject(text, item)
    if len({m.entity for m in places}) != 1:
        return None, None
    return places[0].entity, places[0].text


def _fronted(text: str, item: Item, mentions: list[Mention], base: int) -> tuple[str | None, str | None]:
    """The place of a sentence-opening locative phrase ("Di Pesisir Selatan, korban jiwa tercatat 23 orang"),
    which holds for the figures after its comma: its linked entity, else the name as written."""
    opening = _FRONTED.match(text)
    if opening is None or opening.end() > item.start:
        return None, None
    linked = {m.entity: m.text for m in mentions if m.entity and m.start - base < opening.end()}
    if len(linked) == 1:
        return next(iter(linked.items()))
    name = opening.group("place").strip()
    return (f"~{fold(name)}", name) if not linked else (None, None)


def _subject(text: str, item: Item) -> tuple[str | None, str | None]:
    """The name as written of a capitalised subject opening the figure's clause before a reporting verb
    ("Pesisir Selatan mencatat 16 korban"), when the name is not linked as a place; the story keeps it as a
    scope only when it names that place elsewhere (``compare.figures.same_places``)."""
    lo, _ = clause_bounds(text, item.start, item.end)
    found = _REPORTING_SUBJECT.match(text[lo : item.start])
    if found is None or (lo == 0 and found.group("name").split()[0] in _NOT_SUBJECT):
        return None, None
    name = found.group("name").strip()
    return f"~{fold(name)}", name


def _locative(before: str, after: str) -> bool:
    """Whether a place named after ``before`` is where a figure holds ("di Mamuju", "in Majene"), not where
    something came from or went ("dari arah Magelang", "flying to Pontianak"); a place opening the figure's
    clause is its subject ("Kabupaten Bogor mencatat 16 korban")."""
    words = [fold(w) for w in re.findall(r"[^\W\d_]+", before)[-2:]]
    if not words:
        return not _DATELINE.match(after)  # "Surabaya (ANTARA News) -" says where the report was filed
    return words[-1] in _LOCATIVE


def _scores(text: str, mentions: list[Mention], base: int) -> Iterator[tuple[int, int, str, float]]:
    """(start, end, key, goals) for each side of a score between two named teams."""
    for match in _SCORE.finditer(text):
        first = [m for m in mentions if m.end - base <= match.start()]
        second = [
            m
            for m in mentions
            if m.start - base >= match.end() and _OPPONENT.search(text[match.end() : m.start - base])
        ]
        if not first or not second:
            continue
        team_a, team_b = first[-1], second[0]
        if (team_a.entity or team_a.text) == (team_b.entity or team_b.text):
            continue
        for team, goals in ((team_a, match.group("a")), (team_b, match.group("b"))):
            yield match.start(), match.end(), f"score:{team.entity or fold(team.text)}", float(goals)
