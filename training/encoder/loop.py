"""The training loop shared by the encoder's tasks: warm-up then linear decay, checkpoints every N steps (a run
resumes from the last one), scores on the dev data and the weights saved at the end of every epoch."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch


@dataclass(frozen=True)
class Plan:
    epochs: Sequence[Sequence[Any]]
    """The batches of each epoch, in the order they are seen."""
    out: Path
    name: str
    """Prefix of the per-epoch weights (``{name}-epoch{N}.pt``) and of the scores file (``{name}_scores.json``)."""
    checkpoint: int
    """Steps between checkpoints."""


def arguments(doc: str | None, data: Path, out: Path, lr: float, epochs: int) -> argparse.ArgumentParser:
    """The options every encoder task takes, with the task's defaults."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=data)
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--epochs", type=int, default=epochs)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=lr)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--checkpoint", type=int, default=100, help="steps between checkpoints")
    parser.add_argument("--threads", type=int, default=1)
    return parser


def prepare(args: argparse.Namespace) -> None:
    """Threads, the seed and the output folder, as the options say."""
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)


def linear_schedule(opt: torch.optim.Optimizer, total: int, warm: int) -> torch.optim.lr_scheduler.LambdaLR:
    """A rate rising over ``warm`` steps, then falling linearly to 0 at ``total``."""
    warm = max(1, warm)
    return torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )


def save(path: Path, model: torch.nn.Module, opt: Any, sched: Any, step: int, scores: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                "step": step, "scores": scores}, tmp)  # fmt: skip
    tmp.replace(path)


def resume(path: Path, model: torch.nn.Module, opt: Any, sched: Any) -> tuple[int, dict[str, Any]]:
    """The step and scores of the checkpoint at ``path`` (its states loaded), or (0, {}) without one."""
    if not path.exists():
        return 0, {}
    state = torch.load(path, weights_only=False)
    model.load_state_dict(state["model"])
    opt.load_state_dict(state["opt"])
    sched.load_state_dict(state["sched"])
    print(f"resumed at step {state['step']}", flush=True)
    return int(state["step"]), dict(state["scores"])


def train(
    model: torch.nn.Module,
    optimisation: tuple[Any, Any],
    plan: Plan,
    loss_of: Callable[[Any], torch.Tensor],
    evaluate: Callable[[], dict[str, Any]],
) -> dict[str, Any]:
    """Run the plan from the last checkpoint; returns the scores of every epoch."""
    opt, sched = optimisation
    ckpt = plan.out / "checkpoint.pt"
    step, scores = resume(ckpt, model, opt, sched)
    start, seen, losses = time.perf_counter(), 0, []
    per_epoch = len(plan.epochs[0])
    model.train()
    for epoch, batches in enumerate(plan.epochs):
        for i, batch in enumerate(batches):
            if epoch * per_epoch + i < step:
                continue
            loss = loss_of(batch)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step, seen = step + 1, seen + len(batch)
            losses.append(loss.item())
            if step % 20 == 0:
                rate = seen / (time.perf_counter() - start)
                print(f"step {step} epoch {epoch} loss {np.mean(losses[-20:]):.4f} {rate:.1f}/s", flush=True)
            if step % plan.checkpoint == 0:
                save(ckpt, model, opt, sched, step, scores)
        if f"epoch{epoch + 1}" not in scores:
            model.eval()
            with torch.no_grad():
                scores[f"epoch{epoch + 1}"] = evaluate()
            model.train()
            print(json.dumps(scores[f"epoch{epoch + 1}"]), flush=True)
            save(ckpt, model, opt, sched, step, scores)
            torch.save(model.state_dict(), plan.out / f"{plan.name}-epoch{epoch + 1}.pt")
            (plan.out / f"{plan.name}_scores.json").write_text(json.dumps(scores, indent=1))
    return scores
