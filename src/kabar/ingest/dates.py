"""Parse publication dates given as metadata (ISO strings, RFC 822 feed dates, Indonesian phrases)."""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")


@lru_cache(maxsize=4096)
def parse_published(value: str | None) -> str | None:
    """Return an ISO 8601 date or datetime for a publication date, or None when it cannot be read."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if _ISO.match(value):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed.date().isoformat() if len(value) == 10 else parsed.isoformat()
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    import dateparser

    parsed = dateparser.parse(value, languages=["id", "en"], settings={"PREFER_DAY_OF_MONTH": "first"})
    return parsed.isoformat() if parsed is not None else None
