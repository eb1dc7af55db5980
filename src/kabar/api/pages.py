"""The web page: one HTML file and its two assets; it shows only what the JSON API returns."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import FileResponse

from kabar.errors import ApiError

router = APIRouter(include_in_schema=False)
ASSETS = frozenset({"app.js", "style.css"})


def page(name: str) -> FileResponse:
    return FileResponse(str(resources.files("kabar").joinpath("web", "static", name)))


@router.get("/")
def index() -> FileResponse:
    return page("index.html")


@router.get("/event/{event_id}")
def event_page(event_id: str) -> FileResponse:
    return page("index.html")


@router.get("/compare")
def compare_page() -> FileResponse:
    return page("index.html")


@router.get("/static/{name}")
def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise ApiError(404, "not found")
    return page(name)
