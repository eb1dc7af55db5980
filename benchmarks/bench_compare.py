"""``kabar compare`` speed, end to end as a user runs it (a fresh process, models loaded, output written):

1. cold: a 6-article event of the compare dev set (``eval/devsets/compare``, gempa-bantul-2023 unless ``--event``)
   in a fresh process with no cache of any kind (``KABAR_NO_CACHE=1``): Python start, imports, model loads,
   annotation, comparison, rendering; CPU time (user + sys) and wall time of each of ``--runs`` runs, and the
   load average, since the machine may be shared and wall time then depends on the other work; then the same
   with the encoder's derived tables kept in ``$KABAR_CACHE/models`` (as a user's second run has them) and the
   vector cache empty;
2. parts of that, with no cache: a bare ``python -c pass``, a fresh process that only imports what ``compare``
   imports, and one that also loads the encoder and encodes a word (each given less the one before);
3. the two example articles, embedding cache empty (best of 3), and with the cache warm;
4. a real 20-article story: the 20 first articles of ECB+ topic 13 (ecb), one event reported by many outlets,
   cache empty and warm (skipped when ``../shared/data`` is not there).

    .venv/bin/python benchmarks/bench_compare.py [--runs 5] [--event SLUG] [--cold-only]

One untimed run comes first, so that the bytecode is compiled and the files are in the page cache: "cold" is a
fresh process and empty caches of Kabar's own, not a machine just booted.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEVSET = ROOT / "eval" / "devsets" / "compare"
COLD_TARGET = 5.0  # seconds, wall, for a 6-article event on the project's machine kind (2 cores)
IMPORTS = "import kabar.cli.main, kabar.workflows, kabar.pipeline, kabar.compare.run, kabar.cluster.run"


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's install has its bytecode compiled
    return env


def timed(command: Sequence[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def run(args: list[str], cache: Path) -> float:
    command = [sys.executable, "-m", "kabar", "compare", *args, "-q", "-f", "json", "-o", os.devnull]
    return timed(command, _env(KABAR_CACHE=str(cache)))[1]


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"


def cold(event: str, runs: int) -> None:
    path = DEVSET / event / "articles.jsonl"
    articles = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    command = [sys.executable, "-m", "kabar", "compare", str(path), "-q", "-f", "json", "-o", os.devnull]
    env = _env(KABAR_NO_CACHE="1")
    timed(command, env)  # compiles the bytecode, fills the page cache
    load_before = os.getloadavg()[0]
    times = [timed(command, env) for _ in range(runs)]
    load_after = os.getloadavg()[0]
    cpu, wall = [c for c, _ in times], [w for _, w in times]
    print(
        f"cold compare of {event} ({articles} articles), fresh process, no cache (KABAR_NO_CACHE=1), {runs} runs:"
    )
    print(f"  CPU (user+sys) {_spread(cpu)}")
    print(f"  wall           {_spread(wall)}   (target < {COLD_TARGET:.0f} s)")
    print(f"  load average   {load_before:.1f} before, {load_after:.1f} after (2 cores)")
    with tempfile.TemporaryDirectory() as tmp:
        kept_env = _env(KABAR_CACHE=tmp)
        timed(command, kept_env)  # writes the encoder's tables under $KABAR_CACHE/models
        kept = []
        for _ in range(runs):
            for vectors in Path(tmp).glob("embeddings-*"):
                vectors.unlink()
            kept.append(timed(command, kept_env))
    print("  the same with the encoder's tables kept in $KABAR_CACHE/models (vector cache empty):")
    print(f"  CPU (user+sys) {_spread([c for c, _ in kept])}")
    print(f"  wall           {_spread([w for _, w in kept])}")
    bare = [timed([sys.executable, "-c", "pass"], env) for _ in range(runs)]
    imports = [timed([sys.executable, "-c", IMPORTS], env) for _ in range(runs)]
    load = f"{IMPORTS}; import kabar.embed; kabar.embed.Embedder(disk_cache=False).encode(['Gempa.'])"
    loads = [timed([sys.executable, "-c", load], env) for _ in range(runs)]
    parts = [("Python start", bare), ("imports", imports), ("encoder load", loads)]
    cpu_at = [statistics.median(c for c, _ in part) for _, part in parts]
    wall_at = [statistics.median(w for _, w in part) for _, part in parts]
    print("  parts (medians; each less the one before it):")
    for k, (name, _) in enumerate(parts):
        cpu_part = cpu_at[k] - (cpu_at[k - 1] if k else 0.0)
        wall_part = wall_at[k] - (wall_at[k - 1] if k else 0.0)
        print(f"    {name:<13} CPU {cpu_part:.2f} s, wall {wall_part:.2f} s")


def examples_and_story(ecbplus: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        examples = [str(ROOT / "examples")]
        cold_runs = [run(examples, Path(tmp) / f"cache-cold-{k}") for k in range(3)]
        warm_cache = Path(tmp) / "cache-warm"
        run(examples, warm_cache)
        warm = min(run(examples, warm_cache) for _ in range(3))
        print(f"2 example articles, cold cache (best of 3): {min(cold_runs):.2f} s   (target < 3 s)")
        print(f"2 example articles, warm cache (best of 3): {warm:.2f} s")
        if ecbplus is None:
            print("20-article story: skipped (ECB+ is not in ../shared/data)")
            return
        from training.ecbplus import load

        story = Path(tmp) / "story"
        story.mkdir()
        docs = [d for d in load(ecbplus) if d.cluster == "13ecb"][:20]
        for doc in docs:
            (story / f"{doc.name}.txt").write_text("\n\n".join(doc.sentences), encoding="utf-8")
        story_cold = run([str(story)], Path(tmp) / "cache-story")
        story_warm = run([str(story)], Path(tmp) / "cache-story")
    sentences = sum(len(d.sentences) for d in docs)
    print(f"20-article story ({sentences} sentences), cold cache: {story_cold:.2f} s   (target < 30 s)")
    print(f"20-article story, warm cache: {story_warm:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ecbplus", type=Path, help="ECB+ folder (default: the one under ../shared/data)")
    parser.add_argument("--event", default="gempa-bantul-2023", help="a folder of eval/devsets/compare")
    parser.add_argument("--runs", type=int, default=5, help="cold runs (and runs of each part)")
    parser.add_argument(
        "--cold-only", action="store_true", help="only the cold 6-article event and its parts"
    )
    args = parser.parse_args()
    cold(args.event, args.runs)
    if args.cold_only:
        return
    ecbplus = args.ecbplus
    if ecbplus is None:
        from training.ecbplus import DEFAULT_DIR

        ecbplus = DEFAULT_DIR if DEFAULT_DIR.is_dir() else None
    examples_and_story(ecbplus)


if __name__ == "__main__":
    main()
