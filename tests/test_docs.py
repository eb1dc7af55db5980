"""The README stays true: every command and every option of ``kabar`` is in it, and every command has help."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer.main

from kabar.cli.main import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS: Any = typer.main.get_command(app)


def _options(command: Any) -> list[str]:
    """The long option names of a command (``--follow/--no-follow`` gives both)."""
    return [o for p in command.params if p.param_type_name == "option" for o in (*p.opts, *p.secondary_opts)
            if o.startswith("--") and o != "--help"]  # fmt: skip


@pytest.mark.parametrize("name", sorted(COMMANDS.commands))
def test_docs_command_in_readme_with_help(name: str) -> None:
    command = COMMANDS.commands[name]
    assert f"kabar {name}" in README or f"| `{name}" in README, f"kabar {name} is not in README.md"
    assert command.help and command.help.strip(), f"kabar {name} has no help"


@pytest.mark.parametrize("name", sorted(COMMANDS.commands))
def test_docs_options_in_readme(name: str) -> None:
    missing = [o for o in _options(COMMANDS.commands[name]) if o not in README]
    assert not missing, f"kabar {name}: options not in README.md: {missing}"


def test_docs_option_check_sees_every_option() -> None:
    ingest = COMMANDS.commands["ingest"]
    assert {"--db", "--follow", "--no-follow", "--quiet"} <= set(_options(ingest))
