"""What every ``kabar`` command shares: the Typer app, exit codes, messages, progress bars, output files and
the options several commands take."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from kabar.errors import KabarError, UsageError
from kabar.records import Article, Comparison, Failure

if TYPE_CHECKING:
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
    """Show a progress bar on stderr for long work when stderr is a terminal."""
    if quiet or not sys.stderr.isatty() or (total is not None and total < 5):
        yield from items
        return
    from rich.progress import Progress

    with Progress(*bar_columns(label), transient=True) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)


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


def count_inputs(paths: list[Path]) -> int | None:
    """How many files the paths hold (None when a JSONL file makes it unknown before reading)."""
    total = 0
    for path in paths:
        if path.is_dir():
            total += sum(1 for p in path.rglob("*") if p.is_file())
        elif path.suffix.lower() in {".jsonl", ".ndjson"}:
            return None
        else:
            total += 1
    return total


def exit_for(nothing: bool, failed: bool) -> None:
    """Exit 3 when nothing could be used, 1 when some inputs were skipped; return otherwise."""
    if nothing:
        raise typer.Exit(EXIT_NOTHING)
    if failed:
        raise typer.Exit(EXIT_PARTIAL)


class CompareFormat(StrEnum):
    json = "json"
    md = "md"
    html = "html"


def render_comparison(result: Comparison, fmt: CompareFormat) -> str:
    from kabar.report import comparison_html, comparison_json, comparison_markdown

    render = {
        CompareFormat.json: comparison_json,
        CompareFormat.md: comparison_markdown,
        CompareFormat.html: comparison_html,
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
