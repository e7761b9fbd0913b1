"""The baseline's calibration targets: load them, measure a scenario against them."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from journeysim.config import Scenario
from journeysim.runs import results

#: experiments/calibration_targets.yaml, which the package links to as data/ and a
#: wheel carries as package data.
TARGETS_FILE = Path(str(resources.files("journeysim").joinpath(
    "data", "calibration_targets.yaml")))


@dataclass(frozen=True)
class Target:
    """One observed figure and the band the model must land in."""

    id: str
    measure: str
    observed: str
    value: float
    low: float
    high: float


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
