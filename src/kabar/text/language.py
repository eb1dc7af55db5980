"""Language identification per article (CLD3, which tells Indonesian from Malay)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

NAME = "language.v1"

# CLD3 is unreliable on very short text; below this many characters we say "und" unless it is confident.
_MIN_CHARS = 40
_MIN_PROBABILITY = 0.5


@lru_cache(maxsize=1)
def _identifier() -> Any:
    import gcld3

    return gcld3.NNetLanguageIdentifier(min_num_bytes=0, max_num_bytes=4000)


def detect_language(text: str) -> str:
    """Return an ISO 639-1 code ("id", "ms", "en", ...) or "und" when the text is too short or unclear."""
    sample = text[:4000]
    if len(sample.strip()) < 3:
        return "und"
    result = _identifier().FindLanguage(text=sample)
    if result.probability < _MIN_PROBABILITY or (len(sample) < _MIN_CHARS and not result.is_reliable):
        return "und"
    return str(result.language)
