"""`kabar serve` hands its budgets to the app it starts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

import kabar.api.app
from kabar.cli.main import app


def test_serve_passes_compute_and_ingest_budgets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(
        kabar.api.app, "create_app", lambda settings, warm=False: seen.setdefault("s", settings)
    )
    monkeypatch.setattr(uvicorn, "run", lambda application, **options: seen.setdefault("run", options))
    db = str(tmp_path / "k.sqlite")
    args = ["serve", "--db", db, "--compute-seconds", "7", "--compute-rate", "0.5", "--ingest-seconds", "5"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert seen["s"].compute_seconds == 7 and seen["s"].compute_rate == 0.5
    assert seen["s"].ingest_seconds == 5 and seen["run"]["port"] == 8000


def test_serve_refuses_a_budget_under_a_second(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "k.sqlite"), "--ingest-seconds", "0.5"])
    assert result.exit_code == 2
