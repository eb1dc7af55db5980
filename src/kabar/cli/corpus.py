"""Commands over a corpus database: ``ingest``, ``watch``, ``events``, ``event``, ``search``, ``serve``."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from kabar.cli.shell import (
    EXIT_NOTHING,
    EXIT_PARTIAL,
    EXIT_USAGE,
    TABLE_HELP,
    DbOption,
    OutputOption,
    QuietOption,
    ReportFormat,
    TableFormat,
    app,
    count_inputs,
    err,
    exit_for,
    open_corpus,
    render_comparison,
    render_rows,
    watch,
    write_output,
)
from kabar.config import Config

SHUTDOWN_SECONDS = 3
"""Seconds ``kabar serve`` waits for requests in flight when told to stop (compute workers are ended at once)."""


@app.command()
def ingest(
    sources: Annotated[
        list[str], typer.Argument(help="Files, directories, JSONL, RSS/Atom or OPML files, or URLs.")
    ],
    db: DbOption = None,
    follow: Annotated[
        bool, typer.Option(help="Fetch the article page when a feed entry is only a teaser.")
    ] = True,
    quiet: QuietOption = False,
    conflicts: Annotated[
        bool,
        typer.Option(help="Compare the events that gained articles, so their conflict counts are current."),
    ] = True,
    source: Annotated[
        str | None,
        typer.Option(
            help="The outlet of every article read (else each one's record, URL, page or file name)."
        ),
    ] = None,
) -> None:
    """Add articles to the corpus and group them into events (online; re-running is safe).

    Example: kabar ingest feeds.opml news/ --db kabar.sqlite
    """
    from kabar.corpus import Corpus
    from kabar.workflows import ingest_sources

    store = open_corpus(db, create=True)
    try:
        corpus = Corpus(store)
        report = ingest_sources(
            corpus,
            sources,
            Config(),
            follow_links=follow,
            watch=watch(count_inputs(sources), "ingesting", quiet),
            conflicts=conflicts,
            outlet=source,
        )
    finally:
        store.close()
    for old, new in report.renamed:
        err(f"article id {old} was already used for another text: stored as {new}")
    err(report.summary())
    exit_for(nothing=not report.used, failed=bool(report.failures))


class EventOrder(StrEnum):
    newest = "newest"
    sources = "sources"
    articles = "articles"
    conflicts = "conflicts"


@app.command()
def events(
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    sort: Annotated[EventOrder, typer.Option(help="Order of the list.")] = EventOrder.newest,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help=TABLE_HELP)] = TableFormat.table,
    output: OutputOption = None,
) -> None:
    """List events: id, dates, articles, outlets, conflicts, title."""
    from kabar.report import event_row_dict

    store = open_corpus(db)
    try:
        rows = store.events(limit, offset, sort.value)
    finally:
        store.close()
    columns = ("id", "first_published", "last_published", "articles", "sources", "conflicts", "title")
    write_output(render_rows([event_row_dict(r) for r in rows], columns, fmt), output)


@app.command()
def event(
    event_id: Annotated[str, typer.Argument(help="An event id from kabar events.")],
    db: DbOption = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Output format.")] = ReportFormat.md,
    output: OutputOption = None,
) -> None:
    """Show one event: its sources compared (facts, conflicts, cited brief), as kabar compare; --format json
    gives the same document as GET /api/events/ID."""
    from kabar.report import event_dict
    from kabar.workflows import compare_event

    store = open_corpus(db)
    try:
        result = compare_event(store, event_id)
    finally:
        store.close()
    if fmt is ReportFormat.json:
        write_output(json.dumps(event_dict(result), ensure_ascii=False, indent=2), output)
    else:
        write_output(render_comparison(result.comparison, fmt), output)


@app.command()
def search(
    query: Annotated[
        str,
        typer.Argument(
            help='Words (all must appear), "phrases", OR, -excluded; names match all their forms.'
        ),
    ],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
    since: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Last day, YYYY-MM-DD.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet's articles.")] = None,
    entity: Annotated[
        str | None, typer.Option(help="Only articles naming this person, place or organisation.")
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help=TABLE_HELP)] = TableFormat.table,
    output: OutputOption = None,
) -> None:
    """Full-text search of the corpus: article, event, outlet, date, title and the matching passage.

    Example: kabar search 'Jokowi "ibu kota"' --since 2019-08-01 --format csv
    """
    from kabar.people import key_of
    from kabar.store import explore

    store = open_corpus(db)
    try:
        filters = explore.Filters(since, until, outlet, key_of(entity) if entity else None)
        result = explore.search(store, query, filters, limit)
    finally:
        store.close()
    marks = ("**", "**") if fmt is TableFormat.md else ("[", "]") if fmt is TableFormat.table else ("", "")
    rows = [{"article": h.article, "event": h.event, "outlet": h.outlet, "published": h.published, "title": h.title,
             "snippet": " ".join("".join(f"{marks[0]}{t}{marks[1]}" if m else t for t, m in h.snippet).split())}
            for h in result.hits]  # fmt: skip
    columns = ("article", "event", "outlet", "published", "title", "snippet")
    write_output(render_rows(rows, columns, fmt), output)
    if not rows:
        err(f"no article matches {query!r}")
        raise typer.Exit(EXIT_PARTIAL)
    if result.total > len(rows):
        err(f"{len(rows)} of {result.total} matching articles shown (--limit)")


@app.command("watch")
def watch_feeds(
    feeds: Annotated[list[str], typer.Argument(help="RSS/Atom feed URLs or files, and OPML lists of feeds.")],
    db: DbOption = None,
    interval: Annotated[
        float, typer.Option(min=10, help="Seconds between two polls of a feed (failures wait longer).")
    ] = 900,
    rounds: Annotated[
        int, typer.Option(min=0, help="Stop after this many rounds (0: run until stopped).")
    ] = 0,
    follow: Annotated[
        bool, typer.Option(help="Fetch the article page when a feed entry is only a teaser.")
    ] = True,
) -> None:
    """Keep the corpus fresh: poll feeds on a schedule (conditional GET, back-off on failures), ingest new
    articles and update their events and conflict counts; stopping and starting again resumes.

    Example: kabar watch examples/feeds-id.opml --db kabar.sqlite
    """
    from kabar.corpus import Corpus
    from kabar.ingest.watch import RoundReport, Watcher, expand_sources

    urls, failures = expand_sources(feeds)
    for failure in failures:
        err(f"skipped {failure.path}: {failure.reason}")
    if not urls:
        err("no feed to watch")
        raise typer.Exit(EXIT_NOTHING)
    err(f"watching {len(urls)} feed(s), every {interval:g} s; Ctrl-C to stop")
    store = open_corpus(db, create=True)

    def show(report: RoundReport) -> None:
        for failure in report.failures:
            err(f"{failure.path}: {failure.reason}")
        err(report.summary())

    try:
        Watcher(Corpus(store), interval=interval, config=Config(), follow_links=follow).run(
            urls, rounds=rounds or None, on_round=show
        )
    except KeyboardInterrupt:
        err("stopped; the next start resumes from the database")
    finally:
        store.close()


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on (beyond localhost a token is required).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    token: Annotated[
        str | None, typer.Option(envvar="KABAR_TOKEN", help="Bearer token the write endpoints require.")
    ] = None,
    allow_private_urls: Annotated[
        bool, typer.Option(help="Let URL ingest fetch local and private addresses (off: refused).")
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(help="A name clients reach the server by, beside --host and localhost (repeatable)."),
    ] = None,
    compute_workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes for compare and relate requests.")
    ] = 2,
    compute_seconds: Annotated[
        float,
        typer.Option(min=1, help="The most seconds one compare or relate request may take (503 beyond)."),
    ] = 60.0,
    compute_rate: Annotated[
        float,
        typer.Option(
            min=0.001,
            help="Seconds a compare or relate request may take per 1,000 characters, beside 0.3 s (503 beyond).",
        ),
    ] = 0.125,
    ingest_seconds: Annotated[
        float,
        typer.Option(min=1, help="Seconds the writer may take to store one batch of articles (503 beyond)."),
    ] = 30.0,
) -> None:
    """Start the HTTP API (OpenAPI at /docs) and the web page for analysts.

    Example: kabar serve --db kabar.sqlite --port 8000, then open http://127.0.0.1:8000/
    """
    import uvicorn

    from kabar.api.app import Settings, create_app
    from kabar.api.guards import allowed_hosts
    from kabar.api.security import is_local_bind
    from kabar.store.sql import redact, resolve_url

    if not is_local_bind(host) and not token:
        err(f"listening on {host} exposes write endpoints: give --token (or KABAR_TOKEN)")
        raise typer.Exit(EXIT_USAGE)
    settings = Settings(db=resolve_url(db), token=token, allow_private_urls=allow_private_urls,
                        allowed_hosts=allowed_hosts(host, allowed_host or ()), compute_workers=compute_workers,
                        compute_seconds=compute_seconds, compute_rate=compute_rate,
                        ingest_seconds=ingest_seconds)  # fmt: skip
    err(f"serving {redact(settings.db)} on http://{host}:{port}/ (API docs at /docs)")
    uvicorn.run(create_app(settings, warm=True), host=host, port=port, log_level="warning",
                timeout_graceful_shutdown=SHUTDOWN_SECONDS)  # fmt: skip
