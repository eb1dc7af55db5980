"""Kabar's HTTP API and web page (``kabar serve``).

Every error, whatever raised it, answers ``{"ok": false, "error": MESSAGE, "status": CODE}``
(``kabar.api.errors``). Lists are paginated (``limit``, ``offset``; the answer carries ``next_offset``). Write
endpoints need ``Authorization: Bearer TOKEN`` when a token is configured, and a token is required when the
server listens beyond localhost. Bodies are limited in size. URL ingest fetches http(s) only and refuses local
and private addresses unless allowed.

The endpoints live in routers beside this module: ``read`` (health, events), ``explore`` (search, entities,
outlets, coverage, the UI's messages), ``compute`` (compare,
relate: nothing stored), ``write`` (articles, uploads, URLs) and ``pages`` (the web page); ``state`` holds what
they share. Each calls one use case of ``kabar.workflows``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request

from kabar import __version__
from kabar.api import compute, explore, pages, read, write
from kabar.api.docs import add_offline_docs
from kabar.api.errors import error_response, install_error_handlers
from kabar.api.state import ApiState, Settings

__all__ = ["Settings", "create_app"]


def create_app(settings: Settings) -> FastAPI:
    """The API and the web page over the store at ``settings.db``."""
    app = FastAPI(
        title="Kabar",
        version=__version__,
        description="News intelligence: events, sources, facts.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.kabar = ApiState(settings)
    add_offline_docs(app)

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Any) -> Any:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_body_bytes:
            return error_response(413, f"request body over {settings.max_body_bytes:,} bytes")
        return await call_next(request)

    install_error_handlers(app)
    for module in (read, explore, compute, write, pages):
        app.include_router(module.router)
    return app
