"""Experiment files: sweeps over named config fields, and global sensitivity with SALib.

An experiment file names a scenario, a size, replications, a method and the
dotted config fields to vary::

    name: hub-advisers
    scenario: codesign-hub
    people: 2000
    weeks: 104
    seed: 1
    replications: 3
    method: grid            # grid or lhs (sweep); morris or sobol (sensitivity)
    samples: 8              # lhs points; morris trajectories; sobol base sample
    parameters:
      hub.advisers_per_1000: [0.5, 1, 2, 4]     # grid: the values
    measures: [off_flow_13w, waiting_days_per_person, cost_total]

For ``lhs``, ``morris`` and ``sobol`` each parameter gives ``[low, high]``.
Every point runs the same replications (common random numbers), through the
same executors and resumable store as ``compare``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, model_validator
from scipy.stats import qmc

from journeysim import config
from journeysim.analysis.registry import COMPARED
from journeysim.analysis.stats import interval
from journeysim.present import plots
from journeysim.runs import files
from journeysim.runs.experiment import (
    Executor,
    Store,
    manifest,
    measures_frame,
    run_all,
    specs,
    write_csv,
)

SWEEPS = ("grid", "lhs")
SENSITIVITY = ("morris", "sobol")


class ExperimentFile(config.Frozen):
    """One experiment: a scenario, a size, a method and the fields to vary."""

    name: config.Slug
    description: str = ""
    scenario: str
    people: int = Field(gt=0, le=config.MAX_PEOPLE)
    weeks: int = Field(gt=0, le=1040)
    seed: config.Seed
    replications: int = Field(ge=1, le=1000)
    method: Literal["grid", "lhs", "morris", "sobol"]
    samples: int = Field(default=8, ge=1, le=10_000)
    parameters: dict[str, list[config.FiniteFloat]]
    measures: list[str]

    @model_validator(mode="after")
    def _consistent(self) -> ExperimentFile:
        if not self.parameters:
            raise ValueError("name at least one parameter to vary")
        for path, values in self.parameters.items():
            if self.method != "grid" and (len(values) != 2 or values[0] >= values[1]):
                raise ValueError(f"parameter {path!r}: give [low, high] with low < high")
            if self.method == "grid" and not values:
                raise ValueError(f"parameter {path!r}: give the values to try")
        for measure in self.measures:
            if measure not in COMPARED:
                raise ValueError(f"unknown measure {measure!r}; allowed: {', '.join(COMPARED)}")
        return self


def load(path: Path) -> ExperimentFile:
    """Read and validate an experiment file; one readable message on failure."""
    data = config.read_yaml(path)
    try:
        return ExperimentFile.model_validate(data)
    except ValidationError as err:
        first = err.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(top level)"
        message = first["msg"].removeprefix("Value error, ")
        raise config.ConfigError(f"{path}: field '{field}': {message}") from None


def design(spec: ExperimentFile) -> np.ndarray:
    """The points to run, one row per point, one column per parameter."""
    names = list(spec.parameters)
    bounds = np.array([spec.parameters[n] for n in names]) if spec.method != "grid" else None
    if spec.method == "grid":
        grids = np.meshgrid(*[spec.parameters[n] for n in names], indexing="ij")
        return np.column_stack([g.ravel() for g in grids])
    if spec.method == "lhs":
        unit = qmc.LatinHypercube(d=len(names), seed=spec.seed).random(spec.samples)
        return qmc.scale(unit, bounds[:, 0], bounds[:, 1])
    problem = salib_problem(spec)
    if spec.method == "morris":
        from SALib.sample import morris

        return morris.sample(problem, spec.samples, num_levels=4, seed=spec.seed)
    from SALib.sample import sobol

    return sobol.sample(problem, spec.samples, calc_second_order=False, seed=spec.seed)


def salib_problem(spec: ExperimentFile) -> dict[str, Any]:
    """The SALib problem definition of an experiment."""
    return {"num_vars": len(spec.parameters), "names": list(spec.parameters),
            "bounds": [spec.parameters[n] for n in spec.parameters]}


def scenarios(spec: ExperimentFile, points: np.ndarray, source: str) -> list[config.Scenario]:
    """One validated scenario per point, named ``<experiment>-<index>``."""
    base = config.load_raw(spec.scenario)
    out = []
    for index, row in enumerate(points):
        raw = dict(base)
        for path, value in zip(spec.parameters, row, strict=True):
            current = _lookup(base, path, source)
            value = int(round(value)) if isinstance(current, int) and not isinstance(
                current, bool) else float(value)
            raw = config.deep_merge(raw, config.override(path, value))
        raw["name"] = f"{spec.name}-{index:04d}"
        scenario = config.validate(raw, f"{source}: point {index}")
        out.append(scenario.with_run(people=spec.people, weeks=spec.weeks, seed=spec.seed))
    return out


def _lookup(raw: dict[str, Any], path: str, source: str) -> Any:
    node = config.at_path(raw, path)
    if node is None:
        raise config.ConfigError(f"{source}: parameter {path!r} is not a field of the "
                                 "scenario (see `journeysim params`)")
    if isinstance(node, bool) or not isinstance(node, int | float):
        raise config.ConfigError(f"{source}: parameter {path!r} is not a number ({node!r})")
    return node


def sweep_table(spec: ExperimentFile, points: np.ndarray, runs: pd.DataFrame) -> pd.DataFrame:
    """One row per point: the parameter values, and each measure's mean and half-width."""
    rows = []
    for index, row in enumerate(points):
        mine = runs[runs.scenario == f"{spec.name}-{index:04d}"]
        out: dict[str, Any] = {"point": index, **dict(zip(spec.parameters, row, strict=True))}
        for measure in spec.measures:
            out[measure], out[f"{measure}_half_width"] = interval(mine[measure])
        rows.append(out)
    return pd.DataFrame(rows)


def indices(spec: ExperimentFile, points: np.ndarray, table: pd.DataFrame) -> pd.DataFrame:
    """Sensitivity indices of each measure to each parameter (Morris or Sobol)."""
    problem = salib_problem(spec)
    rows = []
    for measure in spec.measures:
        outputs = table[measure].to_numpy(dtype=float)
        if np.isnan(outputs).any():
            raise config.ConfigError(f"measure {measure!r} is undefined at some points "
                                     "(too short a run?); choose other measures or more weeks")
        if spec.method == "morris":
            from SALib.analyze import morris

            result = morris.analyze(problem, points, outputs, num_levels=4, seed=spec.seed)
            for i, name in enumerate(problem["names"]):
                rows.append({"measure": measure, "parameter": name,
                             "mu_star": result["mu_star"][i],
                             "mu_star_conf": result["mu_star_conf"][i],
                             "sigma": result["sigma"][i]})
        else:
            from SALib.analyze import sobol

            result = sobol.analyze(problem, outputs, calc_second_order=False, seed=spec.seed)
            for i, name in enumerate(problem["names"]):
                rows.append({"measure": measure, "parameter": name, "S1": result["S1"][i],
                             "S1_conf": result["S1_conf"][i], "ST": result["ST"][i],
                             "ST_conf": result["ST_conf"][i]})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class SweepResult:
    """Every point, every run, the table of points, and the points that run alike.

    ``same_staffing``: groups of points whose staffing rates differ but round to the
    same head-counts at the experiment's number of claimants (:func:`same_staffing`).
    """

    points: np.ndarray
    runs: pd.DataFrame
    table: pd.DataFrame
    same_staffing: list[list[str]]


def same_staffing(chosen: list[config.Scenario]) -> list[list[str]]:
    """Groups of scenarios whose rates per 1,000 differ but whose head-counts do not.

    Swept staffing rates that round to the same whole staff at the run's number of
    claimants give the same model twice: their differences are noise only.
    """
    groups: dict[tuple, dict[tuple, str]] = {}
    for scenario in chosen:
        rows = scenario.head_counts()
        counts = tuple((service, what, count) for service, what, _, count in rows)
        rates = tuple(rate for _, _, rate, _ in rows)
        groups.setdefault(counts, {}).setdefault(rates, scenario.name)
    return [list(names.values()) for names in groups.values() if len(names) > 1]


def run_file(spec: ExperimentFile, source: str, directory: Path, pool: Executor,
             progress: Callable[[int], None] | None = None,
             grow: Callable[[int], None] | None = None) -> SweepResult:
    """Run every point x replication through the resumable store; write runs and table.

    The directory is locked while the experiment runs and sealed when its files
    are written.
    """
    points = design(spec)
    chosen = scenarios(spec, points, source)
    try:
        files.require_kind(directory, "sweep")
        with files.locked(directory):
            store = Store(directory)
            store.open(manifest(chosen, kind="sweep", experiment_file=spec.model_dump()))
            todo = specs(chosen, range(spec.replications))
            if grow is not None:
                grow(len(todo))
            runs = measures_frame(run_all(todo, store, pool, progress))
            table = sweep_table(spec, points, runs)
            store.seal("sweep", [write_csv(runs, directory / "runs.csv"),
                                 write_csv(table, directory / "table.csv")])
    except files.FolderError as err:
        raise config.ConfigError(str(err)) from None
    return SweepResult(points, runs, table, same_staffing(chosen))


def write_indices(found: pd.DataFrame, directory: Path) -> None:
    """``indices.csv`` and the figure of the indices (PNG and SVG)."""
    write_csv(found, directory / "indices.csv")
    figure = plots.sensitivity_figure(found)
    for suffix in ("png", "svg"):
        files.write_atomic(directory / f"indices.{suffix}",
                           lambda p, kind=suffix: figure.savefig(p, format=kind, dpi=150))
