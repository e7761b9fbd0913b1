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
experiment run again with the same command skips every run already on disk. A
run that fails (a worker killed, say) is tried again up to ``ATTEMPTS`` times
in all; the directory is locked while an experiment writes to it, and sealed
(:mod:`journeysim.runs.files`) only once every result file is written.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import math
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import (
    FIRST_COMPLETED,
    BrokenExecutor,
    Executor,
    Future,
    ProcessPoolExecutor,
    wait,
)
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import Any

import pandas as pd

from journeysim import config
from journeysim.analysis import costs, impacts
from journeysim.analysis import measures as metrics
from journeysim.analysis.registry import COMPARED, MEASURES
from journeysim.analysis.stats import interval
from journeysim.runs import files
from journeysim.runs.results import package_version, simulate
from journeysim.sim.population import households, population_key

#: Times a run is tried before the experiment stops, naming it.
ATTEMPTS = 3
#: Runs sent to a worker together at most (:func:`tasks`).
TASK_RUNS = 4
#: What a finished run holds beside its headline measures.
PER_RUN_DETAIL = ("ledger", "profile", "treated", "spells")


class ExperimentError(Exception):
    """An experiment that cannot run as asked; the message says why."""


class RunFailed(ExperimentError):
    """A run that failed ``ATTEMPTS`` times: the experiment stopped, its finished runs kept."""


@dataclass(frozen=True)
class RunSpec:
    """One run: a scenario (already sized and seeded) and a replication number.

    ``treated`` asks for who each service treated and their outcomes; ``spells``
    also for everyone's time on benefit and in work (a baseline's, to compare the
    treated with: :mod:`journeysim.analysis.impacts`). ``profile`` asks for the
    data of the report's figures (journeys' routes, outcomes, waits), which only a
    comparison's report reads: a sweep or an uncertainty analysis leaves it out
    (the headline measures and the ledger are the same either way).
    """

    scenario: config.Scenario
    replication: int
    treated: bool = False
    spells: bool = False
    profile: bool = True

    @property
    def key(self) -> str:
        """File-name key of the run: scenario name and replication."""
        return f"{self.scenario.name}__rep{self.replication:04d}"


def execute(spec: RunSpec) -> dict[str, Any]:
    """Run one spec: headline measures, cost ledger, and what else it asks for.

    Picklable, so it runs anywhere. Only these summaries leave the worker: the
    run's event log and tables are dropped when it returns, and nothing is
    written to disk here (the caller saves the summaries for resuming).
    """
    output = simulate(spec.scenario, spec.replication)
    horizon = spec.scenario.run.weeks * 7.0
    courses: dict[str, Any] = {}
    if spec.profile:
        courses["profile"] = metrics.profile(output.events, output.people, output.jobs,
                                             horizon, output.summary["by_service"])
    if spec.spells:
        courses["spells"] = impacts.spells(output.events, horizon)
    if spec.treated or spec.spells:
        courses["treated"] = impacts.treated(output.events, horizon, courses.get("spells"))
    return {
        "scenario": spec.scenario.name,
        "replication": spec.replication,
        "seed": spec.scenario.run.seed,
        "config_hash": spec.scenario.config_hash(),
        **{m: output.summary.get(m) for m in COMPARED},
        "ledger": costs.ledger(output.events, output.jobs, spec.scenario).to_dict(
            orient="list"),
        **courses,
    }


def execute_all(specs: list[RunSpec], fork: bool = False) -> list[dict[str, Any] | Exception]:
    """Run ``specs`` one after another: each one's result, or what it raised.

    Picklable, like :func:`execute`. The runs of a task share their households
    (:func:`tasks`), so :func:`~journeysim.sim.population.households` draws them
    for the first and hands them to the rest; one run failing leaves the others'.
    With ``fork``, the households are drawn in this process and each run goes in
    a child of its own (:func:`in_child`), which inherits them and ends without
    freeing its model, so a task holds one model at a time.
    """
    found: list[dict[str, Any] | Exception] = []
    for spec in specs:
        try:
            if fork:
                households(spec.scenario, spec.replication)
                found.append(in_child(execute, spec))
            else:
                found.append(execute(spec))
        except Exception as err:  # noqa: BLE001 - handed back: the caller retries the run
            found.append(err)
    return found


def tasks(specs: list[RunSpec]) -> Iterator[list[RunSpec]]:
    """The specs in order, in tasks of consecutive runs that share their households.

    At most :data:`TASK_RUNS` a task. Scenarios that differ only in their services
    have the same households in each replication
    (:func:`~journeysim.sim.population.population_key`), and experiments list
    their runs replication by replication (:func:`specs`), or draw by draw.
    """
    task: list[RunSpec] = []
    shared = None
    for spec in specs:
        key = population_key(spec.scenario, spec.replication)
        if task and (key != shared or len(task) == TASK_RUNS):
            yield task
            task = []
        task.append(spec)
        shared = key
    if task:
        yield task


def measures_frame(finished: dict[str, dict[str, Any]]) -> pd.DataFrame:
    """One row of headline measures per finished run (ledgers, profiles and courses left out)."""
    return pd.DataFrame([{k: v for k, v in run.items() if k not in PER_RUN_DETAIL}
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
        pool = ProcessPool(workers or os.cpu_count() or 1)
        try:
            yield pool
        except BaseException:
            pool.stop()
            raise
        finally:
            pool.shutdown()
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


#: Linux's prctl option that sends a process a signal when its parent dies.
PR_SET_PDEATHSIG = 1
#: Seconds between a worker's checks that its parent is alive, where prctl is missing.
PARENT_CHECK_SECONDS = 1.0


def _start_worker(parent: int) -> None:
    """In a worker: leave Ctrl-C to the parent, and die with the parent.

    A parent killed outright (SIGKILL, the machine's out-of-memory killer) cannot
    stop its workers, so each worker asks Linux for SIGKILL when its parent dies
    (prctl); elsewhere a thread checks every second that the parent is alive.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        asked = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        asked = False
    if not asked:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before prctl took hold
        os._exit(1)


def _watch_parent(parent: int) -> None:
    """End this worker once its parent is gone (the worker is handed to another parent)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


#: Whether a worker can run each task in a child of its own (:func:`in_child`).
FORKS = sys.platform == "linux"


class ChildFailed(Exception):
    """A task's child process ended without handing back a result (killed, say)."""


def in_child(fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, run in a child forked from this process for that call alone.

    A finished model is one web of reference cycles (agents and model, processes
    and their generators, events and the clock), so only the cyclic collector
    frees it: about 1.5 s of a worker's time after each run at 10,000 claimants,
    and about 1 s more of collections while the run's measures are taken. A
    child that ends without freeing anything skips both, with its collector off
    (a task makes little cyclic garbage: peak memory grows by about 3%). Its
    result comes back pickled, as a worker's does; an exception it raises is
    raised here. The child dies with the process that forked it (a pool's
    worker, or a task's child drawing households for its runs), as a worker dies
    with its parent (:func:`_start_worker`).
    """
    worker = os.getpid()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child: it never returns, its coverage is lost
        status = 1
        try:
            os.close(read)
            _start_worker(worker)
            gc.disable()
            try:
                body = pickle.dumps((True, fn(*args, **kwargs)), pickle.HIGHEST_PROTOCOL)
            except Exception as err:  # noqa: BLE001 - handed to the worker, raised there
                try:
                    body = pickle.dumps((False, err), pickle.HIGHEST_PROTOCOL)
                except Exception:  # noqa: BLE001 - an exception that cannot be pickled
                    body = pickle.dumps((False, ChildFailed(f"{type(err).__name__}: {err}")))
            with os.fdopen(write, "wb") as out:
                out.write(body)
            status = 0
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as source:
        body = source.read()
    _, status = os.waitpid(pid, 0)
    if not body:
        raise ChildFailed(f"the run's process ended ({_ended(status)}) before handing back "
                          "a result")
    done, value = pickle.loads(body)
    if done:
        return value
    raise value


def _ended(status: int) -> str:
    """How a child ended, from its wait status."""
    if os.WIFSIGNALED(status):
        return f"killed by {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


class ProcessPool(Executor):
    """Local worker processes (spawned), started afresh when one of them dies.

    On Linux each task runs in a child the worker forks for it (:func:`in_child`),
    so no worker pays to free the runs it has finished (and an experiment's task
    forks again for each of its runs: :func:`execute_all`).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers,
                                   mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(os.getpid(),))

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        """Queue ``fn``; a pool broken by a dead worker is replaced first."""
        if FORKS:
            fn, args = in_child, (fn, *args)
        try:
            return self._pool.submit(fn, *args, **kwargs)
        except BrokenExecutor:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
            return self._pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Shut the current pool down (see ``Executor.shutdown``)."""
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)

    def stop(self) -> None:
        """Drop queued runs and end the workers now (after Ctrl-C or a failure)."""
        workers = list((self._pool._processes or {}).values())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for process in workers:
            process.terminate()


# --- the results store -------------------------------------------------------------------
#: The key under which a stored run carries the SHA-256 of the rest of its content.
CHECKSUM = "sha256"


def _checksum(body: dict[str, Any]) -> str:
    """SHA-256 of ``body`` as canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Store:
    """An experiment directory: a manifest and one JSON file per finished run."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.runs = directory / "runs"

    def open(self, manifest: dict[str, Any], force: bool = False) -> None:
        """Create the directory, or check it holds the same experiment; unseal it.

        A folder holding another kind of result (a run, say) is refused unless
        ``force``. A stored run that is not exactly as it was written is removed,
        so it is run again rather than trusted (:meth:`_drop_changed`).
        """
        try:
            files.require_kind(self.directory, manifest.get("kind", "compare"), force)
        except files.FolderError as err:
            raise ExperimentError(str(err)) from None
        path = self.directory / "manifest.json"
        if path.exists():
            try:
                old = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = {}
            if old.get("identity") != manifest["identity"]:
                raise ExperimentError(
                    f"{self.directory} holds a different experiment (other scenarios, "
                    "parameters, size or seed); choose another --out or remove it")
        self.runs.mkdir(parents=True, exist_ok=True)
        self._drop_changed()
        files.unseal(self.directory)
        files.write_json(path, manifest)

    def _drop_changed(self) -> None:
        """Remove every stored run changed since it was written.

        In a sealed folder each run file must be one the seal lists, with the
        SHA-256 it lists; in any folder each run must carry the checksum of its own
        content that :meth:`save` gave it. A run failing either is deleted.
        """
        hashes = files.sealed(self.directory)
        for path in sorted(self.runs.glob("*.json")):
            listed = None if hashes is None else hashes.get(f"runs/{path.name}")
            if (hashes is not None and listed != files.digest(path)) or self._read(
                    path) is None:
                path.unlink()

    @staticmethod
    def _read(path: Path) -> dict[str, Any] | None:
        """A stored run whose checksum matches its content; None for anything else."""
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            claimed = body.pop(CHECKSUM)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return body if claimed == _checksum(body) else None

    def done(self) -> dict[str, dict[str, Any]]:
        """Finished runs by key; temporary, unreadable and changed files are never done."""
        if not self.runs.exists():
            return {}
        found = {path.stem: self._read(path) for path in sorted(self.runs.glob("*.json"))}
        return {key: body for key, body in found.items() if body is not None}

    def save(self, key: str, result: dict[str, Any]) -> None:
        """Write one finished run atomically, with the checksum of its content.

        Its key must name a file inside ``runs/``. The checksum is taken of the run
        as JSON reads it back (keys as text), so that reading it back matches.
        """
        body = json.loads(json.dumps(result, allow_nan=False))
        files.write_json(files.inside(self.runs, f"{key}.json"),
                         {**body, CHECKSUM: _checksum(body)})

    def seal(self, kind: str, names: list[str]) -> None:
        """Seal the directory: ``names`` and every stored run, with the manifest."""
        stored = [f"runs/{path.name}" for path in sorted(self.runs.glob("*.json"))]
        files.seal(self.directory, kind, ["manifest.json", *stored, *names])


# --- running ---------------------------------------------------------------------------
def specs(scenarios: list[config.Scenario], replications: range,
          courses: bool = False) -> list[RunSpec]:
    """Every scenario x replication, replication-major so that pairs finish together.

    With ``courses`` (a comparison), each run reports who its services treated and
    the report's figures' data, and the first scenario's (the baseline's) runs
    everyone's time on benefit and in work too; without (a sweep), the headline
    measures and the ledger alone.
    """
    return [RunSpec(s, k, treated=courses, spells=courses and i == 0, profile=courses)
            for k in replications for i, s in enumerate(scenarios)]


def run_all(todo: list[RunSpec], store: Store, pool: Executor,
            progress: Callable[[int], None] | None = None,
            window: int | None = None) -> dict[str, dict[str, Any]]:
    """Run every spec not already in the store; return all finished runs by key.

    Runs go out in tasks of a few that share their households (:func:`tasks`),
    at most ``window`` tasks in flight at once (default: twice the cores; one in
    this process), so each run is saved as soon as its task finishes and an
    interrupted experiment loses at most the tasks in flight. A run that fails
    is queued again on its own; after ``ATTEMPTS`` failures the experiment
    stops with an :class:`ExperimentError` naming it, its finished runs kept in
    the store.
    """
    finished = store.done()
    pending = [spec for spec in todo if spec.key not in finished
               or (spec.profile and "profile" not in finished[spec.key])
               or (spec.treated and "treated" not in finished[spec.key])
               or (spec.spells and "spells" not in finished[spec.key])]
    if progress is not None and len(todo) > len(pending):
        progress(len(todo) - len(pending))
    if window is None:
        window = 1 if isinstance(pool, SerialExecutor) else 2 * (os.cpu_count() or 1)
    fork = FORKS and isinstance(pool, ProcessPool)  # a task's runs each in a child
    queue: Iterator[list[RunSpec]] = tasks(pending)
    flying: dict[Future, list[RunSpec]] = {}
    failures: dict[str, int] = {}
    while True:
        for task in islice(queue, max(0, window - len(flying))):
            flying[pool.submit(execute_all, task, fork)] = task
        if not flying:
            break
        done, _ = wait(flying, return_when=FIRST_COMPLETED)
        failed: list[tuple[RunSpec, Exception]] = []
        for future in done:
            task = flying.pop(future)
            try:
                results = future.result()
            except Exception as err:  # noqa: BLE001 - the whole task failed: each run retried
                results = [err] * len(task)
            for spec, result in zip(task, results, strict=True):
                if isinstance(result, Exception):
                    failed.append((spec, result))
                    continue
                store.save(spec.key, result)
                finished[spec.key] = result
                if progress is not None:
                    progress(1)
        for spec, err in failed:
            failures[spec.key] = failures.get(spec.key, 0) + 1
            if failures[spec.key] >= ATTEMPTS:
                raise RunFailed(
                    f"run {spec.key} failed {ATTEMPTS} times (last: "
                    f"{type(err).__name__}: {err}); the {len(store.done())} finished "
                    f"runs are kept in {store.directory}")
            queue = chain([[spec]], queue)
    return {spec.key: finished[spec.key] for spec in todo}


def manifest(scenarios: list[config.Scenario], command: list[str] | None = None,
             kind: str = "compare", **extra: Any) -> dict[str, Any]:
    """What the experiment is: enough to tell if a directory holds the same one.

    ``kind`` is the kind of result the directory will hold (``compare`` or ``sweep``).
    """
    identity = [{"name": s.name, "config_hash": s.config_hash(), "people": s.run.people,
                 "weeks": s.run.weeks, "seed": s.run.seed} for s in scenarios]
    return {"identity": identity, "version": package_version(), "kind": kind,
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
            if measure not in mine:  # runs recorded before it was compared, resumed
                continue
            mean, half = interval(mine[measure])
            row = {"scenario": scenario, "measure": measure, "mean": mean,
                   "half_width": half, "replications": int(mine[measure].notna().sum())}
            if scenario != baseline:
                diff = (mine[measure] - base[measure]).dropna()
                row["difference"], row["difference_half_width"] = interval(diff)
            rows.append(row)
        if scenario != baseline:
            rows.append(displacement(scenario, mine, base))
    return pd.DataFrame(rows)


def displacement(scenario: str, mine: pd.DataFrame, base: pd.DataFrame) -> dict[str, Any]:
    """The share of a scenario's extra job starts that other searchers lost.

    Gross gain: the scenario's extra job starts in the model; net gain: its
    extra hires in the borough, the outside pool's included. Displacement is
    1 - net / gross, replication by replication where the gross gain is positive.
    """
    gross = mine.hires_in_model - base.hires_in_model
    net = mine.hires_total - base.hires_total
    shares = (1.0 - net / gross)[gross > 0].dropna()
    mean, half = interval(shares)
    return {"scenario": scenario, "measure": "displacement", "mean": mean, "half_width": half,
            "replications": len(shares)}


def precise_enough(table: pd.DataFrame, precision: float) -> bool:
    """True when every measure's 95% half-width is within ``precision`` of its mean.

    Counts of events (unit ``count``: what services turned away) are not checked:
    a few events a run can never be pinned to a share of themselves, and they are
    reported, not what the number of replications is chosen for.
    """
    relative = (table.half_width / table["mean"].abs()).replace([math.inf], math.nan)
    counted = table.measure.map(lambda name: name in MEASURES
                                and MEASURES[name].unit == "count")
    usable = (table["mean"].abs() > 0) & ~counted
    return bool((relative[usable] <= precision).all())


@dataclass(frozen=True)
class Comparison:
    """A finished comparison: every run, the table, and how many replications it took."""

    runs: pd.DataFrame
    table: pd.DataFrame
    replications: int
    ledgers: dict[tuple[str, int], pd.DataFrame]
    impacts: pd.DataFrame


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
        finished = run_all(specs(scenarios, range(target), courses=True), store, pool,
                           progress)
        runs = measures_frame(finished)
        table = compare_table(runs, scenarios[0].name)
        if replications is not None or precise_enough(table, precision) or (
                target >= max_replications):
            return Comparison(runs, table, target, ledgers(finished),
                              impacts.impacts(finished.values(), scenarios[0].name))
        target = min(max_replications, target + max(5, target // 2))


def run_comparison(scenarios: list[config.Scenario], replications: int | None,
                   directory: Path, pool: Executor, precision: float = 0.05,
                   progress: Callable[[int], None] | None = None,
                   grow: Callable[[int], None] | None = None, force: bool = False,
                   appraise: bool = False, horizon_years: int | None = None,
                   staffing_rounded: dict[str, list[str]] | None = None,
                   ) -> tuple[Comparison, Appraisal | None]:
    """Open (or resume) the experiment directory, compare, and write the results.

    With ``appraise``, each scenario is also appraised against the first (see
    :func:`appraise_comparison`) and the appraisal written beside the table.
    ``staffing_rounded`` (``config.rounded_staffing`` by scenario) is kept in
    ``summary.json`` for the report when any scenario has some. The
    directory is locked throughout and sealed when every file is written; one
    holding another kind of result is refused unless ``force``.
    """
    try:
        files.require_kind(directory, "compare", force)
        with files.locked(directory):
            store = Store(directory)
            store.open(manifest(scenarios, precision=precision, reps=replications,
                                configs={s.name: s.model_dump(mode="json")
                                         for s in scenarios}), force)
            result = compare(scenarios, replications, store, pool, precision,
                             progress=progress, grow=grow)
            run = scenarios[0].run
            settings = {"scenarios": [s.name for s in scenarios], "people": run.people,
                        "weeks": run.weeks, "seed": run.seed}
            if any((staffing_rounded or {}).values()):
                settings["staffing_rounded"] = staffing_rounded
            names = write_comparison(result, directory, settings)
            appraisal = appraise_comparison(result, scenarios, horizon_years) if (
                appraise) else None
            if appraisal is not None:
                names += write_appraisal(appraisal, directory)
            else:  # an appraisal of an earlier comparison here no longer matches the table
                for name in APPRAISAL_FILES:
                    (directory / name).unlink(missing_ok=True)
            store.seal("compare", names)
    except files.FolderError as err:
        raise ExperimentError(str(err)) from None
    return result, appraisal


def write_csv(frame: pd.DataFrame, path: Path) -> str:
    """Write ``frame`` as CSV, atomically; return the file's name."""
    files.write_atomic(path, lambda p: frame.to_csv(p, index=False))
    return path.name


def write_comparison(result: Comparison, directory: Path, settings: dict[str, Any]) -> list[str]:
    """``runs.csv``, ``table.csv``, ``impacts.csv`` and ``summary.json``; their names.

    ``summary.json`` holds the settings, the table and the impacts on the treated.
    """
    summary = {**settings, "replications": result.replications,
               "table": json.loads(result.table.to_json(orient="records")),
               "impacts": json.loads(result.impacts.to_json(orient="records"))}
    files.write_json(directory / "summary.json", summary)
    return [write_csv(result.runs, directory / "runs.csv"),
            write_csv(result.table, directory / "table.csv"),
            write_csv(result.impacts, directory / "impacts.csv"), "summary.json"]


# --- cost-benefit ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Appraisal:
    """Cost-benefit of each scenario against the first, over the replications of a comparison.

    ``table``: each appraisal figure's mean and 95% interval (costs.appraise);
    ``ledger``: the valued ledger of every scenario, mean over replications, by
    partner, item and year of the run; ``ranges``: the mean NPVs with each uncertain
    parameter at its low and its high value, and the society NPV's swing between
    them; ``settings``: how it was appraised.
    """

    table: pd.DataFrame
    ledger: pd.DataFrame
    ranges: pd.DataFrame
    settings: dict[str, Any]


def appraise_comparison(result: Comparison, scenarios: list[config.Scenario],
                        horizon_years: int | None = None) -> Appraisal:
    """Appraise every scenario against the first, replication by replication.

    The baseline's ``cba`` settings value every scenario, so all are appraised alike.
    Each scenario is appraised net of its displacement: the share of its extra job
    starts that searchers outside the model lost, from its mean extra job starts and
    hires over the replications, paired with the baseline's
    (``costs.displacement_of``), the same share for every replication.
    """
    base = scenarios[0]
    cba = base.cba
    horizon = horizon_years or cba.horizon_years
    reps = range(result.replications)

    runs = result.runs.set_index(["scenario", "replication"])

    def appraise(scenario: config.Scenario, settings: config.CbaSettings) -> pd.DataFrame:
        share = costs.displacement_of([runs.loc[(base.name, k)] for k in reps],
                                      [runs.loc[(scenario.name, k)] for k in reps])
        return pd.DataFrame([costs.appraise(
            result.ledgers[(base.name, k)], result.ledgers[(scenario.name, k)], settings,
            base.run.weeks, horizon, share) for k in reps])

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
            row["npv_society_swing"] = abs(row["npv_society_high"] - row["npv_society_low"])
            ranges.append(row)
    settings = {"baseline": base.name, "horizon_years": horizon,
                "discount_schedule_version": cba.discount_schedule_version,
                "price_year": base.costs.price_year, "optimism_bias": cba.optimism_bias,
                "persistence_per_year": cba.persistence_per_year,
                "wellbeing_per_work_week": cba.wellbeing_per_work_week,
                "displacement": "the scenario's mean extra hires over its mean extra job starts, "
                "held within 0 and 1",
                "replications": result.replications}
    ledger = pd.concat(lines, ignore_index=True)
    return Appraisal(pd.DataFrame(rows), ledger[["scenario", *ledger.columns[:-1]]],
                     pd.DataFrame(ranges), settings)


#: The files of an appraisal, beside a comparison's.
APPRAISAL_FILES = ("cba.csv", "cba_ledger.csv", "cba_ranges.csv", "cba.json")


def write_appraisal(appraisal: Appraisal, directory: Path) -> list[str]:
    """The files of :data:`APPRAISAL_FILES`; their names."""
    body = {"settings": appraisal.settings,
            **{name: json.loads(getattr(appraisal, name).to_json(orient="records"))
               for name in ("table", "ranges")}}
    files.write_json(directory / "cba.json", body)
    table, ledger, ranges, _ = APPRAISAL_FILES
    return [write_csv(appraisal.table, directory / table),
            write_csv(appraisal.ledger, directory / ledger),
            write_csv(appraisal.ranges, directory / ranges), "cba.json"]
