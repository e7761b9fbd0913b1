"""Validation: every calibration target and every check the project keeps, run and judged.

Targets (``experiments/calibration_targets.yaml``, :mod:`journeysim.runs.calibration`)
are the figures the fragmented baseline is fitted to. Checks
(``experiments/validation_checks.yaml``) are observed figures that were not used
for fitting: seed figures, public statistics and evaluation findings, each held
against the bundled scenario that models it. A check may change its scenario at
dotted paths (one mechanism switched on, say) and may name a baseline: its measure
is then the paired difference, scenario minus baseline, seed by seed (common
random numbers).

Each figure is judged on the mean over the seeds: inside its band it passes;
outside, a target is missed (the baseline is off its calibration) and a check is
"outside band" (something the model does not reproduce: to be read, never tuned
away). Verdicts are computed here from the runs, never stored in the files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, as_completed
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from pydantic import Field, ValidationError, model_validator

from journeysim import config
from journeysim.analysis import impacts
from journeysim.analysis.registry import IMPACT, MEASURES, NON_CLAIMANTS, STOCK, Measure
from journeysim.analysis.stats import interval
from journeysim.present.tables import cell
from journeysim.runs import calibration, files
from journeysim.runs.experiment import RunFailed, write_csv
from journeysim.runs.results import package_version, simulate

#: experiments/validation_checks.yaml, which the package links to as data/ and a wheel
#: carries as package data.
CHECKS_FILE = Path(str(resources.files("journeysim").joinpath("data", "validation_checks.yaml")))

TARGET, CHECK = "target", "check"
PASS, MISS, OUTSIDE, NO_VALUE = "pass", "miss", "outside band", "no value"
#: The columns of ``validation.csv``, in order.
COLUMNS = ("id", "kind", "scenario", "changes", "baseline", "measure", "unit", "observed",
           "source", "value", "low", "high", "model", "half_width", "verdict", "note")
#: The folder kind of a validation's results (:mod:`journeysim.runs.files`).
KIND = "validate"


@dataclass(frozen=True)
class Figure:
    """One observed figure the model is held against: a calibration target or a check.

    Attributes:
        id: its id in its file (T1, C2...).
        kind: ``target`` or ``check``.
        scenario: a bundled scenario name, or the path of a scenario file.
        measure: dotted path into a run's ``summary.json``.
        observed: what was observed, in the source's words where they are short.
        source: where the figure comes from.
        value: the observed figure, in the measure's unit.
        low: the low end of the band the model must land in.
        high: its high end.
        changes: (dotted path, value) overrides of the scenario.
        baseline: when given, the measure is the paired difference scenario - baseline.
        note: what the model's measure does not share with the observed figure.
    """

    id: str
    kind: str
    scenario: str
    measure: str
    observed: str
    source: str
    value: float
    low: float
    high: float
    changes: tuple[tuple[str, Any], ...] = ()
    baseline: str | None = None
    note: str = ""

    @property
    def label(self) -> str:
        """The scenario as run: its name and each change (``fragmented + a.b=true``)."""
        return self.scenario + "".join(f" + {path}={json.dumps(value)}"
                                       for path, value in self.changes)


@dataclass(frozen=True)
class Result:
    """A figure and what the model gave for it, seed by seed."""

    figure: Figure
    values: tuple[float, ...]

    @property
    def model(self) -> tuple[float, float]:
        """Mean over the seeds and the half-width of its 95% interval.

        Both NaN when the measure is undefined in any seed's run (too short a run,
        say), so that no verdict rests on some of the seeds only.
        """
        values = pd.Series(self.values, dtype=float)
        return (math.nan, math.nan) if values.isna().any() else interval(values)

    @property
    def verdict(self) -> str:
        """``pass`` inside the band; outside it ``miss`` (a target) or ``outside band``."""
        mean, _ = self.model
        if math.isnan(mean):
            return NO_VALUE
        if self.figure.low <= mean <= self.figure.high:
            return PASS
        return MISS if self.figure.kind == TARGET else OUTSIDE


@dataclass(frozen=True)
class Plan:
    """What a validation runs: the figures, their scenarios (sized) and the seeds.

    ``scenarios`` are keyed by :attr:`Figure.label` (and baseline name); ``fitted`` is the
    size and seeds the targets were fitted at.
    """

    figures: tuple[Figure, ...]
    scenarios: dict[str, config.Scenario]
    seeds: tuple[int, ...]
    fitted: dict[str, Any]

    @property
    def horizons(self) -> dict[str, tuple[int, ...]]:
        """The weeks an impact check reads, by the config hash of each scenario it pairs."""
        found: dict[str, set[int]] = {}
        for figure in self.figures:
            path = impact_path(figure.measure)
            if path is None or figure.baseline is None:
                continue
            for label in (figure.label, figure.baseline):
                found.setdefault(self.scenarios[label].config_hash(), set()).add(path[2])
        return {key: tuple(sorted(weeks)) for key, weeks in found.items()}

    @property
    def runs(self) -> dict[tuple[str, int], config.Scenario]:
        """Each distinct run by (config hash, seed): a scenario shared by figures runs once."""
        todo: dict[tuple[str, int], config.Scenario] = {}
        for scenario in self.scenarios.values():
            for seed in self.seeds:
                todo.setdefault((scenario.config_hash(), seed), scenario.with_run(seed=seed))
        return todo


# --- reading the files -------------------------------------------------------------------
class CheckEntry(config.Frozen):
    """One check as written in the checks file."""

    id: str = Field(min_length=1, max_length=16)
    scenario: str = Field(min_length=1)
    changes: dict[str, Any] = Field(default_factory=dict)
    baseline: str | None = None
    measure: str = Field(min_length=1)
    observed: str = Field(min_length=1)
    source: str = Field(min_length=1)
    value: config.FiniteFloat
    low: config.FiniteFloat
    high: config.FiniteFloat
    note: str = ""

    @model_validator(mode="after")
    def _band(self) -> CheckEntry:
        if not self.low <= self.value <= self.high:
            raise ValueError(f"the band must hold the observed value: low {self.low:g} <= "
                             f"value {self.value:g} <= high {self.high:g}")
        return self


class ChecksFile(config.Frozen):
    """The checks file: a list of checks."""

    checks: list[CheckEntry] = Field(min_length=1)


class TargetSettings(config.Frozen):
    """The run settings of the targets file: the scenario, size and seeds fitted at."""

    scenario: str = Field(min_length=1)
    people: int = Field(gt=0, le=config.MAX_PEOPLE)
    weeks: int = Field(gt=0, le=1040)
    seeds: list[config.Seed] = Field(min_length=1)


def _first_error(err: ValidationError, data: Any, path: Path) -> config.ConfigError:
    """One line naming the file, the check (by id when it has one), the field and why."""
    first = err.errors()[0]
    where = list(first["loc"])
    if where[:1] == ["checks"] and len(where) > 1 and isinstance(where[1], int):
        entry = data["checks"][where[1]]
        name = entry.get("id") if isinstance(entry, dict) else None
        where = [f"check {name or where[1] + 1}", *where[2:]]
    field = ".".join(str(part) for part in where) or "(top level)"
    message = first["msg"].removeprefix("Value error, ")
    return config.ConfigError(f"{path}: {field}: {message}")


def _scenario_name(name: str, relative_to: Path) -> str:
    """A bundled scenario name as it is, or a scenario file's path from the file naming it."""
    if name in config.bundled_scenarios():
        return name
    return str(config.resolve_path(name, relative_to=relative_to))


def load_targets(path: Path = calibration.TARGETS_FILE) -> tuple[TargetSettings, list[Figure]]:
    """The targets file's run settings, and its targets as figures (one line on failure)."""
    try:
        data, targets = calibration.load_targets(path)
        settings = TargetSettings.model_validate(data)
    except (OSError, yaml.YAMLError, AttributeError, KeyError, TypeError) as err:
        raise config.ConfigError(f"{path}: not a targets file ({type(err).__name__}: "
                                 f"{err})") from None
    except ValidationError as err:
        raise _first_error(err, data, path) from None
    scenario = _scenario_name(settings.scenario, path.parent)
    return settings, [Figure(t.id, TARGET, scenario, t.measure, t.observed,
                             t.source or path.name, t.value, t.low, t.high, note=t.note)
                      for t in targets]


def load_checks(path: Path = CHECKS_FILE) -> list[Figure]:
    """The checks of a checks file as figures (one line on failure)."""
    data = config.read_yaml(path)
    try:
        entries = ChecksFile.model_validate(data).checks
    except ValidationError as err:
        raise _first_error(err, data, path) from None
    figures = []
    for entry in entries:
        try:
            scenario = _scenario_name(entry.scenario, path.parent)
            baseline = (None if entry.baseline is None
                        else _scenario_name(entry.baseline, path.parent))
        except config.ConfigError as err:
            raise config.ConfigError(f"{path}: check {entry.id}: {err}") from None
        figures.append(Figure(entry.id, CHECK, scenario, entry.measure, entry.observed,
                              entry.source, entry.value, entry.low, entry.high,
                              tuple(entry.changes.items()), baseline, entry.note))
    return figures


def measure_of(path: str) -> Measure:
    """The registry entry a dotted measure path ends in (its unit and format).

    Raises:
        KeyError: no part of the path is a measure of the registry.
    """
    parts = path.split(".")
    if parts[0] == "impacts":
        return IMPACT[parts[-1]] if parts[-1] in IMPACT else IMPACT["impact"]
    if parts[0] == "non_claimants" and parts[-1] in NON_CLAIMANTS:
        return NON_CLAIMANTS[parts[-1]]
    for part in reversed(parts):
        if part in MEASURES:
            return MEASURES[part]
        if part in STOCK:
            return STOCK[part]
    raise KeyError(f"{path!r} names no measure of summary.json (see "
                   "journeysim.analysis.registry)")


# --- planning and running ----------------------------------------------------------------
def _has(tree: Any, path: str) -> bool:
    for part in path.split("."):
        if not isinstance(tree, dict) or part not in tree:
            return False
        tree = tree[part]
    return True


def scenario_of(name: str, changes: tuple[tuple[str, Any], ...], where: str) -> config.Scenario:
    """A scenario with its dotted-path ``changes`` applied, validated."""
    scenario = config.load(name)
    if not changes:
        return scenario
    fields, raw = scenario.model_dump(), config.load_raw(name)
    for path, value in changes:
        if not _has(fields, path):
            raise config.ConfigError(f"{where}: changes: {path!r} is not a field of the "
                                     "scenario (see `journeysim params`)")
        raw = config.deep_merge(raw, config.override(path, value))
    return config.validate(raw, where)


def plan(targets: Path = calibration.TARGETS_FILE, checks: Path = CHECKS_FILE,
         people: int | None = None, seeds: Sequence[int] | None = None) -> Plan:
    """Every target and check, with its scenarios at the targets file's size and seeds.

    ``people`` and ``seeds`` override the file's for a quick look; the weeks stay
    the file's. Raises :class:`journeysim.config.ConfigError` for a bad file, a
    repeated id, an unknown scenario, measure or changed field.
    """
    fitted_at, figures = load_targets(targets)
    figures += load_checks(checks)
    ids = [figure.id for figure in figures]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise config.ConfigError(f"{targets} and {checks}: id {', '.join(repeated)} given "
                                 "more than once")
    size = {"people": people or fitted_at.people, "weeks": fitted_at.weeks}
    scenarios: dict[str, config.Scenario] = {}
    for figure in figures:
        where = f"{checks if figure.kind == CHECK else targets}: {figure.kind} {figure.id}"
        try:
            measure_of(figure.measure)
            if impact_path(figure.measure) is not None and figure.baseline is None:
                raise KeyError("an impact on the treated needs a baseline to compare with")
        except KeyError as err:
            raise config.ConfigError(f"{where}: measure {err.args[0]}") from None
        wanted = [(figure.label, figure.scenario, figure.changes)]
        if figure.baseline is not None:
            wanted.append((figure.baseline, figure.baseline, ()))
        for label, name, changes in wanted:
            if label not in scenarios:
                scenarios[label] = scenario_of(name, changes, where).with_run(**size)
    fitted = {"people": fitted_at.people, "weeks": fitted_at.weeks, "seeds": fitted_at.seeds}
    return Plan(tuple(figures), scenarios, tuple(seeds or fitted_at.seeds), fitted)


def impact_path(path: str) -> tuple[str, str, int, str] | None:
    """(service, outcome, weeks, statistic) of ``impacts.<service>.<outcome>_<h>w.<stat>``.

    None for any other measure path. The statistic is ``impact`` (the treated
    less the same people in the baseline) or ``treated_share`` (the treated
    alone, as a study without a comparison group measures it).

    Raises:
        KeyError: an ``impacts.`` path not of that form.
    """
    parts = path.split(".")
    if parts[0] != "impacts":
        return None
    outcome, _, weeks = parts[2].rpartition("_") if len(parts) == 4 else ("", "", "")
    if (len(parts) != 4 or outcome not in impacts.OUTCOMES or not weeks.endswith("w")
            or not weeks[:-1].isdigit() or parts[3] not in IMPACT):
        raise KeyError(f"{path!r} is not impacts.<service>.<outcome>_<weeks>w.<statistic> "
                       f"(outcome {' or '.join(impacts.OUTCOMES)}; statistic "
                       f"{' or '.join(IMPACT)})")
    return parts[1], outcome, int(weeks[:-1]), parts[3]


def summarise(scenario: config.Scenario, horizons: tuple[int, ...] = ()) -> dict[str, Any]:
    """Run a scenario once and return its summary (picklable: runs in any executor).

    With ``horizons`` (weeks), the summary also holds who each service treated,
    their outcomes that many weeks on, and everyone's spells (``treated``,
    ``spells``: :mod:`journeysim.analysis.impacts`).
    """
    output = simulate(scenario)
    if not horizons:
        return output.summary
    horizon = scenario.run.weeks * 7.0
    table = impacts.spells(output.events, horizon)
    return {**output.summary, "spells": table,
            "treated": impacts.treated(output.events, horizon, table, horizons)}


def measured(summary: dict[str, Any], path: str) -> float:
    """The measure at a dotted path of a summary; NaN where the run left it undefined.

    Raises:
        KeyError: the path is not in the summary, or names a group of measures.
    """
    value: Any = summary
    for part in path.split("."):
        if value is None:  # undefined in this run (too short, say)
            return math.nan
        if not isinstance(value, dict) or part not in value:
            raise KeyError(f"{part!r} is not in a run's summary.json at {path!r}")
        value = value[part]
    if isinstance(value, dict):
        raise KeyError(f"{path!r} is a group of measures: name one ({', '.join(value)})")
    return math.nan if value is None else float(value)


def judge(plan: Plan, summaries: dict[tuple[str, int], dict[str, Any]]) -> list[Result]:
    """Each figure's values, seed by seed, from the runs' summaries.

    Raises:
        journeysim.config.ConfigError: a figure's measure is not in the summaries.
    """
    results = []
    for figure in plan.figures:
        mine = plan.scenarios[figure.label].config_hash()
        base = None if figure.baseline is None else plan.scenarios[figure.baseline].config_hash()
        values = []
        try:
            for seed in plan.seeds:
                if impact_path(figure.measure) is not None and base is not None:
                    values.append(impact_on_treated(summaries[(mine, seed)],
                                                    summaries[(base, seed)], figure.measure))
                    continue
                value = measured(summaries[(mine, seed)], figure.measure)
                if base is not None:
                    value -= measured(summaries[(base, seed)], figure.measure)
                values.append(value)
        except KeyError as err:
            raise config.ConfigError(f"{figure.kind} {figure.id}: measure "
                                     f"{err.args[0]}") from None
        results.append(Result(figure, tuple(values)))
    return results


def impact_on_treated(mine: dict[str, Any], base: dict[str, Any], path: str) -> float:
    """An impact check's value in one seed's pair of runs; NaN when nobody was treated."""
    service, outcome, weeks, statistic = impact_path(path)
    table = impacts.impacts([{**mine, "scenario": "mine", "replication": 0},
                             {**base, "scenario": "base", "replication": 0}], "base", (weeks,))
    row = table[(table.service == service) & (table.outcome == outcome)]
    return math.nan if row.empty else float(row[statistic].iloc[0])


def run(plan: Plan, pool: Executor,
        progress: Callable[[int], None] | None = None) -> list[Result]:
    """Run every distinct scenario and seed of the plan once in ``pool``; judge every figure.

    Raises:
        RunFailed: a run failed (the message names it).
        journeysim.config.ConfigError: a figure's measure is not in the summaries.
    """
    todo = plan.runs
    horizons = plan.horizons
    futures = {pool.submit(summarise, scenario, horizons.get(key[0], ())): key
               for key, scenario in todo.items()}
    summaries = {}
    for future in as_completed(futures):
        key = futures[future]
        try:
            summaries[key] = future.result()
        except Exception as err:  # noqa: BLE001 - any failure of a run stops the validation
            scenario = todo[key]
            raise RunFailed(f"run of {scenario.name} (config {key[0]}, seed {key[1]}) failed: "
                            f"{type(err).__name__}: {err}") from None
        if progress is not None:
            progress(1)
    return judge(plan, summaries)


# --- results -----------------------------------------------------------------------------
def frame(results: list[Result]) -> pd.DataFrame:
    """One row per figure, in ``COLUMNS`` (the contents of ``validation.csv``)."""
    rows = []
    for result in results:
        figure = result.figure
        mean, half = result.model
        rows.append({
            "id": figure.id, "kind": figure.kind, "scenario": figure.scenario,
            "changes": "; ".join(f"{path}={json.dumps(value)}" for path, value in figure.changes),
            "baseline": figure.baseline or "", "measure": figure.measure,
            "unit": measure_of(figure.measure).unit, "observed": figure.observed,
            "source": figure.source, "value": figure.value, "low": figure.low,
            "high": figure.high, "model": mean, "half_width": half, "verdict": result.verdict,
            "note": figure.note})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def missed(table: pd.DataFrame) -> list[str]:
    """Ids of the targets the model missed (a target with no value is missed too)."""
    return list(table.id[(table.kind == TARGET) & (table.verdict != PASS)])


def outside(table: pd.DataFrame) -> list[str]:
    """Ids of the checks outside their band, or with no value."""
    return list(table.id[(table.kind == CHECK) & (table.verdict != PASS)])


def run_settings(plan: Plan) -> dict[str, Any]:
    """How the validation was run: size, seeds, the size the targets were fitted at, version."""
    size = next(iter(plan.scenarios.values())).run
    return {"people": size.people, "weeks": size.weeks, "seeds": list(plan.seeds),
            "fitted": plan.fitted, "version": package_version()}


def write(table: pd.DataFrame, plan: Plan, directory: Path, force: bool = False) -> list[Path]:
    """``validation.csv`` and ``validation.json`` in ``directory``, sealed; their paths.

    A folder holding another kind of result is refused
    (:class:`journeysim.runs.files.FolderError`) unless ``force``. A command
    holds ``files.locked(directory)`` from before its runs start, so that two
    validations into one folder cannot both finish.
    """
    body = {**run_settings(plan), "targets_missed": missed(table), "checks_outside": outside(table)}
    directory.mkdir(parents=True, exist_ok=True)
    files.require_kind(directory, KIND, force)
    files.unseal(directory)
    names = [write_csv(table, directory / "validation.csv"),
             files.write_json(directory / "validation.json", body).name]
    files.seal(directory, KIND, names)
    return [directory / name for name in names]


def read(directory: Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The table and settings a validation wrote into ``directory`` (empty text as "")."""
    table = pd.read_csv(directory / "validation.csv")
    text = ["changes", "baseline", "note"]
    table[text] = table[text].fillna("").astype(str)
    body = json.loads((directory / "validation.json").read_text(encoding="utf-8"))
    return table, body


# --- tables --------------------------------------------------------------------------------
def cells(row: Any) -> tuple[str, str, str]:
    """The observed value, its band and the model's value ± half-width, in the unit."""
    measure = measure_of(row.measure)
    unit, digits, change = measure.unit, measure.digits, bool(row.baseline)

    def show(value: float, half: float | None = None) -> str:
        return cell(value, unit, digits, half, difference=change)

    return (show(row.value), f"{show(row.low)} to {show(row.high)}",
            show(row.model, row.half_width))


def compared(row: Any) -> str:
    """The scenario of a row as run, with its changes, and minus its baseline."""
    changes = "".join(f" + {change}" for change in row.changes.split("; ") if change)
    return row.scenario + changes + (f" − {row.baseline}" if row.baseline else "")


def heading(settings: dict[str, Any]) -> str:
    """Which size and seeds were run, and whether the targets were fitted at them."""
    seeds = ", ".join(str(seed) for seed in settings["seeds"])
    fitted = settings["fitted"]
    text = (f"{settings['people']:,} claimants at the start, {settings['weeks']} weeks, seeds "
            f"{seeds}; journeysim {settings['version']}; model: mean over the seeds ± the "
            "half-width of its 95% interval")
    if (settings["people"], settings["seeds"]) != (fitted["people"], fitted["seeds"]):
        text += (f". A quick look: the targets were fitted at {fitted['people']:,} claimants, "
                 f"{fitted['weeks']} weeks, seeds "
                 f"{', '.join(str(s) for s in fitted['seeds'])}")
    return text + "."


def verdicts(table: pd.DataFrame) -> str:
    """One sentence on the targets missed and one on the checks outside their band."""
    lost, out = missed(table), outside(table)
    targets = (f"Calibration targets missed: {', '.join(lost)}." if lost else
               f"All {int((table.kind == TARGET).sum())} calibration targets pass.")
    checks = (f"Checks outside their band: {', '.join(out)} (each check's note says how its "
              "measure differs from the observed figure)." if out else
              "Every check is inside its band.")
    return f"{targets} {checks}"


def text_table(table: pd.DataFrame, settings: dict[str, Any]) -> str:
    """The validation as a plain-text table with its heading and verdicts."""
    rows = [(row.id, row.kind, compared(row), row.measure, *cells(row), row.source,
             row.verdict) for row in table.itertuples()]
    head = ("id", "kind", "scenario", "measure", "observed", "band", "model (95% interval)",
            "source", "verdict")
    widths = [max(len(str(line[i])) for line in (head, *rows)) for i in range(len(head))]
    right = {4, 5, 6}

    def line(values: tuple[str, ...]) -> str:
        return "  ".join(f"{v:>{w}}" if i in right else f"{v:<{w}}"
                         for i, (v, w) in enumerate(zip(values, widths, strict=True))).rstrip()

    body = [line(head), "-" * len(line(head)), *(line(r) for r in rows)]
    return "\n".join([heading(settings), "", *body, "", verdicts(table)])


def markdown_table(table: pd.DataFrame, settings: dict[str, Any]) -> str:
    """The validation as Markdown (the block in docs/model.md), misses in bold."""
    lines = [heading(settings), "",
             "| id | kind | scenario | measure | observed | band | model | source | verdict |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in table.itertuples():
        observed, band, model = cells(row)
        verdict = row.verdict if row.verdict == PASS else f"**{row.verdict}**"
        lines.append(f"| {row.id} | {row.kind} | `{compared(row)}` | `{row.measure}` | "
                     f"{observed} | {band} | {model} | {row.source} | {verdict} |")
    return "\n".join([*lines, "", verdicts(table)])
