"""The quality gate every eval script shares: pinned baselines that can rise but never fall by accident.

    --check                   exit 1 when a figure is more than the script's tolerance below its pinned value
    --write-baseline          pin the figures just measured; refused when one is below its pinned value
    --lower-baseline REASON   with --write-baseline: pin them even so, and record the figures that fell and why
                              in eval/baselines/LOWERED.md

A figure the run did not measure (a data set that is not beside the repository) keeps its pinned value.
Baselines are JSON objects of figures, or of named groups of figures (``{"nergrit": {"micro_f1": 71.2}}``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path

Figures = dict[str, float]
Baseline = dict[str, float | dict[str, float]]

NOTES = Path(__file__).resolve().parent / "baselines" / "LOWERED.md"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true", help="Fail when a figure is below the pinned baseline."
    )
    parser.add_argument(
        "--write-baseline", action="store_true", help="Pin the figures measured (never lower, unless asked)."
    )
    parser.add_argument(
        "--lower-baseline",
        metavar="REASON",
        help="Allow --write-baseline to lower figures; the reason is recorded.",
    )


def flatten(baseline: Baseline) -> Figures:
    """``{"a": {"b": 1}}`` → ``{"a.b": 1}``; top-level figures keep their names."""
    flat: Figures = {}
    for name, value in baseline.items():
        if isinstance(value, dict):
            flat.update({f"{name}.{k}": float(v) for k, v in value.items()})
        else:
            flat[name] = float(value)
    return flat


def below(measured: Baseline, pinned: Baseline, tolerance: float = 0.0) -> list[str]:
    """The measured figures more than ``tolerance`` below their pinned values, described."""
    now, then = flatten(measured), flatten(pinned)
    return [f"{k}: {now[k]} < {v}" for k, v in then.items() if k in now and now[k] < v - tolerance]


def merged(measured: Baseline, pinned: Baseline) -> Baseline:
    """The measured figures, with the pinned ones the run did not measure kept."""
    out: Baseline = {}
    for name, value in pinned.items():
        if isinstance(value, dict):
            fresh = measured.get(name)
            out[name] = {**value, **(fresh if isinstance(fresh, dict) else {})}
        else:
            out[name] = measured.get(name, value)
    for name, value in measured.items():
        out.setdefault(name, value)
    return out


def write_baseline(
    path: Path, measured: Baseline, reason: str | None = None, notes: Path = NOTES
) -> list[str]:
    """Pin ``measured`` at ``path``. Raises SystemExit, writing nothing, when a figure would fall and no
    ``reason`` is given; with one, the fallen figures and the reason are appended to ``notes``. Returns the
    figures that fell."""
    pinned: Baseline = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    fallen = below(measured, pinned)
    if fallen and not (reason and reason.strip()):
        raise SystemExit(
            f"not written: {path.name} would fall ({'; '.join(fallen)}); "
            'to lower a baseline, give --lower-baseline "why" with --write-baseline'
        )
    path.write_text(json.dumps(merged(measured, pinned), indent=2) + "\n", encoding="utf-8")
    if fallen:
        with notes.open("a", encoding="utf-8") as handle:
            handle.write(
                f"- {datetime.date.today().isoformat()} {path.name}: {'; '.join(fallen)}. {reason}\n"
            )
    return fallen


def apply(args: argparse.Namespace, path: Path, measured: Baseline, tolerance: float) -> None:
    """Do what ``--write-baseline``, ``--lower-baseline`` and ``--check`` ask; exit 1 when the check fails."""
    if args.lower_baseline and not args.write_baseline:
        raise SystemExit("--lower-baseline goes with --write-baseline")
    if args.write_baseline:
        fallen = write_baseline(path, measured, args.lower_baseline)
        print(f"baseline written to {path}" + (f" (lowered: {'; '.join(fallen)})" if fallen else ""))
    if args.check:
        failed = below(measured, json.loads(path.read_text(encoding="utf-8")), tolerance)
        if failed:
            print("below the pinned baseline:\n  " + "\n  ".join(failed), file=sys.stderr)
            sys.exit(1)
        print("at or above the pinned baseline")
