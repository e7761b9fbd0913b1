from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from journeysim import config
from journeysim.cli import main


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_baseline_loads_frozen_and_strict(baseline):
    assert baseline.name == "fragmented"
    assert baseline.labour_market.claimants_per_vacancy == 5.3
    with pytest.raises(ValidationError, match="frozen"):
        baseline.run.people = 3  # type: ignore[misc]


def test_extends_overrides_only_what_differs(tmp_path):
    path = write(tmp_path, "more.yaml", "extends: fragmented\nname: more\n"
                 "jobcentre:\n  advisers_per_1000: 9\n")
    scenario = config.load(path)
    base = config.load("fragmented")
    assert scenario.jobcentre.advisers_per_1000 == 9
    assert scenario.jobcentre.review_minutes == base.jobcentre.review_minutes
    assert scenario.labour_market == base.labour_market
    assert scenario.config_hash() != base.config_hash()


def test_hash_ignores_run_settings_but_not_parameters(baseline):
    assert baseline.with_run(people=7, seed=99).config_hash() == baseline.config_hash()
    other = baseline.model_copy(update={"costs": baseline.costs.model_copy(
        update={"adviser_hour": 31.0})})
    assert other.config_hash() != baseline.config_hash()


def test_extends_relative_to_the_file_and_chains(tmp_path):
    write(tmp_path, "a.yaml", "extends: fragmented\nrun:\n  weeks: 10\n")
    path = write(tmp_path, "b.yaml", "extends: a.yaml\nrun:\n  seed: 4\n")
    scenario = config.load(path)
    assert (scenario.run.weeks, scenario.run.seed) == (10, 4)
    assert scenario.name == "b"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jobcentre:\n  adviser_per_1000: 2\n",
         "field 'jobcentre.adviser_per_1000' is not a known"),
        ("jobcentre:\n  advisers_per_1000: -1\n", "field 'jobcentre.advisers_per_1000' = -1"),
        ("run:\n  weeks: many\n", "field 'run.weeks' = 'many'"),
        ("population:\n  barriers:\n    luck: {prevalence: {JSA: 0.1, ESA: 0.1, IS_LP: 0.1}, "
         "severity: {low: 0.1, mode: 0.2, high: 0.3}, weight: 1}\n", "unknown barrier 'luck'"),
        ("population:\n  motivation: {low: 0.9, mode: 0.1, high: 1}\n", "low <= mode <= high"),
        ("jobcentre:\n  intervention_barriers: [skils]\n", "unknown barrier 'skils'"),
    ],
)
def test_bad_values_give_one_message_naming_file_field_value(tmp_path, text, expected):
    path = write(tmp_path, "bad.yaml", "extends: fragmented\n" + text)
    with pytest.raises(config.ConfigError) as err:
        config.load(path)
    message = str(err.value)
    assert str(path) in message
    assert expected in message


def test_broken_yaml_missing_parent_and_cycles_are_config_errors(tmp_path):
    broken = write(tmp_path, "broken.yaml", "run: [1, 2\n")
    with pytest.raises(config.ConfigError, match="not valid YAML"):
        config.load(broken)
    orphan = write(tmp_path, "orphan.yaml", "extends: nowhere\n")
    with pytest.raises(config.ConfigError, match="field 'extends'.*nowhere"):
        config.load(orphan)
    write(tmp_path, "x.yaml", "extends: y.yaml\n")
    loop = write(tmp_path, "y.yaml", "extends: x.yaml\n")
    with pytest.raises(config.ConfigError, match="circle"):
        config.load(loop)
    with pytest.raises(config.ConfigError, match="no such scenario"):
        config.load(tmp_path / "absent.yaml")


def test_missing_field_in_a_file_without_extends(tmp_path):
    path = write(tmp_path, "bare.yaml", "name: bare\n")
    with pytest.raises(config.ConfigError, match="field 'run' is missing"):
        config.load(path)


def test_check_command_exits_nonzero_without_traceback(tmp_path):
    path = write(tmp_path, "bad.yaml", "extends: fragmented\nrun:\n  people: 0\n")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code != 0
    assert "field 'run.people' = 0" in result.output
    assert "Traceback" not in result.output
    good = CliRunner().invoke(main, ["check", "fragmented"])
    assert good.exit_code == 0 and good.output.startswith("ok: fragmented")


def test_every_parameter_has_unit_and_source(baseline):
    rows = config.parameter_table(baseline)
    assert len(rows) > 80
    for row in rows:
        assert row["unit"], row
        assert row["source"], row
    fitted = {r["parameter"] for r in rows if "fitted to" in r["source"]}
    assert len(config.FITTED) == 8 and len(fitted) == 6  # the inflows are one row
    for path in config.FITTED:
        assert path in fitted or path.rsplit(".", 1)[0] in fitted, path


def test_docs_parameter_table_matches_the_schema(baseline):
    docs = (Path(__file__).parents[1] / "docs" / "model.md").read_text(encoding="utf-8")
    block = docs.split("<!-- parameters:start -->\n")[1].split("\n<!-- parameters:end -->")[0]
    assert block == config.markdown_table(config.parameter_table(baseline)), (
        "docs/model.md is out of date: regenerate with `journeysim params --markdown`"
    )


def test_docs_unit_cost_table_matches_the_schema(baseline):
    docs = (Path(__file__).parents[1] / "docs" / "costs.md").read_text(encoding="utf-8")
    block = docs.split("<!-- unit-costs:start -->\n")[1].split("\n<!-- unit-costs:end -->")[0]
    rows = config.unit_cost_table(baseline)
    assert block == config.markdown_table(rows), (
        "docs/costs.md is out of date: regenerate with `journeysim params --costs --markdown`"
    )
    paths = {row["parameter"] for row in rows}
    assert {"costs.adviser_hour", "hub.site_cost_per_year", "hub.setup_cost_per_site",
            "work_programme.outcome_fee", "cba.wellbeing_per_work_week",
            "services.skills.cost_per_episode", "personal_budget.amount"} <= paths
    assert all(row["price_year"] == "2011/12" for row in rows if "GBP" in row["unit"])
