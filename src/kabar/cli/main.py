"""The ``kabar`` command line. Each command parses options, builds the config, calls one use case
(``kabar.workflows``) and renders the result; library errors become one-line messages and exit codes, never
tracebacks.

The commands live beside this module: ``articles`` (annotate, compare, relate, tag, cluster), ``corpus``
(ingest, events, event, search, serve) and ``batch``; ``shell`` holds what they share.

Exit codes: 0 success; 1 some inputs were skipped (the rest were processed); 2 usage error; 3 nothing usable;
70 internal error.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from kabar import __version__
from kabar.cli import articles, batch, corpus
from kabar.cli.shell import (
    EXIT_INTERNAL,
    app,
    err,
    exit_code,
    output_written,
    plain_types,
    teardown_skippable,
)
from kabar.errors import KabarError

COMMAND_MODULES = (articles, corpus, batch)
"""Importing a module registers its commands on ``app``."""


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


def main() -> None:
    """Console entry point: usage errors are typer's (exit 2); everything else becomes a message and a code."""
    output_written(False)  # set again by the command that writes it
    try:
        plain_types()
        app()
    except SystemExit as done:
        if teardown_skippable():
            _end_now(done.code)
        raise
    except KabarError as error:
        err(error.message)
        sys.exit(exit_code(error))
    except (KeyboardInterrupt, BrokenPipeError):
        sys.exit(130)
    except Exception as error:  # the one place a bug is reported, without a traceback unless asked
        err(f"internal error: {type(error).__name__}: {error} (set KABAR_DEBUG=1 for a traceback)")
        if os.environ.get("KABAR_DEBUG"):
            raise
        sys.exit(EXIT_INTERNAL)


def _end_now(code: str | int | None) -> None:
    """End the process at once, as ``sys.exit(code)`` would but without Python's teardown (the command has written
    its output; only the standard streams need flushing)."""
    if isinstance(code, str):
        err(code)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: nothing more can be said
        code = code or 1
    os._exit(code or 0)


if __name__ == "__main__":
    main()
