"""Numbers and quantities: numerals in Indonesian and English notation, Indonesian and English number words
("dua belas", "puluhan juta", "lima persen"), scale words, money, percentages, measures, what is counted,
qualifiers ("lebih dari", "sekitar") and ages in the "Putin, 70," pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from kabar.lang import LETTER_WORD, is_stopword
from kabar.records import DateRef, Mention, Quantity, Sentence

NAME = "numbers.v1"

DIGITS = {
    "nol": 0, "satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000,
    "sejuta": 1_000_000, "setengah": 0.5, "separuh": 0.5,
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "half": 0.5,
}  # fmt: skip
MULTIPLIERS = {"belas": None, "puluh": 10, "ratus": 100, "ribu": 1_000, "juta": 1_000_000,
               "miliar": 1_000_000_000, "milyar": 1_000_000_000, "triliun": 1_000_000_000_000,
               "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000,
               "hundred": 100}  # fmt: skip
# Vague amounts: the lower bound, and a qualifier saying it is one.
VAGUE = {"puluhan": (10, "tens"), "belasan": (11, "teens"), "ratusan": (100, "hundreds"),
         "ribuan": (1_000, "thousands"), "jutaan": (1_000_000, "millions"), "miliaran": (1_000_000_000, "billions"),
         "beberapa": (None, "several"), "several": (None, "several"), "a few": (None, "several"),
         "dozens": (12, "dozens"), "hundreds": (100, "hundreds"), "thousands": (1_000, "thousands"),
         "millions": (1_000_000, "millions")}  # fmt: skip

_WORDS = sorted(set(DIGITS) - {"se"} | set(MULTIPLIERS) | {"sebelas"}, key=len, reverse=True)
NUMBER_WORDS_RE = (
    r"(?:(?:" + "|".join(_WORDS) + r")(?:[\s-]+(?:" + "|".join(_WORDS) + r"|dan|and))*(?<!dan)(?<!and))"
)
_NUMERAL = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_SCALE = r"(?:\s*(?P<scale>ribu|juta|miliar|milyar|triliun|thousand|million|billion|trillion|rb|jt|M|T)\b)?"
_VAGUE = r"(?P<vague>puluhan|belasan|ratusan|ribuan|jutaan|miliaran|dozens|hundreds|thousands|millions)"
_QUALIFIER = (
    r"(?:(?P<qual>lebih dari|lebih|di atas|sekitar|kira-kira|hampir|kurang dari|setidaknya|sedikitnya|"
    r"paling sedikit|hingga|mencapai|sebanyak|more than|over|about|around|nearly|almost|at least|up to|"
    r"less than)\s+)?"
)
_CURRENCY = r"(?P<cur>Rp\.?|US\$|USD|\$|€|EUR|£|¥|IDR)\s?"
_BODY = (
    rf"{_QUALIFIER}(?:{_CURRENCY})?(?:(?P<num>{_NUMERAL}){_SCALE}|{_VAGUE}(?:\s+(?P<vscale>ribu|juta|miliar|"
    rf"milyar|triliun))?|(?P<words>{NUMBER_WORDS_RE}))(?!\w)"
)
QUANTITY = re.compile(rf"(?<![\w.,/-]){_BODY}", re.I)
# The second end of a range written with a dash and no spaces ("sedalam 20-30 meter"): a number right after
# "<digit>-", read as a quantity only when a measure or percent follows it, so that a score ("unggul 2-1") or a
# model code ("Boeing 737-8") is never one; ``claims.figures`` joins the two ends into a range.
_DASH_END = re.compile(r"(?<=\d)[-–](?=\d)")
_RANGE_END = re.compile(_BODY, re.I)
_UNITS = {
    "persen": ("percent", "%"), "%": ("percent", "%"), "per sen": ("percent", "%"), "percent": ("percent", "%"),
    "rupiah": ("money", "IDR"), "dolar": ("money", "USD"), "dollar": ("money", "USD"), "dollars": ("money", "USD"),
    "euro": ("money", "EUR"), "yen": ("money", "JPY"), "won": ("money", "KRW"), "rubel": ("money", "RUB"),
    "yuan": ("money", "CNY"), "ringgit": ("money", "MYR"),
    "km": ("measure", "km"), "kilometer": ("measure", "km"), "meter": ("measure", "m"), "meters": ("measure", "m"),
    "metres": ("measure", "m"), "m": ("measure", "m"),
    "cm": ("measure", "cm"), "mm": ("measure", "mm"), "kg": ("measure", "kg"), "kilogram": ("measure", "kg"),
    "gram": ("measure", "g"), "ton": ("measure", "t"), "liter": ("measure", "l"), "hektare": ("measure", "ha"),
    "hektar": ("measure", "ha"), "ha": ("measure", "ha"), "mil": ("measure", "mi"), "miles": ("measure", "mi"),
    "kilometers": ("measure", "km"), "derajat": ("measure", "°"), "knot": ("measure", "kn"),
    "megawatt": ("measure", "MW"), "mw": ("measure", "MW"),
}  # fmt: skip
_CURRENCIES = {"rp": "IDR", "rp.": "IDR", "idr": "IDR", "us$": "USD", "usd": "USD", "$": "USD", "€": "EUR",
               "eur": "EUR", "£": "GBP", "¥": "JPY"}  # fmt: skip
_QUALIFIER_CODES = {"lebih dari": ">", "lebih": ">", "di atas": ">", "more than": ">", "over": ">",
                    "sekitar": "~", "kira-kira": "~", "about": "~", "around": "~", "hampir": "<~",
                    "nearly": "<~", "almost": "<~", "kurang dari": "<", "less than": "<", "setidaknya": ">=",
                    "sedikitnya": ">=", "paling sedikit": ">=", "at least": ">=", "hingga": "<=",
                    "mencapai": "<=", "up to": "<=", "sebanyak": None}  # fmt: skip
# Never the counted noun of a number, beside the stop words.
_NOT_COUNTED = frozenset({"orang-orang"})
# A magnitude written against its "M" ("gempa M6,0", "M 5.6" is read as a number after a word).
_GLUED_MAGNITUDE = re.compile(r"(?<![\w.,])M(?P<num>\d(?:[.,]\d{1,2})?)(?![\w.,]?\d)")
_VERB_PREFIX = re.compile(r"^(me|mem|men|meng|meny|di|ber|ter|ke)[a-z]{3,}")
_AGE = re.compile(r"^,\s*(?P<age>\d{1,3})\s*(?:tahun\s*)?[,)]")
_AGE_WORDS = re.compile(r"\b(?:berusia|berumur|usia|umur|aged?)\s+(?P<age>\d{1,3})(?:\s+tahun)?\b", re.I)


def parse_number(raw: str, english: bool = False) -> float | None:
    """Parse a numeral ("1.500", "5,75", "10.30") or Indonesian/English number words ("dua belas")."""
    raw = raw.strip().lower()
    if not raw:
        return None
    if raw[0].isdigit():
        return _parse_numeral(raw, english)
    if raw in VAGUE:
        return VAGUE[raw][0]
    return _parse_words(raw)


def _parse_numeral(raw: str, english: bool) -> float | None:
    if english:
        raw = raw.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", raw):
        raw = raw.replace(".", "").replace(",", ".")
    else:
        raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return None


def _parse_words(raw: str) -> float | None:
    words = [w for w in re.split(r"[\s-]+", raw) if w and w not in {"dan", "and"}]
    total = group = last = 0.0
    for word in words:
        if word in {"seratus", "seribu", "sejuta"}:
            value = DIGITS[word]
            if value == 100:
                group += last + 100
            else:
                total += group + last + value
                group = 0
            last = 0
        elif word in DIGITS:
            group += last
            last = DIGITS[word]
        elif word == "belas":
            group += (last or 1) + 10
            last = 0
        elif word in {"puluh", "ratus", "hundred"}:
            group += (last or 1) * (10 if word == "puluh" else 100)
            last = 0
        elif word in MULTIPLIERS:
            total += (group + last or 1) * (MULTIPLIERS[word] or 1)
            group = last = 0
        else:
            return None
    return total + group + last


def extract_quantities(
    article_id: str,
    sentences: Iterable[Sentence],
    dates: Sequence[DateRef],
    mentions: Sequence[Mention],
    english: bool = False,
) -> list[Quantity]:
    """Find quantities in the non-boilerplate sentences, leaving out numbers inside dates and names."""
    blocked = [(d.start, d.end) for d in dates] + [(m.start, m.end) for m in mentions]
    found: list[Quantity] = []
    for sentence in sentences:
        if sentence.boilerplate:
            continue
        found.extend(_ages(article_id, sentence, mentions, blocked))
        taken = [(q.start, q.end) for q in found]
        for match in QUANTITY.finditer(sentence.text):
            end = sentence.start + match.end()
            num_start = sentence.start + match.start(_first_group(match))
            if any(num_start < e and s < end for s, e in blocked + taken):
                continue
            quantity = _quantity(article_id, sentence, match, english)
            if quantity is not None:
                found.append(quantity)
                taken.append((quantity.start, quantity.end))
        found.extend(_range_ends(article_id, sentence, blocked + taken, english))
        for match in _GLUED_MAGNITUDE.finditer(sentence.text):
            start, end = sentence.start + match.start(), sentence.start + match.end()
            if not any(start < e and s < end for s, e in blocked + taken):
                value = _parse_numeral(match.group("num"), english)
                found.append(Quantity(article_id, start, end, match.group(), value, None, "count", None))
    found.sort(key=lambda q: q.start)
    return found


def _range_ends(
    article_id: str, sentence: Sentence, taken: list[tuple[int, int]], english: bool
) -> list[Quantity]:
    out = []
    for dash in _DASH_END.finditer(sentence.text):
        match = _RANGE_END.match(sentence.text, dash.end())
        if match is None or not match.group("num") or match.group("qual"):
            continue
        quantity = _quantity(article_id, sentence, match, english)
        overlaps = quantity is not None and any(quantity.start < e and s < quantity.end for s, e in taken)
        if quantity is not None and quantity.kind in {"measure", "percent"} and not overlaps:
            out.append(quantity)
    return out


def _first_group(match: re.Match[str]) -> str:
    for name in ("cur", "num", "vague", "words"):
        if match.group(name):
            return name
    return "num"


def _quantity(article_id: str, sentence: Sentence, match: re.Match[str], english: bool) -> Quantity | None:
    g = match.groupdict()
    text = sentence.text
    qualifier = _QUALIFIER_CODES.get((g.get("qual") or "").lower())
    value: float | None
    if g.get("num"):
        value = _parse_numeral(g["num"], english)
        scale = (g.get("scale") or "").lower()
        if scale:
            value = None if value is None else value * _scale(scale)
    elif g.get("vague"):
        base, vague_q = VAGUE[g["vague"].lower()]
        value = float(base) if base is not None else None
        if g.get("vscale") and value is not None:
            value *= _scale(g["vscale"].lower())
        qualifier = qualifier or vague_q
    else:
        words = g["words"].lower()
        if words in {"se", "satu"} and _is_article_satu(text, match):
            return None
        value = _parse_words(words)
        if value is None:
            return None
    end = match.end()
    kind, unit = "count", None
    if g.get("cur"):
        kind, unit = "money", _CURRENCIES.get(g["cur"].lower().strip(), g["cur"].strip())
    rest = text[end:]
    unit_match = re.match(r"\s*(per sen|%|[A-Za-z]+)", rest)
    if unit_match is not None:
        word = unit_match.group(1)
        if word.lower() in _UNITS and (word != "m" or kind != "money"):
            kind_u, unit = _UNITS[word.lower()]
            kind = kind if kind == "money" else kind_u
            end += unit_match.end()
        elif unit is None:
            counted = _counted(rest)
            if counted is not None:
                unit, counted_end = counted
                end += counted_end
    if g.get("words") and unit is None and kind == "count":
        return None  # a bare number word ("satu", "dua") with nothing counted is rarely a quantity
    start = match.start()
    while start < end and text[start].isspace():
        start += 1
    return Quantity(
        article=article_id,
        start=sentence.start + start,
        end=sentence.start + end,
        text=text[start:end],
        value=value,
        unit=unit,
        kind=kind,
        qualifier=qualifier,
    )


def _scale(word: str) -> float:
    return {"rb": 1_000, "jt": 1_000_000, "m": 1_000_000_000, "t": 1_000_000_000_000}.get(
        word, MULTIPLIERS.get(word) or 1
    )


def _is_article_satu(text: str, match: re.Match[str]) -> bool:
    before = text[: match.start()].lower().rstrip()
    return before.endswith(("salah", "satu", "se"))


def _counted(rest: str) -> tuple[str, int] | None:
    """What a number counts, and where it ends: the one or two nouns after it ("dua misil balistik")."""
    if not rest[:1].isspace():
        return None
    picked: list[re.Match[str]] = []
    for match in LETTER_WORD.finditer(rest[:60]):
        word = match.group(0)
        low = word.lower()
        gap = rest[picked[-1].end() if picked else 0 : match.start()]
        if len(picked) == 2 or gap.strip() or "\n" in gap:
            break
        if low in _NOT_COUNTED or is_stopword(low) or _VERB_PREFIX.match(low) or not word[:1].islower():
            break
        picked.append(match)
    if not picked:
        return None
    return " ".join(m.group(0) for m in picked), picked[-1].end()


def _ages(
    article_id: str, sentence: Sentence, mentions: Sequence[Mention], blocked: list[tuple[int, int]]
) -> list[Quantity]:
    """Ages: "Putin, 70," or "Putin (70)" after a person, and "berusia 70 tahun"."""
    out: list[Quantity] = []
    for mention in mentions:
        if mention.type not in {"PER", "UNK"} or not (sentence.start <= mention.end <= sentence.end):
            continue
        rest = sentence.text[mention.end - sentence.start :]
        match = _AGE.match(rest) or re.match(r"^\s*\((?P<age>\d{1,3})\)", rest)
        if match is None:
            continue
        s = mention.end + match.start("age")
        e = mention.end + match.end("age")
        out.append(Quantity(article_id, s, e, sentence.text[s - sentence.start : e - sentence.start],
                            float(match.group("age")), "tahun", kind="age", of=mention.text))  # fmt: skip
    for match in _AGE_WORDS.finditer(sentence.text):
        s, e = sentence.start + match.start(), sentence.start + match.end()
        if not any(s < be and bs < e for bs, be in blocked):
            out.append(
                Quantity(article_id, s, e, match.group(0), float(match.group("age")), "tahun", kind="age")
            )
    return out
