"""The evidence table covers every effect, take-up and capacity parameter, and stays in step."""

from dataclasses import replace
from pathlib import Path

import pytest

from journeysim import config
from journeysim.config import evidence

from .conftest import variant

DOCS = Path(__file__).parents[1] / "docs" / "evidence.md"


@pytest.fixture(scope="module")
def entries() -> dict[str, evidence.Evidence]:
    return evidence.load_evidence()


@pytest.fixture(scope="module")
def others() -> list[config.Scenario]:
    return [config.load(name) for name in config.bundled_scenarios() if name != config.BASELINE]


def test_every_kind_of_parameter_has_evidence_and_every_value_its_range(baseline, others,
                                                                        entries):
    assert evidence.problems(baseline, others, entries) == []


def test_the_schema_marks_the_levers_take_up_and_capacity(baseline):
    kinds = {row["parameter"]: row["kind"] for row in config.parameter_table(baseline)}
    for lever in ("personal_budget", "family_budget", "outreach", "post_employment"):
        assert kinds[f"{lever}.take_up"] == "take_up"
        assert kinds[f"{lever}.advisers_per_1000"] == "capacity"
    assert kinds["hub.engagement_probability"] == "take_up"
    assert kinds["services.work_experience.offer_factor"] == "effect"
    assert sum(kind == "effect" for kind in kinds.values()) > 60


def test_a_missing_entry_is_reported(baseline, entries):
    fewer = {k: v for k, v in entries.items() if k != "outreach.take_up"}
    assert evidence.problems(baseline, [], fewer) == [
        "outreach.take_up: a take_up parameter with no evidence entry"]


def test_the_entry_for_every_service_stands_in_for_a_service_without_its_own(entries):
    assert evidence.entry_for("services.housing.effect", entries) is entries[
        "services.*.effect"]
    assert evidence.entry_for("services.work_experience.offer_factor", entries) is entries[
        "services.work_experience.offer_factor"]


def test_a_value_outside_its_range_and_an_unknown_path_are_reported(entries):
    bold = variant({"post_employment": {"retention_effect": 0.9}})
    stray = {**entries, "hub.not_a_parameter": replace(entries["hub.motivation_gain"],
                                                       path="hub.not_a_parameter")}
    found = evidence.problems(bold, [], stray)
    assert "hub.not_a_parameter: the evidence file names no parameter of the model" in found
    assert any(p.startswith(f"{bold.name}: post_employment.retention_effect = 0.9 lies "
                            "outside") for p in found)


def test_a_design_may_size_its_own_capacity_but_not_its_effects(baseline, entries):
    big_team = variant({"outreach": {"advisers_per_1000": 5.0}})
    assert evidence.problems(baseline, [big_team], entries) == []
    strong = variant({"hub": {"motivation_gain": 0.9}})
    assert len(evidence.problems(baseline, [strong], entries)) == 1


def test_an_assumption_must_say_so(tmp_path):
    path = tmp_path / "evidence.yaml"
    path.write_text("hub.motivation_gain: {low: 0, high: 0.2, grade: D, source: seed 004}\n")
    with pytest.raises(ValueError, match="must start 'assumption:'"):
        evidence.load_evidence(path)
    path.write_text("hub.motivation_gain: {low: 0.3, high: 0.2, grade: C, source: seed 004}\n")
    with pytest.raises(ValueError, match="low <= high"):
        evidence.load_evidence(path)


def test_docs_evidence_table_matches_the_file_and_the_baseline(baseline, entries):
    docs = DOCS.read_text(encoding="utf-8")
    block = docs.split("<!-- evidence:start -->\n")[1].split("\n<!-- evidence:end -->")[0]
    assert block == evidence.markdown(evidence.evidence_table(baseline, entries)), (
        "docs/evidence.md is out of date: regenerate with "
        "`journeysim params --evidence --markdown`"
    )
