"""Changes that alter results only in distribution: the same distributions, before and after.

Each stored file holds a scenario's measures over many replications, made by
``benchmarks/distribution.py`` with the version before such a change:

- ``distribution_before.json``: the fragmented baseline (40 replications, 1,500
  claimants, 78 weeks), before routine reviews that decide nothing were held
  without waking the claimant (before, every review woke them and their offer
  rate was worked out again; a service's help took effect at their next
  contact);
- ``distribution_before_codesign-full.json``: every lever at once (24
  replications), before a review at which no budget could be offered was held
  without waking the claimant too (before, with budgets running, every review
  woke them).

The same replications now must give each measure a mean within three standard
errors of the difference (Welch) of the stored one: the off-flow curve, work,
cycling, sanctions, waits and cost."""

from __future__ import annotations

import json
import math
import statistics
from pathlib import Path

import pytest
from benchmarks.distribution import MEASURES, record

DATA = Path(__file__).parent / "data"
#: Each stored distribution, and the change made since it was recorded.
BEFORE = {"reviews held between decisions": DATA / "distribution_before.json",
          "reviews held where no budget can be offered":
              DATA / "distribution_before_codesign-full.json"}


def within(before: list[float], after: list[float], z: float = 3.0) -> bool:
    """Whether two samples' means differ by less than ``z`` standard errors of the difference."""
    se = math.sqrt(statistics.variance(before) / len(before)
                   + statistics.variance(after) / len(after))
    return abs(statistics.fmean(after) - statistics.fmean(before)) <= z * se


def test_within_tells_a_shift_from_noise():
    base = [0.0, 1.0] * 20
    assert within(base, [x + 0.1 for x in base])
    assert not within(base, [x + 1.0 for x in base])


@pytest.mark.slow
@pytest.mark.parametrize("change", BEFORE)
def test_distributions_are_unchanged_by_a_change_meant_to_keep_them(change):
    stored = json.loads(BEFORE[change].read_text())
    now = record(stored["reps"], stored["people"], stored["weeks"],
                 stored.get("scenario", "fragmented"))["values"]
    moved = {m: (statistics.fmean(stored["values"][m]), statistics.fmean(now[m]))
             for m in MEASURES if not within(stored["values"][m], now[m])}
    assert not moved, f"means moved beyond 3 standard errors (before, after): {moved}"
