"""The calibrated ensemble: sets of the baseline's fitted values that all meet its targets.

The calibration targets do not pin the fitted parameters down one by one: the
matching efficiency and the barrier sensitivity lie on a ridge, and the JSA
inflow moves with them. ``experiments/calibrate_ensemble.py`` finds the sets
consistent with every target by history matching: it runs the baseline on a
space-filling design, fits a Gaussian-process emulator of each target
(scikit-learn), rules out the inputs whose emulated value is implausibly far
from the target's band, and runs each kept set for real at the targets' size
and seeds. The members that pass every target are written, versioned, to
``experiments/calibration_ensemble.yaml``; ``journeysim uncertainty`` draws its
fitted values from them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import yaml

from journeysim import config
from journeysim.config import ConfigError
from journeysim.runs.calibration import Target

#: experiments/calibration_ensemble.yaml, linked into the package as data/.
ENSEMBLE_FILE = Path(str(resources.files("journeysim").joinpath(
    "data", "calibration_ensemble.yaml")))
#: The file's format; a file of another version is refused.
VERSION = 1
#: A target's band is read as ± this many standard deviations of the observation.
BAND_SIGMAS = 3.0
#: Inputs whose implausibility exceeds this for any target are ruled out (Pukelsheim's
#: three-sigma rule, the usual cut-off in history matching).
CUTOFF = 3.0


@dataclass(frozen=True)
class Ensemble:
    """The members (fitted path to value) and what each scored on the targets."""

    version: int
    method: str
    parameters: tuple[str, ...]
    members: tuple[dict[str, float], ...]
    scores: tuple[dict[str, float], ...]


def load_ensemble(path: Path = ENSEMBLE_FILE) -> Ensemble:
    """The ensemble in ``path``, checked: its version, fitted parameters only, finite values."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: cannot read the calibrated ensemble ({err})") from err
    if not isinstance(data, dict) or data.get("version") != VERSION:
        raise ConfigError(f"{path}: not a calibrated ensemble of version {VERSION}")
    parameters = tuple(data.get("parameters") or ())
    unknown = sorted(set(parameters) - set(config.FITTED))
    if not parameters or unknown:
        raise ConfigError(f"{path}: an ensemble sets fitted parameters only; not {unknown}")
    members, scores = [], []
    for number, row in enumerate(data.get("members") or (), start=1):
        values = row.get("values", {})
        if set(values) != set(parameters) or not all(
                isinstance(v, int | float) and math.isfinite(v) for v in values.values()):
            raise ConfigError(f"{path}: member {number} must give a finite number for each "
                              f"of {', '.join(parameters)}")
        members.append({p: float(values[p]) for p in parameters})
        scores.append({k: float(v) for k, v in row.get("scores", {}).items()})
    if not members:
        raise ConfigError(f"{path}: the ensemble has no members")
    return Ensemble(VERSION, str(data.get("method", "")), parameters, tuple(members),
                    tuple(scores))


def implausibility(mean: np.ndarray, sd: np.ndarray, target: Target) -> np.ndarray:
    """How far an emulated value lies from a target, in standard deviations.

    The target is the middle of its band, observed with a standard deviation of
    the band's half-width over ``BAND_SIGMAS``; the emulator's own uncertainty
    ``sd`` is added, so an input is ruled out only when even the emulator's
    doubt cannot bring it near the band.
    """
    middle = (target.low + target.high) / 2
    observed = (target.high - target.low) / 2 / BAND_SIGMAS
    return np.abs(mean - middle) / np.sqrt(sd ** 2 + observed ** 2)
