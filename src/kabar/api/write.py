"""Write endpoints (token-guarded when a token is set): add articles as JSON, as files, or by URL.

The server reads and checks the request here; the articles are stored by the writer process (``kabar.api.writer``)
so that reads stay fast while articles arrive. Each request is bounded in size (413) and in time (503)."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, UploadFile

from kabar.api.models import ArticlesIn, UrlIn
from kabar.api.state import State, require_token
from kabar.errors import ApiError, NothingUsable
from kabar.records import Article, Failure

router = APIRouter(dependencies=[Depends(require_token)])

MAX_ARTICLES = 64
"""Articles one ``POST /api/articles`` may carry (413 beyond): one batch of the corpus, stored in one transaction
in well under the writer's time budget (send more in several requests)."""
MAX_ARTICLE_CHARS = 1_000_000
"""Characters of title and text one ``POST /api/articles`` may carry (413 beyond): about 400 ordinary articles'
worth, a few seconds of storing on one core."""
MAX_FILE_INPUTS = 512
"""Articles (and unreadable records) one upload or URL may yield (413 beyond): eight batches of the writer."""


def _bounded(items: list[Article | Failure], limit: int, what: str) -> list[Article | Failure]:
    if len(items) > limit:
        raise ApiError(413, f"{len(items):,} inputs in {what}, over the limit of {limit:,} per request: "
                            "send them in several requests")  # fmt: skip
    return items


@router.post("/api/articles")
def add_articles(state: State, body: ArticlesIn) -> dict[str, Any]:
    from kabar.workflows import parse_records

    if len(body.articles) > MAX_ARTICLES:
        raise ApiError(413, f"{len(body.articles):,} articles in one request, over the limit of {MAX_ARTICLES} "
                            "per request: send them in several requests")  # fmt: skip
    size = sum(len(a.text) + len(a.title or "") for a in body.articles)
    if size > MAX_ARTICLE_CHARS:
        raise ApiError(413, f"{size:,} characters of articles, over the limit of {MAX_ARTICLE_CHARS:,} per "
                            "request: send them in several requests")  # fmt: skip
    return {"ok": True, **state.ingest(parse_records(body.records())).to_dict()}


@router.post("/api/articles/upload")
def upload(state: State, files: Annotated[list[UploadFile], File()]) -> dict[str, Any]:
    from kabar.ingest import read_paths

    limit = state.settings.max_body_bytes
    items: list[Article | Failure] = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, upload_file in enumerate(files):
            name = Path(upload_file.filename or f"upload-{k}").name or f"upload-{k}"
            data = upload_file.file.read(limit + 1)
            if len(data) > limit:
                items.append(Failure(name, "file over the size limit", "too-large"))
                continue
            path = Path(tmp) / name
            path.write_bytes(data)
            # Failures and articles name the file as uploaded, not the temporary copy.
            items.extend(replace(i, path=(i.path or "").replace(str(path), name)) for i in read_paths([path]))
    return {"ok": True, **state.ingest(_bounded(items, MAX_FILE_INPUTS, "the files")).to_dict()}


@router.post("/api/ingest/url")
def ingest_url(state: State, body: UrlIn) -> dict[str, Any]:
    """An article page, a feed or an OPML list, told apart by content as ``kabar ingest URL`` does; every URL
    fetched (redirects, an OPML list's feeds, teaser links) passes the private-address guard."""
    from kabar.api.security import url_guard
    from kabar.ingest.feeds import read_sources
    from kabar.ingest.fetch import FetchPolicy

    allow = state.settings.allow_private_urls
    guard = url_guard(allow)
    guard(body.url)  # a refused URL answers 400 before anything is fetched
    policy = FetchPolicy(allow_private=allow, retries=2)  # and the address connected to is checked again
    items: list[Article | Failure] = []
    for item in read_sources([body.url], guard=guard, policy=policy):  # fetched here, stored by the writer
        items.append(item)
        _bounded(items, MAX_FILE_INPUTS, body.url)
    report = state.ingest(items)
    if not report.used and report.failures:
        raise NothingUsable(f"nothing could be ingested from {body.url}", report.failures)
    return {"ok": True, **report.to_dict()}
