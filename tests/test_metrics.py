import numpy as np
import pandas as pd
import pytest

from journeysim.analysis import measures as metrics
from journeysim.runs.results import simulate


def test_kaplan_meier_against_hand_calculation():
    days = np.array([1.0, 2.0, 2.0, 3.0, 4.0])
    ended = np.array([True, True, False, True, False])
    times, survival = metrics.kaplan_meier(days, ended)
    assert list(times) == [1.0, 2.0, 3.0, 4.0]
    # at risk 5, 4, 2, 1; ending 1, 1, 1, 0
    assert survival == pytest.approx([0.8, 0.6, 0.3, 0.3])
    assert metrics.survival_at(times, survival, 0.5) == 1.0
    assert metrics.survival_at(times, survival, 2.5) == pytest.approx(0.6)


def test_without_censoring_off_flow_is_the_plain_share():
    claims = pd.DataFrame({"person": range(6), "benefit": "JSA", "start": 0.0,
                           "days": [10.0, 50.0, 80.0, 100.0, 200.0, 400.0],
                           "destination": ["work", "inactive", "work", "benefit", "work",
                                           "work"], "new": True})
    out = metrics.off_flow(claims, horizon_days=500)
    assert out["off_flow_13w"] == pytest.approx(3 / 6)
    assert out["off_flow_26w"] == pytest.approx(4 / 6)
    assert out["off_flow_destinations"]["13w"] == pytest.approx(
        {"work": 2 / 6, "benefit": 0.0, "inactive": 1 / 6})
    assert out["median_claim_weeks"] == pytest.approx(80 / 7)


def test_off_flow_is_not_reported_beyond_the_follow_up():
    claims = pd.DataFrame({"person": [1], "benefit": "JSA", "start": 0.0, "days": [30.0],
                           "destination": ["censored"], "new": True})
    out = metrics.off_flow(claims, horizon_days=20 * 7)
    assert out["off_flow_13w"] is None and out["off_flow_52w"] is None


def test_destinations_add_up_to_off_flow_on_a_real_run(baseline):
    summary = simulate(baseline.with_run(people=1000, weeks=60, seed=12)).summary
    for weeks in (13, 26, 52):
        parts = summary["off_flow_destinations"][f"{weeks}w"]
        assert sum(parts.values()) == pytest.approx(summary[f"off_flow_{weeks}w"])


def test_cycling_counts_returns_within_26_weeks_of_observable_jobs():
    jobs = pd.DataFrame({"person": [1, 2, 3, 1], "start": [10.0, 20.0, 600.0, 400.0],
                         "days": [30.0, 50.0, 10.0, 5.0], "kind": "temporary"})
    claims = pd.DataFrame({"person": [1, 2, 3, 1], "day": [-5.0, 300.0, 620.0, 50.0]})
    marked = metrics.mark_returns(jobs, claims, horizon_days=700.0)
    # person 1's first job: back at day 50 (40 days later); person 2: back after 280 days;
    # person 3's job is too late to be seen; person 1's second job: no claim after it
    assert list(marked.seen) == [True, True, False, True]
    assert list(marked.returned) == [True, False, True, False]
    assert metrics.cycling_rate(marked) == pytest.approx(1 / 3)


def test_people_table_agrees_with_the_summary(baseline):
    out = simulate(baseline.with_run(people=700, weeks=40, seed=13))
    people, summary = out.people, out.summary
    claimants = people[people.spells > 0]
    assert summary["claimants"] == len(claimants)
    assert summary["cost_total"] == pytest.approx(people.cost.sum())
    assert summary["mean_spells"] == pytest.approx(claimants.spells.mean())
    assert (people.agencies >= (people.spells > 0)).all(), "every claimant met the Jobcentre"
    assert set(summary["by_benefit"]) == {"JSA", "ESA", "IS", "NONE"}
    total = sum(g["claimants"] for g in summary["by_segment"].values())
    assert total == summary["claimants"]


def test_turned_away_counts_each_reason_once():
    events = pd.DataFrame({
        "event": ["abandoned", "abandoned", "abandoned", "declined", "declined", "declined",
                  "wait"],
        "detail": ["no adviser free", "left benefit", "no adviser free", "no place",
                   "cohort full", "not taken up", "intervention"]})
    assert metrics.turned_away(events) == {
        "dropped_no_adviser": 2, "refused_full": 2, "gave_up_waiting": 1}


def test_dropped_appointments_are_the_jobcentres_and_add_up_to_its_gave_up(baseline):
    """A Jobcentre short of advisers shows its dropped interventions in the summary."""
    jobcentre = baseline.jobcentre.model_copy(update={"advisers_per_1000": 1.0})
    short = baseline.model_copy(update={"jobcentre": jobcentre})
    summary = simulate(short.with_run(people=800, weeks=30, seed=5)).summary
    assert summary["dropped_no_adviser"] > 0
    gave_up = sum(s["abandoned"] for s in summary["by_service"].values())
    assert summary["dropped_no_adviser"] + summary["gave_up_waiting"] == gave_up
