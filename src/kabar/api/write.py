"""Write endpoints (token-guarded when a token is set): add articles as JSON, as files, or by URL."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, UploadFile

from kabar.api.models import ArticlesIn, UrlIn
from kabar.api.state import State, require_token
from kabar.errors import NothingUsable
from kabar.records import Article, Failure

router = APIRouter(dependencies=[Depends(require_token)])


@router.post("/api/articles")
def add_articles(state: State, body: ArticlesIn) -> dict[str, Any]:
    from kabar.workflows import ingest_items, parse_records

    items = parse_records(body.records())
    return {"ok": True, **state.ingest(lambda corpus: ingest_items(corpus, items, conflicts=False)).to_dict()}


@router.post("/api/articles/upload")
def upload(state: State, files: Annotated[list[UploadFile], File()]) -> dict[str, Any]:
    from kabar.ingest import read_paths
    from kabar.workflows import ingest_items

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
    return {"ok": True, **state.ingest(lambda corpus: ingest_items(corpus, items, conflicts=False)).to_dict()}


@router.post("/api/ingest/url")
def ingest_url(state: State, body: UrlIn) -> dict[str, Any]:
    """An article page, a feed or an OPML list, told apart by content as ``kabar ingest URL`` does; every URL
    fetched (redirects, an OPML list's feeds, teaser links) passes the private-address guard."""
    from kabar.api.security import url_guard
    from kabar.ingest.fetch import FetchPolicy
    from kabar.workflows import ingest_sources

    allow = state.settings.allow_private_urls
    guard = url_guard(allow)
    guard(body.url)  # a refused URL answers 400 before anything is fetched
    policy = FetchPolicy(allow_private=allow, retries=2)  # and the address connected to is checked again
    report = state.ingest(
        lambda corpus: ingest_sources(corpus, [body.url], guard=guard, policy=policy, conflicts=False)
    )
    if not report.used and report.failures:
        raise NothingUsable(f"nothing could be ingested from {body.url}", report.failures)
    return {"ok": True, **report.to_dict()}
