"""The ``kabar`` command line. Each command parses options, builds the config, calls one library function and
renders the result; library errors become one-line messages and exit codes, never tracebacks.

Exit codes: 0 success; 1 some inputs were skipped (the rest were processed); 2 usage error; 3 nothing usable;
70 internal error.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from kabar import __version__
from kabar.config import Config
from kabar.errors import KabarError
from kabar.records import Article, Comparison, Failure

app = typer.Typer(
    name="kabar",
    help="Offline-first news intelligence: annotate, compare and group news articles (Indonesian first).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_NOTHING = 3
EXIT_INTERNAL = 70

T = TypeVar("T")


class OutputFormat(StrEnum):
    json = "json"
    md = "md"


class NerChoice(StrEnum):
    auto = "auto"
    crf = "crf"
    rules = "rules"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kabar {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Kabar reads news articles (text, HTML, JSONL) and finds who, where, when and how much."""


def err(message: str) -> None:
    typer.echo(f"kabar: {message}", err=True)


def report_failure(failure: Failure) -> None:
    err(f"skipped {failure.path}: {failure.reason}")


def progress(items: Iterable[T], total: int | None, label: str, quiet: bool) -> Iterator[T]:
    """Show a progress bar on stderr for long work when stderr is a terminal."""
    if quiet or not sys.stderr.isatty() or (total is not None and total < 5):
        yield from items
        return
    from rich.progress import Progress

    with Progress(*_bar_columns(label), transient=True) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)


def _bar_columns(label: str) -> tuple[Any, ...]:
    """The columns of Kabar's progress bars: label, bar, done/total, time left."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

    return (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    body = text if text.endswith("\n") else text + "\n"
    if output.exists() and not output.is_file():
        # A device or a pipe (/dev/null, /dev/stdout, a FIFO): write into it, never replace it.
        with output.open("w", encoding="utf-8") as handle:
            handle.write(body)
        return
    # A regular file is replaced atomically, so a reader never sees half an output.
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, output)


def _count_inputs(paths: list[Path]) -> int | None:
    total = 0
    for path in paths:
        if path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file())
        elif path.suffix.lower() in {".jsonl", ".ndjson"}:
            return None
        else:
            total += 1
    return total


@app.command()
def annotate(
    files: Annotated[list[Path], typer.Argument(help="Article files or directories (text, HTML, JSONL).")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    ner: Annotated[NerChoice, typer.Option(help="Entity extractor.")] = NerChoice.auto,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Annotate articles: sentences, boilerplate, entities linked across articles, dates, numbers, quotes.

    Example: kabar annotate examples/ --format md
    """
    from kabar.ingest import read_paths, unique_ids
    from kabar.pipeline import annotate as run_annotate
    from kabar.render import to_json, to_markdown

    config = Config(ner=ner.value)
    items = progress(unique_ids(read_paths(files, config)), _count_inputs(files), "annotating", quiet)
    result = run_annotate(_reporting(items, report_failure), config)
    write_output(to_json(result) if fmt is OutputFormat.json else to_markdown(result), output)
    if not result.articles:
        err("no article could be read")
        raise typer.Exit(EXIT_NOTHING)
    if result.failures:
        err(f"{len(result.failures)} input(s) skipped, {len(result.articles)} article(s) annotated")
        raise typer.Exit(EXIT_PARTIAL)


class CompareFormat(StrEnum):
    json = "json"
    md = "md"
    html = "html"


@app.command()
def compare(
    files: Annotated[
        list[Path], typer.Argument(help="Articles about one event (text, HTML, JSONL, directories).")
    ],
    fmt: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format.")] = CompareFormat.md,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    brief_length: Annotated[
        int | None,
        typer.Option(min=1, max=50, help="Brief sentences (default: a third of the facts, at most 10)."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Compare sources on one event: shared, unique and conflicting facts, and a brief citing its sources.

    Example: kabar compare examples/ --format html -o report.html
    """
    from kabar.compare.run import compare as run_compare
    from kabar.ingest import read_paths, unique_ids
    from kabar.pipeline import annotate as run_annotate

    config = Config()
    items = progress(unique_ids(read_paths(files, config)), _count_inputs(files), "annotating", quiet)
    annotation = run_annotate(_reporting(items, report_failure), config)
    if not annotation.articles:
        err("no article could be read")
        raise typer.Exit(EXIT_NOTHING)
    result = run_compare(annotation, brief_length=brief_length)
    for note in result.notes:
        err(f"note: {note}")
    write_output(_render_comparison(result, fmt), output)
    _exit_for(nothing=False, failed=bool(annotation.failures))


def _render_comparison(result: Comparison, fmt: CompareFormat) -> str:
    from kabar.report import comparison_html, comparison_json, comparison_markdown

    render = {
        CompareFormat.json: comparison_json,
        CompareFormat.md: comparison_markdown,
        CompareFormat.html: comparison_html,
    }
    return render[fmt](result)


def _exit_for(nothing: bool, failed: bool) -> None:
    """Exit 3 when nothing could be used, 1 when some inputs were skipped; return otherwise."""
    if nothing:
        raise typer.Exit(EXIT_NOTHING)
    if failed:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def relate(
    file: Annotated[Path, typer.Argument(help='JSONL lines {"id", "premise", "hypothesis"}; "-" for stdin.')],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Relate statements: writes {"id", "relation": agree|conflict|neutral, "kind", "score"} per input line.

    Example: echo '{"id": 1, "premise": "Harga naik 5 persen.", "hypothesis": "Harga naik 15 persen."}' | kabar relate -
    """
    import json

    from kabar.compare.relate import relate_pairs

    lines = sys.stdin.read().splitlines() if str(file) == "-" else _read_lines(file)
    pairs: list[tuple[str, str, str]] = []
    bad = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            premise, hypothesis = obj["premise"], obj["hypothesis"]
            if (
                not isinstance(premise, str)
                or not isinstance(hypothesis, str)
                or not premise.strip()
                or not hypothesis.strip()
            ):
                raise ValueError("premise and hypothesis must be non-empty strings")
            pairs.append((str(obj.get("id", number)), premise, hypothesis))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            bad += 1
            err(f"skipped line {number}: {type(error).__name__}: {error}")
    out = [
        json.dumps({"id": r.id, "relation": r.relation, "kind": r.kind, "score": r.score}, ensure_ascii=False)
        for r in relate_pairs(pairs)
    ]
    write_output("\n".join(out), output)
    if not pairs:
        err("no valid line to relate")
        raise typer.Exit(EXIT_NOTHING)
    if bad:
        raise typer.Exit(EXIT_PARTIAL)


def _read_lines(file: Path) -> list[str]:
    from kabar.errors import InputError
    from kabar.ingest.readers import decode

    try:
        return decode(file.read_bytes(), str(file)).splitlines()
    except (InputError, OSError) as error:
        err(f"cannot read {file}: {getattr(error, 'reason', error)}")
        raise typer.Exit(EXIT_NOTHING) from None


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="KABAR_DB",
        help="Database: a file path (SQLite, default kabar.sqlite) or postgresql://...",
    ),
]


@app.command()
def ingest(
    sources: Annotated[
        list[str], typer.Argument(help="Files, directories, JSONL, RSS/Atom or OPML files, or URLs.")
    ],
    db: DbOption = None,
    follow: Annotated[
        bool, typer.Option(help="Fetch the article page when a feed entry is only a teaser.")
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Add articles to the corpus and group them into events (online; re-running is safe).

    Example: kabar ingest feeds.opml news/ --db kabar.sqlite
    """
    from kabar.corpus import Corpus
    from kabar.ingest.feeds import read_sources
    from kabar.store import open_store

    store = open_store(db)
    try:
        corpus = Corpus(store)
        items = progress(read_sources(sources, Config(), follow_links=follow), None, "ingesting", quiet)
        report = corpus.ingest(_reporting(items, report_failure))
    finally:
        store.close()
    for old, new in report.renamed:
        err(f"article id {old} was already used for another text: stored as {new}")
    err(report.summary())
    _exit_for(nothing=not (report.added or report.already or report.duplicates), failed=bool(report.failures))


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
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
) -> None:
    """List events: id, dates, articles, sources, title."""
    import json

    from kabar.store import open_store

    store = open_store(db)
    try:
        rows = store.events(limit, offset, sort.value)
    finally:
        store.close()
    if as_json:
        lines = [json.dumps(_row_dict(r), ensure_ascii=False) for r in rows]
        write_output("\n".join(lines), None)
        return
    lines = [f"{'id':<10} {'first':<10} {'last':<10} {'articles':>8} {'sources':>7} {'conflicts':>9}  title"]
    for r in rows:
        conflicts = "-" if r.conflicts is None else str(r.conflicts)
        lines.append(f"{r.id:<10} {r.first_published or '-':<10} {r.last_published or '-':<10} {r.articles:>8} "
                     f"{r.sources:>7} {conflicts:>9}  {r.title[:80]}")  # fmt: skip
    write_output("\n".join(lines), None)


def _row_dict(row: object) -> dict[str, object]:
    return {name: getattr(row, name) for name in getattr(row, "__slots__", ())}


@app.command()
def event(
    event_id: Annotated[str, typer.Argument(help="An event id from kabar events.")],
    db: DbOption = None,
    fmt: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format.")] = CompareFormat.md,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
) -> None:
    """Show one event: its sources compared (facts, conflicts, cited brief), as kabar compare."""
    from kabar.compare.run import compare as run_compare
    from kabar.pipeline import annotate as run_annotate
    from kabar.store import open_store

    store = open_store(db)
    try:
        found = store.event(event_id)
        members = store.articles_of_event(event_id) if found else []
    finally:
        store.close()
    if found is None:
        err(f"no event {event_id!r} (see kabar events)")
        raise typer.Exit(EXIT_NOTHING)
    articles = [s.article for s in members if s.duplicate_of is None]
    result = run_compare(run_annotate(articles))
    store = open_store(db)
    try:
        store.set_event_conflicts(event_id, sum(1 for f in result.facts if f.status == "conflict"))
    finally:
        store.close()
    write_output(_render_comparison(result, fmt), output)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find (all must appear).")],
    db: DbOption = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """Full-text search of the corpus: article id, event, title."""
    from kabar.store import open_store

    store = open_store(db)
    try:
        hits = store.search(query, limit)
    finally:
        store.close()
    write_output("\n".join(f"{a}\t{e or '-'}\t{t or ''}" for a, t, e in hits), None)
    if not hits:
        raise typer.Exit(EXIT_PARTIAL)


class Blocking(StrEnum):
    ann = "ann"
    lsh = "lsh"


BLOCKING_HELP = (
    "Where candidate events come from: ann (an index over event centroids) or lsh (articles sharing an LSH or "
    "entity key in the same week; in kabar batch a distributed step). The same kind gives the same events in "
    "kabar cluster and kabar batch."
)


@app.command()
def cluster(
    files: Annotated[list[Path], typer.Argument(help="Articles (JSONL, text, HTML, directories).")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    blocking: Annotated[Blocking, typer.Option(help=BLOCKING_HELP)] = Blocking.ann,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Group articles into events in one go: writes {"id", "event"} per article (no database).

    Example: kabar cluster articles.jsonl -o events.jsonl
    """
    import json

    from kabar.cluster.run import cluster_articles
    from kabar.ingest import read_paths, unique_ids

    items = list(_reporting(unique_ids(read_paths(files)), report_failure))
    articles = [i for i in items if isinstance(i, Article)]
    if not articles:
        err("no article could be read")
        raise typer.Exit(EXIT_NOTHING)
    pairs = progress(cluster_articles(articles, blocking=blocking.value), len(articles), "clustering", quiet)
    write_output("\n".join(json.dumps({"id": a, "event": e}, ensure_ascii=False) for a, e in pairs), output)
    if len(articles) < len(items):
        raise typer.Exit(EXIT_PARTIAL)


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
) -> None:
    """Start the HTTP API (OpenAPI at /docs) and the web page for analysts.

    Example: kabar serve --db kabar.sqlite --port 8000, then open http://127.0.0.1:8000/
    """
    import uvicorn

    from kabar.api.app import Settings, create_app
    from kabar.api.security import is_local_bind

    if not is_local_bind(host) and not token:
        err(f"listening on {host} exposes write endpoints: give --token (or KABAR_TOKEN)")
        raise typer.Exit(EXIT_USAGE)
    settings = Settings(db=db or "kabar.sqlite", token=token, allow_private_urls=allow_private_urls)
    err(f"serving {settings.db} on http://{host}:{port}/ (API docs at /docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


class BatchFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"


@app.command()
def batch(
    inputs: Annotated[list[Path], typer.Argument(help="JSONL shards or directories of articles.")],
    out: Annotated[Path, typer.Option("--out", help="Output directory (re-running resumes there).")],
    scheduler: Annotated[
        str | None, typer.Option(help="Address of a running Dask scheduler (default: start a LocalCluster).")
    ] = None,
    workers: Annotated[int, typer.Option(min=1, max=256, help="Worker processes of the LocalCluster.")] = 2,
    partition_size: Annotated[int, typer.Option(min=1, help="Articles per partition.")] = 2000,
    annotate_articles: Annotated[
        bool, typer.Option("--annotate/--no-annotate", help="Write full annotations.")
    ] = True,
    db: DbOption = None,
    blocking: Annotated[Blocking, typer.Option(help=BLOCKING_HELP)] = Blocking.ann,
    fmt: Annotated[
        BatchFormat,
        typer.Option(
            "--format", "-f", help="jsonl, or parquet for Parquet copies of every output under OUT/parquet/."
        ),
    ] = BatchFormat.jsonl,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")] = False,
) -> None:
    """Run the pipeline over many articles on Dask: annotate and embed in parallel partitions, group into
    events (as kabar cluster), compare each event, and optionally load a database.

    Example: kabar batch shards/ --out run1 --workers 2 --db kabar.sqlite
    """
    from contextlib import ExitStack

    from kabar.batch.runner import run_batch

    with ExitStack() as stack:
        bar: Any = None
        tasks: dict[str, Any] = {}
        if not quiet and sys.stderr.isatty():
            from rich.progress import Progress

            bar = stack.enter_context(Progress(*_bar_columns("{task.description}")))
        shown: dict[str, int] = {}

        def show(stage: str, done: int, total: int) -> None:
            if quiet:
                return
            if bar is not None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done)
            elif done == total or done * 10 // total > shown.get(stage, 0):  # a line every tenth
                shown[stage] = done * 10 // total
                err(f"{stage}: {done}/{total}")

        def dashboard(link: str | None) -> None:
            if not quiet:
                err(f"Dask dashboard: {link}" if link else "Dask dashboard: not available")

        report = run_batch([str(p) for p in inputs], out, scheduler=scheduler, workers=workers,
                           partition_size=partition_size, annotate_articles=annotate_articles, db=db,
                           on_progress=show, output_format=fmt.value, on_dashboard=dashboard,
                           blocking=blocking.value)  # fmt: skip
    err(f"{report.partitions} partition(s) ({report.partitions_done_before} already done), {report.articles} "
        f"article(s), {report.failures} skipped, {report.events} event(s), {report.comparisons} comparison(s)"
        + (f", {report.loaded} loaded into the database" if db else ""))  # fmt: skip
    _exit_for(nothing=report.articles == 0, failed=bool(report.failures))


class TagFormat(StrEnum):
    spans = "spans"
    conll = "conll"
    json = "json"


class TagExtractor(StrEnum):
    auto = "auto"
    model = "model"
    rules = "rules"


@app.command()
def tag(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Article files or directories (text, HTML, JSONL) to tag.")
    ] = None,
    conll: Annotated[
        Path | None,
        typer.Option(
            "--conll",
            help="CoNLL-style input: token first (other columns ignored), blank line between sentences.",
        ),
    ] = None,
    fmt: Annotated[
        TagFormat,
        typer.Option("--format", "-f", help="For articles: spans (TSV), conll (token TAB tag) or json."),
    ] = TagFormat.spans,
    extractor: Annotated[
        TagExtractor,
        typer.Option(
            help="auto: the pipeline's entity stage (model + gazetteer); model: the CRF alone; rules."
        ),
    ] = TagExtractor.auto,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Tag named entities (PER, ORG, LOC, EVT, FNB) with Kabar's Indonesian model.

    With --conll FILE: writes token<TAB>tag lines in IOB2 with the same sentence breaks.
    With article files: writes one line per entity span (article, start, end, type, text), or --format conll/json.

    Example: kabar tag --conll sentences.conll -o tagged.conll
    """
    from kabar.extract.ner import tag_words

    if conll is None and not files:
        err("give article files or --conll FILE (see kabar tag --help)")
        raise typer.Exit(EXIT_USAGE)
    if conll is not None:
        from kabar.errors import InputError
        from kabar.ingest.conll import read_conll_tokens

        try:
            sentences = read_conll_tokens(conll)
        except (InputError, OSError) as error:
            err(f"cannot read {conll}: {getattr(error, 'reason', error)}")
            raise typer.Exit(EXIT_NOTHING) from None
        lines: list[str] = []
        for words in progress(sentences, len(sentences), "tagging", quiet):
            lines.extend(f"{w}\t{t}" for w, t in zip(words, tag_words(words, extractor.value), strict=True))
            lines.append("")
        write_output("\n".join(lines), output)
        return
    _tag_articles(files or [], fmt, extractor, output, quiet)


def _tag_articles(
    files: list[Path], fmt: TagFormat, extractor: TagExtractor, output: Path | None, quiet: bool
) -> None:
    import json

    from kabar.ingest import read_paths, unique_ids
    from kabar.lang import tokenize
    from kabar.pipeline import annotate as run_annotate

    config = Config(ner="rules" if extractor is TagExtractor.rules else "auto")
    items = progress(unique_ids(read_paths(files, config)), _count_inputs(files), "tagging", quiet)
    result = run_annotate(_reporting(items, report_failure), config)
    lines: list[str] = []
    for doc in result.articles:
        if fmt is TagFormat.json:
            mentions = [
                {"start": m.start, "end": m.end, "text": m.text, "type": m.type} for m in doc.mentions
            ]
            lines.append(json.dumps({"id": doc.article.id, "mentions": mentions}, ensure_ascii=False))
        elif fmt is TagFormat.spans:
            lines.extend(f"{doc.article.id}\t{m.start}\t{m.end}\t{m.type}\t{m.text}" for m in doc.mentions)
        else:
            for sentence in doc.sentences:
                if sentence.boilerplate:
                    continue
                tags = {}
                for m in doc.mentions:
                    if sentence.start <= m.start < sentence.end:
                        inside = [
                            t for t in tokenize(sentence.text, sentence.start) if m.start <= t.start < m.end
                        ]
                        for k, token in enumerate(inside):
                            tags[token.start] = ("B-" if k == 0 else "I-") + m.type
                lines.extend(
                    f"{t.text}\t{tags.get(t.start, 'O')}" for t in tokenize(sentence.text, sentence.start)
                )
                lines.append("")
    write_output("\n".join(lines), output)
    if not result.articles:
        err("no article could be read")
        raise typer.Exit(EXIT_NOTHING)
    if result.failures:
        raise typer.Exit(EXIT_PARTIAL)


def _reporting(
    items: Iterable[Article | Failure], report: Callable[[Failure], None]
) -> Iterator[Article | Failure]:
    for item in items:
        if isinstance(item, Failure):
            report(item)
        yield item


def main() -> None:
    """Console entry point: usage errors are typer's (exit 2); everything else becomes a message and a code."""
    try:
        app()
    except KabarError as error:
        err(error.message)
        sys.exit(EXIT_USAGE if error.code == "usage" else EXIT_NOTHING)
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(130)
    except Exception as error:  # the one place a bug is reported, without a traceback unless asked
        err(f"internal error: {type(error).__name__}: {error} (set KABAR_DEBUG=1 for a traceback)")
        if os.environ.get("KABAR_DEBUG"):
            raise
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
