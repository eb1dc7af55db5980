"""Kabar's exceptions.

::

    KabarError                 base; every error has a short ``code`` and an actionable message
    ├── InputError             an input file or record cannot be used (one article; the batch goes on)
    │   ├── EmptyInput         nothing but whitespace
    │   ├── BinaryInput        not text (NUL bytes, control characters)
    │   ├── UndecodableInput   no text encoding fits
    │   ├── TooLarge           over the configured size limit
    │   ├── NoArticleText      HTML or a record with no article text in it
    │   └── MalformedRecord    a JSONL line that is not a valid article object
    ├── ModelError             a packaged model is missing or unreadable
    └── UsageError             the caller asked for something impossible (bad option, unknown format)
"""

from __future__ import annotations


class KabarError(Exception):
    """Base of all Kabar errors."""

    code = "kabar"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(KabarError):
    code = "input"

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.reason = message


class EmptyInput(InputError):
    code = "empty"


class BinaryInput(InputError):
    code = "binary"


class UndecodableInput(InputError):
    code = "encoding"


class TooLarge(InputError):
    code = "too-large"


class NoArticleText(InputError):
    code = "no-text"


class MalformedRecord(InputError):
    code = "malformed"


class ModelError(KabarError):
    code = "model"


class UsageError(KabarError):
    code = "usage"
