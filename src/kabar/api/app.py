"""Kabar's HTTP API and web page (``kabar serve``).

Every error, whatever raised it, answers ``{"ok": false, "error": MESSAGE, "status": CODE}``. Lists are paginated
(``limit``, ``offset``; the answer carries ``next_offset``). Write endpoints need ``Authorization: Bearer TOKEN``
when a token is configured, and a token is required when the server listens beyond localhost. Bodies are limited
in size. URL ingest fetches http(s) only and refuses local and private addresses unless allowed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Header, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kabar import __version__
from kabar.api.security import url_guard
from kabar.errors import InputError, KabarError
from kabar.ingest.readers import parse_record
from kabar.records import Article, Failure
from kabar.store.base import EventRow

MAX_BODY_BYTES = 10_000_000
MAX_COMPARE_ARTICLES = 50
EVENT_CACHE = 64


@dataclass(frozen=True, slots=True)
class Settings:
    db: str
    token: str | None = None
    allow_private_urls: bool = False
    max_body_bytes: int = MAX_BODY_BYTES


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_body(status: int, message: str) -> dict[str, Any]:
    return {"ok": False, "error": message, "status": status}


class ArticleIn(BaseModel):
    id: str | None = Field(default=None, max_length=300)
    title: str | None = None
    text: str = Field(min_length=1)
    published: str | None = None
    source: str | None = None
    url: str | None = None
    language: str | None = None


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=5000)


class CompareIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_COMPARE_ARTICLES)
    brief_length: int | None = Field(default=None, ge=1, le=50)


class PairIn(BaseModel):
    id: str | None = None
    premise: str = Field(min_length=1)
    hypothesis: str = Field(min_length=1)


class RelateIn(BaseModel):
    pairs: list[PairIn] = Field(min_length=1, max_length=1000)


class UrlIn(BaseModel):
    url: str = Field(min_length=8, max_length=2000)


def _articles(items: list[ArticleIn], prefix: str) -> tuple[list[Article], list[Failure]]:
    import json

    articles: list[Article] = []
    failures: list[Failure] = []
    for k, item in enumerate(items, start=1):
        raw = json.dumps(item.model_dump(exclude_none=True), ensure_ascii=False)
        try:
            articles.append(parse_record(raw, where=f"{prefix}[{k}]", default_id=f"{prefix}-{k}"))
        except InputError as err:
            failures.append(Failure(err.path, err.reason, err.code))
    return articles, failures


def _event_dict(row: EventRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in row.__slots__}


def create_app(settings: Settings) -> FastAPI:
    """The API and the web page over the store at ``settings.db``."""
    from kabar.store import open_store

    app = FastAPI(
        title="Kabar", version=__version__, description="News intelligence: events, sources, facts."
    )
    local = threading.local()
    write_lock = threading.Lock()
    corpus_box: dict[str, Any] = {}
    event_cache: OrderedDict[tuple[str, str, int], dict[str, Any]] = OrderedDict()

    def store() -> Any:
        if getattr(local, "store", None) is None:
            local.store = open_store(settings.db)
        return local.store

    def corpus() -> Any:
        from kabar.corpus import Corpus

        if "corpus" not in corpus_box:
            from kabar.store.sql import SQLStore

            corpus_box["corpus"] = Corpus(SQLStore(settings.db, shared=True))
        return corpus_box["corpus"]

    def require_token(authorization: str | None = Header(default=None)) -> None:
        if settings.token is None:
            return
        if authorization != f"Bearer {settings.token}":
            raise ApiError(401, "this endpoint needs Authorization: Bearer <token>")

    @app.middleware("http")
    async def limit_body(request: Request, call_next: Any) -> Any:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > settings.max_body_bytes:
            return JSONResponse(error_body(413, f"request body over {settings.max_body_bytes:,} bytes"), 413)
        return await call_next(request)

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.status, exc.message), exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(error_body(exc.status_code, str(exc.detail)), exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = f"invalid request: {where + ': ' if where else ''}{first.get('msg', 'malformed')}"
        return JSONResponse(error_body(422, message), 422)

    @app.exception_handler(KabarError)
    async def kabar_error(_: Request, exc: KabarError) -> JSONResponse:
        status = 400 if exc.code in {"usage", "input", "fetch", "no-text", "malformed", "empty"} else 500
        return JSONResponse(error_body(status, exc.message), status)

    @app.exception_handler(Exception)
    async def internal_error(_: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(error_body(500, f"internal error ({type(exc).__name__})"), 500)

    # -- read ---------------------------------------------------------------------------------------------

    @app.get("/api/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "version": __version__, "counts": store().counts()}

    @app.get("/api/events")
    def list_events(
        limit: int = Query(20, ge=1, le=200),
        offset: int = Query(0, ge=0),
        sort: str = Query("newest", pattern="^(newest|sources|articles|conflicts)$"),
    ) -> dict[str, Any]:
        rows = store().events(limit + 1, offset, sort)
        items = [_event_dict(r) for r in rows[:limit]]
        return {"ok": True, "items": items, "limit": limit, "offset": offset,
                "next_offset": offset + limit if len(rows) > limit else None}  # fmt: skip

    @app.get("/api/events/{event_id}")
    def get_event(event_id: str) -> dict[str, Any]:
        from kabar.compare.run import compare
        from kabar.pipeline import annotate
        from kabar.report import comparison_dict

        s = store()
        row = s.event(event_id)
        if row is None:
            raise ApiError(404, f"no event {event_id!r}")
        key = (row.id, row.updated_at, row.articles)
        if key not in event_cache:
            members = s.articles_of_event(event_id)
            articles = [m.article for m in members if m.duplicate_of is None]
            result = comparison_dict(compare(annotate(articles)))
            conflicts = sum(1 for f in result["facts"] if f["status"] == "conflict")
            if row.conflicts != conflicts:
                s.set_event_conflicts(event_id, conflicts)
                row = s.event(event_id) or row
            result["duplicates"] += [{"article": m.article.id, "duplicate_of": m.duplicate_of, "similarity": None}
                                     for m in members if m.duplicate_of]  # fmt: skip
            event_cache[key] = {"ok": True, "event": _event_dict(row), "top_entities": [
                {"name": n, "type": t, "mentions": c} for n, t, c in s.event_entities(event_id, 15)], **result}  # fmt: skip
            while len(event_cache) > EVENT_CACHE:
                event_cache.popitem(last=False)
        return event_cache[key]

    @app.get("/api/search")
    def search(
        q: str = Query(min_length=1, max_length=500), limit: int = Query(20, ge=1, le=200)
    ) -> dict[str, Any]:
        hits = store().search(q, limit)
        return {"ok": True, "items": [{"article": a, "title": t, "event": e} for a, t, e in hits]}

    # -- compute without storing ----------------------------------------------------------------------------

    @app.post("/api/compare")
    def compare_articles(body: CompareIn) -> dict[str, Any]:
        from kabar.compare.run import compare
        from kabar.pipeline import annotate
        from kabar.report import comparison_dict

        articles, failures = _articles(body.articles, "article")
        if not articles:
            raise ApiError(400, "no usable article: " + "; ".join(f.reason for f in failures))
        result = comparison_dict(compare(annotate(articles), brief_length=body.brief_length))
        result["failures"] += [{"path": f.path, "reason": f.reason, "code": f.code} for f in failures]
        return {"ok": True, **result}

    @app.post("/api/relate")
    def relate(body: RelateIn) -> dict[str, Any]:
        from kabar.compare.relate import relate_pairs

        triples = [(p.id or str(k), p.premise, p.hypothesis) for k, p in enumerate(body.pairs, start=1)]
        items = [
            {"id": r.id, "relation": r.relation, "kind": r.kind, "score": r.score}
            for r in relate_pairs(triples)
        ]
        return {"ok": True, "items": items}

    # -- write ----------------------------------------------------------------------------------------------

    def _ingest(items: list[Article | Failure]) -> dict[str, Any]:
        with write_lock:
            report = corpus().ingest(items)
        event_cache.clear()
        return {"ok": True, "added": report.added, "duplicates": report.duplicates, "already": report.already,
                "new_events": report.new_events, "renamed": [{"from": a, "to": b} for a, b in report.renamed],
                "failures": [{"path": f.path, "reason": f.reason, "code": f.code} for f in report.failures]}  # fmt: skip

    @app.post("/api/articles", dependencies=[Depends(require_token)])
    def add_articles(body: ArticlesIn) -> dict[str, Any]:
        articles, failures = _articles(body.articles, "article")
        return _ingest([*articles, *failures])

    @app.post("/api/articles/upload", dependencies=[Depends(require_token)])
    def upload(files: Annotated[list[UploadFile], File()]) -> dict[str, Any]:
        import tempfile
        from pathlib import Path

        from kabar.ingest import read_paths

        items: list[Article | Failure] = []
        with tempfile.TemporaryDirectory() as tmp:
            for k, upload_file in enumerate(files):
                name = Path(upload_file.filename or f"upload-{k}").name or f"upload-{k}"
                data = upload_file.file.read(settings.max_body_bytes + 1)
                if len(data) > settings.max_body_bytes:
                    items.append(Failure(name, "file over the size limit", "too-large"))
                    continue
                path = Path(tmp) / name
                path.write_bytes(data)
                items.extend(read_paths([path]))
        return _ingest(items)

    @app.post("/api/ingest/url", dependencies=[Depends(require_token)])
    def ingest_url(body: UrlIn) -> dict[str, Any]:
        from kabar.ingest.feeds import fetch
        from kabar.ingest.readers import read_html

        guard = url_guard(settings.allow_private_urls)
        fetched = fetch(body.url, guard=guard, retries=2)
        import hashlib

        article = read_html(
            fetched.content,
            path=body.url,
            article_id="url-" + hashlib.sha1(body.url.encode()).hexdigest()[:12],
        )
        from dataclasses import replace

        return _ingest([replace(article, url=article.url or fetched.url)])

    # -- web page -------------------------------------------------------------------------------------------

    static = resources.files("kabar").joinpath("web", "static")

    def page(name: str) -> FileResponse:
        return FileResponse(str(static.joinpath(name)))

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return page("index.html")

    @app.get("/event/{event_id}", include_in_schema=False)
    def event_page(event_id: str) -> FileResponse:
        return page("index.html")

    @app.get("/compare", include_in_schema=False)
    def compare_page() -> FileResponse:
        return page("index.html")

    @app.get("/static/{name}", include_in_schema=False)
    def asset(name: str) -> FileResponse:
        if name not in {"app.js", "style.css"}:
            raise ApiError(404, "not found")
        return page(name)

    return app
