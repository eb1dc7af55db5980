"""The API's one error shape, ``{"ok": false, "error": MESSAGE, "status": CODE}``, and the HTTP status of each
error class (a subclass takes the status of its nearest listed ancestor). A 503 (busy, over its time budget,
shutting down) also carries ``Retry-After``."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kabar.errors import (
    ApiError,
    InputError,
    KabarError,
    ModelError,
    NotFound,
    NothingUsable,
    TooLarge,
    UsageError,
)

STATUS: tuple[tuple[type[KabarError], int], ...] = (
    (NotFound, 404),
    (TooLarge, 413),
    (InputError, 400),
    (NothingUsable, 400),
    (UsageError, 400),
    (ModelError, 500),
    (KabarError, 500),
)
"""Most specific first: the first class the error is an instance of gives its status."""
RETRY_AFTER_SECONDS = 2
"""The ``Retry-After`` of a 503: in the 200-client storm of ``benchmarks/bench_serve.py`` a compute worker or
the writer is free again within about this long (a compare's deadline there is 1.3 s)."""


def status_of(error: KabarError) -> int:
    if isinstance(error, ApiError):
        return error.status
    return next(status for cls, status in STATUS if isinstance(error, cls))


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


def error_response(status: int, message: str) -> JSONResponse:
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if status == 503 else None
    return JSONResponse(error_body(status, message), status, headers=headers)


async def _kabar_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, KabarError)
    return error_response(status_of(exc), exc.message)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return error_response(exc.status_code, str(exc.detail))


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    return error_response(
        422, f"invalid request: {where + ': ' if where else ''}{first.get('msg', 'malformed')}"
    )


async def _internal_error(_: Request, exc: Exception) -> JSONResponse:
    return error_response(500, f"internal error ({type(exc).__name__})")


def install_error_handlers(app: FastAPI) -> None:
    """Every error, whatever raised it, answers in the one error shape."""
    app.add_exception_handler(KabarError, _kabar_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _internal_error)
