"""A partnership's own borough: borough init, head-counts, the calibration warning, calibrate."""

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from journeysim import config
from journeysim.cli import main
from journeysim.runs import calibration
from journeysim.runs.results import simulate

SAMPLE = str(Path(__file__).parent / "data" / "borough_claimants.csv")  # JSA 9,000, ESA
# 18,900, IS_LP 4,750, and 3,100 carers the model does not take
EXAMPLE = Path(__file__).parents[1] / "docs" / "examples" / "ourtown-hub.yaml"
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
    inflow = config.load(config.BASELINE).population.inflow_per_1000_week.JSA
    assert f"fragmented's inflow x this stock share / fragmented's share: JSA {inflow:g} x " \
        f"{9000 / 32650:.4f}" in text, "each benefit's inflow follows its share of the stock"
    assert "#   population.esa_age = low 18, mode 50, high 64" in text, "inherited, listed"
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


# --- files as people have them ---------------------------------------------------------------
#: A published download, as a spreadsheet saves it: a title line, a blank line, age
#: bands headed as the tables head them, a pound sign, and a total row.
DOWNLOAD = ("Key out-of-work benefit claimants, Ourtown (\u00a3 not used), May 2011\n\n"
            "Benefit type,Claimants,18-24,25-49,50+,Notes\n"
            "Job seekers,\"9,000\",2700,4950,1350,\u00e9t\u00e9\n"
            "ESA and incapacity benefits,18900,,,,\n"
            "Lone parents,4750,,,,\n"
            "Carers,3100,,,,\n"
            "Total,\"35,750\",,,,\n")


def _init(tmp_path, claimants, *extra):
    out = tmp_path / "ourtown.yaml"
    result = CliRunner().invoke(main, ["borough", "init", "--claimants", str(claimants),
                                       "--vacancies", "1700", "--area-km2", "350", "--name",
                                       "ourtown", "--out", str(out), *extra])
    return out, result


@pytest.mark.parametrize(("encoding", "delimiter"), [("latin-1", ","), ("cp1252", ","),
                                                     ("utf-8-sig", ";"), ("utf-16", "\t"),
                                                     ("utf-8", ",")])
def test_a_spreadsheets_download_is_read_and_what_was_set_aside_is_said(tmp_path, encoding,
                                                                        delimiter):
    text = DOWNLOAD if delimiter == "," else DOWNLOAD.replace('"9,000"', "9000").replace(
        '"35,750"', "35750").replace(",", delimiter)
    claimants = tmp_path / "download.csv"
    claimants.write_bytes(text.encode(encoding))
    out, result = _init(tmp_path, claimants)
    assert result.exit_code == 0, result.output
    shown = result.stdout
    assert "JSA 9,000, ESA 18,900, IS_LP 4,750" in shown
    assert "skipped 2 title line(s)" in shown
    assert "dropped 2 row(s) the model does not take: 'Carers' (3100), 'Total' (35" in shown
    assert "ignored column(s) 'Notes'" in shown
    assert "read column '18-24' as age_18_24" in shown and "'50+' as age_50_plus" in shown
    bands = config.load(out).population.jsa_age_bands
    assert (bands.age_18_24, bands.age_25_49) == pytest.approx((0.3, 0.55))


def test_age_bands_that_do_not_add_up_are_refused_and_near_ones_used_as_shares(tmp_path):
    claimants = tmp_path / "bands.csv"
    claimants.write_text("benefit,claimants,18-24,25-49,50+\nJSA,9000,900000,1,1\n"
                         "ESA,18900,,,\nIS_LP,4750,,,\n", encoding="utf-8")
    out, refused = _init(tmp_path, claimants)
    assert refused.exit_code == 2 and not out.exists()
    assert "add up to 900,002 but the JSA row says 9,000" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
    claimants.write_text("benefit,claimants,18-24,25-49,50+\nJSA,9000,2700,4950,1345\n"
                         "ESA,18900,,,\nIS_LP,4750,,,\n", encoding="utf-8")
    out, accepted = _init(tmp_path, claimants)
    assert accepted.exit_code == 0, accepted.output
    assert "JSA age bands add up to 8,995, not 9,000: used as shares" in accepted.stdout


def test_a_file_name_cannot_write_keys_into_the_scenario(tmp_path):
    claimants = tmp_path / "x\nrun: {people: 3}\nname: evil\n#.csv"
    claimants.write_text((Path(SAMPLE)).read_text(encoding="utf-8"), encoding="utf-8")
    out, result = _init(tmp_path, claimants)
    assert result.exit_code == 0, result.output
    loaded = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert loaded["name"] == "ourtown" and loaded["run"]["people"] == 32650
    assert set(loaded) == {"extends", "name", "description", "run", "population",
                           "labour_market", "geography", "hub"}


def test_borough_design_writes_the_example_design_and_it_runs(tmp_path):
    out, made = _init(tmp_path, SAMPLE, "--staff", "hub=6", "--cohort", "personal_budget=40")
    assert made.exit_code == 0, made.output
    design = tmp_path / "ourtown-hub.yaml"
    written = CliRunner().invoke(main, ["borough", "design", "--borough", str(out), "--out",
                                        str(design)])
    assert written.exit_code == 0, written.output
    assert design.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8"), (
        "docs/examples/ourtown-hub.yaml is what borough design writes")
    loaded = config.load(design)
    assert loaded.hub.enabled and loaded.personal_budget.enabled
    heads = {(s, what): n for s, what, _, n in loaded.head_counts()}
    assert heads[("hub", "advisers")] == 6
    again = CliRunner().invoke(main, ["borough", "design", "--borough", str(out), "--out",
                                      str(design)])
    assert again.exit_code == 2 and "--force" in again.stderr


@pytest.mark.slow  # a compare and its report
def test_a_plan_run_at_fewer_people_says_its_staffing_changed_in_compare_and_report(tmp_path):
    out, made = _init(tmp_path, SAMPLE, "--staff", "hub=6")
    design = tmp_path / "ourtown-hub.yaml"
    assert CliRunner().invoke(main, ["borough", "design", "--borough", str(out), "--out",
                                     str(design)]).exit_code == 0
    folder = tmp_path / "compared"
    compared = CliRunner().invoke(main, ["compare", str(out), str(design), "--reps", "2",
                                         "--people", "2000", "--weeks", "6", "--executor",
                                         "serial", "--quiet", "--out", str(folder)])
    assert compared.exit_code == 0, compared.output
    assert "Staffing per claimant changes at 2,000 claimants" in compared.stdout
    assert "hub 1 advisers for 0.37 (2.7x)" in compared.stdout
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert any("hub 1 advisers" in p for p in summary["staffing_rounded"]["ourtown-hub"])
    shown = CliRunner().invoke(main, ["report", str(folder)])
    assert shown.exit_code == 0, shown.output
    assert "hub 1 advisers for 0.37 (2.7x)" in (folder / "report.html").read_text(
        encoding="utf-8")
    at_own_size = config.rounded_staffing(config.load(design), 32650)
    assert at_own_size == [], "at the plan's own size nothing changes"


def test_a_sweep_says_when_its_staffing_points_round_to_the_same_head_counts(tmp_path):
    body = {"name": "advisers", "scenario": "fragmented", "people": 200, "weeks": 4,
            "seed": 1, "replications": 2, "method": "grid",
            "parameters": {"jobcentre.advisers_per_1000": [1.0, 2.0, 20.0]},
            "measures": ["off_flow_13w"]}
    spec = tmp_path / "advisers.yaml"
    spec.write_text(yaml.safe_dump(body), encoding="utf-8")
    swept = CliRunner().invoke(main, ["sweep", str(spec), "--executor", "serial", "--quiet",
                                      "--out", str(tmp_path / "out")])
    assert swept.exit_code == 0, swept.output
    assert ("Points advisers-0000, advisers-0001 run the same staffing at 200 claimants"
            in swept.stdout), "1.0 and 2.0 per 1,000 both give 1 adviser for 200; 20 gives 4"
    assert "advisers-0002" not in swept.stdout.split("run the same staffing")[0]
