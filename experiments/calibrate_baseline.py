"""Refit the baseline's fitted parameters to the calibration targets, by fixed-point steps.

Run by hand (a few minutes):  python experiments/calibrate_baseline.py [--rounds 6]

Each round runs the fragmented baseline at the size and seeds of
experiments/calibration_targets.yaml and moves each fitted parameter towards
its own target, the others held:

- ``labour_market.matching_efficiency`` to T1 (JSA off-flow by week 13): scaled
  by the ratio of the target's hazard, -log(1 - off-flow), to the modelled one;
- ``jobcentre.wca.fit_for_work_probability`` to C1 (fit-for-work share): scaled
  by the target over the modelled share;
- ``population.inflow_per_1000_week`` (each benefit) to S1-S3 (each benefit's
  number of claims holds still): raised by the claims the benefit lost over the
  run, spread over its weeks.

``labour_market.barrier_sensitivity`` stays at its value unless T2 or T4 fall
outside their bands (then say so and refit it by hand). Prints every round;
copy the last values into configs/fragmented.yaml by hand and say why in the
commit. Only the parameters in journeysim.config.FITTED are moved.
"""

from __future__ import annotations

import argparse
import math

from journeysim import config
from journeysim.runs import calibration

MOVED = ("labour_market.matching_efficiency", "jobcentre.wca.fit_for_work_probability",
         "population.inflow_per_1000_week.JSA", "population.inflow_per_1000_week.ESA",
         "population.inflow_per_1000_week.IS_LP")
CLAIMS = {"JSA": "S1", "ESA": "S2", "IS_LP": "S3"}


def middle(check: calibration.Check) -> float:
    """The middle of a target's band."""
    return (check.target.low + check.target.high) / 2


def step(values: dict[str, float], checks: dict[str, calibration.Check],
         weeks: int) -> dict[str, float]:
    """Move each fitted parameter towards its target."""
    moved = dict(values)
    t1 = checks["T1"]
    moved[MOVED[0]] *= math.log(1 - middle(t1)) / math.log(1 - t1.modelled)
    c1 = checks["C1"]
    moved[MOVED[1]] = min(1.0, moved[MOVED[1]] * middle(c1) / c1.modelled)
    mix = config.load(config.BASELINE).population.stock_mix
    total = mix.JSA + mix.ESA + mix.IS_LP
    for benefit, target in CLAIMS.items():
        path = f"population.inflow_per_1000_week.{benefit}"  # per 1,000 stock claimants
        lost = -checks[target].modelled * getattr(mix, benefit) / total  # per stock claimant
        moved[path] = max(0.0, moved[path] + lost * 1000.0 / weeks)
    return moved


def main() -> None:
    """Run the rounds and print each one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    assert set(MOVED) | {"labour_market.barrier_sensitivity"} == set(config.FITTED), (
        "fit exactly the fitted parameters")
    raw = config.load_raw(config.BASELINE)
    values = {path: float(calibration.lookup(raw, path)) for path in MOVED}
    settings, _ = calibration.load_targets()
    for round_ in range(args.rounds):
        for path, value in values.items():
            raw = config.deep_merge(raw, config.override(path, round(value, 4)))
        checks = {c.target.id: c for c in calibration.evaluate(config.validate(raw, "round"))}
        shown = ", ".join(f"{k} {c.modelled:.3f}{'' if c.passed else ' (out)'}"
                          for k, c in checks.items())
        print(f"round {round_}: {values}\n  {shown}", flush=True)
        values = step(values, checks, settings["weeks"])


if __name__ == "__main__":
    main()
