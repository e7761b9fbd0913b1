from collections import Counter

import numpy as np
import pandas as pd
import pytest

from journeysim import config
from journeysim.analysis import measures as metrics
from journeysim.runs.results import simulate
from journeysim.sim import service_cost_mask
from journeysim.sim.model import JourneyModel, collector_paused
from tests.conftest import variant

QUIET_WORLD = {
    "population": {"stock_mix": {"JSA": 1.0, "ESA": 0.0, "IS_LP": 0.0},
                   "inflow_per_1000_week": {"JSA": 0.0, "ESA": 0.0, "IS_LP": 0.0}},
    "labour_market": {"search_intensity": {"JSA": 0.0},
                      "other_exits": {"JSA": {"inactive_per_week": 0.0,
                                              "transfer_per_week": 0.0}}},
    "jobcentre": {"sanctions": {"failure_probability": 0.0}},
    "system": {"identification_probability": 0.0},
    "services": {name: {"routine_referral": 0.0}
                 for name in ("work_club", "work_experience", "enterprise")},
    "work_programme": {"enabled": False},
}


def test_deterministic_pathway_gives_an_exact_log():
    """No offers, exits or sanctions: a stock JSA claimant meets only the fixed points."""
    scenario = variant(QUIET_WORLD, people=1, weeks=30, seed=8)
    result = JourneyModel(scenario).run()
    log = result.events[result.events.person == 0]
    assert list(log.event) == ["claim_start", "intervention", "intervention", "claim_end",
                               "benefit_paid", "reviews"]
    start = -float(log.value.iloc[0])
    hours = scenario.jobcentre.intervention_hours
    slot = hours * 7 / scenario.jobcentre.adviser_hours_per_week  # the intervention, in days
    interventions = log[log.event == "intervention"].day.to_numpy()
    assert interventions == pytest.approx([start + 91 + slot, start + 182 + slot])
    paid = log[log.event == "benefit_paid"].iloc[0]
    age = int(result.persons.set_index("person").age[0])
    weekly = 53.45 if age < 25 else 67.50
    assert paid.value == pytest.approx(210.0)
    assert paid.cost == pytest.approx(210.0 * weekly / 7)
    reviews = log[log.event == "reviews"].iloc[0]
    # fortnightly from a random first day over 30 weeks (15), but each intervention covers
    # the review due within the next fortnight, moving the rota on by less than a review
    assert 13 <= reviews.value <= 15
    assert reviews.cost == pytest.approx(
        reviews.value * scenario.jobcentre.review_minutes / 60 * scenario.costs.adviser_hour)
    assert log[log.event == "claim_end"].detail.iloc[0] == "censored"


def test_same_seed_identical_and_other_seed_different(baseline):
    scenario = baseline.with_run(people=400, weeks=40, seed=21)
    a, b = simulate(scenario), simulate(scenario)
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.people, b.people)
    assert a.summary == b.summary
    c = simulate(baseline.with_run(people=400, weeks=40, seed=22))
    assert c.summary["cost_total"] != a.summary["cost_total"]


def test_step_is_one_week_and_weekly_counts_equal_agent_states(baseline):
    model = JourneyModel(baseline.with_run(people=500, weeks=10, seed=2))
    for week in range(1, 6):
        model.step()
        assert model.env.now == 7 * week
        row = model.weekly_rows[-1]
        states = Counter(p.state for p in model.people)
        segments = Counter((p.state, p.segment) for p in model.people)
        for state, count in states.items():
            assert row[state] == count
        for (state, segment), count in segments.items():
            assert row[f"{state}.{segment}"] == count
        assert sum(states.values()) == len(model.people)
    assert model.steps == 5


def _mean_wait(advisers: float) -> float:
    scenario = variant({"jobcentre": {"advisers_per_1000": advisers}}, people=1500, weeks=26,
                       seed=4)
    events = JourneyModel(scenario).run().events
    jobcentre = events[events.service == "jobcentre"]
    appointments = jobcentre[jobcentre.event.isin(["intervention", "interview"])]
    waits = jobcentre[jobcentre.event == "wait"].value.sum()
    return waits / len(appointments)


@pytest.mark.slow  # three staffing levels, each a run
def test_more_advisers_shorter_waits_and_plenty_means_none():
    waits = [_mean_wait(a) for a in (0.5, 1.5, 3.0, 100.0)]
    assert waits[0] > waits[1] > waits[2] > waits[3], (
        f"mean wait per appointment (days) should fall as advisers rise: {waits}")
    assert waits[0] > 0.5, "one adviser for 1,500 claimants should leave people queueing for days"
    assert waits[3] == 0.0, "with 100 advisers per 1,000 nobody should wait"


def test_sanctions_withhold_benefit_and_can_end_claims():
    none = simulate(variant({"jobcentre": {"sanctions": {"failure_probability": 0.0}}},
                            people=600, weeks=30, seed=6))
    assert (none.events.event == "sanction").sum() == 0
    harsh = variant({"jobcentre": {"sanctions": {"failure_probability": 0.5,
                                                 "exit_probability": 1.0}}},
                    people=600, weeks=30, seed=6)
    events = simulate(harsh).events
    sanctions = events[events.event == "sanction"]
    assert len(sanctions) > 50
    ends = events[events.event == "claim_end"].set_index(["person", "day"]).detail
    for person, day in zip(sanctions.person, sanctions.day, strict=True):
        assert ends.loc[(person, day)] == "inactive", "exit_probability 1 ends the claim there"


def test_ledger_benefit_equals_days_times_rate(baseline):
    out = simulate(baseline.with_run(people=800, weeks=52, seed=9))
    events, people = out.events, out.people.set_index("person")
    paid = events[events.event == "benefit_paid"]
    sanctions = events[events.event == "sanction"].groupby("person").size()
    rates = {"JSA": 67.50, "ESA": 94.25, "IS_LP": 67.50}
    for row in paid.itertuples():
        weekly = 53.45 if row.detail == "JSA" and people.age[row.person] < 25 else rates[
            row.detail]
        if row.person not in sanctions.index:
            assert row.cost == pytest.approx(row.value * weekly / 7)
        else:
            assert row.cost <= row.value * weekly / 7 + 1e-9
    counted = service_cost_mask(events) | (events.event == "benefit_paid")
    assert out.summary["cost_total"] == pytest.approx(events.cost[counted].sum())
    assert out.summary["cost_benefit"] == pytest.approx(paid.cost.sum())
    weekly_total = out.weekly.benefit_to_date.iloc[-1]
    assert weekly_total == pytest.approx(paid.cost.sum(), rel=0.01)


def test_cycling_exists_and_depends_on_returning(baseline):
    usual = simulate(baseline.with_run(people=1500, weeks=78, seed=3)).summary
    assert 0.1 < usual["cycling_rate"] < 0.8
    assert usual["mean_spells"] > 1.0
    never = simulate(variant({"labour_market": {"return_probability": 0.0}}, people=1500,
                             weeks=78, seed=3)).summary
    assert never["cycling_rate"] == 0.0
    assert never["mean_spells"] < usual["mean_spells"]


def test_fewer_vacancies_slower_off_flow():
    def off_flow(ratio: float) -> float:
        scenario = variant({"labour_market": {"claimants_per_vacancy": ratio}}, people=1500,
                           weeks=52, seed=5)
        return simulate(scenario).summary["by_benefit"]["JSA"]["off_flow_13w"]

    assert off_flow(3.0) > off_flow(5.3) > off_flow(8.9), "more competition, slower off-flow"


def test_wca_timing_follows_the_assessment_phase_and_no_day_dominates(baseline):
    """The assessment phase is lognormal (median 15 weeks), so claims are assessed on
    different days, and no single day carries more than 5% of ESA claim ends."""
    events = simulate(baseline.with_run(people=3000, weeks=60, seed=7)).events
    claims = metrics.claims_table(events)
    esa = claims[(claims.benefit == "ESA") & claims.new]
    wca = events[events.event == "wca"]
    assert len(wca) > 100
    phases = []
    for person, day in zip(wca.person, wca.day, strict=True):
        mine = claims[(claims.person == person) & (claims.benefit == "ESA")
                      & (claims.start <= day)]
        phases.append((day - mine.start.max()) / 7)
    wca_settings = baseline.jobcentre.wca
    assert abs(float(np.median(phases)) - wca_settings.median_weeks) < 2.5, (
        "assessed claims show the phase's median (those closed first shorten it a little)")
    ended = esa[esa.destination != "censored"]
    busiest = ended.days.round(3).value_counts().iloc[0]
    assert busiest <= 0.05 * len(ended)
    shares = wca.detail.value_counts(normalize=True)
    assert 0.5 < shares["fit_for_work"] < 0.7
    assert shares["support_group"] < shares["work_related_activity_group"]



def test_a_relative_starting_work_lifts_the_household(baseline):
    model = JourneyModel(baseline.with_run(people=300, weeks=4, seed=1))
    household = next(p.household for p in model.people
                     if p.role == "partner" and p.state == "inactive")
    claimant, partner = household.members[0], household.members[1]
    before = claimant.motivation
    settings = baseline.motivation
    household.job_started(partner, 0.0)
    assert claimant.motivation == pytest.approx(before + settings.family_work_boost
                                                * (1 - before))
    assert claimant.lead_until == settings.job_lead_weeks * 7
    assert partner.lead_until < 0, "the person who starts work gets no lead from themselves"


def test_a_finished_model_can_be_freed(baseline):
    import gc
    import weakref

    model = JourneyModel(baseline.with_run(people=100, weeks=3, seed=1))
    model.run()
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None, "something still holds the finished model (many runs would leak)"


def test_what_is_made_while_the_collector_is_paused_is_filed_as_old_and_still_freed():
    import gc
    import weakref

    class Node:
        pass

    with collector_paused():
        assert not gc.isenabled()
        kept = [Node() for _ in range(1000)]
        dropped = Node()
        dropped.itself = dropped  # a cycle only the collector frees
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    young = {id(o) for generation in (0, 1) for o in gc.get_objects(generation=generation)}
    assert not any(id(node) in young for node in kept), "the next young collection would scan them"
    ref = weakref.ref(dropped)
    del dropped
    gc.collect()
    assert ref() is None


@pytest.mark.slow  # a large stock and its new claims followed a year
def test_stock_claimants_a_year_in_leave_more_slowly_than_new_claims(baseline):
    """Selection in the stock, seen in the run: JSA claimants already a year or more into
    their claim leave within 13 weeks less often than new JSA claims do."""
    out = simulate(baseline.with_run(people=6000, weeks=40, seed=3))
    claims = metrics.claims_table(out.events)
    jsa = claims[claims.benefit == "JSA"]
    old = jsa[~jsa.new & (-jsa.start >= 364)]
    left = ((old.destination != "censored") & (old.start + old.days <= 91)).mean()
    new = out.summary["by_benefit"]["JSA"]["off_benefit_13w"]
    assert len(old) > 100
    assert left < new - 0.04, f"stock a year in: {left:.2f} off by week 13; new claims {new:.2f}"


@pytest.mark.slow
def test_a_five_year_baseline_holds_still():
    """Without a stated trend, the claimant mix stays within 2 points, and the 13-week JSA
    off-flow of each year's new claims within 3 points, of year 1 (mean of three seeds)."""
    base = config.load(config.BASELINE)
    mixes, offs = [], []
    for seed in (1, 2, 3):
        claims = metrics.claims_table(simulate(base.with_run(people=4000, weeks=260,
                                                             seed=seed)).events)
        mix, off = [], []
        for year in range(5):
            t = (year + 1) * 364.0 - 1.0
            open_ = claims[(claims.start <= t) & (claims.start + claims.days > t)]
            mix.append([(open_.benefit == b).mean() for b in ("JSA", "ESA", "IS_LP")])
            new = claims[claims.new & (claims.benefit == "JSA")
                         & (claims.start >= year * 364.0) & (claims.start < t)]
            times, survival = metrics.kaplan_meier(new.days.to_numpy(),
                                                   (new.destination != "censored").to_numpy())
            off.append(1 - metrics.survival_at(times, survival, 91.0))
        mixes.append(mix)
        offs.append(off)
    mix, off = np.mean(mixes, axis=0), np.mean(offs, axis=0)
    assert np.abs(mix - mix[0]).max() <= 0.02, f"claimant mix by year: {mix.round(3)}"
    assert np.abs(off - off[0]).max() <= 0.03, f"13-week JSA off-flow by year: {off.round(3)}"
