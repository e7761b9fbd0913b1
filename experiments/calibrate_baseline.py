"""Refit the baseline's three fitted parameters to the calibration targets, by grid search.

Run by hand (minutes):  python experiments/calibrate_baseline.py

Each grid point runs the fragmented baseline at the size and seeds of
experiments/calibration_targets.yaml and scores it by the summed squared
distance of each target's modelled value from the middle of its band, scaled
by the band's width. Prints the points from best to worst; copy the best into
configs/fragmented.yaml by hand and say why in the commit. Only the
parameters in journeysim.config.FITTED are searched.
"""

from __future__ import annotations

import itertools

from journeysim import config
from journeysim.runs import calibration

GRID = {
    "labour_market.offers_per_vacancy_week": [0.62, 0.66, 0.70],
    "labour_market.barrier_sensitivity": [0.5, 0.6, 0.7],
    "population.inflow_per_1000_week.ESA": [1.6, 2.0, 2.4],
}


def score(checks: list[calibration.Check]) -> float:
    """Summed squared distance from each band's middle, in band widths."""
    total = 0.0
    for check in checks:
        middle = (check.target.low + check.target.high) / 2
        total += ((check.modelled - middle) / (check.target.high - check.target.low)) ** 2
    return total


def main() -> None:
    """Score every grid point and print the best."""
    assert set(GRID) == set(config.FITTED), "search exactly the fitted parameters"
    base = config.load_raw(config.BASELINE)
    scored = []
    for values in itertools.product(*GRID.values()):
        raw = base
        for path, value in zip(GRID, values, strict=True):
            raw = config.deep_merge(raw, config.override(path, value))
        checks = calibration.evaluate(config.validate(raw, "grid point"))
        scored.append((score(checks), values, checks))
        print(f"{score(checks):8.3f}  {values}", flush=True)
    print("\nbest first:")
    for total, values, checks in sorted(scored, key=lambda s: s[0])[:5]:
        shown = ", ".join(f"{c.target.id} {c.modelled:.3f}{'' if c.passed else ' (out)'}"
                          for c in checks)
        print(f"{total:8.3f}  {dict(zip(GRID, values, strict=True))}\n          {shown}")


if __name__ == "__main__":
    main()
