"""Train Kabar's Indonesian NER model (a CRF) from ../shared/data/ner and write it into the package.

    .venv/bin/python training/train_ner.py [--data ../shared/data/ner] [--out src/kabar/models/ner-crf.crfsuite]

Training reads the train splits of idner-news-2k, NERGrit and NERP, mapped to PER/ORG/LOC (+EVT, FNB from NERP),
in a fixed order, and L-BFGS is deterministic: the same data and options give the same model. It takes a few
minutes on two cores. Dev scores: eval/eval_ner.py.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import pycrfsuite

from kabar.extract.crf import default_model_path, sentence_features
from training.ner_data import DEFAULT_DATA, SETS, load

DEFAULT_PARAMS = {"c1": 0.4, "c2": 0.05, "max_iterations": 200, "feature.possible_transitions": True,
                  "feature.minfreq": 2}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=default_model_path())
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--c1", type=float, default=DEFAULT_PARAMS["c1"])
    parser.add_argument("--c2", type=float, default=DEFAULT_PARAMS["c2"])
    parser.add_argument("--iterations", type=int, default=DEFAULT_PARAMS["max_iterations"])
    parser.add_argument("--seed", type=int, default=13, help="order in which training sentences are shuffled")
    args = parser.parse_args()

    sentences = [s for name in args.sets for s in load(args.data, name, "train")]
    random.Random(args.seed).shuffle(sentences)
    trainer = pycrfsuite.Trainer(verbose=False)
    start = time.perf_counter()
    for words, tags in sentences:
        trainer.append(sentence_features(words), tags)
    trainer.set_params({**DEFAULT_PARAMS, "c1": args.c1, "c2": args.c2, "max_iterations": args.iterations})
    print(f"features built for {len(sentences)} sentences in {time.perf_counter() - start:.0f}s; training...")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    info = trainer.logparser.last_iteration
    print(f"trained in {time.perf_counter() - start:.0f}s, loss {info.get('loss', 0):.1f}; "
          f"model {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")  # fmt: skip


if __name__ == "__main__":
    main()
