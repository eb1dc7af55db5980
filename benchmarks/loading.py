"""Load time of a model in a fresh process, as the benchmarks report it."""

from __future__ import annotations

import subprocess
import sys


def fresh_load_seconds(code: str, runs: int) -> float:
    """The best of ``runs`` fresh Python processes: seconds each takes to run ``code`` (its imports and a first
    call), timed inside the process."""
    snippet = f"import time\nt = time.perf_counter()\n{code.strip()}\nprint(time.perf_counter() - t)\n"
    return min(
        float(
            subprocess.run([sys.executable, "-c", snippet], capture_output=True, text=True, check=True).stdout
        )
        for _ in range(runs)
    )
