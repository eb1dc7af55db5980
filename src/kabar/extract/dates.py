"""Dates, times, periods and durations, normalised to ISO 8601 relative to a reference date.

The reference is the article's publication date, or else the latest full date the article itself states.
Handles Indonesian news forms ("Rabu (13/9)", "13 September 2023", "bulan Juli", "awal 2022",
"pukul 10.30 WIB", "dua hari lalu") and durations ("18 bulan" -> P18M, "40 detik" -> PT40S), and the
English equivalents. Regular expressions, not dateparser: dateparser misreads "10.30" and is slow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from kabar.extract.numbers import NUMBER_WORDS_RE, parse_number
from kabar.records import DateRef, Sentence

NAME = "dates.v2"

MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "ags": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "senin": 0, "monday": 0, "selasa": 1, "tuesday": 1, "rabu": 2, "wednesday": 2, "kamis": 3, "thursday": 3,
    "jumat": 4, "jum'at": 4, "friday": 4, "sabtu": 5, "saturday": 5, "minggu": 6, "ahad": 6, "sunday": 6,
}  # fmt: skip
UNITS = {
    "detik": "S", "second": "S", "seconds": "S", "menit": "MIN", "minute": "MIN", "minutes": "MIN",
    "jam": "H", "hour": "H", "hours": "H", "hari": "D", "day": "D", "days": "D",
    "pekan": "W", "minggu": "W", "week": "W", "weeks": "W", "bulan": "M", "month": "M", "months": "M",
    "tahun": "Y", "year": "Y", "years": "Y", "dekade": "DEC", "decade": "DEC", "decades": "DEC",
    "abad": "CEN", "century": "CEN", "centuries": "CEN", "windu": "WINDU",
}  # fmt: skip
TIMEZONES = {"wib": "+07:00", "wita": "+08:00", "wit": "+09:00", "gmt": "Z", "utc": "Z"}
QUALIFIERS = {
    "lebih dari": ">", "lebih": ">", "di atas": ">", "more than": ">", "over": ">", "sekitar": "~",
    "kira-kira": "~", "hampir": "<~", "nearly": "<~", "almost": "<~", "about": "~", "around": "~",
    "kurang dari": "<", "less than": "<", "setidaknya": ">=", "sedikitnya": ">=", "paling sedikit": ">=",
    "at least": ">=", "hingga": "<=", "sampai": "<=", "up to": "<=", "beberapa": "several",
    "awal": "early", "akhir": "late", "pertengahan": "mid", "early": "early", "late": "late", "mid": "mid",
}  # fmt: skip

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
_WEEKDAY = r"(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")"
_QUAL = r"(?:(?P<qual>" + "|".join(sorted(QUALIFIERS, key=len, reverse=True)) + r")\s+)?"
_AMOUNT = (
    r"(?P<amount>\d+(?:[.,]\d+)?|" + NUMBER_WORDS_RE + r"|beberapa|puluhan|ratusan|belasan|several|a few)"
)
_UNIT = r"(?P<unit>" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("weekday_numeric", re.compile(
        rf"\b{_WEEKDAY}\s*,?\s*\(\s*(?P<day>\d{{1,2}})\s*/\s*(?P<mon>\d{{1,2}})(?:\s*/\s*(?P<year>\d{{2,4}}))?\s*\)",
        re.I)),
    ("numeric", re.compile(r"\b(?P<day>\d{1,2})/(?P<mon>\d{1,2})/(?P<year>\d{4})\b")),
    ("iso", re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})\b")),
    ("day_month_year", re.compile(
        rf"\b(?:{_WEEKDAY},?\s+)?(?P<day>\d{{1,2}})\s+{_MONTH}\s+(?P<year>\d{{4}})\b", re.I)),
    ("month_day_year", re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}),\s+(?P<year>\d{{4}})\b", re.I)),
    ("day_month", re.compile(rf"\b(?:{_WEEKDAY},?\s+)?(?P<day>\d{{1,2}})\s+{_MONTH}(?!\w)", re.I)),
    ("month_year", re.compile(
        rf"\b(?:(?P<qual>awal|akhir|pertengahan|early|late|mid)\s+)?(?:bulan\s+)?{_MONTH}\s+(?P<year>\d{{4}})\b",
        re.I)),
    ("time", re.compile(
        r"\b(?:pukul|jam|pk\.?|at)\s+(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?"
        r"(?:\s*(?P<tz>WIB|WITA|WIT|GMT|UTC))?\b", re.I)),
    ("clock", re.compile(r"\b(?P<hour>\d{1,2})[.:](?P<minute>\d{2})\s*(?P<tz>WIB|WITA|WIT)\b", re.I)),
    ("relative_n", re.compile(
        rf"\b{_AMOUNT}\s+{_UNIT}\s+(?P<dir>(?:yang\s+)?lalu|silam|sebelumnya|lagi|mendatang|kemudian|ago|later)\b",
        re.I)),
    # Before "relative", so that "Rabu besok" and "Senin kemarin" are one weekday, not "besok" and "kemarin".
    ("weekday_near", re.compile(
        rf"\b(?:(?:pada|hari)\s+)?{_WEEKDAY}\s+(?P<dir>besok|kemarin)\b", re.I)),
    ("weekday_week", re.compile(
        rf"\b(?:(?:pada|hari)\s+)?{_WEEKDAY}\s+(?P<week>pekan|minggu)\s+(?P<dir>depan|lalu|ini)\b", re.I)),
    ("relative", re.compile(
        r"\b(?P<rel>hari ini|kemarin|kemarin lusa|besok|lusa|today|yesterday|tomorrow|"
        r"(?:pekan|minggu|bulan|tahun) (?:lalu|ini|depan)|last (?:week|month|year)|next (?:week|month|year)|"
        r"this (?:week|month|year))\b", re.I)),
    ("month", re.compile(
        rf"\b(?:(?P<qual>awal|akhir|pertengahan|early|late|mid)\s+)?(?P<lead>bulan|pada|sejak|hingga|sampai|"
        rf"in|since|until|by)\s+(?:bulan\s+)?{_MONTH}(?!\w)",
        re.I)),
    ("year", re.compile(
        r"\b(?:(?P<qual>awal|akhir|pertengahan|early|late|mid)\s+(?:tahun\s+)?|(?:tahun|pada|sejak|hingga|"
        r"sampai|in|since|until|by)\s+(?:tahun\s+)?)(?P<year>(?:19|20)\d{2})\b", re.I)),
    ("weekday", re.compile(
        rf"\b(?:(?:pada|hari|on|(?P<lead>last|next|this))\s+)?{_WEEKDAY}(?:\s+(?P<dir>lalu|mendatang|depan|nanti))?\b",
        re.I)),
    ("duration", re.compile(rf"\b{_QUAL}(?:selama\s+)?{_AMOUNT}\s+{_UNIT}\b", re.I)),
]  # fmt: skip

# Prepositions that introduce a date are not part of it; "sejak" and "hingga" become qualifiers.
_LEAD = re.compile(r"^(pada|on|in|at|hari|sejak|since|hingga|sampai|until|by)\s+(?=\S)", re.I)
_LEAD_QUALIFIER = {"sejak": "since", "since": "since", "hingga": "until", "sampai": "until", "until": "until",
                   "by": "until"}  # fmt: skip
_WORD_BEFORE = re.compile(r"(\w+)\s+$")
_LOOKBACK = 40  # characters looked back for a word before a date: more than the longest such word
_AGE_BEFORE = re.compile(r"\b(berusia|berumur|usia|umur|aged?)\s*$", re.I)
# A weekday after one of these words, within the same clause, is a coming day; a reporting verb or a past marker
# in between ends the search. The window (8 words, 120 characters) covers "akan meninjau lokasi banjir di Kecamatan
# Cibeber pada Selasa" without reaching back into a previous clause; chosen on hand-written news sentences.
_FUTURE_MARKERS = frozenset(
    {"akan", "bakal", "hendak", "berencana", "direncanakan", "rencananya", "dijadwalkan", "terjadwal", "dijadwal",
     "segera", "mendatang", "will", "shall", "scheduled", "plans", "plan", "expected"}
)  # fmt: skip
_REPORTING_OR_PAST = frozenset(
    {"telah", "sudah", "sempat", "kemarin", "mengatakan", "menyatakan", "berkata", "kata", "ujar", "ucap", "tutur",
     "katanya", "menjelaskan", "menegaskan", "mengungkapkan", "menyebutkan", "said", "says", "told", "announced",
     "ago", "yesterday"}
)  # fmt: skip
_CLAUSE_BREAK = re.compile(r"[;:—–]|\.\s")
_FUTURE_WINDOW = 120
_FUTURE_WORDS = 8
_WEEKDAY_KINDS = {"weekday", "weekday_near", "weekday_week"}
_FULL_DATE_KINDS = {"weekday_numeric", "numeric", "iso", "day_month_year", "month_day_year"}


def reference_from_text(text: str) -> date | None:
    """The latest full date (day, month and year) the text states, to stand in for a publication date."""
    best: date | None = None
    for kind, pattern in PATTERNS:
        if kind not in {"day_month_year", "month_day_year", "numeric", "iso"}:
            continue
        for match in pattern.finditer(text):
            value = _full_date(match, None)
            if value is not None and (best is None or value > best):
                best = value
    return best


def extract_dates(article_id: str, sentences: Iterable[Sentence], reference: date | None) -> list[DateRef]:
    """Find date and duration expressions in the sentences that state facts (prose and photo captions)."""
    found: list[DateRef] = []
    for sentence in sentences:
        if not sentence.states_facts:
            continue
        taken: list[tuple[int, int]] = []
        for kind, match in _matches(sentence.text):
            s, e = match.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if kind in _WEEKDAY_KINDS and not _weekday_is_date(sentence.text, match):
                continue
            if kind == "duration" and _AGE_BEFORE.search(sentence.text[max(0, s - _LOOKBACK) : s]):
                continue  # "berusia 70 tahun" is an age, found by the numbers stage
            future = kind == "weekday" and _future_before(sentence.text, s)
            try:
                value, dkind, qualifier = _normalise(kind, match, reference, future)
            except OverflowError:  # "99999999 hari lagi": past the last date a calendar can hold
                continue
            if dkind == "skip":
                continue
            taken.append((s, e))
            lead = _LEAD.match(match.group(0))
            if lead is not None:
                qualifier = qualifier or _LEAD_QUALIFIER.get(lead.group(1).lower())
                s += lead.end()
            before = _WORD_BEFORE.search(sentence.text[max(0, s - _LOOKBACK) : s])
            if before is not None and qualifier is None:
                qualifier = _LEAD_QUALIFIER.get(before.group(1).lower())
            found.append(
                DateRef(
                    article=article_id,
                    start=sentence.start + s,
                    end=sentence.start + e,
                    text=sentence.text[s:e],
                    value=value,
                    kind=dkind,
                    qualifier=qualifier,
                )
            )
    found.sort(key=lambda d: d.start)
    return found


# Every pattern needs a digit, or one of these words: a sentence with neither is skipped at once.
_TRIGGER = re.compile(
    r"\d|\b(?:"
    + "|".join(
        sorted(
            {
                *MONTHS,
                *WEEKDAYS,
                *UNITS,
                "hari ini",
                "kemarin",
                "besok",
                "lusa",
                "today",
                "yesterday",
                "tomorrow",
                "pekan",
                "bulan",
                "tahun",
                "week",
                "month",
                "year",
            },
            key=len,
            reverse=True,
        )
    )
    + r")\b",
    re.I,
)


def _matches(text: str) -> Iterator[tuple[str, re.Match[str]]]:
    if not _TRIGGER.search(text):
        return
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            yield kind, match


def _weekday_is_date(text: str, match: re.Match[str]) -> bool:
    # "Minggu" is also "week"; a weekday is a date when capitalised or introduced by "pada"/"hari".
    word = match.group("weekday")
    return word[:1].isupper() or match.group(0).lower().startswith(
        ("pada", "hari", "on", "last", "next", "this")
    )


def _future_before(text: str, start: int) -> bool:
    """Whether the clause before a weekday speaks of the future ("akan meninjau ... pada Selasa")."""
    words = _CLAUSE_BREAK.split(text[max(0, start - _FUTURE_WINDOW) : start])[-1].lower().split()
    for word in reversed(words[-_FUTURE_WORDS:]):
        word = word.strip(",.\"'“”()")
        if word in _REPORTING_OR_PAST:
            return False  # "..., yang akan pensiun, mengatakan pada Senin": the weekday belongs to the saying
        if word in _FUTURE_MARKERS:
            return True
    return False


def _year(raw: str | None, month: int, day: int, reference: date | None) -> int | None:
    if raw:
        year = int(raw)
        return year + 2000 if year < 100 else year
    if reference is None:
        return None
    # The occurrence nearest the reference: news speaks of the recent past and the near future.
    candidates = [reference.year - 1, reference.year, reference.year + 1]
    return min(candidates, key=lambda y: abs((_safe_date(y, month, day) - reference).days))


def _safe_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, min(day, 28))


def _full_date(match: re.Match[str], reference: date | None) -> date | None:
    groups = match.groupdict()
    month = MONTHS[groups["month"].lower()] if groups.get("month") else int(groups.get("mon") or 0)
    day = int(groups.get("day") or 0)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    year = _year(groups.get("year"), month, day, reference)
    if year is None:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _normalise(
    kind: str, match: re.Match[str], ref: date | None, future: bool = False
) -> tuple[str | None, str, str | None]:
    g = match.groupdict()
    qualifier = QUALIFIERS.get((g.get("qual") or "").lower())
    if kind in _FULL_DATE_KINDS or kind == "day_month":
        groups = g
        if kind in {"weekday_numeric", "day_month"} and not groups.get("year"):
            value = _full_date(match, ref)
            if value is None:
                month = MONTHS[g["month"].lower()] if g.get("month") else int(g["mon"])
                return f"--{month:02d}-{int(g['day']):02d}", "date", None
            return value.isoformat(), "date", None
        value = _full_date(match, ref)
        return (value.isoformat() if value else None), "date", None
    if kind == "month_year":
        return f"{int(g['year']):04d}-{MONTHS[g['month'].lower()]:02d}", "period", qualifier
    if kind == "month":
        month = MONTHS[g["month"].lower()]
        if ref is None:
            return f"--{month:02d}", "period", qualifier
        year = _year(None, month, 15, ref)
        return f"{year:04d}-{month:02d}", "period", qualifier
    if kind == "year":
        return g["year"], "period", qualifier
    if kind in {"time", "clock"}:
        hour, minute = int(g["hour"]), int(g.get("minute") or 0)
        if hour > 24 or minute > 59:
            return None, "skip", None
        tz = TIMEZONES.get((g.get("tz") or "").lower(), "")
        return f"{hour:02d}:{minute:02d}{tz}", "time", None
    if kind in _WEEKDAY_KINDS:
        return (None if ref is None else _weekday(g, ref, future).isoformat()), "date", None
    if kind == "relative":
        return _relative(g["rel"].lower(), ref), "date", None
    if kind == "relative_n":
        return _relative_n(g, ref), "date", None
    if kind == "duration":
        vague = g["amount"].lower() in {"beberapa", "puluhan", "ratusan", "belasan", "several", "a few"}
        return _duration(g["amount"], g["unit"]), "duration", qualifier or ("several" if vague else None)
    return None, "skip", None


def _weekday(g: dict[str, str], ref: date, future: bool) -> date:
    """A weekday resolves into the past week, unless marked as coming ("Selasa mendatang", "next Tuesday",
    "akan ... pada Selasa"); "Selasa pekan depan" is the Tuesday of next week."""
    wanted = WEEKDAYS[g["weekday"].lower()]
    direction = (g.get("dir") or "").lower()
    if g.get("week"):
        week = {"depan": 1, "lalu": -1}.get(direction, 0)
        return ref + timedelta(days=wanted - ref.weekday() + 7 * week)
    lead = (g.get("lead") or "").lower()
    if direction in {"mendatang", "depan", "nanti", "besok"} or lead == "next":
        return ref + timedelta(days=(wanted - ref.weekday()) % 7 or 7)
    if future and direction not in {"lalu", "kemarin"} and lead != "last":
        return ref + timedelta(days=(wanted - ref.weekday()) % 7)
    back = (ref.weekday() - wanted) % 7
    if direction in {"lalu", "kemarin"} or lead == "last":
        back = back or 7
    return ref - timedelta(days=back)


def _relative(rel: str, ref: date | None) -> str | None:
    if ref is None:
        return None
    days = {"hari ini": 0, "today": 0, "kemarin": -1, "yesterday": -1, "kemarin lusa": -2, "besok": 1,
            "tomorrow": 1, "lusa": 2}  # fmt: skip
    if rel in days:
        return (ref + timedelta(days=days[rel])).isoformat()
    unit, _, when = rel.partition(" ")
    if rel.startswith(("last", "next", "this")):
        when, _, unit = rel.partition(" ")
    step = {"lalu": -1, "last": -1, "depan": 1, "next": 1}.get(when, 0)
    if unit in {"pekan", "minggu", "week"}:
        iso = (ref + timedelta(weeks=step)).isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if unit in {"bulan", "month"}:
        month_index = ref.year * 12 + ref.month - 1 + step
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    return f"{ref.year + step:04d}"


def _relative_n(g: dict[str, str], ref: date | None) -> str | None:
    amount = parse_number(g["amount"])
    if ref is None or amount is None:
        return None
    n = int(amount)
    sign = 1 if g["dir"].lower() in {"lagi", "mendatang", "kemudian", "later"} else -1
    unit = UNITS[g["unit"].lower()]
    if unit == "D":
        return (ref + timedelta(days=sign * n)).isoformat()
    if unit == "W":
        return (ref + timedelta(weeks=sign * n)).isoformat()
    if unit == "M":
        month_index = ref.year * 12 + ref.month - 1 + sign * n
        return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}"
    if unit == "Y":
        return f"{ref.year + sign * n:04d}"
    return None


def _duration(raw_amount: str, raw_unit: str) -> str | None:
    amount = parse_number(raw_amount)
    if amount is None:
        return None
    unit = UNITS[raw_unit.lower()]
    number = f"{amount:g}"
    if unit == "DEC":
        return f"P{amount * 10:g}Y"
    if unit == "CEN":
        return f"P{amount * 100:g}Y"
    if unit == "WINDU":
        return f"P{amount * 8:g}Y"
    if unit in {"H", "MIN", "S"}:
        return f"PT{number}{'M' if unit == 'MIN' else unit}"
    return f"P{number}{unit}"
