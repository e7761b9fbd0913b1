"""One run's outputs: the summary and the contract files.

``DIR/summary.json``, ``DIR/events.parquet``, ``DIR/weekly.parquet`` and
``DIR/people.parquet`` (DESIGN.md section 6). Files are written through
:mod:`journeysim.runs.files`: each atomically, and the folder sealed last, so a
reader never takes a half-written or mixed folder for a result.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd

from journeysim.analysis import measures as metrics
from journeysim.analysis.households import household_measures
from journeysim.config import Scenario, head_count_rows
from journeysim.runs import files
from journeysim.sim import RunResult, run


@dataclass(frozen=True)
class RunOutput:
    """A finished run: its summary, its three tables, the scenario it ran, and its jobs.

    ``jobs`` is the run's ``metrics.jobs_table``, made once for the measures and
    kept for whatever else reads jobs (the cost ledger, the profile).
    """

    summary: dict[str, Any]
    events: pd.DataFrame
    weekly: pd.DataFrame
    people: pd.DataFrame
    scenario: Scenario
    jobs: pd.DataFrame


def package_version() -> str:
    """The installed journeysim version."""
    return version("journeysim")


def simulate(scenario: Scenario, replication: int = 0,
             progress: Callable[[int], None] | None = None) -> RunOutput:
    """Run one scenario once and measure it."""
    result = run(scenario, replication, progress)
    return measure(result)


def measure(result: RunResult) -> RunOutput:
    """The summary and the people table of a finished run."""
    scenario = result.scenario
    horizon = scenario.run.weeks * 7.0
    jobs = metrics.jobs_table(result.events, horizon)
    people = metrics.people_table(result.persons, result.events, jobs)
    summary = {
        "scenario": scenario.name,
        "config_hash": scenario.config_hash(),
        "seed": scenario.run.seed,
        "replication": result.replication,
        "version": package_version(),
        "people": scenario.run.people,
        "agents": len(people),
        "weeks": scenario.run.weeks,
        **metrics.headline(result.events, people, jobs, horizon),
        **household_measures(people, scenario),
        "head_counts": head_count_rows(scenario),
    }
    events = result.events.assign(run=result.replication)
    events = events[["run", *[c for c in events.columns if c != "run"]]]
    return RunOutput(summary, events, result.weekly, people, scenario, jobs)


def write(output: RunOutput, out_dir: Path, force: bool = False) -> list[Path]:
    """Write the four contract files and ``scenario.json`` into ``out_dir``; return the paths.

    ``scenario.json`` is the whole scenario as run (every parameter), so a report
    can say how it differs from another. The folder is unsealed first and sealed
    (``complete.json``) last, so a run killed part-way never leaves a folder that
    passes for complete; a folder holding another kind of result is refused
    unless ``force``. The caller holds ``files.locked(out_dir)`` from before the
    run starts, so that two runs into one folder cannot both finish.
    """
    summary = json.dumps(output.summary, indent=2, allow_nan=False) + "\n"
    scenario = json.dumps(output.scenario.model_dump(mode="json"), indent=2) + "\n"
    writers: dict[str, files.Content] = {
        "scenario.json": scenario,
        "events.parquet": lambda p: output.events.to_parquet(p, index=False),
        "weekly.parquet": lambda p: output.weekly.to_parquet(p, index=False),
        "people.parquet": lambda p: output.people.to_parquet(p, index=False),
        "summary.json": summary,
    }
    files.require_kind(out_dir, "run", force)
    files.unseal(out_dir)
    paths = [files.write_atomic(files.inside(out_dir, name), content)
             for name, content in writers.items()]
    files.seal(out_dir, "run", list(writers))
    return [out_dir / path.name for path in paths]
