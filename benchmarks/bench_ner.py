"""NER speed: model load time (in a fresh process) and tokens/second, for the CRF alone and for the entity
stage (CRF + gazetteer + rules), on the dev sentences of ../shared/data/ner. One process, one core.

    .venv/bin/python benchmarks/bench_ner.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.ner_data import DEFAULT_DATA, SETS, load  # noqa: E402

from benchmarks.loading import fresh_load_seconds  # noqa: E402
from kabar.extract.crf import tag_words  # noqa: E402
from kabar.extract.ner import tag_words as stage_tags  # noqa: E402

LOAD_CODE = """
from kabar.extract.crf import tag_words
tag_words(["Presiden", "Joko", "Widodo", "tiba", "di", "Jakarta", "."])
"""


def main() -> None:
    load_seconds = fresh_load_seconds(LOAD_CODE, 3)
    print(f"model load + first sentence (fresh process, best of 3): {load_seconds:.2f} s")
    sentences = [words for name in SETS for words, _ in load(DEFAULT_DATA, name, "dev")]
    tokens = sum(len(w) for w in sentences)
    for label, fn in (("CRF alone", tag_words), ("entity stage (CRF + gazetteer + rules)", stage_tags)):
        start = time.perf_counter()
        for words in sentences:
            fn(words)
        seconds = time.perf_counter() - start
        print(f"{label}: {tokens:,} tokens in {seconds:.2f} s = {tokens / seconds:,.0f} tokens/s")


if __name__ == "__main__":
    main()
