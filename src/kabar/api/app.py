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

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kabar import __version__
from kabar.api import compute, explore, pages, read, write
from kabar.api.docs import add_offline_docs
from kabar.api.errors import install_error_handlers
from kabar.api.guards import Guards
from kabar.api.state import ApiState, Settings

__all__ = ["Settings", "create_app"]


def create_app(settings: Settings, warm: bool = False) -> FastAPI:
    """The API and the web page over the store at ``settings.db``; ``warm``: start the compute workers and load
    their models when the server starts, not at the first request. The guards of ``kabar.api.guards`` come first."""
    state = ApiState(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if warm:
            state.compute.warm()
            state.writer.warm()
        try:
            yield
        finally:
            state.close()  # ends the compute workers: shutdown does not wait for a computation

    app = FastAPI(
        title="Kabar",
        version=__version__,
        description="News intelligence: events, sources, facts.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.kabar = state
    add_offline_docs(app)
    app.add_middleware(Guards, hosts=settings.allowed_hosts, max_body_bytes=settings.max_body_bytes)
    install_error_handlers(app)
    for module in (read, explore, compute, write, pages):
        app.include_router(module.router)
    return app
