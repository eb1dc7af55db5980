"""``kabar batch``: the whole pipeline over many articles on Dask, with a progress display."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from kabar.cli.shell import BLOCKING_HELP, Blocking, DbOption, app, bar_columns, err, exit_for


class BatchFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"


class _Display:
    """Progress of the batch's stages: rich bars on a terminal, else a line every tenth of a stage."""

    def __init__(self, stack: ExitStack, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}
        self.shown: dict[str, int] = {}
        if not quiet and sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = stack.enter_context(Progress(*bar_columns("{task.description}")))

    def show(self, stage: str, done: int, total: int) -> None:
        if self.quiet:
            return
        if self.bar is not None:
            if stage not in self.tasks:
                self.tasks[stage] = self.bar.add_task(stage, total=total)
            self.bar.update(self.tasks[stage], completed=done)
        elif done == total or done * 10 // total > self.shown.get(stage, 0):
            self.shown[stage] = done * 10 // total
            err(f"{stage}: {done}/{total}")

    def dashboard(self, link: str | None) -> None:
        if not self.quiet:
            err(f"Dask dashboard: {link}" if link else "Dask dashboard: not available")


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
    from kabar.batch.runner import run_batch

    with ExitStack() as stack:
        display = _Display(stack, quiet)
        report = run_batch([str(p) for p in inputs], out, scheduler=scheduler, workers=workers,
                           partition_size=partition_size, annotate_articles=annotate_articles, db=db,
                           on_progress=display.show, output_format=fmt.value, on_dashboard=display.dashboard,
                           blocking=blocking.value)  # fmt: skip
    err(f"{report.partitions} partition(s) ({report.partitions_done_before} already done), {report.articles} "
        f"article(s), {report.failures} skipped, {report.events} event(s), {report.comparisons} comparison(s)"
        + (f", {report.loaded} loaded into the database" if db else ""))  # fmt: skip
    exit_for(nothing=report.articles == 0, failed=bool(report.failures))
