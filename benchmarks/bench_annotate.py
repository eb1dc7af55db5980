"""Annotation speed and peak memory on real Indonesian news (the IndoSum dev fold in ../shared/data).

IndoSum stores articles as tokens; they are joined back into text. The fold has 750 distinct articles: to reach
the corpus size asked for (default 2,250) they are cycled with new ids, which the report says.

Runs in one process on one core (no embeddings). Reports articles/s and tokens/s for reading + annotating
(the per-article stages) and for cross-article linking, and peak resident memory.

    .venv/bin/python benchmarks/bench_annotate.py [--articles 2250] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

from kabar.ingest import read_paths
from kabar.pipeline import annotate_article, link
from kabar.records import AnnotatedArticle, Article

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data"


def detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([.,;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[]) ", r"\1", text)
    text = re.sub(r'" (.*?) "', r'"\1"', text)
    return text


def load_indosum(data: Path) -> list[dict[str, str]]:
    path = data / "summaries" / "indosum" / "dev.01.jsonl"
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            obj = json.loads(line)
            paragraphs = ["\n".join(detokenize(s) for s in para) for para in obj["paragraphs"]]
            records.append(
                {"id": obj["id"], "text": "\n\n".join(paragraphs), "source": obj.get("source", "")}
            )
    return records


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=2250)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()

    base = load_indosum(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for i in range(args.articles):
                rec = dict(base[i % len(base)])
                rec["id"] = f"{rec['id']}#{i // len(base)}"
                out.write(json.dumps(rec, ensure_ascii=False) + "\n")

        # Warm-up: load lexicons, the language model and the gazetteer outside the timed part.
        annotate_article(Article(id="warm", text=base[0]["text"]))

        start = time.perf_counter()
        docs: list[AnnotatedArticle] = []
        chars = 0
        for item in read_paths([corpus]):
            if isinstance(item, Article):
                chars += len(item.text)
                docs.append(annotate_article(item))
        annotate_seconds = time.perf_counter() - start

        start = time.perf_counter()
        linked = link(docs)
        link_seconds = time.perf_counter() - start

    tokens = sum(len(s.text.split()) for d in docs for s in d.sentences)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "articles": len(docs),
        "distinct_articles": min(len(base), args.articles),
        "characters": chars,
        "tokens": tokens,
        "annotate_seconds": round(annotate_seconds, 2),
        "articles_per_second": round(len(docs) / annotate_seconds, 1),
        "tokens_per_second": round(tokens / annotate_seconds),
        "link_seconds": round(link_seconds, 2),
        "entities": len(linked.entities),
        "mentions": sum(len(d.mentions) for d in docs),
        "quotes": sum(len(d.quotes) for d in docs),
        "dates": sum(len(d.dates) for d in docs),
        "quantities": sum(len(d.quantities) for d in docs),
        "peak_rss_mb": round(peak_mb, 1),
        "python": sys.version.split()[0],
    }
    for key, value in figures.items():
        print(f"{key:>22}: {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
