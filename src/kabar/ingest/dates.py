"""Parse publication dates given as metadata (ISO strings, RFC 822 feed dates, Indonesian phrases)."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

# Publication dates outside these years are typing errors or hostile values; they are read as unknown. The range
# also keeps every date arithmetic downstream (relative dates, time windows) inside what datetime can represent.
MIN_YEAR = 1800
MAX_YEAR = 2200
# Longer values are not dates: they are not handed to the slow free-text date parser.
MAX_CHARS = 100

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


@lru_cache(maxsize=4096)
def parse_published(value: str | None) -> str | None:
    """Return an ISO 8601 date or datetime for a publication date, or None when it cannot be read (or lies
    outside the years ``MIN_YEAR``..``MAX_YEAR``)."""
    if value is None:
        return None
    value = value.strip()
    if not value or len(value) > MAX_CHARS:
        return None
    parsed = _parse(value)
    if parsed is None or not MIN_YEAR <= parsed.year <= MAX_YEAR:
        return None
    return parsed.date().isoformat() if _ISO.match(value) and len(value) == 10 else parsed.isoformat()


def _parse(value: str) -> datetime | None:
    if _ISO.match(value):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    import dateparser

    try:
        parsed: datetime | None = dateparser.parse(
            value, languages=["id", "en"], settings={"PREFER_DAY_OF_MONTH": "first"}
        )
    except (ValueError, OverflowError, RecursionError):
        return None
    return parsed
