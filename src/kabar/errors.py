"""Kabar's exceptions.

::

    KabarError                 base; every error has a short ``code`` and an actionable message
    ├── InputError             an input file or record cannot be used (one article; the batch goes on)
    │   ├── EmptyInput         nothing but whitespace
    │   ├── BinaryInput        not text (NUL bytes, control characters)
    │   ├── UndecodableInput   no text encoding fits
    │   ├── TooLarge           over the configured size limit
    │   ├── NoArticleText      HTML or a record with no article text in it
    │   ├── MalformedRecord    a JSONL line that is not a valid article object
    │   ├── SpecialFile        a device, FIFO or socket where a regular file was expected
    │   └── FetchError         a URL could not be fetched (refused, unreachable, HTTP error, too large)
    ├── NothingUsable          not one of the inputs could be used (every one was skipped)
    ├── NotFound               a stored thing (an event) that does not exist
    ├── ModelError             a packaged model is missing or unreadable
    ├── UsageError             the caller asked for something impossible (bad option, unknown format)
    │   └── QueryError         a search query that cannot be read (an unclosed quote, a dangling OR)
    └── ApiError               an HTTP request the API refuses, with its status (401, 404, 413, ...)

The shells map classes, not codes: the CLI to exit codes (``kabar.cli.shell.exit_code``), the API to HTTP
statuses (``kabar.api.errors.STATUS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kabar.records import Failure


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


class SpecialFile(InputError):
    code = "special"


class FetchError(InputError):
    code = "fetch"
    status: int | None = None
    """The HTTP status that ended the fetch, when a server answered."""
    retry_after: str | None = None
    """The server's ``Retry-After`` header with that answer, if any."""


class NothingUsable(KabarError):
    """Every input was skipped; ``failures`` says why, one per input."""

    code = "nothing"

    def __init__(self, message: str, failures: Sequence[Failure] = ()) -> None:
        reasons = "; ".join(f.reason for f in failures[:5])
        super().__init__(f"{message}: {reasons}" if reasons else message)
        self.failures = tuple(failures)


class NotFound(KabarError):
    code = "not-found"


class ModelError(KabarError):
    code = "model"


class UsageError(KabarError):
    code = "usage"


class ApiError(KabarError):
    """A request the API refuses; ``status`` is its HTTP status."""

    code = "api"

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class QueryError(UsageError):
    """Reported as a usage error (exit 2, HTTP 400)."""
