"""The API's documentation pages (``/docs``: Swagger UI, ``/redoc``: ReDoc) served from packaged files, no CDN."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from kabar.errors import UsageError

ASSETS = {"swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png"}
PREFIX = "/static/docs"


def _asset_dir() -> Path:
    try:
        return Path(str(resources.files("fastapi_offline").joinpath("static")))
    except ModuleNotFoundError as err:  # pragma: no cover - a pinned dependency
        raise UsageError("the API docs need fastapi-offline: pip install fastapi-offline") from err


def add_offline_docs(app: FastAPI) -> None:
    """Serve ``/docs`` and ``/redoc`` from the Swagger UI and ReDoc files packaged by ``fastapi-offline``."""
    assets = _asset_dir()
    openapi_url = app.openapi_url or "/openapi.json"
    title = f"{app.title} API"
    _page(app, "/docs", lambda: get_swagger_ui_html(
        openapi_url=openapi_url, title=title, swagger_js_url=f"{PREFIX}/swagger-ui-bundle.js",
        swagger_css_url=f"{PREFIX}/swagger-ui.css", swagger_favicon_url=f"{PREFIX}/favicon.png"))  # fmt: skip
    _page(app, "/redoc", lambda: get_redoc_html(
        openapi_url=openapi_url, title=title, redoc_js_url=f"{PREFIX}/redoc.standalone.js",
        redoc_favicon_url=f"{PREFIX}/favicon.png", with_google_fonts=False))  # fmt: skip

    @app.get(PREFIX + "/{name}", include_in_schema=False)
    def asset(name: str) -> FileResponse:
        from fastapi import HTTPException

        if name not in ASSETS:
            raise HTTPException(404, "not found")
        return FileResponse(assets / name)


def _page(app: FastAPI, path: str, render: Callable[[], HTMLResponse]) -> None:
    """A documentation page at ``path``, left out of the OpenAPI schema."""
    app.add_api_route(path, render, methods=["GET"], include_in_schema=False, response_class=HTMLResponse)
