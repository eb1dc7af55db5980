"""The API's status for each error class: the nearest listed ancestor decides."""

from __future__ import annotations

import pytest

from kabar.api.errors import error_body, status_of
from kabar.errors import (
    ApiError,
    BinaryInput,
    FetchError,
    KabarError,
    ModelError,
    NotFound,
    NothingUsable,
    TooLarge,
    UsageError,
)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFound("no event 'ev9'"), 404),
        (TooLarge("big.txt", "over 2 MB"), 413),
        (BinaryInput("a.bin", "not text"), 400),
        (FetchError("http://x", "refused"), 400),
        (NothingUsable("no article could be read"), 400),
        (UsageError("unknown order"), 400),
        (ModelError("model missing"), 500),
        (KabarError("something else"), 500),
        (ApiError(401, "token"), 401),
    ],
)
def test_errors_status_by_class(error: KabarError, status: int) -> None:
    assert status_of(error) == status
    assert error_body(status, error.message) == {"ok": False, "error": error.message, "status": status}
