"""Validation: the measures it adds, its files, its verdicts and the validate command.

Runs are small (150 claimants, 60 weeks, two seeds) through a copy of the targets
file at that size; the verdicts are checked against bands computed from a first
run, so that a broken baseline is seen to miss while the baseline passes.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from journeysim import config
from journeysim.analysis import measures as metrics
from journeysim.cli import MISSED, main
from journeysim.runs import calibration, validation
from journeysim.runs.experiment import SerialExecutor

ROOT = Path(__file__).resolve().parents[1]
SMALL = {"people": 150, "weeks": 60, "seeds": [1, 2]}


def _targets_file(folder: Path, scenario: str = "fragmented",
                  targets: list[dict] | None = None) -> Path:
    """The bundled targets at a small size (or ``targets`` instead), written to ``folder``."""
    data = yaml.safe_load(calibration.TARGETS_FILE.read_text(encoding="utf-8"))
    data.update(SMALL, scenario=scenario)
    if targets is not None:
        data["targets"] = targets
    path = folder / "targets.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _validate(*args: str) -> object:
    return CliRunner().invoke(main, ["validate", "--executor", "serial", "--quiet", *args])


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[validation.Plan, list[validation.Result], Path]:
    """Every bundled target and check, judged on small runs; and the folder of the files."""
    folder = tmp_path_factory.mktemp("small")
    plan = validation.plan(_targets_file(folder))
    return plan, validation.run(plan, SerialExecutor()), folder


# --- the measures validation adds ------------------------------------------------------------
def test_the_mean_claim_is_the_plain_mean_when_every_claim_ends():
    claims = pd.DataFrame({"person": range(3), "benefit": "JSA", "start": 0.0,
                           "days": [7.0, 14.0, 42.0], "destination": "work", "new": True})
    assert metrics.off_flow(claims, horizon_days=100.0)["mean_claim_weeks"] == pytest.approx(3.0)


def test_the_mean_claim_is_restricted_to_the_follow_up():
    claims = pd.DataFrame({"person": range(2), "benefit": "JSA", "start": 0.0,
                           "days": [7.0, 70.0], "destination": ["work", "censored"],
                           "new": True})
    # half leave at day 7; the other is followed to day 70: (7 + 70) / 2 days
    out = metrics.off_flow(claims, horizon_days=70.0)
    assert out["mean_claim_weeks"] == pytest.approx(77 / 2 / 7)


def test_wca_outcomes_follow_each_esa_claim_to_its_assessment():
    claims = pd.DataFrame({
        "person": [1, 2, 3, 4, 5, 6, 2],
        "benefit": ["ESA", "ESA", "ESA", "ESA", "ESA", "ESA", "JSA"],
        "start": [0.0, 10.0, 20.0, 30.0, 40.0, 500.0, 150.0],
        "days": [50.0, 140.0, 560.0, 550.0, 560.0, 100.0, 20.0],
        "destination": ["inactive", "benefit", "censored", "censored", "censored", "censored",
                        "work"],
        "new": True})
    events = pd.DataFrame({"person": [2, 3, 4, 6], "day": [150.0, 120.0, 130.0, 590.0],
                           "event": "wca", "detail": ["fit_for_work", "support_group",
                                                      "work_related_activity_group",
                                                      "support_group"]})
    # person 6's claim began too late to count; person 5 is still waiting at the end
    out = metrics.wca_outcomes(claims, events, horizon_days=600.0)
    assert out == {"closed_before": 0.2, "fit_for_work": 0.2, "support_group": 0.2,
                   "work_related_activity_group": 0.2, "in_progress": 0.2}


def test_work_programme_breaks_count_whole_breaks_within_36_weeks():
    events = pd.DataFrame({"person": [1, 2, 3, 4], "day": [0.0, 0.0, 0.0, 400.0],
                           "event": "payment", "service": "work_programme",
                           "detail": "attachment"})
    spells = pd.DataFrame({
        "person": [1, 1, 2, 3, 3, 4],
        "start": [-100.0, 200.0, -50.0, -10.0, 100.0, 300.0],
        "days": [110.0, 400.0, 250.0, 60.0, 20.0, 200.0],
        "destination": ["work", "censored", "work", "inactive", "work", "censored"],
    })
    # 1: off from day 10 to 200 (190 days); 2: off from day 200, 52 days left in the window;
    # 3: off 50 days, then from day 120 to the window's end (132 days); 4: attached too late
    out = metrics.work_programme_breaks(events, spells, horizon_days=600.0)
    assert out == {"13w": pytest.approx(2 / 3), "26w": pytest.approx(1 / 3)}


def test_new_measures_agree_with_the_people_table(baseline):
    from journeysim.runs.results import simulate

    out = simulate(baseline.with_run(people=300, weeks=60, seed=4))
    claimants = out.people[out.people.spells > 0]
    assert out.summary["in_work_at_end"] == pytest.approx((claimants.state == "in_work").mean())
    assert sum(out.summary["wca_outcomes"].values()) == pytest.approx(1.0)
    assert 0.0 <= out.summary["stock"]["jsa_over_1y_share"] <= 1.0


# --- the files ---------------------------------------------------------------------------------
def test_the_checks_file_is_package_data_beside_the_targets():
    assert validation.CHECKS_FILE.parent == calibration.TARGETS_FILE.parent
    assert validation.CHECKS_FILE.resolve() == ROOT / "experiments" / "validation_checks.yaml"


def test_every_check_runs_a_bundled_scenario_and_says_where_it_comes_from():
    bundled = config.bundled_scenarios()
    checks = validation.load_checks()
    for check in checks:
        assert check.scenario in bundled, check.id
        assert check.baseline is None or check.baseline in bundled, check.id
        assert check.source and check.note and check.low <= check.value <= check.high, check.id
    plan = validation.plan()
    assert {"T3", "C2", "W1", "E1"} <= {f.id for f in plan.figures}
    changed = plan.scenarios["fragmented + post_employment.enabled=true"
                             " + post_employment.advisers_per_1000=10.0"]
    assert changed.post_employment.enabled
    assert not plan.scenarios["fragmented"].post_employment.enabled
    assert (changed.run.people, changed.run.weeks) == (4000, 260)  # the targets file's size


def test_a_target_may_name_its_own_source_and_note():
    _, figures = validation.load_targets()
    (c2,) = [f for f in figures if f.id == "C2"]
    assert c2.kind == validation.TARGET and c2.source.startswith("DWP") and c2.note
    (t1,) = [f for f in figures if f.id == "T1"]
    assert t1.source == "calibration_targets.yaml" and not t1.note


def test_the_refit_moves_the_closure_hazard_towards_c2():
    _, targets = calibration.load_targets()
    (c2,) = [t for t in targets if t.id == "C2"]
    path = "jobcentre.wca.closed_before_per_week"
    few = calibration.step({path: 0.03}, {"C2": calibration.Check(c2, 0.30)}, {"JSA": 1.0}, 260)
    many = calibration.step({path: 0.03}, {"C2": calibration.Check(c2, 0.42)}, {"JSA": 1.0}, 260)
    assert few[path] > 0.03 > many[path], "too few claims closed before the WCA: a higher hazard"


def test_every_measure_path_is_in_a_real_summary(small):
    plan, results, _ = small
    summary = validation.summarise(plan.scenarios["fragmented"].with_run(seed=1))
    for figure in plan.figures:
        if validation.impact_path(figure.measure) is not None:
            continue  # read from a pair of runs' treated people (test_impacts.py)
        validation.measured(summary, figure.measure)  # a KeyError names a path that is not
    assert len(results) == len(plan.figures)
    for wrong in ("stock.nothing", "wca_outcomes", "by_benefit.JSA.off_benefit_13w.x"):
        with pytest.raises(KeyError):
            validation.measured(summary, wrong)


def test_a_bad_checks_file_is_one_line_naming_the_check(tmp_path):
    checks = yaml.safe_load(validation.CHECKS_FILE.read_text(encoding="utf-8"))
    cases = [("scenario", "no-such-place", "no such scenario"),
             ("low", 0.99, "the band must hold the observed value"),
             ("measure", "stock.nothing_here", "names no measure"),
             ("changes", {"post_employment.nope": True}, "is not a field")]
    for field, value, message in cases:
        broken = {"checks": [{**checks["checks"][0], field: value}]}
        path = tmp_path / "checks.yaml"
        path.write_text(yaml.safe_dump(broken), encoding="utf-8")
        result = _validate("--checks", str(path), "--out", str(tmp_path / "out"))
        assert result.exit_code == 2, result.output
        assert message in result.output and "T3" in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (tmp_path / "out").exists(), "nothing is written before the runs"


@pytest.mark.parametrize("seeds", ["1,x", "1,1", "-3", "4294967296"])
def test_bad_seeds_are_refused_in_one_line(seeds):
    result = _validate("--seeds", seeds)
    assert result.exit_code == 2 and "--seeds" in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1


# --- verdicts and the command ------------------------------------------------------------------
def test_target_verdicts_are_the_calibrations_own(small):
    plan, results, _ = small
    for result in results:
        if result.figure.kind == validation.TARGET:
            target = calibration.Target(result.figure.id, result.figure.measure,
                                        result.figure.observed, result.figure.value,
                                        result.figure.low, result.figure.high)
            passed = calibration.Check(target, sum(result.values) / len(result.values)).passed
            assert (result.verdict == validation.PASS) == passed, result.figure.id


def test_a_check_is_a_paired_difference_when_it_names_a_baseline(small):
    plan, results, _ = small
    (era,) = [r for r in results if r.figure.id == "E1"]
    assert era.figure.baseline == "fragmented" and len(era.values) == len(SMALL["seeds"])
    changed = plan.scenarios[era.figure.label]
    for seed, value in zip(plan.seeds, era.values, strict=True):
        on = validation.summarise(changed.with_run(seed=seed))
        off = validation.summarise(plan.scenarios["fragmented"].with_run(seed=seed))
        assert value == pytest.approx(on["by_benefit"]["JSA"]["in_work_at_end"]
                                      - off["by_benefit"]["JSA"]["in_work_at_end"])


def _band_around(plan: validation.Plan, results: list[validation.Result]) -> list[dict]:
    """T1's target with a band of 10 points around what the baseline gave."""
    (t1,) = [r for r in results if r.figure.id == "T1"]
    mean, _ = t1.model
    return [{"id": "T1", "measure": t1.figure.measure, "observed": "the baseline's own value",
             "value": mean, "low": mean - 0.1, "high": mean + 0.1}]


@pytest.mark.slow  # runs the whole validation twice
def test_the_baseline_passes_a_broken_one_misses_and_checks_never_decide(small, tmp_path):
    plan, results, _ = small
    band = _band_around(plan, results)
    good = _validate("--targets", str(_targets_file(tmp_path, targets=band)), "--out",
                     str(tmp_path / "good"))
    assert good.exit_code == 0, good.output
    table = pd.read_csv(tmp_path / "good" / "validation.csv")
    assert table.verdict[table.id == "T1"].item() == "pass"
    assert (table.verdict[table.kind == "check"] != "pass").any(), (
        "some check is outside its band at this size, and the exit status is still 0")
    broken = tmp_path / "broken.yaml"
    broken.write_text("extends: fragmented\nname: broken\n"
                      "labour_market:\n  matching_efficiency: 0.02\n", encoding="utf-8")
    bad = _validate("--targets", str(_targets_file(tmp_path, "broken.yaml", band)), "--out",
                    str(tmp_path / "bad"))
    assert bad.exit_code == MISSED == 3, bad.output
    assert "calibration target(s) missed: T1" in bad.output
    table = pd.read_csv(tmp_path / "bad" / "validation.csv")
    assert table.verdict[table.id == "T1"].item() == "miss"
    assert table.scenario[table.id == "T1"].item().endswith("broken.yaml")


@pytest.mark.slow  # the validate command end to end
def test_the_command_lists_every_target_and_check_and_writes_its_files(small, tmp_path):
    _, _, folder = small
    out = tmp_path / "out"
    result = _validate("--targets", str(folder / "targets.yaml"), "--people", "120", "--out",
                       str(out))
    assert result.exit_code in (0, MISSED), result.output
    ids = [t.id for t in calibration.load_targets()[1]] + [
        c.id for c in validation.load_checks()]
    lines = result.output.splitlines()
    for identifier in ids:
        assert any(line.startswith(f"{identifier} ") for line in lines), identifier
    assert "A quick look: the targets were fitted at 150 claimants, 60 weeks" in result.output
    with open(out / "validation.csv", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    assert header == list(validation.COLUMNS)
    docs = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    assert "the columns " + ", ".join(validation.COLUMNS) in " ".join(docs.split())
    assert list(pd.read_csv(out / "validation.csv").id) == ids
    body = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    assert (body["people"], body["seeds"]) == (120, SMALL["seeds"]) and body["version"]
    assert body["fitted"] == {"people": 150, "weeks": 60, "seeds": [1, 2]}
    assert json.loads((out / "complete.json").read_text())["kind"] == "validate"
    other = tmp_path / "a-run"
    other.mkdir()
    (other / "summary.json").write_text("{}", encoding="utf-8")  # what a run leaves
    refused = _validate("--targets", str(folder / "targets.yaml"), "--out", str(other))
    assert refused.exit_code == 2 and "--force" in refused.output, "not over another result"


def test_the_markdown_is_the_same_table(small, tmp_path):
    plan, results, _ = small
    table = validation.frame(results)
    markdown = validation.markdown_table(table, validation.run_settings(plan))
    rows = [line for line in markdown.splitlines() if line.startswith("| ")][1:]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == list(table.id)
    assert all("**" in row for row, verdict in zip(rows, table.verdict, strict=True)
               if verdict != "pass")


def test_the_report_of_a_validation_marks_what_fails(small, tmp_path):
    plan, results, _ = small
    out = tmp_path / "out"
    table = validation.frame(results)
    validation.write(table, plan, out)
    made = CliRunner().invoke(main, ["report", str(out)])
    assert made.exit_code == 0, made.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "Validation against observed figures" in page and "<figure id='validation'>" in page
    assert page.count("<tr class='miss'>") == int((table.verdict != "pass").sum())
    assert validation.verdicts(table).split(".")[0] in page
    assert (out / "figures" / "validation.svg").exists()


def test_the_docs_block_lists_every_target_and_check():
    docs = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    block = docs.split("<!-- validation-table:start -->\n")[1].split(
        "\n<!-- validation-table:end -->")[0]
    shown = [line.split(" | ")[0].removeprefix("| ") for line in block.splitlines()
             if line.startswith("| ")][1:]
    ids = [t.id for t in calibration.load_targets()[1]] + [
        c.id for c in validation.load_checks()]
    assert shown == ids, "docs/model.md is out of date: refresh with `journeysim validate " \
                         "--markdown`"
