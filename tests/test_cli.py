import json
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

from journeysim.analysis import costs
from journeysim.cli import main

CONTRACT = ["off_flow_13w", "off_flow_26w", "off_flow_52w", "median_claim_weeks",
            "job_entry_rate", "sustained_job_rate", "cycling_rate", "mean_spells",
            "agencies_per_person", "assessments_per_person", "referrals_lost", "cost_total",
            "cost_per_person", "cost_per_sustained_job", "cost_benefit", "cost_services"]


def test_run_writes_the_contract_files_and_prints_a_table(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", "fragmented", "--people", "300", "--weeks", "30",
                                       "--seed", "3", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Off-flow by week 13" in result.output
    summary = json.loads((out / "summary.json").read_text())
    for key in ("scenario", "config_hash", "seed", "version", "people", "weeks", *CONTRACT):
        assert key in summary, key
    for group in ("JSA", "ESA", "IS", "NONE"):
        assert set(CONTRACT) <= set(summary["by_benefit"][group])
    assert (summary["people"], summary["weeks"], summary["seed"]) == (300, 30, 3)
    events = pd.read_parquet(out / "events.parquet")
    assert list(events.columns) == ["run", "person", "household", "day", "event", "service",
                                    "detail", "value", "cost"]
    weekly = pd.read_parquet(out / "weekly.parquet")
    assert list(weekly.week) == list(range(1, 31))
    people = pd.read_parquet(out / "people.parquet")
    for column in ("segment", "state", "days_on_benefit", "spells", "agencies", "assessments",
                   "handoffs", "cost"):
        assert column in people.columns
    assert not list(out.glob(".*partial"))


def test_run_twice_gives_identical_summary(tmp_path):
    args = ["run", "fragmented", "--people", "300", "--weeks", "20", "--seed", "5", "--quiet"]
    CliRunner().invoke(main, [*args, "--out", str(tmp_path / "a")])
    CliRunner().invoke(main, [*args, "--out", str(tmp_path / "b")])
    assert (tmp_path / "a" / "summary.json").read_bytes() == (
        tmp_path / "b" / "summary.json").read_bytes()


def test_run_rejects_unknown_scenario_and_bad_options():
    result = CliRunner().invoke(main, ["run", "no-such-place"])
    assert result.exit_code != 0 and "no such scenario" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["run", "fragmented", "--people", "0"])
    assert result.exit_code != 0 and "--people" in result.output


def test_scenarios_lists_every_bundled_scenario():
    result = CliRunner().invoke(main, ["scenarios"])
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines() if line.strip()]
    for name in ("fragmented", "codesign-hub", "codesign-personal-budget", "codesign-family",
                 "codesign-full", "wakefield-new-journey", "south-tyneside-family-works",
                 "lewisham-personal-budget", "wakefield", "south-tyneside"):
        assert name in names


def test_params_lists_every_parameter_with_source():
    result = CliRunner().invoke(main, ["params"])
    assert result.exit_code == 0
    assert "labour_market.claimants_per_vacancy = 5.3" in result.output
    markdown = CliRunner().invoke(main, ["params", "--markdown"]).output
    assert markdown.startswith("| parameter | value | unit | source | meaning |")


def test_help_describes_every_command():
    result = CliRunner().invoke(main, ["--help"])
    for command in ("run", "trace", "compare", "cba", "report", "workshop", "sweep",
                    "sensitivity", "scenarios", "check", "params"):
        assert command in result.output
    compare = CliRunner().invoke(main, ["compare", "--help"])
    assert "--reps" in compare.output and "--scheduler" in compare.output
    bad = CliRunner().invoke(main, ["compare", "fragmented", "--reps", "1"])
    assert bad.exit_code != 0 and "at least 2 replications" in bad.output


def test_readme_example_is_what_the_baseline_prints():
    """The README shows a real run; this keeps it true."""
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ journeysim run fragmented --out out/fragmented\n")[1]
    shown = shown.split("\nwrote ")[0]
    result = CliRunner().invoke(main, ["run", "fragmented", "--quiet"])
    assert result.exit_code == 0
    assert result.output.rstrip("\n") == shown.rstrip("\n"), "update the README example"


def test_readme_trace_example_is_what_trace_prints():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    command = "$ journeysim trace fragmented --person 597 --people 500 --weeks 52\n"
    shown = readme.split(command)[1].split("\n```")[0]
    result = CliRunner().invoke(main, ["trace", "fragmented", "--person", "597", "--people",
                                       "500", "--weeks", "52"])
    assert result.exit_code == 0
    assert result.output.rstrip("\n") == shown, "update the README trace example"


@pytest.mark.slow  # a compare and an appraisal
def test_cba_appraises_a_scenario_and_compare_does_the_same_when_asked(tmp_path):
    args = ["--people", "300", "--weeks", "52", "--reps", "2", "--executor", "serial",
            "--quiet"]
    result = CliRunner().invoke(main, ["cba", "codesign-hub", *args, "--horizon-years", "5",
                                       "--out", str(tmp_path / "cba")])
    assert result.exit_code == 0, result.output
    assert "codesign-hub against fragmented: 5 years, 2011/12 prices" in result.output
    for line in ("society", "exchequer", "participant", "the council", "NPV by category",
                 "society without wellbeing", "of society's PV benefits",
                 "the Exchequer's figures never include it", "What drives the result",
                 "without wellbeing", "low persistence: 0 a year (effects stop with the run)",
                 "high persistence: 0.85 a year", "The result depends most on",
                 "Net of displacement: society NPV", "Gross (no displacement): society NPV",
                 "society, gross (no displacement)", "exchequer, gross (no displacement)",
                 "society, same horizon as costs", "Wellbeing, net of displacement"):
        assert line in result.output, line
    assert result.output.index("Net of displacement") < result.output.index(
        "Gross (no displacement)"), "the net figure is the headline, quoted first"
    table = pd.read_csv(tmp_path / "cba" / "cba.csv")
    assert set(table.scenario) == {"codesign-hub"}
    assert (table.replications[table.measure == "npv_society"] == 2).all()
    assert {"npv_society_without_wellbeing", "bcr_society_without_wellbeing",
            "wellbeing_share_of_society_benefits", "npv_society_gross", "bcr_society_gross",
            "npv_exchequer_gross", "npv_society_same_horizon"} <= set(table.measure)
    # appraised net of the displacement its runs measured: mean extra hires in all over
    # mean extra job starts in the model
    runs = pd.read_csv(tmp_path / "cba" / "runs.csv").set_index(["scenario", "replication"])
    hires = ["hires_in_model", "hires_total"]
    extra = runs.loc["codesign-hub", hires] - runs.loc["fragmented", hires]
    share = costs.displaced_share(extra.hires_in_model.mean(), extra.hires_total.mean())
    applied = table.set_index("measure").loc["displacement_applied"]
    assert applied["mean"] == pytest.approx(share, rel=1e-9)
    assert applied["half_width"] == pytest.approx(0.0, abs=1e-12), "one share for every rep"
    ranges = pd.read_csv(tmp_path / "cba" / "cba_ranges.csv")
    assert "persistence_per_year" in set(ranges.parameter)
    assert (ranges.npv_society_swing == (ranges.npv_society_high
                                         - ranges.npv_society_low).abs()).all()
    body = json.loads((tmp_path / "cba" / "cba.json").read_text())
    assert body["settings"]["horizon_years"] == 5
    assert body["settings"]["persistence_per_year"] == 0.6
    assert {"npv_society_without_wellbeing", "wellbeing_share_of_society_benefits"} <= {
        row["measure"] for row in body["table"]}
    # compare --cba on the same runs gives the same figures
    again = CliRunner().invoke(main, ["compare", "fragmented", "codesign-hub", *args, "--cba",
                                      "--horizon-years", "5", "--out", str(tmp_path / "cba")])
    assert again.exit_code == 0, again.output
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "cba" / "cba.csv"), table)
    plain = CliRunner().invoke(main, ["compare", "fragmented", "codesign-hub", *args,
                                      "--out", str(tmp_path / "cba")])
    assert "NPV" not in plain.output
    assert not any((tmp_path / "cba" / name).exists()
                   for name in ("cba.csv", "cba_ledger.csv", "cba_ranges.csv", "cba.json")), (
        "a comparison rerun without --cba leaves no appraisal for the report to show")
    assert "Off-flow by week 13 (new claims)" in plain.output and "off_flow_13w" not in (
        plain.output)


def test_compare_prints_json_and_a_line_per_finished_run_when_piped(tmp_path):
    args = ["compare", "fragmented", "codesign-hub", "--people", "200", "--weeks", "30",
            "--reps", "2", "--executor", "serial", "--json", "--out", str(tmp_path / "c")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    rows = {(r["scenario"], r["measure"]): r for r in body["table"]}
    row = rows[("codesign-hub", "off_flow_13w")]
    assert row["unit"] == "share" and row["label"] == "Off-flow by week 13 (new claims)"
    assert 0 <= row["mean"] <= 1 and row["difference"] is not None
    assert rows[("fragmented", "off_flow_13w")]["difference"] is None
    table = pd.read_csv(tmp_path / "c" / "table.csv")
    mine = table[(table.scenario == "codesign-hub") & (table.measure == "off_flow_13w")]
    assert row["mean"] == pytest.approx(mine["mean"].iloc[0])
    lines = [line for line in result.stderr.splitlines() if "runs finished" in line]
    assert lines[-1] == "runs: 4 of 4 runs finished" and len(lines) == 4
    hub = [r for r in body["impacts"] if r["service"] == "hub"]
    assert hub and {r["scenario"] for r in body["impacts"]} == {"codesign-hub"}
    assert {r["weeks"] for r in hub} == {26}, "a 30-week run sees 26 weeks after a start only"
    written = pd.read_csv(tmp_path / "c" / "impacts.csv")
    assert len(written) == len(body["impacts"])
    for r in hub:
        assert r["impact"] == pytest.approx(r["treated_share"] - r["baseline_share"])


def test_workshop_refuses_an_unknown_design_before_starting_a_server():
    result = CliRunner().invoke(main, ["workshop", "--design", "no-such-scenario"])
    assert result.exit_code != 0 and "no-such-scenario" in result.output


HEAVY = ("mesa", "simpy", "dask", "matplotlib", "scipy", "SALib", "solara", "pandas")


@pytest.mark.parametrize("args", [["--help"], ["scenarios"], ["check", "fragmented"],
                                  ["params", "fragmented"]])
def test_the_quick_commands_import_none_of_the_heavy_libraries(args):
    """--help, scenarios, check and params answer without loading the simulation."""
    script = ("import sys\nfrom journeysim.cli import main\n"
              f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
              "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    loaded = set(done.stdout.split()[-1000:])
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_the_cli_offers_the_uncertainty_designs_the_analysis_has():
    from journeysim.cli import DESIGNS
    from journeysim.runs.uncertainty import DESIGNS as ANALYSED

    assert DESIGNS == ANALYSED


def test_params_filters_by_prefix_and_writes_a_starter_file_that_loads(tmp_path):
    shown = CliRunner().invoke(main, ["params", "codesign-hub", "hub.", "system.lead_worker"])
    assert shown.exit_code == 0, shown.output
    listed, heads = shown.output.split("\n\n")
    paths = [line.split(" = ")[0] for line in listed.splitlines()]
    assert paths and all(p.startswith(("hub.", "system.lead_worker")) for p in paths)
    assert "hub.advisers_per_1000" in paths and "system.lead_worker" in paths
    assert heads.splitlines()[1].split() == ["hub", "3", "advisers", "(0.5", "per", "1,000)"], (
        "0.5 per 1,000 of 5,000 claimants, rounded up")
    assert CliRunner().invoke(main, ["params", "fragmented", "nothing."]).exit_code == 2
    starter = CliRunner().invoke(main, ["params", "codesign-hub", "hub.", "services.skills.",
                                        "--yaml"])
    assert starter.exit_code == 0, starter.output
    path = tmp_path / "mine.yaml"
    path.write_text(starter.output)
    from journeysim import config

    mine, hub = config.load(path), config.load("codesign-hub")
    assert mine.config_hash() == hub.config_hash(), "every value repeated as it was"
    assert "advisers_per_1000: 0.5  # advisers per 1,000 stock claimants" in starter.output


def test_shares_are_overridden_as_a_whole(tmp_path):
    path = tmp_path / "partial.yaml"
    path.write_text("extends: fragmented\nname: partial\n"
                    "population:\n  stock_mix: {JSA: 0.4, ESA: 0.5}\n")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2
    assert "gives JSA, ESA but not IS_LP" in result.output and "IS_LP 0.123" in result.output
    path.write_text("extends: fragmented\nname: whole\n"
                    "population:\n  stock_mix: {JSA: 0.4, ESA: 0.5, IS_LP: 0.1}\n")
    assert CliRunner().invoke(main, ["check", str(path)]).exit_code == 0
