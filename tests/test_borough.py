"""A partnership's own borough: borough init, head-counts, the calibration warning, calibrate."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from journeysim import config
from journeysim.cli import main
from journeysim.runs import calibration
from journeysim.runs.results import simulate

SAMPLE = str(Path(__file__).parent / "data" / "borough_claimants.csv")  # JSA 9,000, ESA
# 18,900, IS_LP 4,750, and 3,100 carers the model does not take
INIT = ["borough", "init", "--claimants", SAMPLE, "--vacancies", "1700", "--area-km2", "350",
        "--name", "ourtown", "--staff", "hub=6", "--staff", "skills=12",
        "--cohort", "personal_budget=40"]


def write(tmp_path, *extra):
    out = tmp_path / "ourtown.yaml"
    result = CliRunner().invoke(main, [*INIT, "--out", str(out), *extra])
    return out, result


def test_borough_init_writes_a_scenario_whose_counts_and_shares_are_the_inputs(tmp_path):
    out, result = write(tmp_path)
    assert result.exit_code == 0, result.output
    scenario = config.load(out)
    assert scenario.run.people == 9000 + 18900 + 4750
    mix = scenario.population.stock_mix
    total = mix.JSA + mix.ESA + mix.IS_LP
    assert mix.JSA / total == pytest.approx(9000 / 32650, abs=1e-6)
    assert mix.IS_LP / total == pytest.approx(4750 / 32650, abs=1e-6)
    bands = scenario.population.jsa_age_bands
    assert (bands.age_18_24, bands.age_25_49) == pytest.approx((0.3, 0.55))
    assert scenario.labour_market.claimants_per_vacancy == pytest.approx(9000 / 1700, rel=1e-5)
    assert scenario.geography.borough_km == pytest.approx(350 ** 0.5, rel=1e-5)
    designed = scenario.model_copy(update={
        "hub": scenario.hub.model_copy(update={"enabled": True}),
        "personal_budget": scenario.personal_budget.model_copy(update={"enabled": True})})
    heads = {(s, what): n for s, what, _, n in designed.head_counts()}
    assert heads[("hub", "advisers")] == 6 and heads[("skills", "staff")] == 12
    assert heads[("personal_budget", "budgets a year")] == 40
    text = out.read_text()
    assert "# JSA claimants 9,000 / vacancies 1,700" in text
    assert "#   population.inflow_per_1000_week = JSA 3.22" in text, "inherited, listed"
    assert "warning:" in result.stderr and "without recalibrating" in result.stderr
    small = simulate(scenario.with_run(people=300, weeks=8))
    assert small.summary["claimants"] > 300
    assert {r["service"] for r in small.summary["head_counts"]} >= {"jobcentre", "skills"}


def test_borough_init_refuses_what_it_cannot_use(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("benefit,claimants\nJSA,100\nESA,200\n")
    result = CliRunner().invoke(main, ["borough", "init", "--claimants", str(bad), "--vacancies",
                                       "10", "--area-km2", "5", "--name", "x", "--out",
                                       str(tmp_path / "x.yaml")])
    assert result.exit_code == 2 and "no row for IS_LP" in result.output
    out, first = write(tmp_path)
    again = CliRunner().invoke(main, [*INIT, "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    nope = CliRunner().invoke(main, [*INIT, "--out", str(tmp_path / "y.yaml"), "--staff",
                                     "nowhere=3"])
    assert nope.exit_code == 2 and "nowhere" in nope.output


def test_the_calibration_warning_names_what_moved_and_stops_once_refitted(tmp_path):
    base = config.load("fragmented")
    assert config.uncalibrated(base) == []
    assert config.uncalibrated(config.load("codesign-full")) == []
    out, _ = write(tmp_path)
    warning = config.uncalibrated(config.load(out))
    assert len(warning) == 1 and "population.stock_mix" in warning[0]
    targets = tmp_path / "targets.yaml"
    targets.write_text(
        "people: 300\nweeks: 40\nseeds: [1]\ntargets:\n"
        "  - {id: T1, measure: by_benefit.JSA.off_benefit_13w, observed: a test, value: 0.7,"
        " low: 0.65, high: 0.75}\n")
    fitted = tmp_path / "fitted.yaml"
    result = CliRunner().invoke(main, ["calibrate", str(out), "--targets", str(targets),
                                       "--rounds", "2", "--out", str(fitted)])
    assert result.exit_code == 0, result.output
    refitted = config.load(fitted)
    assert refitted.calibrated_to == "targets.yaml" and config.uncalibrated(refitted) == []
    before = config.load(out).labour_market.matching_efficiency
    assert refitted.labour_market.matching_efficiency > before, "T1 asked for faster off-flow"
    assert refitted.jobcentre.wca == config.load(out).jobcentre.wca, "no C1 target: it stays"


def test_refit_moves_exactly_the_fitted_parameters():
    assert set(calibration.MOVES) | {"labour_market.barrier_sensitivity"} == set(config.FITTED)
