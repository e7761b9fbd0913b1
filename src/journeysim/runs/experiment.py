"""Replications, common random numbers, executors and a resumable results store.

An experiment is scenarios x replications. Replication ``k`` of every scenario
uses the same seed and replication number, so every person meets the same luck
wherever their journeys coincide (common random numbers), and differences
between scenarios can be paired run by run.

Runs go to an executor from the standard ``concurrent.futures`` interface: in
this process, a pool of local processes (spawn-safe: ``import mesa`` forces the
"spawn" start method), or Dask (its client gives the same interface). Results
are the same whichever executor and however many workers: each run depends
only on its scenario, seed and replication.

Each finished run is written to its own file, atomically, under the
experiment's directory, beside a manifest of what is being run; an interrupted
experiment run again with the same command skips every run already on disk.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

import pandas as pd

from journeysim import config
from journeysim.analysis import costs
from journeysim.analysis import measures as metrics
from journeysim.analysis.registry import COMPARED
from journeysim.analysis.stats import interval
from journeysim.runs.results import package_version, simulate


class ExperimentError(Exception):
    """An experiment that cannot run as asked; the message says why."""


@dataclass(frozen=True)
class RunSpec:
    """One run: a scenario (already sized and seeded) and a replication number."""

    scenario: config.Scenario
    replication: int

    @property
    def key(self) -> str:
        """File-name key of the run: scenario name and replication."""
        return f"{self.scenario.name}__rep{self.replication:04d}"


def execute(spec: RunSpec) -> dict[str, Any]:
    """Run one spec: headline measures, cost ledger and profile (picklable: runs anywhere)."""
    output = simulate(spec.scenario, spec.replication)
    horizon = spec.scenario.run.weeks * 7.0
    return {
        "scenario": spec.scenario.name,
        "replication": spec.replication,
        "seed": spec.scenario.run.seed,
        "config_hash": spec.scenario.config_hash(),
        **{m: output.summary.get(m) for m in COMPARED},
        "ledger": costs.ledger(output.events, output.jobs, spec.scenario).to_dict(
            orient="list"),
        "profile": metrics.profile(output.events, output.people, output.jobs, horizon),
    }


def measures_frame(finished: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """One row of headline measures per finished run (ledgers and profiles left out)."""
    return pd.DataFrame([{k: v for k, v in run.items() if k not in ("ledger", "profile")}
                         for run in finished.values()])


def ledgers(finished: dict[str, dict[str, Any]]) -> dict[tuple[str, int], pd.DataFrame]:
    """Each finished run's cost ledger, by scenario and replication."""
    return {(run["scenario"], run["replication"]): pd.DataFrame(run["ledger"])
            for run in finished.values()}


# --- executors ---------------------------------------------------------------------------
class SerialExecutor(Executor):
    """Runs each task at once, in this process."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        """Run ``fn`` now and return a finished future."""
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # noqa: BLE001 - handed to the caller via the future
            future.set_exception(err)
        return future


@contextmanager
def executor(kind: str = "processes", workers: int | None = None,
             scheduler: str | None = None) -> Iterator[Executor]:
    """An executor: ``serial``, ``processes`` (default: all cores) or ``dask``.

    With ``dask``, a local cluster of ``workers`` processes is started unless
    ``scheduler`` gives the address of a running one.
    """
    if scheduler is not None:
        kind = "dask"
    if kind == "serial" or (kind == "processes" and workers == 1):
        yield SerialExecutor()
    elif kind == "processes":
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count(),
                                 mp_context=context) as pool:
            yield pool
    elif kind == "dask":
        from distributed import Client, LocalCluster

        if scheduler is not None:
            with Client(scheduler) as client:
                yield client.get_executor(pure=False)
        else:
            with LocalCluster(n_workers=workers or os.cpu_count(), threads_per_worker=1,
                              processes=True, dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                yield client.get_executor(pure=False)
    else:
        raise ExperimentError(f"unknown executor {kind!r}; allowed: serial, processes, dask")


# --- the results store -------------------------------------------------------------------
class Store:
    """An experiment directory: a manifest and one JSON file per finished run."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.runs = directory / "runs"

    def open(self, manifest: dict[str, Any]) -> None:
        """Create the directory, or check it holds the same experiment."""
        path = self.directory / "manifest.json"
        if path.exists():
            old = json.loads(path.read_text(encoding="utf-8"))
            if old.get("identity") != manifest["identity"]:
                raise ExperimentError(
                    f"{self.directory} holds a different experiment (other scenarios, "
                    "parameters, size or seed); choose another --out or remove it")
        self.runs.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(manifest, indent=2) + "\n")

    def done(self) -> dict[str, dict[str, Any]]:
        """Finished runs by key; half-written files (temporary names) are never read."""
        if not self.runs.exists():
            return {}
        return {p.stem: json.loads(p.read_text(encoding="utf-8"))
                for p in sorted(self.runs.glob("*.json"))}

    def save(self, key: str, result: dict[str, Any]) -> None:
        """Write one finished run atomically."""
        write_atomic(self.runs / f"{key}.json", json.dumps(result, indent=2) + "\n")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# --- running ---------------------------------------------------------------------------
def specs(scenarios: list[config.Scenario], replications: range) -> list[RunSpec]:
    """Every scenario x replication, replication-major so that pairs finish together."""
    return [RunSpec(s, k) for k in replications for s in scenarios]


def run_all(todo: list[RunSpec], store: Store, pool: Executor,
            progress: Callable[[int], None] | None = None,
            window: int | None = None) -> dict[str, dict[str, Any]]:
    """Run every spec not already in the store; return all finished runs by key.

    At most ``window`` runs are in flight at once (default: twice the cores; one
    in this process), so each is saved as soon as it finishes and an interrupted
    experiment loses at most the runs in flight.
    """
    finished = store.done()
    pending = [spec for spec in todo if spec.key not in finished]
    if progress is not None and len(todo) > len(pending):
        progress(len(todo) - len(pending))
    if window is None:
        window = 1 if isinstance(pool, SerialExecutor) else 2 * (os.cpu_count() or 1)
    queue = iter(pending)
    flying: dict[Future, RunSpec] = {}
    while True:
        for spec in islice(queue, max(0, window - len(flying))):
            flying[pool.submit(execute, spec)] = spec
        if not flying:
            break
        done, _ = wait(flying, return_when=FIRST_COMPLETED)
        for future in done:
            spec = flying.pop(future)
            result = future.result()
            store.save(spec.key, result)
            finished[spec.key] = result
            if progress is not None:
                progress(1)
    return {spec.key: finished[spec.key] for spec in todo}


def manifest(scenarios: list[config.Scenario], command: list[str] | None = None,
             **extra: Any) -> dict[str, Any]:
    """What the experiment is: enough to tell if a directory holds the same one."""
    identity = [{"name": s.name, "config_hash": s.config_hash(), "people": s.run.people,
                 "weeks": s.run.weeks, "seed": s.run.seed} for s in scenarios]
    return {"identity": identity, "version": package_version(),
            "command": command if command is not None else sys.argv, **extra}


# --- comparing -----------------------------------------------------------------------------
def compare_table(runs: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Each measure's mean and 95% interval per scenario, and the paired difference.

    The difference to ``baseline`` is taken replication by replication, so the
    luck the scenarios share (common random numbers) cancels, and its interval
    is that of the paired differences.
    """
    rows = []
    base = runs[runs.scenario == baseline].set_index("replication")
    for scenario, group in runs.groupby("scenario", sort=False):
        mine = group.set_index("replication")
        for measure in COMPARED:
            mean, half = interval(mine[measure])
            row = {"scenario": scenario, "measure": measure, "mean": mean,
                   "half_width": half, "replications": int(mine[measure].notna().sum())}
            if scenario != baseline:
                diff = (mine[measure] - base[measure]).dropna()
                row["difference"], row["difference_half_width"] = interval(diff)
            rows.append(row)
    return pd.DataFrame(rows)


def precise_enough(table: pd.DataFrame, precision: float) -> bool:
    """True when every measure's 95% half-width is within ``precision`` of its mean."""
    relative = (table.half_width / table["mean"].abs()).replace([math.inf], math.nan)
    usable = table["mean"].abs() > 0
    return bool((relative[usable] <= precision).all())


@dataclass(frozen=True)
class Comparison:
    """A finished comparison: every run, the table, and how many replications it took."""

    runs: pd.DataFrame
    table: pd.DataFrame
    replications: int
    ledgers: dict[tuple[str, int], pd.DataFrame]


def compare(scenarios: list[config.Scenario], replications: int | None, store: Store,
            pool: Executor, precision: float = 0.05, max_replications: int = 100,
            progress: Callable[[int], None] | None = None,
            grow: Callable[[int], None] | None = None) -> Comparison:
    """Run every scenario with common random numbers and compare it with the first.

    With ``replications`` None, replications are added in batches (the sequential
    method: start at 5, add half as many again each time) until every measure's
    95% half-width is within ``precision`` of its mean for every scenario, or
    ``max_replications`` is reached. ``grow`` hears each new total.
    """
    target = replications if replications is not None else 5
    while True:
        if grow is not None:
            grow(target * len(scenarios))
        finished = run_all(specs(scenarios, range(target)), store, pool, progress)
        runs = measures_frame(finished)
        table = compare_table(runs, scenarios[0].name)
        if replications is not None or precise_enough(table, precision) or (
                target >= max_replications):
            return Comparison(runs, table, target, ledgers(finished))
        target = min(max_replications, target + max(5, target // 2))


def run_comparison(scenarios: list[config.Scenario], replications: int | None,
                   directory: Path, pool: Executor, precision: float = 0.05,
                   progress: Callable[[int], None] | None = None,
                   grow: Callable[[int], None] | None = None) -> Comparison:
    """Open (or resume) the experiment directory, compare, and write the results."""
    store = Store(directory)
    store.open(manifest(scenarios, precision=precision, reps=replications,
                        configs={s.name: s.model_dump(mode="json") for s in scenarios}))
    result = compare(scenarios, replications, store, pool, precision, progress=progress,
                     grow=grow)
    run = scenarios[0].run
    write_comparison(result, directory, {"scenarios": [s.name for s in scenarios],
                                         "people": run.people, "weeks": run.weeks,
                                         "seed": run.seed})
    return result


def write_comparison(result: Comparison, directory: Path, settings: dict[str, Any]) -> None:
    """``runs.csv``, ``table.csv`` and ``summary.json`` (settings and the table)."""
    result.runs.to_csv(directory / "runs.csv", index=False)
    result.table.to_csv(directory / "table.csv", index=False)
    summary = {**settings, "replications": result.replications,
               "table": json.loads(result.table.to_json(orient="records"))}
    write_atomic(directory / "summary.json", json.dumps(summary, indent=2) + "\n")


# --- cost-benefit ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Appraisal:
    """Cost-benefit of each scenario against the first, over the replications of a comparison.

    ``table``: each appraisal figure's mean and 95% interval (costs.appraise);
    ``ledger``: the valued ledger of every scenario, mean over replications, by
    partner, item and year of the run; ``ranges``: the NPVs with each uncertain
    parameter at its low and its high value; ``settings``: how it was appraised.
    """

    table: pd.DataFrame
    ledger: pd.DataFrame
    ranges: pd.DataFrame
    settings: dict[str, Any]


def appraise_comparison(result: Comparison, scenarios: list[config.Scenario],
                        horizon_years: int | None = None) -> Appraisal:
    """Appraise every scenario against the first, replication by replication.

    The baseline's ``cba`` settings value every scenario, so all are appraised alike.
    """
    base = scenarios[0]
    cba = base.cba
    horizon = horizon_years or cba.horizon_years
    reps = range(result.replications)

    def appraise(scenario: config.Scenario, settings: config.CbaSettings) -> pd.DataFrame:
        return pd.DataFrame([costs.appraise(result.ledgers[(base.name, k)],
                                            result.ledgers[(scenario.name, k)], settings,
                                            base.run.weeks, horizon) for k in reps])

    rows, lines, ranges = [], [], []
    for scenario in scenarios:
        valued = pd.concat([costs.value(result.ledgers[(scenario.name, k)], cba) for k in reps])
        mean = valued.groupby(["partner", "item", "category", "flow", "year"]).gbp.sum()
        lines.append((mean / len(reps)).reset_index().assign(scenario=scenario.name))
        if scenario is base:
            continue
        records = appraise(scenario, cba)
        for measure in records.columns:
            mean_, half = interval(records[measure])
            rows.append({"scenario": scenario.name, "measure": measure, "mean": mean_,
                         "half_width": half, "replications": int(records[measure].notna().sum())})
        for name, pair in cba.ranges.items():
            row: dict[str, Any] = {"scenario": scenario.name, "parameter": name,
                                   "central": getattr(cba, name)}
            for end, setting in zip(("low", "high"), pair, strict=True):
                varied = appraise(scenario, cba.model_copy(update={name: setting}))
                row[end] = setting
                row[f"npv_society_{end}"] = float(varied.npv_society.mean())
                row[f"npv_exchequer_{end}"] = float(varied.npv_exchequer.mean())
            ranges.append(row)
    settings = {"baseline": base.name, "horizon_years": horizon,
                "discount_schedule_version": cba.discount_schedule_version,
                "price_year": base.costs.price_year, "optimism_bias": cba.optimism_bias,
                "effect_decay_per_year": cba.effect_decay_per_year,
                "replications": result.replications}
    ledger = pd.concat(lines, ignore_index=True)
    return Appraisal(pd.DataFrame(rows), ledger[["scenario", *ledger.columns[:-1]]],
                     pd.DataFrame(ranges), settings)


def write_appraisal(appraisal: Appraisal, directory: Path) -> None:
    """``cba.csv``, ``cba_ledger.csv``, ``cba_ranges.csv`` and ``cba.json`` (all of them)."""
    appraisal.table.to_csv(directory / "cba.csv", index=False)
    appraisal.ledger.to_csv(directory / "cba_ledger.csv", index=False)
    appraisal.ranges.to_csv(directory / "cba_ranges.csv", index=False)
    body = {"settings": appraisal.settings,
            **{name: json.loads(getattr(appraisal, name).to_json(orient="records"))
               for name in ("table", "ranges")}}
    write_atomic(directory / "cba.json", json.dumps(body, indent=2) + "\n")
