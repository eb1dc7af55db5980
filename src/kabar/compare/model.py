"""The calibrated comparison models (``data/compare_model.json``, fitted by training/calibrate_compare.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from kabar.errors import ModelError


@dataclass(frozen=True, slots=True)
class LogisticModel:
    mean: np.ndarray
    std: np.ndarray
    weights: np.ndarray
    bias: np.ndarray

    def probabilities(self, rows: list[list[float]] | np.ndarray) -> np.ndarray:
        x = np.atleast_2d(np.asarray(rows, dtype=np.float64))
        logits = ((x - self.mean) / self.std) @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        prob: np.ndarray = np.exp(logits)
        return prob / prob.sum(axis=1, keepdims=True)  # type: ignore[no-any-return]


@dataclass(frozen=True, slots=True)
class CompareModels:
    align: LogisticModel
    align_threshold: float
    """Same-fact probability at or above which two statements are aligned (max F1 on train)."""
    related_threshold: float
    """Lower probability at which statements are related enough to check numbers, dates and places."""
    relate: LogisticModel
    relate_classes: tuple[str, ...]


def _logistic(obj: dict[str, list[float]]) -> LogisticModel:
    return LogisticModel(*(np.asarray(obj[k], dtype=np.float64) for k in ("mean", "std", "weights", "bias")))


@cache
def load_models() -> CompareModels:
    try:
        text = resources.files("kabar").joinpath("data", "compare_model.json").read_text(encoding="utf-8")
        obj = json.loads(text)
        return CompareModels(
            align=_logistic(obj["align"]),
            align_threshold=float(obj["align"]["threshold"]),
            related_threshold=float(obj["align"]["related_threshold"]),
            relate=_logistic(obj["relate"]),
            relate_classes=tuple(obj["relate"]["classes"]),
        )
    except (OSError, KeyError, ValueError) as err:
        raise ModelError(
            f"the comparison model is missing or unreadable ({err}); rebuild it: python -m training.calibrate_compare"
        ) from err
