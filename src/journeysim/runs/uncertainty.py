"""Probabilistic sensitivity analysis: intervals that carry the uncertainty of the assumptions.

``compare`` gives Monte Carlo intervals: how far the answer would move with
other luck, the parameters held at their values. Here every uncertain
parameter is drawn from its range in the evidence table (data/evidence.yaml),
the appraisal's uncertain values from theirs (``cba.ranges``), and the
baseline's fitted parameters from the calibrated ensemble
(data/calibration_ensemble.yaml); every scenario is run at each draw; and each
measure's interval is the spread over the draws, widened by the Monte Carlo
noise. docs/uncertainty.md has the method and how to read the outputs.

The runs:

- **the central point**: every scenario at its own values, ``reps``
  replications (its Monte Carlo interval is the one ``compare`` prints);
- **draw d** (1 to D): every scenario with the drawn values, one replication,
  ``(d - 1) mod reps``, with the same seed as the central point's replication
  of that number (common random numbers across scenarios and draws).

A draw's value of a measure is the central mean plus the draw's run minus the
central run of the same replication (a control variate: the luck the two
share cancels, so a draw measures the parameters' effect, not its own luck).
The interval is the 2.5th and 97.5th percentile of the mixture, over draws, of
each draw's value plus the central point's Monte Carlo error (Student t): with
every range collapsed, every draw equals the central point and the interval is
exactly the Monte Carlo one.

One quantity is drawn per evidence entry (every service sharing the
``services.*`` entry moves together, since one assumption sets them all), per
appraisal value and for the ensemble member (``calibration``); the same
quantile sets the value in every scenario, each from a distribution with its
own value as the mode. A design's own capacity (a value it sets apart from the
baseline's) is its choice, not drawn; a value outside its range is held.
"""

from __future__ import annotations

import json
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.stats import qmc

from journeysim import config
from journeysim.analysis import costs, emulator
from journeysim.analysis.registry import COMPARED, MAIN_DIFFERENCES
from journeysim.analysis.stats import CONFIDENCE
from journeysim.config.evidence import Evidence, entry_for, load_evidence
from journeysim.runs import ensemble as calibrated
from journeysim.runs import files
from journeysim.runs.experiment import (
    Executor,
    ExperimentError,
    RunSpec,
    Store,
    manifest,
    run_all,
    write_csv,
)

KIND = "uncertainty"
DESIGNS = ("lhs", "sobol")
#: The ensemble member's quantity in the draws and the drivers.
CALIBRATION = "calibration"
#: Appraisal figures given for each design's difference to the baseline: society's and
#: the Exchequer's net of displacement (each draw's own), and gross of it beside them.
APPRAISED = ("npv_society", "npv_society_gross", "npv_society_without_wellbeing",
             "npv_exchequer", "npv_exchequer_gross", "bcr_society", "bcr_society_gross",
             "additional_sustained_jobs", "pv_costs_exchequer")
#: The ratios among them, each taken from the means of its present values.
RATIOS = {"bcr_society": "", "bcr_society_gross": "_gross"}
#: Willingness to pay per extra sustained job (GBP) at which acceptability is given.
WILLINGNESS_TO_PAY = tuple(float(x) for x in range(0, 150_001, 5_000))
#: Rank regression: the R squared an unrelated quantity passes one time in twenty is about
#: this over (draws - 1) (1.96 squared: Spearman's rho is about normal, variance 1 / (n - 1)).
CHANCE = 3.84
#: The part of a draw's name that follows its scenario's.
SUFFIX = ".d{:04d}"


@dataclass(frozen=True)
class Quantity:
    """One uncertain quantity: an evidence entry, an appraisal value or the ensemble member."""

    name: str
    low: float
    high: float
    distribution: str = "triangular"


# --- what is drawn ----------------------------------------------------------------------------
def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _table(scenario: config.Scenario) -> tuple[tuple[str, str], ...]:
    """Each parameter's path and kind."""
    return tuple((r["parameter"], r["kind"]) for r in config.parameter_table(scenario))


def quantities(scenarios: list[config.Scenario], evidence: dict[str, Evidence],
               members: int, only: tuple[str, ...] = ()) -> list[Quantity]:
    """Every quantity the draws vary, in a fixed order.

    An evidence entry with a range that sets a numeric parameter some
    scenario runs with (not one of a service or budget every scenario has
    switched off: no value of it can change a run, so drawing it would only
    add a dimension and false drivers); each of the baseline's ``cba.ranges``
    without an entry of its own (triangular between its two ends, the central
    value the mode); and the ensemble member when there are two or more.
    ``only`` keeps the quantities whose name starts with one of its prefixes.
    """
    found: dict[str, Quantity] = {}
    held: list[str] = []
    for name, read in reads(scenarios, evidence).items():
        if read:
            entry = evidence[name]
            found[name] = Quantity(name, entry.low, entry.high, entry.distribution)
        else:
            held.append(name)
    cba = scenarios[0].cba
    for name, pair in cba.ranges.items():
        key = f"cba.{name}"
        if key not in found:
            found[key] = Quantity(key, min(pair), max(pair))
    if members > 1:
        found[CALIBRATION] = Quantity(CALIBRATION, 0.0, 1.0, "uniform")
    chosen = [q for q in found.values() if not only or q.name.startswith(only)]
    if not chosen:
        off = [name for name in held if only and name.startswith(only)]
        raise ExperimentError(
            "no uncertain parameter is left to vary"
            + (f" by --parameters {', '.join(only)}" if only else "")
            + (f" ({len(off)} match, but no scenario runs their part: {', '.join(off[:3])}"
               + (", ..." if len(off) > 3 else "") + ")" if off else ""))
    return chosen


def reads(scenarios: list[config.Scenario],
          evidence: dict[str, Evidence]) -> dict[str, set[str]]:
    """The scenarios whose runs read each ranged evidence entry (none: switched off).

    Every entry with a range that sets a numeric parameter of some scenario, in
    a fixed order.
    """
    found: dict[str, set[str]] = {}
    for scenario in scenarios:
        raw = scenario.model_dump(mode="json")
        for path, _kind in _table(scenario):
            entry = entry_for(path, evidence)
            if entry is None or entry.low is None or entry.high is None:
                continue
            if _number(config.at_path(raw, path)):
                readers = found.setdefault(entry.path, set())
                if not scenario.switched_off(path):
                    readers.add(scenario.name)
    return found


def value_at(quantile: float, low: float, high: float, mode: float, distribution: str,
             width: float = 1.0) -> float:
    """The value at ``quantile`` of a parameter whose own value is ``mode``.

    Triangular from ``low`` to ``high`` peaking at ``mode``, or uniform over the
    range; ``width`` scales the range about ``mode`` (0: always ``mode``).
    """
    if high <= low:
        return mode
    if distribution == "uniform":
        drawn = low + quantile * (high - low)
    else:
        drawn = float(stats.triang.ppf(quantile, (mode - low) / (high - low), low, high - low))
    return mode + width * (drawn - mode)


def sample(count: int, dimensions: int, design: str, seed: int) -> np.ndarray:
    """``count`` points of the unit cube: a Latin hypercube, or Saltelli's Sobol design.

    A Sobol design has ``N (dimensions + 2)`` points for the largest power of two
    ``N`` that fits in ``count`` (first-order and total indices, SALib).
    """
    if design == "lhs":
        return qmc.LatinHypercube(d=dimensions, seed=seed).random(count)
    if design != "sobol":
        raise ExperimentError(f"unknown design {design!r}; allowed: {', '.join(DESIGNS)}")
    base = sobol_base(count, dimensions)
    from SALib.sample import sobol

    problem = {"num_vars": dimensions, "names": [f"x{i}" for i in range(dimensions)],
               "bounds": [[0.0, 1.0]] * dimensions}
    return sobol.sample(problem, base, calc_second_order=False, seed=seed)


def sobol_base(count: int, dimensions: int) -> int:
    """The Sobol design's base sample: the largest power of two ``N`` with N(d + 2) <= count."""
    base = 1
    while base * 2 * (dimensions + 2) <= count:
        base *= 2
    if base * (dimensions + 2) > count:
        raise ExperimentError(f"a Sobol design of {dimensions} parameters needs at least "
                              f"{dimensions + 2} draws; ask for more, use --design lhs, or "
                              "vary fewer with --parameters")
    return base


@dataclass(frozen=True)
class Draw:
    """One draw: its number, each quantity's quantile, and the ensemble member (or None)."""

    number: int
    quantiles: dict[str, float]
    member: int | None


def draws(points: np.ndarray, chosen: list[Quantity], members: int) -> list[Draw]:
    """The central point (draw 0) and one draw per row of ``points``."""
    out = [Draw(0, {}, None)]
    for number, row in enumerate(points, start=1):
        quantiles = {q.name: float(u) for q, u in zip(chosen, row, strict=True)}
        member = quantiles.pop(CALIBRATION, None)
        out.append(Draw(number, quantiles,
                        None if member is None else min(members - 1, int(member * members))))
    return out


def drawn(scenario: config.Scenario, baseline: config.Scenario, draw: Draw,
          evidence: dict[str, Evidence], member: dict[str, float] | None,
          width: float = 1.0) -> config.Scenario:
    """``scenario`` with the values of ``draw`` (the appraisal's are left to the appraisal).

    Each drawn parameter takes the value at its quantity's quantile of a
    distribution with the scenario's own value as its mode. Left as they are: a
    capacity the scenario sets apart from the baseline (a design's choice), a
    value outside its range, and a fitted value the scenario changed.
    """
    if draw.number == 0:
        return scenario
    raw = scenario.model_dump(mode="json")
    base = baseline.model_dump(mode="json")
    for path, kind in _table(scenario):
        entry = entry_for(path, evidence)
        if (entry is None or entry.path not in draw.quantiles or path.startswith("cba.")
                or scenario.switched_off(path)):
            continue  # a part switched off keeps its values: a draw of those alone runs nothing
        value = config.at_path(raw, path)
        if not _number(value) or not entry.covers(value) or (
                kind == "capacity" and value != config.at_path(base, path)):
            continue
        new = value_at(draw.quantiles[entry.path], entry.low, entry.high, value,
                       entry.distribution, width)
        raw = config.deep_merge(raw, config.override(
            path, int(round(new)) if isinstance(value, int) else new))
    for path, value in (member or {}).items():
        if config.at_path(raw, path) == config.at_path(base, path):
            raw = config.deep_merge(raw, config.override(path, value))
    raw["name"] = scenario.name + SUFFIX.format(draw.number)
    return config.validate(raw, f"{scenario.name}, draw {draw.number}")


def appraisal_settings(cba: config.CbaSettings, draw: Draw, width: float = 1.0,
                       evidence: dict[str, Evidence] | None = None) -> config.CbaSettings:
    """The baseline's appraisal settings at ``draw`` (its own, at the central point)."""
    update = {}
    for key, quantile in draw.quantiles.items():
        if not key.startswith("cba."):
            continue
        name = key.removeprefix("cba.")
        entry = (evidence or {}).get(key)
        low, high, distribution = (entry.low, entry.high, entry.distribution) if (
            entry is not None) else (min(cba.ranges[name]), max(cba.ranges[name]), "triangular")
        update[name] = value_at(quantile, low, high, getattr(cba, name), distribution, width)
    return cba.model_copy(update=update) if update else cba


# --- the plan ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """Everything to run: the quantities, the draws and each draw's scenarios."""

    scenarios: list[config.Scenario]
    chosen: list[Quantity]
    draws: list[Draw]
    drawn: list[list[config.Scenario]]
    reps: int
    design: str
    width: float
    members: int
    #: For each drawn evidence entry, the scenarios whose runs read it.
    readers: dict[str, set[str]] = field(default_factory=dict)

    def specs(self) -> list[RunSpec]:
        """The central point's replications, then a run per scenario and draw that needs one."""
        central = [RunSpec(s, k, profile=False) for k in range(self.reps)
                   for s in self.scenarios]
        return central + [spec for d in self.draws[1:] for spec in self.draw_specs(d.number)
                          if spec is not None]

    def draw_specs(self, number: int) -> list[RunSpec | None]:
        """Each scenario's run at draw ``number``; None where the draw leaves it as it is.

        A draw that changes none of a scenario's simulated parameters (only
        appraisal values, say) has the central point's run of its replication.
        """
        return [None if mine.config_hash() == own.config_hash() else
                RunSpec(mine, self.replication(number), profile=False)
                for mine, own in zip(self.drawn[number], self.scenarios, strict=True)]

    def replication(self, number: int) -> int:
        """The replication a draw runs (and is paired with at the central point)."""
        return (number - 1) % self.reps


def fitted_as_bundled(baseline: config.Scenario) -> bool:
    """Whether ``baseline`` has the bundled baseline's fitted values (the ensemble replaces them).

    The ensemble was fitted to the bundled baseline; a baseline refitted to
    another place keeps its own values.
    """
    mine = baseline.model_dump(mode="json")
    bundled = config.load(config.BASELINE).model_dump(mode="json")
    return all(config.at_path(mine, p) == config.at_path(bundled, p) for p in config.FITTED)


def plan(scenarios: list[config.Scenario], count: int, reps: int, design: str = "lhs",
         only: tuple[str, ...] = (), width: float = 1.0,
         evidence: dict[str, Evidence] | None = None,
         ensemble: calibrated.Ensemble | None = None) -> Plan:
    """Choose the quantities, draw ``count`` points and make every draw's scenarios.

    The points come from the baseline's seed, so the same command draws the same values.
    """
    if reps < 2:
        raise ExperimentError("at least 2 replications are needed for the Monte Carlo interval")
    evidence = load_evidence() if evidence is None else evidence
    ensemble = calibrated.load_ensemble() if ensemble is None else ensemble
    members = len(ensemble.members) if width > 0 and fitted_as_bundled(scenarios[0]) else 0
    chosen = quantities(scenarios, evidence, members, only)
    if all(q.name != CALIBRATION for q in chosen):
        members = 0  # the fitted values are held: every draw keeps the baseline's
    points = sample(count, len(chosen), design, scenarios[0].run.seed)
    made = draws(points, chosen, members)
    baseline = scenarios[0]
    rows = [[drawn(s, baseline, d, evidence,
                   None if d.member is None else ensemble.members[d.member], width)
             for s in scenarios] for d in made]
    return Plan(scenarios, chosen, made, rows, reps, design, width, members,
                reads(scenarios, evidence))


# --- the analysis -----------------------------------------------------------------------------
def mixture_interval(centres: np.ndarray, scale: float, df: int,
                     confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The central ``confidence`` interval of a mixture of t distributions.

    Each of ``centres`` carries the same Monte Carlo error (``scale``, the
    standard error, with ``df`` degrees of freedom); with one centre it is the
    Student-t interval of a mean. Without a Monte Carlo error (NaN or 0) it is
    the percentile interval of the centres.
    """
    centres = np.asarray(centres, dtype=float)
    centres = centres[~np.isnan(centres)]
    if centres.size == 0:
        return math.nan, math.nan
    tail = (1.0 - confidence) / 2.0
    if not scale > 0:
        return (float(np.quantile(centres, tail)), float(np.quantile(centres, 1.0 - tail)))

    def cdf(x: float) -> float:
        return float(stats.t.cdf((x - centres) / scale, df).mean())

    reach = stats.t.ppf(1.0 - tail / 10.0, df) * scale
    lo, hi = float(centres.min()) - reach, float(centres.max()) + reach
    ends = []
    for p in (tail, 1.0 - tail):
        if centres.min() == centres.max():
            ends.append(float(centres[0] + stats.t.ppf(p, df) * scale))
        else:
            ends.append(float(optimize.brentq(lambda x, p=p: cdf(x) - p, lo, hi,
                                              xtol=1e-12 * max(1.0, abs(hi)))))
    return ends[0], ends[1]


def p_positive(centres: np.ndarray, scale: float, df: int) -> float:
    """The probability a value is above zero, over the same mixture as :func:`mixture_interval`."""
    centres = np.asarray(centres, dtype=float)
    centres = centres[~np.isnan(centres)]
    if centres.size == 0:
        return math.nan
    if not scale > 0:
        return float((centres > 0).mean())
    return float(stats.t.sf(-centres / scale, df).mean())


@dataclass(frozen=True)
class Values:
    """Each draw's value of each measure, and the central point's runs.

    ``draws``: one row per draw (0: the central mean), a column per measure;
    ``replications``: the central point's runs, one row per replication.
    """

    draws: pd.DataFrame
    replications: pd.DataFrame

    @property
    def central(self) -> pd.Series:
        """The central point's mean of each measure."""
        return self.replications.mean()

    def se(self, combined: pd.Series | None = None) -> pd.Series | float:
        """The central point's standard error of each measure (or of ``combined``)."""
        runs = self.replications if combined is None else combined
        return runs.std(ddof=1) / math.sqrt(len(self.replications))


def _controlled(central: pd.DataFrame, paired: pd.DataFrame, drawn_: pd.DataFrame) -> Values:
    """Draw values by control variate: central mean + draw run - central run of its replication.

    ``central``: one row per central replication; ``paired``: per draw (index),
    the central run of its replication; ``drawn_``: per draw (index), its run.
    """
    mean = central.mean()
    values = mean + (drawn_ - paired)
    values.loc[0] = mean
    return Values(values.sort_index(), central)


@dataclass(frozen=True)
class Outcome:
    """A finished analysis: every value, the tables and the designs' probabilities."""

    values: dict[tuple[str, str], Values]
    table: pd.DataFrame
    drivers: pd.DataFrame
    designs: dict[str, dict[str, Any]]
    settings: dict[str, Any]


def analyse(the_plan: Plan, finished: dict[str, dict[str, Any]],
            horizon_years: int | None = None,
            evidence: dict[str, Evidence] | None = None,
            drivers_by: str = "design") -> Outcome:
    """Every scenario's and difference's values by draw, their intervals and drivers.

    ``drivers_by`` is how drivers are found (:func:`find_drivers`); with "emulator"
    the settings carry each emulator's held-out check (``emulator``).
    """
    evidence = load_evidence() if evidence is None else evidence
    reps, names = the_plan.reps, [s.name for s in the_plan.scenarios]
    sampled = the_plan.draws[1:]
    pairs = [the_plan.replication(d.number) for d in sampled]
    central = {(s.name, k): finished[RunSpec(s, k).key]  # (scenario, replication) -> run
               for k in range(reps) for s in the_plan.scenarios}
    runs = {(s.name, d.number): central[(s.name, the_plan.replication(d.number))] if (
        spec is None) else finished[spec.key]  # (scenario, draw) -> its run
        for d in sampled
        for s, spec in zip(the_plan.scenarios, the_plan.draw_specs(d.number), strict=True)}

    def frame(name: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        mc = pd.DataFrame([{m: central[(name, k)][m] for m in COMPARED} for k in range(reps)],
                          dtype=float)
        paired = pd.DataFrame([{m: central[(name, k)][m] for m in COMPARED} for k in pairs],
                              index=[d.number for d in sampled], dtype=float)
        mine = pd.DataFrame([{m: runs[(name, d.number)][m] for m in COMPARED} for d in sampled],
                            index=[d.number for d in sampled], dtype=float)
        return mc, paired, mine

    values: dict[tuple[str, str], Values] = {}
    frames = {name: frame(name) for name in names}
    base = frames[names[0]]
    for name in names:
        values[("level", name)] = _controlled(*frames[name])
        if name != names[0]:
            diff = tuple(mine - theirs for mine, theirs in zip(frames[name], base, strict=True))
            appraised = _appraise(the_plan, names[0], name, central, runs, horizon_years,
                                  evidence)
            values[("difference", name)] = _controlled(
                *(pd.concat([d, a], axis=1) for d, a in zip(diff, appraised, strict=True)))
    table = _table_of(values, reps)
    quantiles = pd.DataFrame([d.quantiles for d in sampled],
                             index=[d.number for d in sampled])
    if the_plan.members:
        quantiles[CALIBRATION] = [(d.member + 0.5) / the_plan.members for d in sampled]
    drivers, checks = find_drivers(values, quantiles[[q.name for q in the_plan.chosen]],
                                   the_plan, drivers_by)
    designs = {name: _design_summary(values[("difference", name)], reps) for name in names[1:]}
    settings = {"baseline": names[0], "designs": names[1:], "draws": len(sampled),
                "reps": reps, "people": the_plan.scenarios[0].run.people,
                "weeks": the_plan.scenarios[0].run.weeks, "seed": the_plan.scenarios[0].run.seed,
                "design": the_plan.design, "width": the_plan.width,
                "drivers_method": "emulator" if drivers_by == "emulator" else (
                    DRIVERS_METHOD[the_plan.design]),
                "chance_level": CHANCE / (len(sampled) - 1) if len(sampled) > 2 else None,
                "parameters": len(the_plan.chosen), "ensemble_members": the_plan.members,
                "switched_off": sorted(k for k, read in the_plan.readers.items() if not read),
                "horizon_years": horizon_years or the_plan.scenarios[0].cba.horizon_years}
    if drivers_by == "emulator":
        settings["emulator"] = checks
    return Outcome(values, table, drivers, designs, settings)


def _appraise(the_plan: Plan, base: str, name: str, central: dict[tuple[str, int], Any],
              runs: dict[tuple[str, int], Any], horizon_years: int | None,
              evidence: dict[str, Evidence]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The appraisal figures in the three frames :func:`_controlled` takes.

    Each draw is valued with its own appraisal settings, its central mean and
    its paired central run included, so the control variate compares like with like.
    Displacement is the central point's over its replications (as ``compare``), and a
    draw's is that moved by its own pair of runs less its paired central pair (the
    same control variate), so a draw that changes nothing has the central share.
    """
    cba = the_plan.scenarios[0].cba
    weeks = the_plan.scenarios[0].run.weeks
    reps = the_plan.reps

    def ledger(run: dict[str, Any]) -> pd.DataFrame:
        return pd.DataFrame(run["ledger"])

    @cache
    def pair(source: str, key: int, settings_key: int) -> dict[str, float]:
        pick = central if source == "central" else runs
        settings = settings_by_key[settings_key]
        share = central_share if source == "central" else drawn_share(key)
        record = costs.appraise(ledger(pick[(base, key)]), ledger(pick[(name, key)]), settings,
                                weeks, horizon_years, share)
        return _figures(record)

    central_share = costs.displacement_of([central[(base, k)] for k in range(reps)],
                                          [central[(name, k)] for k in range(reps)])

    def drawn_share(number: int) -> float:
        """The central share moved by the draw's pair of runs less its paired central pair."""
        k = the_plan.replication(number)
        moved = (costs.displacement_of([runs[(base, number)]], [runs[(name, number)]])
                 - costs.displacement_of([central[(base, k)]], [central[(name, k)]]))
        return min(1.0, max(0.0, central_share + moved))

    settings_by_key = {0: cba}
    mc = pd.DataFrame([pair("central", k, 0) for k in range(reps)], dtype=float)
    means, paired, mine = [], [], []
    for d in the_plan.draws[1:]:
        settings = appraisal_settings(cba, d, the_plan.width, evidence)
        key = 0 if settings is cba else d.number
        settings_by_key[key] = settings
        central_mean = pd.DataFrame([pair("central", k, key) for k in range(reps)],
                                    dtype=float).mean()
        means.append(central_mean - mc.mean())
        paired.append(pair("central", the_plan.replication(d.number), key))
        mine.append(pair("draw", d.number, key))
    index = [d.number for d in the_plan.draws[1:]]
    # The draw's own valuation moves its central mean: carried in the paired frame.
    paired_frame = pd.DataFrame(paired, index=index, dtype=float) - pd.DataFrame(
        means, index=index, dtype=float)
    return mc, paired_frame, pd.DataFrame(mine, index=index, dtype=float)


def _figures(record: dict[str, float | None]) -> dict[str, float]:
    out = {k: (math.nan if record.get(k) is None else float(record[k])) for k in APPRAISED
           if k not in RATIOS}
    for suffix in RATIOS.values():
        for part in ("pv_benefits_society", "pv_costs_society"):
            out[part + suffix] = float(record[part + suffix])
    return out


def _table_of(values: dict[tuple[str, str], Values], reps: int) -> pd.DataFrame:
    """Each scenario's and difference's mean, full interval and Monte Carlo interval."""
    rows = []
    t = float(stats.t.ppf(0.5 + CONFIDENCE / 2, reps - 1))
    for (kind, name), found in values.items():
        frame = found.draws
        central, se = found.central, found.se()
        measures = list(COMPARED)
        if kind == "difference":
            for name_, suffix in RATIOS.items():
                frame = frame.assign(**{name_: _bcr(frame, suffix)})
                central[name_] = _bcr(central.to_frame().T, suffix).iloc[0]  # a ratio of means
                se[name_] = found.se(_bcr(found.replications, suffix))
            measures += APPRAISED
        sampled = frame.iloc[1:] if len(frame) > 1 else frame
        for measure in measures:
            low, high = mixture_interval(sampled[measure].to_numpy(), float(se[measure]),
                                         reps - 1)
            rows.append({"scenario": name, "kind": kind, "measure": measure,
                         "mean": float(sampled[measure].mean()), "low": low, "high": high,
                         "mc_low": float(central[measure] - t * se[measure]),
                         "mc_high": float(central[measure] + t * se[measure])})
    return pd.DataFrame(rows)


def _bcr(frame: pd.DataFrame, suffix: str = "") -> pd.Series:
    """Society's benefit-cost ratio (``suffix`` "_gross": gross of displacement)."""
    costs_ = frame["pv_costs_society" + suffix]
    return (frame["pv_benefits_society" + suffix] / costs_).where(costs_ > 0)


DRIVERS_METHOD = {
    "lhs": "rank regression",
    "sobol": "sobol",
}
#: How drivers are found: by the sampling design's own method, or from an emulator.
DRIVERS = ("design", "emulator")
#: The fewest draws an emulator is fitted to (assumption: fewer leave its held-out
#: check, five folds, with one or two draws a fold).
EMULATOR_DRAWS = 10
DRIVER_COLUMNS = ["scenario", "measure", "parameter", "first_order", "first_order_conf",
                  "total", "total_conf", "method"]


def find_drivers(values: dict[tuple[str, str], Values], quantiles: pd.DataFrame,
                 the_plan: Plan, method: str = "design") -> tuple[pd.DataFrame, list[dict]]:
    """The share of each main difference's variance over the draws each quantity explains.

    With ``method`` "design": from a Latin hypercube, the R squared of a rank
    regression of the difference on that quantity alone (Spearman's rho squared),
    a first-order share; an unrelated quantity passes ``CHANCE / (D - 1)`` one time
    in twenty; from a Sobol design, SALib's first-order and total Sobol indices with
    their 95% half-widths. With "emulator": first-order and total Sobol indices of a
    Gaussian process fitted to the draws (:mod:`journeysim.analysis.emulator`),
    where its held-out predictions are good enough, and the rank regression where
    they are not. An appraisal value explains none of a simulated measure (it is
    not drawn there), and a parameter of a part that neither the design nor the
    baseline runs none of their difference. Returns the drivers and, per difference, the emulator's
    held-out check (none without one).
    """
    if method == "emulator" and len(quantiles) < EMULATOR_DRAWS:
        raise ExperimentError(f"an emulator needs at least {EMULATOR_DRAWS} draws, not "
                              f"{len(quantiles)}")
    rows: list[dict[str, Any]] = []
    checks: list[dict[str, Any]] = []
    seed = the_plan.scenarios[0].run.seed
    base = the_plan.scenarios[0].name
    for (kind, name), found in values.items():
        if kind != "difference":
            continue
        for measure in MAIN_DIFFERENCES:
            outputs = found.draws[measure].iloc[1:].to_numpy(dtype=float)
            spread = np.nanstd(outputs) > 0 and not np.isnan(outputs).any()
            drawn_here = [q for q in quantiles.columns
                          if not (q.startswith("cba.") and measure in COMPARED)
                          and not (q in the_plan.readers
                                   and not the_plan.readers[q] & {base, name})]
            if method == "emulator" and spread:
                fit = emulator.emulate(quantiles[drawn_here].to_numpy(), outputs, seed)
                checks.append({"scenario": name, "measure": measure, "r2": fit.r2,
                               "rmse": fit.rmse, "sd": float(np.std(outputs)),
                               "inputs": len(drawn_here), "indices_given": fit.good})
                if fit.good:
                    rows += _rows(name, measure, list(quantiles.columns), "emulator", {
                        q: (fit.first_order[i], fit.first_order_conf[i], fit.total[i],
                            fit.total_conf[i]) for i, q in enumerate(drawn_here)},
                        nothing=(0.0, math.nan, 0.0, math.nan))
                    continue
            if the_plan.design == "sobol" and method == "design" and spread:
                from SALib.analyze import sobol

                names = list(quantiles.columns)
                problem = {"num_vars": len(names), "names": names,
                           "bounds": [[0.0, 1.0]] * len(names)}
                with warnings.catch_warnings():  # a quantity that changes nothing is a finding
                    warnings.filterwarnings("ignore", "Constant values", UserWarning)
                    found_ = sobol.analyze(problem, outputs, calc_second_order=False, seed=seed)
                rows += _rows(name, measure, names, "sobol", {
                    q: (found_["S1"][i], found_["S1_conf"][i], found_["ST"][i],
                        found_["ST_conf"][i]) for i, q in enumerate(names)})
                continue
            # A difference no draw moves has no variance to share: NaN, under its method.
            rows += _rows(name, measure, list(quantiles.columns), "rank regression" if (
                method == "emulator") else DRIVERS_METHOD[the_plan.design], {
                q: (_rank_share(quantiles[q].to_numpy(), outputs) if spread else math.nan,
                    math.nan, math.nan, math.nan) for q in drawn_here})
    frame = pd.DataFrame(rows, columns=DRIVER_COLUMNS)
    frame = frame.sort_values(["scenario", "measure", "first_order"],
                              ascending=[True, True, False], kind="stable")
    return frame.reset_index(drop=True), checks


def _rank_share(quantile: np.ndarray, outputs: np.ndarray) -> float:
    """Spearman's rho squared of ``outputs`` on one quantity (NaN from two draws or fewer)."""
    if len(outputs) <= 2:
        return math.nan
    rho = stats.spearmanr(quantile, outputs).statistic
    return rho * rho


def _rows(name: str, measure: str, parameters: list[str], method: str,
          found: dict[str, tuple[float, float, float, float]],
          nothing: tuple[float, float, float, float] = (0.0, math.nan, math.nan, math.nan),
          ) -> list[dict[str, Any]]:
    """Drivers rows of one difference: a quantity not in ``found`` has ``nothing``.

    That is none of its variance: first order 0, and a total where the method gives one.
    """
    rows = []
    for parameter in parameters:
        first, first_conf, total, total_conf = found.get(parameter, nothing)
        rows.append({"scenario": name, "measure": measure, "parameter": parameter,
                     "first_order": first, "first_order_conf": first_conf, "total": total,
                     "total_conf": total_conf, "method": method})
    return rows


def _design_summary(found: Values, reps: int) -> dict[str, Any]:
    """A design's probabilities of paying back, its BCR's spread and acceptability curve.

    Worth it at a willingness to pay ``w`` per extra sustained job when
    ``w x extra sustained jobs - Exchequer cost`` is above zero.
    """
    frame = found.draws.iloc[1:] if len(found.draws) > 1 else found.draws
    df = reps - 1
    runs = found.replications
    bcr = _bcr(frame).dropna()
    # Above one: benefits exceed costs, or the design saves society money and loses no benefit.
    costs, benefits = frame["pv_costs_society"], frame["pv_benefits_society"]
    worth_it = ((costs > 0) & (benefits > costs)) | ((costs <= 0) & (benefits >= 0))

    def net(data: pd.DataFrame, wtp: float) -> pd.Series:
        return wtp * data["additional_sustained_jobs"] - data["pv_costs_exchequer"]

    def number(value: float) -> float | None:
        return None if math.isnan(value) else float(value)

    def chance(measure: str) -> float:
        return p_positive(frame[measure].to_numpy(), float(found.se()[measure]), df)

    return {
        "p_npv_society_positive": chance("npv_society"),
        "p_npv_exchequer_positive": chance("npv_exchequer"),
        "p_npv_society_gross_positive": chance("npv_society_gross"),
        "p_npv_exchequer_gross_positive": chance("npv_exchequer_gross"),
        "bcr_society": {
            "mean": number(bcr.mean()), "median": number(bcr.median()),
            "low": number(bcr.quantile(0.025)), "high": number(bcr.quantile(0.975)),
            "p_above_one": float(worth_it.sum() / len(frame))},
        "acceptability": [
            {"willingness_to_pay": wtp,
             "probability": p_positive(net(frame, wtp).to_numpy(),
                                       float(found.se(net(runs, wtp))), df)}
            for wtp in WILLINGNESS_TO_PAY],
    }


# --- running and writing ----------------------------------------------------------------------
def run_uncertainty(scenarios: list[config.Scenario], count: int, reps: int, directory: Path,
                    pool: Executor, design: str = "lhs", only: tuple[str, ...] = (),
                    width: float = 1.0, horizon_years: int | None = None,
                    progress: Callable[[int], None] | None = None,
                    grow: Callable[[int], None] | None = None, force: bool = False,
                    drivers_by: str = "design") -> Outcome:
    """Plan the draws, run them through the resumable store, analyse and write the folder.

    The first scenario is the baseline; ``drivers_by`` is how drivers are found
    (:func:`find_drivers`: it changes no run, so a finished folder is analysed
    again without running anything). The directory is locked while it runs
    and sealed (kind ``uncertainty``) once every file is written; run the same
    call again to resume an interrupted one.
    """
    if drivers_by not in DRIVERS:
        raise ExperimentError(f"unknown drivers method {drivers_by!r}; allowed: "
                              f"{', '.join(DRIVERS)}")
    if drivers_by == "emulator" and count < EMULATOR_DRAWS:
        raise ExperimentError(f"an emulator needs at least {EMULATOR_DRAWS} draws; ask for "
                              "more with --draws, or use --drivers design")
    the_plan = plan(scenarios, count, reps, design, only, width)
    try:
        files.require_kind(directory, KIND, force)
        with files.locked(directory):
            store = Store(directory)
            store.open(manifest([s for row in the_plan.drawn for s in row], kind=KIND,
                                draws=count, reps=reps, design=design, parameters=list(only),
                                width=width), force)
            todo = the_plan.specs()
            if grow is not None:
                grow(len(todo))
            outcome = analyse(the_plan, run_all(todo, store, pool, progress), horizon_years,
                              drivers_by=drivers_by)
            store.seal(KIND, write(outcome, the_plan, directory))
    except files.FolderError as err:
        raise ExperimentError(str(err)) from None
    return outcome


def draws_frame(outcome: Outcome, the_plan: Plan) -> pd.DataFrame:
    """One row per draw: its quantiles, its ensemble member and each design's main differences."""
    rows = []
    for d in the_plan.draws:
        row: dict[str, Any] = {"draw": d.number, "member": d.member,
                               **{f"q:{k}": v for k, v in d.quantiles.items()}}
        for (kind, name), found in outcome.values.items():
            if kind == "difference":
                for measure in MAIN_DIFFERENCES:
                    row[f"{name}:{measure}"] = float(found.draws.loc[d.number, measure])
        rows.append(row)
    return pd.DataFrame(rows)


def write(outcome: Outcome, the_plan: Plan, directory: Path) -> list[str]:
    """``uncertainty.csv``, ``drivers.csv``, ``draws.csv`` and ``uncertainty.json``; their names."""
    from journeysim.runs.results import package_version

    body = {"settings": {**outcome.settings, "version": package_version()},
            "designs": outcome.designs}
    files.write_json(directory / "uncertainty.json", json.loads(json.dumps(body, default=float)))
    return [write_csv(outcome.table, directory / "uncertainty.csv"),
            write_csv(outcome.drivers, directory / "drivers.csv"),
            write_csv(draws_frame(outcome, the_plan), directory / "draws.csv"),
            "uncertainty.json"]
