"""Experiments: common random numbers, executors, the resumable store, sweeps, sensitivity."""

import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from journeysim import config
from journeysim.cli import main
from journeysim.runs import experiment, sweeps
from tests.conftest import variant

SMALL = {"people": 300, "weeks": 30, "seed": 3}


def small(name="fragmented", **changes):
    """The baseline at a small size, with ``changes``, under another name."""
    return variant(changes, **SMALL).model_copy(update={"name": name})


def run_compare(scenarios, reps, directory, kind="serial", workers=None):
    store = experiment.Store(directory)
    store.open(experiment.manifest(scenarios, command=["test"]))
    with experiment.executor(kind, workers) as pool:
        return experiment.compare(scenarios, reps, store, pool)


@pytest.mark.slow  # many replications of two scenarios
def test_common_random_numbers_narrow_the_paired_interval(tmp_path):
    a = small("fragmented")
    b = small("more-advisers", jobcentre={"advisers_per_1000": 2.8})
    result = run_compare([a, b], 8, tmp_path)
    row = result.table[(result.table.scenario == "more-advisers")
                       & (result.table.measure == "cost_total")].iloc[0]
    base = result.table[(result.table.scenario == "fragmented")
                        & (result.table.measure == "cost_total")].iloc[0]
    unpaired = math.hypot(row.half_width, base.half_width)
    assert row.difference_half_width < unpaired / 5, (
        f"paired half-width {row.difference_half_width:,.0f} should be far narrower than the "
        f"unpaired {unpaired:,.0f}")


def test_replication_changes_the_luck_and_scenarios_share_it(tmp_path):
    result = run_compare([small("fragmented"), small("same-again")], 3, tmp_path)
    runs = result.runs
    first = runs[runs.scenario == "fragmented"].set_index("replication").cost_total
    again = runs[runs.scenario == "same-again"].set_index("replication").cost_total
    assert first.nunique() == 3, "each replication has its own luck"
    pd.testing.assert_series_equal(first, again, check_names=False)
    diffs = result.table[result.table.scenario == "same-again"].difference.dropna()
    assert (diffs == 0).all(), "identical scenarios differ by exactly nothing"


# the fast tier starts a pool in test_the_process_pool_runs_many_tasks_in_each_worker
@pytest.mark.parametrize("kind,workers", [
    pytest.param("processes", 2, marks=pytest.mark.slow),
    pytest.param("dask", 2, marks=pytest.mark.slow)])
def test_every_executor_gives_the_serial_table(tmp_path, kind, workers):
    scenarios = [small("fragmented"), small("codesign-hub", hub={"enabled": True})]
    serial = run_compare(scenarios, 3, tmp_path / "serial").table
    other = run_compare(scenarios, 3, tmp_path / kind, kind, workers).table
    pd.testing.assert_frame_equal(serial, other)


@pytest.mark.slow
def test_auto_replications_stop_when_precise(tmp_path):
    store = experiment.Store(tmp_path)
    # large enough that 5 replications pin every measure to half its size
    scenarios = [small("fragmented").with_run(people=1200, weeks=40)]
    store.open(experiment.manifest(scenarios, command=["test"]))
    with experiment.executor("serial") as pool:
        loose = experiment.compare(scenarios, None, store, pool, precision=0.5)
        tight = experiment.compare(scenarios, None, store, pool, precision=0.02,
                                   max_replications=12)
    assert loose.replications == 5
    assert experiment.precise_enough(loose.table, 0.5)
    assert tight.replications == 12, "5, then 10, then capped at 12"


def _command(directory: Path) -> list[str]:
    return [sys.executable, "-m", "journeysim", "compare", "fragmented", "codesign-hub",
            "--reps", "6", "--people", "1500", "--weeks", "52", "--executor", "serial",
            "--quiet", "--out", str(directory)]


@pytest.mark.slow
def test_a_killed_compare_resumes_without_rerunning_finished_runs(tmp_path):
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    process = subprocess.Popen(_command(killed), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((killed / "runs").glob("*.json"))) < 3:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    before = {p.name: p.stat().st_mtime_ns for p in (killed / "runs").glob("*.json")}
    assert 3 <= len(before) < 12, "killed part-way through"
    (killed / "runs" / ".half.json.partial").write_text("{not json", encoding="utf-8")
    subprocess.run(_command(killed), check=True, capture_output=True)
    subprocess.run(_command(whole), check=True, capture_output=True)
    after = {p.name: p.stat().st_mtime_ns for p in (killed / "runs").glob("*.json")}
    assert len(after) == 12
    assert all(after[name] == stamp for name, stamp in before.items()), "a run was redone"
    pd.testing.assert_frame_equal(pd.read_csv(killed / "table.csv"),
                                  pd.read_csv(whole / "table.csv"))


def test_a_directory_of_another_experiment_is_refused(tmp_path):
    run_compare([small("fragmented")], 2, tmp_path)
    store = experiment.Store(tmp_path)
    with pytest.raises(experiment.ExperimentError, match="different experiment"):
        store.open(experiment.manifest([small("fragmented").with_run(seed=9)], command=["x"]))


def _experiment_file(tmp_path, **fields):
    data = {"name": "t", "scenario": "fragmented", "people": 300, "weeks": 30, "seed": 2,
            "replications": 3, "method": "grid",
            "parameters": {"costs.jsa_18_24_weekly": [53.45]},
            "measures": ["off_flow_13w", "job_entry_rate"], **fields}
    path = tmp_path / "experiment.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_sweep_over_a_parameter_the_measures_ignore_shows_no_effect(tmp_path):
    # the JSA rate for under-25s changes what benefit costs, never who finds work
    path = _experiment_file(tmp_path, parameters={"costs.jsa_18_24_weekly": [40, 53.45, 80]})
    result = CliRunner().invoke(main, ["sweep", str(path), "--executor", "serial", "--quiet",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "out" / "table.csv")
    assert len(table) == 3
    for measure in ("off_flow_13w", "job_entry_rate"):
        assert table[measure].max() - table[measure].min() <= table[
            f"{measure}_half_width"].max(), f"{measure} moved with a parameter it ignores"


def test_a_sweep_over_a_parameter_that_matters_moves_its_measure(tmp_path):
    path = _experiment_file(tmp_path, parameters={
        "labour_market.claimants_per_vacancy": [3.0, 9.0]})
    result = CliRunner().invoke(main, ["sweep", str(path), "--executor", "serial", "--quiet",
                                       "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "out" / "table.csv").set_index(
        "labour_market.claimants_per_vacancy")
    assert table.job_entry_rate[3.0] > table.job_entry_rate[9.0]


def test_latin_hypercube_covers_each_interval_once():
    spec = sweeps.ExperimentFile(name="t", scenario="fragmented", people=10, weeks=5, seed=1,
                                 replications=1, method="lhs", samples=5,
                                 parameters={"a.b": [0.0, 10.0], "c.d": [1.0, 2.0]},
                                 measures=["cost_total"])
    points = sweeps.design(spec)
    assert points.shape == (5, 2)
    assert sorted((points[:, 0] // 2).astype(int)) == [0, 1, 2, 3, 4]


def test_sensitivity_writes_indices_and_a_figure(tmp_path):
    path = _experiment_file(tmp_path, method="morris", samples=2, replications=1, parameters={
        "labour_market.claimants_per_vacancy": [3.0, 9.0],
        "costs.adviser_hour": [20.0, 40.0]}, measures=["job_entry_rate"])
    result = CliRunner().invoke(main, ["sensitivity", str(path), "--executor", "serial",
                                       "--quiet", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    found = pd.read_csv(tmp_path / "out" / "indices.csv").set_index("parameter")
    assert found.mu_star["labour_market.claimants_per_vacancy"] > 0.01
    assert found.mu_star["costs.adviser_hour"] == pytest.approx(0.0, abs=1e-12), (
        "the price of adviser time cannot change who finds work")
    assert (tmp_path / "out" / "indices.png").stat().st_size > 1000


def test_bad_experiment_files_get_one_clear_message(tmp_path):
    for fields, expected in (
        ({"parameters": {"jobcentre.no_such_field": [1, 2]}}, "not a field"),
        ({"measures": ["happiness"]}, "unknown measure 'happiness'"),
        ({"method": "lhs", "parameters": {"costs.adviser_hour": [5, 1]}}, "low < high"),
    ):
        path = _experiment_file(tmp_path, **fields)
        result = CliRunner().invoke(main, ["sweep", str(path), "--executor", "serial"])
        assert result.exit_code != 0 and expected in result.output, result.output
        assert "Traceback" not in result.output


def test_sobol_design_has_the_saltelli_size():
    spec = sweeps.ExperimentFile(name="t", scenario="fragmented", people=10, weeks=5, seed=1,
                                 replications=1, method="sobol", samples=8,
                                 parameters={"a.b": [0.0, 1.0], "c.d": [1.0, 2.0],
                                             "e.f": [0.0, 5.0]},
                                 measures=["cost_total"])
    points = sweeps.design(spec)
    assert points.shape == (8 * (3 + 2), 3)
    assert points[:, 2].min() >= 0.0 and points[:, 2].max() <= 5.0


@pytest.mark.slow  # starts a Dask scheduler and workers
def test_compare_runs_on_an_existing_dask_scheduler(tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        result = CliRunner().invoke(main, [
            "compare", "fragmented", "codesign-hub", "--reps", "2", "--people", "200",
            "--weeks", "20", "--scheduler", cluster.scheduler_address, "--quiet",
            "--out", str(tmp_path / "remote")])
    assert result.exit_code == 0, result.output
    local = CliRunner().invoke(main, [
        "compare", "fragmented", "codesign-hub", "--reps", "2", "--people", "200",
        "--weeks", "20", "--executor", "serial", "--quiet", "--out", str(tmp_path / "here")])
    assert local.exit_code == 0
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "remote" / "table.csv"),
                                  pd.read_csv(tmp_path / "here" / "table.csv"))


def test_a_comparison_resumed_from_runs_recorded_before_a_measure_was_compared():
    from journeysim.analysis.registry import COMPARED

    older = [m for m in COMPARED if m not in ("cost_benefit", "cost_services")]
    runs = pd.DataFrame({"scenario": ["a", "a", "b", "b"], "replication": [0, 1, 0, 1],
                         **{m: [1.0, 2.0, 1.5, 2.75] for m in older}})
    table = experiment.compare_table(runs, "a")
    assert "cost_benefit" not in set(table.measure)
    total = table[(table.scenario == "b") & (table.measure == "cost_total")].iloc[0]
    assert total["difference"] == pytest.approx(0.625)


def test_a_run_without_the_figures_data_has_the_full_runs_summaries():
    scenario = small("codesign-hub", hub={"enabled": True})
    full = experiment.execute(experiment.RunSpec(scenario, 1))
    reduced = experiment.execute(experiment.RunSpec(scenario, 1, profile=False))
    assert "profile" in full and "profile" not in reduced
    assert reduced == {k: v for k, v in full.items() if k != "profile"}, (
        "leaving the report's figures out must not change a measure or the ledger")


def test_a_stored_run_without_the_profile_is_run_again_when_it_is_asked_for(tmp_path):
    scenario = small()
    store = experiment.Store(tmp_path)
    store.open(experiment.manifest([scenario], command=["test"]))
    bare = experiment.RunSpec(scenario, 0, profile=False)
    experiment.run_all([bare], store, experiment.SerialExecutor())
    assert "profile" not in store.done()[bare.key]
    experiment.run_all([experiment.RunSpec(scenario, 0)], store, experiment.SerialExecutor())
    assert "profile" in store.done()[bare.key]


def _processes(_: int) -> tuple[int, int, bool]:
    import gc

    return os.getpid(), os.getppid(), gc.isenabled()


def test_the_process_pool_runs_many_tasks_in_each_worker():
    with experiment.executor("processes", 2) as pool:
        ran = [pool.submit(_processes, k).result() for k in range(12)]
    if experiment.FORKS:  # each task in a child of its own, forked from a worker
        workers = {parent for _, parent, _ in ran}
        assert len({pid for pid, _, _ in ran}) == 12
        assert not any(collecting for _, _, collecting in ran), "a child never collects"
    else:
        workers = {pid for pid, _, _ in ran}
    assert len(workers) <= 2, "workers are started once and reused, not one per run"
    assert os.getpid() not in workers


def _fails(kind: str) -> None:
    if kind == "raise":
        raise ValueError("a bad value")
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.skipif(not experiment.FORKS, reason="tasks run in forked children on Linux only")
def test_a_task_that_raises_or_dies_in_its_child_fails_its_future_and_spares_the_worker():
    with experiment.executor("processes", 2) as pool:
        with pytest.raises(ValueError, match="a bad value"):
            pool.submit(_fails, "raise").result()
        with pytest.raises(experiment.ChildFailed, match="killed by SIGKILL"):
            pool.submit(_fails, "die").result()
        assert pool.submit(_processes, 0).result()[1] in {
            p.pid for p in pool._pool._processes.values()}, "the workers still stand"


def test_runs_go_out_in_tasks_of_those_that_share_their_households():
    size = {"people": 150, "weeks": 30, "seed": 4}
    frag, hub, full, lone = (config.load(n).with_run(**size) for n in (
        "fragmented", "codesign-hub", "codesign-full", "lone-parent-obligations"))

    def keys(todo):
        return [[spec.key.split("__")[0] + spec.key[-1] for spec in task]
                for task in experiment.tasks(todo)]

    assert keys(experiment.specs([frag, hub, full], range(2))) == [
        ["fragmented0", "codesign-hub0", "codesign-full0"],
        ["fragmented1", "codesign-hub1", "codesign-full1"]], "one task a replication"
    assert keys(experiment.specs([frag, lone, hub], range(1))) == [
        ["fragmented0"], ["lone-parent-obligations0"], ["codesign-hub0"]], \
        "other households (a rule for lone parents) start a task of their own"
    alike = [frag.model_copy(update={"name": f"s{k}"}) for k in range(6)]
    assert [len(task) for task in experiment.tasks(experiment.specs(alike, range(1)))] == [
        experiment.TASK_RUNS, 6 - experiment.TASK_RUNS]


def test_a_run_that_fails_in_a_task_leaves_the_others_of_its_task(tmp_path, monkeypatch):
    real, tried = experiment.execute, []

    def failing(spec):
        tried.append(spec.key)
        if spec.scenario.name == "codesign-hub":
            raise RuntimeError("a bad run")
        return real(spec)

    monkeypatch.setattr(experiment, "execute", failing)
    scenarios = [small("fragmented"), small("codesign-hub", hub={"enabled": True})]
    store = experiment.Store(tmp_path)
    store.open(experiment.manifest(scenarios, command=["test"]))
    with pytest.raises(experiment.RunFailed, match="codesign-hub__rep0000 failed 3 times"):
        experiment.run_all(experiment.specs(scenarios, range(1)), store,
                           experiment.SerialExecutor())
    assert list(store.done()) == ["fragmented__rep0000"], "its task-mate is kept"
    assert tried == ["fragmented__rep0000", *["codesign-hub__rep0000"] * 3], \
        "the failed run alone is tried again"


@pytest.mark.skipif(not experiment.FORKS, reason="tasks run in forked children on Linux only")
def test_a_task_with_each_run_in_a_child_draws_households_once_and_gives_the_same_runs(
        monkeypatch):
    from journeysim.sim import population

    drawn = []
    build = population.PopulationBuilder.build

    def counted(self):
        drawn.append(self.scenario.name)
        return build(self)

    monkeypatch.setattr(population.PopulationBuilder, "build", counted)
    monkeypatch.setattr(population, "_DRAWN", {})
    task = experiment.specs([small("fragmented"), small("codesign-hub", hub={"enabled": True})],
                            range(1))
    forked = experiment.execute_all(task, fork=True)
    assert drawn == ["fragmented"], "drawn in the task's process, inherited by each run's"
    assert forked == experiment.execute_all(task)
