"""``kabar compare`` speed, end to end as a user runs it (a fresh process, models loaded, output written):

1. the two example articles, embedding cache empty (best of 3);
2. a real 20-article story: the 20 first articles of ECB+ topic 13 (ecb), one event reported by many outlets;
3. both again with the embedding cache warm (the cache-hit path).

    .venv/bin/python benchmarks/bench_compare.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from training.ecbplus import DEFAULT_DIR, load  # noqa: E402


def run(args: list[str], cache: Path) -> float:
    env = {**os.environ, "KABAR_CACHE": str(cache)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kabar", "compare", *args, "-q", "-f", "json", "-o", os.devnull],
                   check=True, env=env, capture_output=True)  # fmt: skip
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ecbplus", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        story = Path(tmp) / "story"
        story.mkdir()
        docs = [d for d in load(args.ecbplus) if d.cluster == "13ecb"][:20]
        for doc in docs:
            (story / f"{doc.name}.txt").write_text("\n\n".join(doc.sentences), encoding="utf-8")
        examples = [str(ROOT / "examples")]
        cold = []
        for k in range(3):
            cold.append(run(examples, Path(tmp) / f"cache-cold-{k}"))
        warm_cache = Path(tmp) / "cache-warm"
        run(examples, warm_cache)
        warm = min(run(examples, warm_cache) for _ in range(3))
        story_cold = run([str(story)], Path(tmp) / "cache-story")
        story_warm = run([str(story)], Path(tmp) / "cache-story")
    sentences = sum(len(d.sentences) for d in docs)
    print(f"2 example articles, cold cache (best of 3): {min(cold):.2f} s   (target < 3 s)")
    print(f"2 example articles, warm cache (best of 3): {warm:.2f} s")
    print(f"20-article story ({sentences} sentences), cold cache: {story_cold:.2f} s   (target < 30 s)")
    print(f"20-article story, warm cache: {story_warm:.2f} s")


if __name__ == "__main__":
    main()
