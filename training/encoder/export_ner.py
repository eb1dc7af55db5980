"""Export the fine-tuned token classifier to ONNX, quantise it to int8 and score both on the dev sets with the
run-time path (kabar.e5.tagger), which is what ships.

    OMP_NUM_THREADS=1 python -m training.encoder.export_ner [--weights out/encoder/ner-epoch3.pt]

Writes out/encoder/ner-e5-fp32.onnx, src/kabar/models/ner-e5-int8.onnx and out/encoder/export_scores.json.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from eval.eval_ner import evaluate

from kabar.e5 import tagger
from kabar.e5.decode import TAGS
from kabar.extract.crf import default_model_path
from training.encoder.model import TokenTagger, load_encoder
from training.encoder.onnx_export import export_and_score
from training.ner_data import DEFAULT_DATA


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--weights", type=Path, default=Path("out/encoder/ner-epoch3.pt"))
    parser.add_argument("--out", type=Path, default=Path("out/encoder"))
    parser.add_argument("--model", type=Path, default=tagger.default_model_path())
    args = parser.parse_args()
    model = TokenTagger(load_encoder(), len(TAGS))
    export_and_score(
        model,
        args,
        "ner-e5",
        True,
        lambda path: evaluate(args.data, default_model_path(), "encoder", encoder_model=path),
    )


if __name__ == "__main__":
    main()
