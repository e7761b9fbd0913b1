"""Probabilistic sensitivity analysis: draws, intervals, drivers, resuming, the command."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from scipy import stats

from journeysim import cli, config
from journeysim.analysis import emulator
from journeysim.analysis.stats import interval
from journeysim.config.evidence import load_evidence
from journeysim.runs import ensemble, files, uncertainty
from journeysim.runs.experiment import ExperimentError, SerialExecutor, executor
from journeysim.sim import model

from .conftest import variant


def small(name: str, people: int = 200, weeks: int = 26) -> config.Scenario:
    return config.load(name).with_run(people=people, weeks=weeks, seed=3)


def run(tmp_path, names=("fragmented", "codesign-hub"), draws=4, reps=2, **options):
    scenarios = [small(n) for n in names]
    return uncertainty.run_uncertainty(scenarios, draws, reps, tmp_path, SerialExecutor(),
                                       **options)


# --- the distributions and the design ---------------------------------------------------------
def triangular_inverse(u: float, low: float, mode: float, high: float) -> float:
    """The triangular distribution's inverse CDF, written out."""
    split = (mode - low) / (high - low)
    if u < split:
        return low + math.sqrt(u * (high - low) * (mode - low))
    return high - math.sqrt((1 - u) * (high - low) * (high - mode))


@pytest.mark.parametrize("u", [0.01, 0.2, 0.5, 0.77, 0.99])
def test_a_draw_is_the_triangular_quantile_about_the_scenarios_own_value(u):
    assert uncertainty.value_at(u, 0.1, 0.9, 0.3, "triangular") == pytest.approx(
        triangular_inverse(u, 0.1, 0.3, 0.9))
    assert uncertainty.value_at(u, 0.1, 0.9, 0.3, "uniform") == pytest.approx(0.1 + 0.8 * u)
    half = uncertainty.value_at(u, 0.1, 0.9, 0.3, "triangular", width=0.5)
    assert half - 0.3 == pytest.approx((triangular_inverse(u, 0.1, 0.3, 0.9) - 0.3) / 2)
    assert uncertainty.value_at(u, 0.1, 0.9, 0.3, "triangular", width=0.0) == 0.3


def test_a_sobol_design_has_n_times_parameters_plus_two_points_within_the_budget():
    assert uncertainty.sobol_base(100, 3) == 16  # 16 x 5 = 80 <= 100 < 32 x 5
    assert uncertainty.sample(100, 3, "sobol", 1).shape == (80, 3)
    assert uncertainty.sample(7, 4, "lhs", 1).shape == (7, 4)
    with pytest.raises(ExperimentError, match="at least 6 draws"):
        uncertainty.sobol_base(5, 4)


def test_each_latin_hypercube_column_has_one_point_in_each_stratum():
    points = uncertainty.sample(10, 3, "lhs", 7)
    for column in points.T:
        assert sorted(np.floor(column * 10).astype(int)) == list(range(10))


# --- intervals ------------------------------------------------------------------------------------
def test_the_mixture_of_one_centre_is_the_t_interval_of_a_mean():
    runs = pd.Series([0.31, 0.35, 0.29, 0.36])
    mean, half = interval(runs)
    se = runs.std(ddof=1) / 2
    low, high = uncertainty.mixture_interval(np.array([mean, mean, mean]), se, 3)
    assert (low, high) == pytest.approx((mean - half, mean + half), rel=1e-9)


def test_the_mixture_of_far_apart_centres_spans_them_and_is_percentiles_without_noise():
    centres = np.linspace(0.0, 1.0, 101)
    assert uncertainty.mixture_interval(centres, 0.0, 3) == pytest.approx(
        (np.quantile(centres, 0.025), np.quantile(centres, 0.975)))
    low, high = uncertainty.mixture_interval(centres, 0.01, 3)
    assert 0.0 < low < 0.05 and 0.95 < high < 1.0
    # By hand: at x = low, the mixture's CDF is 2.5%.
    assert stats.t.cdf((low - centres) / 0.01, 3).mean() == pytest.approx(0.025, abs=1e-9)


def test_the_chance_of_a_positive_value_is_the_mixtures():
    assert uncertainty.p_positive(np.array([-1.0, 1.0, 2.0, 3.0]), 0.0, 3) == 0.75
    assert uncertainty.p_positive(np.array([0.0]), 1.0, 5) == pytest.approx(0.5)


# --- what is drawn --------------------------------------------------------------------------------
def test_one_quantity_per_evidence_entry_the_appraisal_ranges_and_the_ensemble():
    evidence = load_evidence()
    found = uncertainty.quantities([small("fragmented"), small("codesign-hub")], evidence,
                                   members=4)
    names = [q.name for q in found]
    assert "services.*.effect" in names and "hub.engagement_probability" in names
    alone = [q.name for q in uncertainty.quantities([small("fragmented")], evidence, 4)]
    assert "hub.engagement_probability" not in alone, "no scenario runs a hub"
    assert alone == [n for n in names if n in alone], "the same order"
    assert all(n in evidence or n.startswith("cba.") or n == uncertainty.CALIBRATION
               for n in names), "one quantity per entry, not per service"
    assert "cba.optimism_bias" in names and names[-1] == uncertainty.CALIBRATION
    assert len(names) == len(set(names))
    only = uncertainty.quantities([small("fragmented"), small("codesign-hub")], evidence, 4,
                                  ("hub.",))
    assert {q.name for q in only} == {n for n in names if n.startswith("hub.")}
    with pytest.raises(ExperimentError, match="match, but no scenario runs their part: hub."):
        uncertainty.quantities([small("fragmented")], evidence, 4, ("hub.",))


@pytest.mark.parametrize("name", ["fragmented", "south-tyneside-family-works", *(
    pytest.param(n, marks=pytest.mark.slow) for n in sorted(config.bundled_scenarios())
    if n not in ("fragmented", "south-tyneside-family-works"))])
def test_no_value_of_a_part_the_scenario_switches_off_changes_its_run(name):
    """So not drawing them loses nothing: every one is moved to the other end of its range."""
    evidence = load_evidence()
    scenario = small(name, people=300, weeks=30)
    raw = scenario.model_dump(mode="json")
    moved = 0
    for path, _kind in uncertainty._table(scenario):
        entry = uncertainty.entry_for(path, evidence)
        value = config.at_path(raw, path)
        if entry is None or entry.low is None or not scenario.switched_off(path) or not (
                uncertainty._number(value)):
            continue
        new = entry.high if value != entry.high else entry.low
        raw = config.deep_merge(raw, config.override(
            path, int(round(new)) if isinstance(value, int) else new))
        moved += 1
    assert moved > 20, f"{name}: {moved} parameters switched off"
    other = config.validate(raw, "switched-off values moved")
    assert other.config_hash() != scenario.config_hash()
    first, second = (model.run(s) for s in (scenario, other))
    for a, b in ((first.events, second.events), (first.persons, second.persons),
                 (first.weekly, second.weekly)):
        pd.testing.assert_frame_equal(a, b)


def test_a_designs_own_parts_are_drawn_and_explain_nothing_of_another_designs_difference(
        tmp_path):
    # The personal budget runs only in its design: the baseline's and the hub's draws of
    # it alone are their central runs, and it drives none of the hub's difference.
    raw = config.deep_merge(config.load_raw("codesign-personal-budget"), {"personal_budget": {
        "cohort_per_1000_year": 100.0, "advisers_per_1000": 3.0}})  # budgets at this size
    budget = config.validate(raw, "budgets").with_run(people=200, weeks=26, seed=3)
    outcome = uncertainty.run_uncertainty([small("fragmented"), small("codesign-hub"), budget],
                                          4, 2, tmp_path, SerialExecutor(),
                                          only=("personal_budget.take_up",))
    assert len(list((tmp_path / "runs").glob("*.json"))) == 3 * 2 + 4
    drivers = outcome.drivers.set_index(["scenario", "measure", "parameter"])
    hub = drivers.loc[("codesign-hub", "cost_total", "personal_budget.take_up")]
    assert hub.first_order == 0.0
    mine = drivers.loc[(budget.name, "cost_total", "personal_budget.take_up")]
    assert 0.0 < mine.first_order <= 1.0, "take-up moves what the budgets cost"


def test_the_same_quantile_moves_every_scenario_and_a_designs_own_capacity_is_kept():
    base = small("fragmented")
    design = variant({"hub": {"enabled": True, "advisers_per_1000": 3.0}}, people=200,
                     weeks=26, seed=3)
    draw = uncertainty.Draw(1, {"hub.engagement_probability": 0.99, "hub.advisers_per_1000": 0.99,
                                "services.*.effect": 0.01}, None)
    evidence = load_evidence()
    moved = [uncertainty.drawn(s, base, draw, evidence, None) for s in (base, design)]
    entry = evidence["hub.engagement_probability"]
    assert moved[1].hub.engagement_probability == pytest.approx(uncertainty.value_at(
        0.99, entry.low, entry.high, design.hub.engagement_probability, "triangular"))
    assert moved[1].hub.engagement_probability > design.hub.engagement_probability
    for before, after in zip((base, design), moved, strict=True):
        for name, service in after.services.items():
            assert service.effect <= before.services[name].effect
    assert moved[0].hub == base.hub, "a part switched off keeps its values"
    assert moved[1].hub.advisers_per_1000 == 3.0, "a design's own capacity is its choice"
    assert moved[1].name == "test-variant.d0001" or moved[1].name.endswith(".d0001")


def test_an_ensemble_member_sets_the_fitted_values_a_scenario_inherits():
    base = small("fragmented")
    own = variant({"labour_market": {"matching_efficiency": 0.5}}, people=200, weeks=26, seed=3)
    member = {"labour_market.matching_efficiency": 0.123,
              "population.inflow_per_1000_week.JSA": 9.5}
    draw = uncertainty.Draw(1, {}, 0)
    for scenario, expected in ((base, 0.123), (own, 0.5)):
        after = uncertainty.drawn(scenario, base, draw, load_evidence(), member)
        assert after.labour_market.matching_efficiency == expected
        assert after.population.inflow_per_1000_week.JSA == 9.5


def test_the_bundled_ensemble_members_are_drawn_along_its_length():
    members = len(ensemble.load_ensemble().members)
    found = uncertainty.draws(np.array([[0.0], [0.4999], [0.99999]]),
                              [uncertainty.Quantity(uncertainty.CALIBRATION, 0, 1, "uniform")],
                              members)
    assert [d.member for d in found] == [None, 0, int(0.4999 * members), members - 1]


# --- a whole analysis -----------------------------------------------------------------------------
def test_with_every_range_collapsed_the_interval_is_the_monte_carlo_one(tmp_path):
    outcome = run(tmp_path, width=0.0)
    table = outcome.table.dropna(subset=["mc_low"])
    assert len(table) > 20
    assert np.allclose(table.low, table.mc_low, rtol=1e-9, atol=1e-9)
    assert np.allclose(table.high, table.mc_high, rtol=1e-9, atol=1e-9)
    runs = sorted(p.name for p in (tmp_path / "runs").glob("*.json"))
    assert len(runs) == 2 * 2, "a draw that changes nothing has the central point's runs"


@pytest.mark.slow  # a Sobol design: many runs
def test_a_parameter_alone_drives_a_measure_and_an_ignored_one_explains_nothing(tmp_path):
    # The Exchequer's NPV never counts wellbeing; persistence alone moves it here.
    outcome = run(tmp_path, draws=64, design="sobol",
                  only=("cba.persistence_per_year", "cba.wellbeing_per_work_week"))
    assert len(list((tmp_path / "runs").glob("*.json"))) == 4, "appraisal draws rerun nothing"
    drivers = outcome.drivers.set_index(["measure", "parameter"])
    persistence = drivers.loc[("npv_exchequer", "cba.persistence_per_year")]
    wellbeing = drivers.loc[("npv_exchequer", "cba.wellbeing_per_work_week")]
    assert persistence.first_order == pytest.approx(1.0, abs=0.1)
    assert abs(wellbeing.total) < 1e-9 and abs(wellbeing.first_order) < 0.05
    society = drivers.loc["npv_society"]
    assert society.loc["cba.wellbeing_per_work_week", "total"] > 0.05
    assert set(drivers.method) == {"sobol"}


@pytest.mark.slow
def test_widening_a_parameters_range_widens_the_interval_of_what_it_drives(tmp_path):
    evidence = load_evidence()
    entry = evidence["hub.engagement_probability"]
    middle = (entry.low + entry.high) / 2
    narrow = {**evidence, entry.path: dataclasses.replace(
        entry, low=middle - 0.02, high=middle + 0.02)}
    scenarios = [small(n, people=300) for n in ("fragmented", "codesign-hub")]
    scenarios[1] = config.validate(config.deep_merge(
        scenarios[1].model_dump(mode="json"),
        {"hub": {"engagement_probability": middle}}), "middle")

    def width_of(found_evidence, folder):
        the_plan = uncertainty.plan(scenarios, 6, 3, only=("hub.engagement_probability",),
                                    evidence=found_evidence)
        finished = {}
        for spec in the_plan.specs():
            from journeysim.runs.experiment import execute

            finished[spec.key] = execute(spec)
        table = uncertainty.analyse(the_plan, finished, evidence=found_evidence).table
        # Those the hub engages are assessed there: the measure engagement drives most directly.
        row = table[(table.kind == "difference")
                    & (table.measure == "assessments_per_person")].iloc[0]
        return row.high - row.low

    assert width_of(evidence, tmp_path / "wide") > 1.5 * width_of(narrow, tmp_path / "narrow")


@pytest.mark.slow
def test_an_interrupted_analysis_resumes_to_the_same_files_and_processes_equal_serial(tmp_path):
    scenarios = [small(n) for n in ("fragmented", "codesign-hub")]
    done = []

    def stop_after_three(count):
        done.append(count)
        if len(done) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        uncertainty.run_uncertainty(scenarios, 4, 2, tmp_path / "a", SerialExecutor(),
                                    progress=stop_after_three)
    assert len(list((tmp_path / "a" / "runs").glob("*.json"))) == 3
    uncertainty.run_uncertainty(scenarios, 4, 2, tmp_path / "a", SerialExecutor())
    with executor("processes", 2) as pool:
        uncertainty.run_uncertainty(scenarios, 4, 2, tmp_path / "b", pool)
    for name in ("uncertainty.csv", "drivers.csv", "draws.csv"):
        pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "a" / name),
                                      pd.read_csv(tmp_path / "b" / name))
    first, second = (json.loads((tmp_path / d / "uncertainty.json").read_text())
                     for d in ("a", "b"))
    assert first["designs"] == second["designs"]


def small_command(out, draws: int):
    """``journeysim uncertainty`` of the hub against the baseline, small and serial."""
    return CliRunner().invoke(cli.main, [
        "uncertainty", "fragmented", "codesign-hub", "--draws", str(draws), "--reps", "2",
        "--people", "150", "--weeks", "26", "--executor", "serial", "--quiet",
        "--out", str(out)], catch_exceptions=False)


@pytest.mark.slow  # the uncertainty command end to end
def test_the_command_prints_both_intervals_and_writes_its_files(tmp_path):
    out = tmp_path / "u"
    result = small_command(out, draws=3)
    assert result.exit_code == 0, result.output
    assert "codesign-hub against fragmented" in result.output
    assert "evidence + noise" in result.output and "noise only" in result.output
    assert "3 draws of" in result.output
    body = json.loads((out / "uncertainty.json").read_text())
    assert "pathways_to_work.offer_factor" in body["settings"]["switched_off"]
    assert f"({len(body['settings']['switched_off'])} more held: " in result.output
    table = pd.read_csv(out / "uncertainty.csv")
    assert list(table.columns) == ["scenario", "kind", "measure", "mean", "low", "high",
                                   "mc_low", "mc_high"]
    assert set(table[table.kind == "difference"].scenario) == {"codesign-hub"}
    assert 0.0 <= body["designs"]["codesign-hub"]["p_npv_society_positive"] <= 1.0
    assert 0.0 <= body["designs"]["codesign-hub"]["p_npv_society_gross_positive"] <= 1.0
    assert {"npv_society_gross", "npv_exchequer_gross", "bcr_society_gross"} <= set(
        table.measure[table.kind == "difference"])
    for label in ("NPV, society, net of displacement", "NPV, society, gross (no displacement)",
                  "NPV, Exchequer, gross (no displacement)", "Chance the NPV is above zero, "
                  "net of displacement"):
        assert label in result.output, label
    refused = CliRunner().invoke(cli.main, [
        "uncertainty", "fragmented", "codesign-hub", "--parameters", "nothing.",
        "--people", "100", "--weeks", "13", "--out", str(tmp_path / "v")])
    assert refused.exit_code == 2 and "no uncertain parameter" in refused.output


def test_one_draw_is_analysed_and_sealed_without_a_chance_level(tmp_path):
    """Too few draws for a rank correlation: no chance level, and still valid JSON."""
    out = tmp_path / "one"
    result = small_command(out, draws=1)
    assert result.exit_code == 0, result.output
    body = json.loads((out / "uncertainty.json").read_text())
    assert body["settings"]["chance_level"] is None
    assert files.complete(out) == "uncertainty"


def test_a_design_that_saves_society_money_counts_as_above_one():
    frame = pd.DataFrame({"pv_costs_society": [-10.0, 100.0, 100.0, -5.0],
                          "pv_benefits_society": [5.0, 150.0, 50.0, -1.0],
                          "npv_society": [15.0, 50.0, -50.0, 4.0],
                          "npv_society_gross": [15.0, 50.0, -50.0, 4.0],
                          "npv_exchequer": [0.0] * 4, "npv_exchequer_gross": [0.0] * 4,
                          "additional_sustained_jobs": [1.0] * 4,
                          "pv_costs_exchequer": [1.0] * 4})
    found = uncertainty.Values(pd.concat([frame.iloc[:1], frame]).reset_index(drop=True),
                               frame.iloc[:2].reset_index(drop=True))
    summary = uncertainty._design_summary(found, reps=2)
    # Dominant (saves and gains), above one, below one, saves but loses: 2 of 4.
    assert summary["bcr_society"]["p_above_one"] == 0.5


def test_a_baseline_refitted_elsewhere_keeps_its_own_fitted_values():
    base = small("fragmented")
    refitted = config.validate(config.deep_merge(
        base.model_dump(mode="json"), {"labour_market": {"matching_efficiency": 0.31}}),
        "refitted")
    assert uncertainty.plan([base, small("codesign-hub")], 3, 2).members > 1
    the_plan = uncertainty.plan([refitted, small("codesign-hub")], 3, 2)
    assert the_plan.members == 0
    assert all(row[0].labour_market.matching_efficiency == 0.31 for row in the_plan.drawn)


# --- the emulator -----------------------------------------------------------------------------
def latin(draws: int, inputs: int, seed: int = 2) -> np.ndarray:
    return uncertainty.sample(draws, inputs, "lhs", seed)


def test_an_emulator_of_40_draws_finds_a_linear_models_known_indices():
    """y = 3 x0 + 2 x1 + x2 (+ three inputs that do nothing): S_i = a_i^2 / sum a^2."""
    x = latin(40, 6)
    weights = np.array([3.0, 2.0, 1.0, 0.0, 0.0, 0.0])
    y = x @ weights + np.random.default_rng(0).normal(0.0, 0.02, 40)
    found = emulator.emulate(x, y, seed=1)
    known = weights**2 / np.sum(weights**2)
    assert found.good and found.r2 > 0.95, f"held-out R squared {found.r2:.3f}"
    assert found.rmse < 0.1
    np.testing.assert_allclose(found.first_order, known, atol=0.05)
    np.testing.assert_allclose(found.total, known, atol=0.05)  # additive: total = first order


@pytest.mark.slow
def test_an_emulator_finds_the_ishigami_functions_interaction():
    """Ishigami (a = 7, b = 0.1): x2 acts only with x0, so its first order is 0, total 0.24.

    Its sin-squared term takes about 150 draws to emulate; at 100 the held-out R squared
    is 0.8 and x2's interaction is still missed (docs/uncertainty.md).
    """
    u = latin(150, 3)
    x = -math.pi + 2.0 * math.pi * u
    y = np.sin(x[:, 0]) + 7.0 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    found = emulator.emulate(u, y, seed=1)
    assert found.good, f"held-out R squared {found.r2:.3f}"
    np.testing.assert_allclose(found.first_order, [0.314, 0.442, 0.0], atol=0.1)
    np.testing.assert_allclose(found.total, [0.558, 0.442, 0.244], atol=0.1)


def test_an_emulator_of_noise_predicts_nothing_and_gives_no_indices():
    x = latin(40, 4)
    y = np.random.default_rng(5).normal(size=40)
    found = emulator.emulate(x, y, seed=1)
    assert found.r2 < emulator.GOOD_ENOUGH and not found.good
    assert np.isnan(found.first_order).all() and np.isnan(found.total).all()


def test_drivers_from_an_emulator_of_appraisal_draws(tmp_path):
    # Only appraisal values are drawn, so the four central runs are all that is run.
    outcome = run(tmp_path, draws=16, drivers_by="emulator",
                  only=("cba.persistence_per_year", "cba.wellbeing_per_work_week"))
    drivers = outcome.drivers.set_index(["measure", "parameter"])
    persistence = drivers.loc[("npv_exchequer", "cba.persistence_per_year")]
    wellbeing = drivers.loc[("npv_exchequer", "cba.wellbeing_per_work_week")]
    assert persistence.method == "emulator"
    assert persistence.first_order == pytest.approx(1.0, abs=0.05)
    assert persistence.total == pytest.approx(1.0, abs=0.05)
    assert abs(wellbeing.total) < 0.05, "the Exchequer's NPV never counts wellbeing"
    checks = {c["measure"]: c for c in outcome.settings["emulator"]}
    assert checks["npv_exchequer"]["r2"] > 0.9 and checks["npv_exchequer"]["indices_given"]
    assert "off_flow_13w" not in checks, "no draw moves a simulated measure: nothing to fit"
    assert outcome.settings["drivers_method"] == "emulator"
    body = json.loads((tmp_path / "uncertainty.json").read_text())
    assert body["settings"]["emulator"][0]["inputs"] == 2


def test_an_emulator_is_refused_with_too_few_draws(tmp_path):
    with pytest.raises(ExperimentError, match="at least 10 draws"):
        run(tmp_path, draws=4, drivers_by="emulator")
    assert not (tmp_path / "runs").exists(), "refused before anything is run"
    refused = CliRunner().invoke(cli.main, [
        "uncertainty", "fragmented", "codesign-hub", "--draws", "4", "--drivers", "emulator",
        "--people", "100", "--weeks", "13", "--out", str(tmp_path / "v")])
    assert refused.exit_code == 2 and "at least 10 draws" in refused.output
    assert "--drivers [design|emulator]" in CliRunner().invoke(
        cli.main, ["uncertainty", "--help"]).output
