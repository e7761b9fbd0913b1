"""Calibration: targets, how a scenario measures against them, and refitting to them.

The baseline is fitted to Wakefield's figures (experiments/calibration_targets.yaml);
:func:`refit` fits the same parameters of any scenario to a targets file of its own
(a partnership's borough, its own off-flow), by fixed-point steps.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from journeysim import config
from journeysim.config import Scenario
from journeysim.runs import results

#: experiments/calibration_targets.yaml, which the package links to as data/ and a
#: wheel carries as package data.
TARGETS_FILE = Path(str(resources.files("journeysim").joinpath(
    "data", "calibration_targets.yaml")))


@dataclass(frozen=True)
class Target:
    """One observed figure and the band the model must land in.

    ``source`` names where the figure comes from when it is not the targets file's
    own sources; ``note`` says how the model's measure differs from what was observed.
    """

    id: str
    measure: str
    observed: str
    value: float
    low: float
    high: float
    source: str = ""
    note: str = ""


@dataclass(frozen=True)
class Check:
    """How the model did against one target."""

    target: Target
    modelled: float

    @property
    def passed(self) -> bool:
        """True when the modelled value lies in the target's band."""
        return self.target.low <= self.modelled <= self.target.high


def load_targets(path: Path = TARGETS_FILE) -> tuple[dict[str, Any], list[Target]]:
    """The run settings and the targets in the targets file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    targets = [Target(**t) for t in data.pop("targets")]
    return data, targets


def lookup(summary: dict[str, Any], dotted: str) -> float:
    """A measure from a summary by its dotted path, e.g. ``by_benefit.JSA.off_flow_13w``."""
    value: Any = summary
    for part in dotted.split("."):
        value = value[part]
    return float(value)


def evaluate(scenario: Scenario, path: Path = TARGETS_FILE) -> list[Check]:
    """Run ``scenario`` at the targets file's size and seeds; check the seed-mean of each."""
    settings, targets = load_targets(path)
    summaries = [
        results.simulate(scenario.with_run(people=settings["people"], weeks=settings["weeks"],
                                           seed=seed)).summary
        for seed in settings["seeds"]
    ]
    return [
        Check(t, sum(lookup(s, t.measure) for s in summaries) / len(summaries)) for t in targets
    ]


#: Each parameter :func:`refit` moves, and the target (by id) that moves it.
MOVES = {
    "labour_market.matching_efficiency": "T1",
    "jobcentre.wca.fit_for_work_probability": "C1",
    "jobcentre.wca.closed_before_per_week": "C2",
    "population.inflow_per_1000_week.JSA": "S1",
    "population.inflow_per_1000_week.ESA": "S2",
    "population.inflow_per_1000_week.IS_LP": "S3",
    "labour_market.non_claimant_intensity": "R1",
}


def middle(check: Check) -> float:
    """The middle of a target's band."""
    return (check.target.low + check.target.high) / 2


def step(values: dict[str, float], checks: dict[str, Check], mix: dict[str, float],
         weeks: int) -> dict[str, float]:
    """Move each fitted parameter towards its own target (those with no target stay).

    ``matching_efficiency`` is scaled by the ratio of T1's hazard, -log(1 - off-flow),
    to the modelled one, and ``non_claimant_intensity`` likewise by R1's (job entry)
    and ``closed_before_per_week`` by C2's (the share of ESA claims closed before their
    WCA); ``fit_for_work_probability`` by C1's share over the modelled one; each
    benefit's inflow is raised by the claims it lost over the run (S1-S3),
    spread over its weeks. ``mix`` is the scenario's stock mix.
    """
    moved = dict(values)
    total = sum(mix.values())
    for path, target in MOVES.items():
        check = checks.get(target)
        if check is None:
            continue
        if target in ("T1", "R1", "C2"):
            moved[path] *= math.log(1 - middle(check)) / math.log(1 - check.modelled)
        elif target == "C1":
            moved[path] = min(1.0, moved[path] * middle(check) / check.modelled)
        else:  # per 1,000 stock claimants
            benefit = path.rsplit(".", 1)[1]
            lost = -check.modelled * mix[benefit] / total
            moved[path] = max(0.0, moved[path] + lost * 1000.0 / weeks)
    return moved


def refit(raw: dict[str, Any], path: Path = TARGETS_FILE, rounds: int = 6,
          report: Callable[[int, dict[str, float], list[Check]], None] | None = None,
          ) -> tuple[dict[str, float], list[Check]]:
    """Refit the fitted parameters of a scenario (as a mapping) to the targets in ``path``.

    Each round runs the scenario at the targets file's size and seeds and moves
    each parameter towards its own target (:func:`step`); ``labour_market.
    barrier_sensitivity`` is not moved (T2 and T4 check it). ``report`` hears each
    round's values and checks. Returns the values after the last round's step, and
    the last round's checks (of the values before that step).
    """
    settings, _ = load_targets(path)
    values = {name: float(config.at_path(raw, name)) for name in MOVES}
    mix = dict(config.at_path(raw, "population.stock_mix"))
    checks: list[Check] = []
    for round_ in range(rounds):
        for name, value in values.items():
            raw = config.deep_merge(raw, config.override(name, round(value, 4)))
        checks = evaluate(config.validate(raw, f"round {round_}"), path)
        if report is not None:
            report(round_, values, checks)
        values = step(values, {c.target.id: c for c in checks}, mix, settings["weeks"])
    return {name: round(value, 4) for name, value in values.items()}, checks
