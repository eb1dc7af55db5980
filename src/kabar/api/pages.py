"""The web page: one HTML file, its scripts, style and message catalogues; it shows only what the JSON API returns."""

from __future__ import annotations

import re
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import FileResponse

from kabar.errors import ApiError

router = APIRouter(include_in_schema=False)
ASSET_NAME = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z]+)?\.(js|css|json|svg)$")
PAGES = (
    "/",
    "/event/{event_id}",
    "/compare",
    "/search",
    "/entities",
    "/entity/{key}",
    "/outlets",
    "/outlet/{name}",
)


def page(name: str) -> FileResponse:
    return FileResponse(str(resources.files("kabar").joinpath("web", "static", name)))


def index() -> FileResponse:
    return page("index.html")


for _path in PAGES:
    router.add_api_route(_path, index)


@router.get("/static/{name}")
def asset(name: str) -> FileResponse:
    if not ASSET_NAME.match(name) or not resources.files("kabar").joinpath("web", "static", name).is_file():
        raise ApiError(404, "not found")
    return page(name)
