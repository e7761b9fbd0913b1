"""The two pieces of arithmetic every measure and table shares: a ratio, a t-interval."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats

CONFIDENCE = 0.95


def ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``, or None when the denominator is 0 (nothing to share out)."""
    return None if denominator == 0 else float(numerator) / float(denominator)


def t_half_width(sd: ArrayLike, n: ArrayLike, confidence: float = CONFIDENCE) -> np.ndarray:
    """Half-width of the Student-t confidence interval of a mean, elementwise.

    ``t(1 - (1 - confidence) / 2, n - 1) * sd / sqrt(n)``, from the sample standard
    deviation ``sd`` (ddof 1) of ``n`` values; NaN where ``n`` is below 2.
    """
    n = np.asarray(n, dtype=float)
    enough = n >= 2
    df = np.where(enough, n - 1, 1.0)
    half = stats.t.ppf(0.5 + confidence / 2, df) * np.asarray(sd, dtype=float) / np.sqrt(
        np.where(enough, n, 1.0))
    return np.where(enough, half, np.nan)


def interval(values: pd.Series) -> tuple[float, float]:
    """Mean and 95% half-width (Student t) of a sample, ignoring NaN; half-width NaN for one."""
    values = values.dropna().astype(float)
    if values.empty:
        return math.nan, math.nan
    sd = values.std(ddof=1) if len(values) > 1 else math.nan
    return float(values.mean()), float(t_half_width(sd, len(values)))
