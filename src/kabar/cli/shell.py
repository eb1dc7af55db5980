"""What every ``kabar`` command shares: the Typer app, exit codes, messages, progress bars, output files and
the options several commands take."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from kabar.errors import KabarError, UsageError
from kabar.records import Article, Comparison, Failure

if TYPE_CHECKING:
    from kabar.store import SQLStore
    from kabar.workflows import Watch

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


def plain_types() -> None:
    """Write each option's value in help as a user reads it ("N", "PATH", "newest|sources") rather than as a
    Python type ("<int range>", "<list[Path]>"); flags, --help included, show no value."""
    import typer.core

    def display_type(param: Any, ctx: Any) -> str:
        descriptor = param.type_descriptor
        if getattr(param, "is_flag", False):
            return ""
        if descriptor.is_choice:
            return "|".join(str(getattr(c, "value", c)) for c in descriptor.choices or ())
        text = str(descriptor.annotation)
        if descriptor.is_path or "Path" in text:
            return "PATH"
        return "N" if "int" in text else "NUMBER" if "float" in text else "TEXT"

    for cls in (typer.core.TyperOption, typer.core.TyperArgument):
        cls.display_type = display_type  # type: ignore[method-assign,assignment]


def exit_code(error: KabarError) -> int:
    """The exit code of a library error: 2 for a usage error, 3 for everything else (nothing usable, not
    found, an unreadable input or model)."""
    return EXIT_USAGE if isinstance(error, UsageError) else EXIT_NOTHING


def err(message: str) -> None:
    typer.echo(f"kabar: {message}", err=True)


def report_failure(failure: Failure) -> None:
    err(f"skipped {failure.path}: {failure.reason}")


def reporting(items: Iterable[Article | Failure]) -> Iterator[Article | Failure]:
    """Pass items through, reporting each failure on stderr as it happens."""
    for item in items:
        if isinstance(item, Failure):
            report_failure(item)
        yield item


def watch(total: int | None, label: str, quiet: bool) -> Watch:
    """A ``kabar.workflows.Watch``: a progress bar over the items read, and a line for each one skipped."""

    def wrap(items: Iterable[Article | Failure]) -> Iterator[Article | Failure]:
        return reporting(progress(items, total, label, quiet))

    return wrap


def progress(items: Iterable[T], total: int | None, label: str, quiet: bool) -> Iterator[T]:
    """Progress on stderr for long work: a bar with the total and the time left on a terminal; elsewhere (a log,
    a pipe) a line at each tenth of a known total."""
    if quiet or (total is not None and total < PROGRESS_MIN):
        yield from items
        return
    if not sys.stderr.isatty():
        yield from _tenths(items, total, label) if total and total >= LINES_MIN else items
        return
    from rich.progress import Progress

    with Progress(*bar_columns(label), transient=True) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)


PROGRESS_MIN = 5
"""Fewer items than this finish before a progress bar would help."""
LINES_MIN = 10
"""Fewer items than this get no progress lines in a log (a line per item is noise, not progress)."""


def _tenths(items: Iterable[T], total: int, label: str) -> Iterator[T]:
    import time

    start = time.monotonic()
    reported = 0
    for done, item in enumerate(items, start=1):
        yield item
        tenth = min(10, done * 10 // total)
        if tenth > reported:
            reported = tenth
            elapsed = time.monotonic() - start
            left = elapsed * (total - done) / done if done < total else 0.0
            err(f"{label} {done}/{total} ({tenth * 10}%), {elapsed:.0f} s so far, about {left:.0f} s left")


def bar_columns(label: str) -> tuple[Any, ...]:
    """The columns of Kabar's progress bars: label, bar, done/total, time left."""
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn

    return (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())


def write_output(text: str, output: Path | None) -> None:
    body = text if text.endswith("\n") else text + "\n"
    if output is None:
        sys.stdout.write(body)
        return
    if output.exists() and not output.is_file():
        # A device or a pipe (/dev/null, /dev/stdout, a FIFO): write into it, never replace it.
        with output.open("w", encoding="utf-8") as handle:
            handle.write(body)
        return
    # A regular file is replaced atomically, so a reader never sees half an output.
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, output)


def count_inputs(sources: Sequence[str | Path]) -> int | None:
    """How many articles the inputs hold at most: files, and lines of JSONL files (None when standard input or
    a URL makes it unknown)."""
    total = 0
    for source in sources:
        text = str(source)
        if text == "-" or text.startswith(("http://", "https://")):
            return None
        path = Path(text)
        if path.suffix.lower() in {".xml", ".rss", ".atom", ".opml"}:
            return None  # a feed holds as many articles as it has entries
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        total += sum(_records_in(f) for f in files)
    return total


def _records_in(path: Path) -> int:
    if path.suffix.lower() not in {".jsonl", ".ndjson"}:
        return 1
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return 1


class _Teardown:
    skippable = False


def output_written(written: bool = True) -> None:
    """Called by a command once its output is written and nothing of it is left to close: :func:`kabar.cli.main.main`
    may then end the process without Python's teardown, which frees every object one by one (0.15-0.2 s of CPU
    after a comparison, with the encoder's 128,000 pieces and the annotation caches)."""
    _Teardown.skippable = written


def teardown_skippable() -> bool:
    return _Teardown.skippable


def exit_for(nothing: bool, failed: bool) -> None:
    """Exit 3 when nothing could be used, 1 when some inputs were skipped; return otherwise."""
    if nothing:
        raise typer.Exit(EXIT_NOTHING)
    if failed:
        raise typer.Exit(EXIT_PARTIAL)


class ReportFormat(StrEnum):
    """How an annotation or a comparison is written (html for comparisons only)."""

    json = "json"
    md = "md"
    html = "html"


class RelateTier(StrEnum):
    """The relation tier of ``kabar relate``: accurate (the cross-encoder), fast (the logistic model)."""

    auto = "auto"
    accurate = "accurate"
    fast = "fast"


class NerChoice(StrEnum):
    """The entity tier (``Config.ner``); crf is the older name of fast."""

    auto = "auto"
    fast = "fast"
    accurate = "accurate"
    crf = "crf"
    rules = "rules"


NER_HELP = (
    "Entity tier: fast (the CRF with gazetteer and rules), accurate (the e5 token classifier with them, "
    "about 10x slower), rules; crf = fast. auto: {default}."
)


def render_comparison(result: Comparison, fmt: ReportFormat) -> str:
    from kabar.report import comparison_html, comparison_json, comparison_markdown

    render = {
        ReportFormat.json: comparison_json,
        ReportFormat.md: comparison_markdown,
        ReportFormat.html: comparison_html,
    }
    return render[fmt](result)


class Blocking(StrEnum):
    ann = "ann"
    lsh = "lsh"


BLOCKING_HELP = (
    "Where candidate events come from: ann (an index over event centroids) or lsh (articles sharing an LSH or "
    "entity key in the same week; in kabar batch a distributed step). The same kind gives the same events in "
    "kabar cluster and kabar batch."
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        envvar="KABAR_DB",
        help="Database: a file path (SQLite, default kabar.sqlite) or postgresql://...",
    ),
]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    md = "md"


TABLE_HELP = "table (aligned text), json (one array), jsonl (an object per line), csv or md."


def render_rows(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: TableFormat) -> str:
    """Rows of a listing in one of the formats every tabular command shares."""
    import csv
    import io
    import json

    if fmt is TableFormat.json:
        return json.dumps(list(rows), ensure_ascii=False, indent=2)
    if fmt is TableFormat.jsonl:
        return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows)
    cells = [["" if r.get(c) is None else str(r.get(c)) for c in columns] for r in rows]
    if fmt is TableFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(cells)
        return buffer.getvalue()
    if fmt is TableFormat.md:
        escape = [[c.replace("|", "\\|").replace("\n", " ") for c in row] for row in cells]
        lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in escape])
    widths = [max([len(c), *(min(len(row[k]), 80) for row in cells)]) for k, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v[:80].ljust(w) for v, w in zip(values, widths, strict=True)).rstrip()

    return "\n".join([line(list(columns)), *(line(row) for row in cells)])


def open_corpus(db: str | None, create: bool = False) -> SQLStore:
    """Open the corpus database (``--db``, else ``KABAR_DB``, else kabar.sqlite). Unless ``create`` (commands
    that add articles), it must exist: a command that reads one never creates an empty one by mistake.

    Raises:
        UsageError: a SQLite file that does not exist, without ``create``.
    """
    from kabar.store import open_store, resolve_url

    url = resolve_url(db)
    if not create and not url.startswith(("postgresql://", "postgres://")):
        path = Path(url.removeprefix("sqlite:///").removeprefix("sqlite://")).expanduser()
        if str(path) != ":memory:" and not path.exists():
            raise UsageError(
                f"no database at {path}: add articles first (kabar ingest or kabar watch), or give --db"
            )
    return open_store(url)
