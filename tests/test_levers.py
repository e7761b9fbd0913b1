"""Take-up and capacity of every lever: nobody is reached, funded or held beyond its limits.

Each test reads the limits back from the event log, independently of the
service's own bookkeeping: who held a place when, and how many at once.
"""

import numpy as np
import pandas as pd
import pytest

from journeysim.runs.results import simulate
from journeysim.vocabulary import BARRIERS
from tests.conftest import variant

SIZE = {"people": 1500, "weeks": 60, "seed": 3}


def events_of(output, event, service=None):
    events = output.events[output.events.event == event]
    return events if service is None else events[events.service == service]


def most_at_once(starts: np.ndarray, ends: np.ndarray) -> int:
    """The most intervals [start, end) open at one moment."""
    moments = sorted([(s, 1) for s in starts] + [(e, -1) for e in ends])
    open_now = best = 0
    for _, step in moments:  # an end at the same moment as a start comes first
        open_now += step
        best = max(best, open_now)
    return best


def places(per_1000: float, caseload: float) -> int:
    return max(1, round(per_1000 * SIZE["people"] / 1000 * caseload))


def test_outreach_never_engages_more_people_than_its_team_can_hold():
    team = {"enabled": True, "reach_per_week": 0.5, "take_up": 1.0, "advisers_per_1000": 0.3,
            "caseload_per_adviser": 10, "engaged_weeks": 8}
    out = simulate(variant({"outreach": team}, **SIZE))
    engaged = events_of(out, "contact", "outreach")
    assert len(engaged) > places(0.3, 10), "the team fills and takes on more as places free"
    jobs = events_of(out, "job_start")
    ends = []
    for person, day in zip(engaged.person, engaged.day, strict=True):
        later = jobs.day[(jobs.person == person) & (jobs.day >= day)]
        ends.append(min(day + 8 * 7, later.min() if len(later) else np.inf))
    assert most_at_once(engaged.day.to_numpy(), np.array(ends)) <= places(0.3, 10)
    full = events_of(out, "declined", "outreach")
    assert (full.detail == "no place").sum() > 0
    assert not engaged.person.duplicated().any(), "nobody is taken on twice"
    held = events_of(out, "caseload", "outreach")
    assert sorted(held.person) == sorted(engaged.person), "every place held is costed once"
    hours_a_week = 30 / 10  # an adviser's 30 interview hours shared by a caseload of 10
    assert held.cost.to_numpy() == pytest.approx(held.value.to_numpy() * hours_a_week * 30)
    assert (held.value <= 8 + 1e-9).all()


def test_take_up_below_one_leaves_eligible_people_unreferred():
    budget = {"enabled": True, "take_up": 0.5, "cohort_per_1000_year": 500.0,
              "advisers_per_1000": 5.0}
    out = simulate(variant({"personal_budget": budget}, **SIZE))
    taken = len(events_of(out, "referral", "personal_budget"))
    declined = events_of(out, "declined", "personal_budget")
    refused = int((declined.detail == "not taken up").sum())
    offered = taken + refused
    assert offered > 50
    assert abs(taken / offered - 0.5) < 4 * np.sqrt(0.25 / offered)
    nobody = simulate(variant({"personal_budget": {**budget, "take_up": 0.0}}, **SIZE))
    assert events_of(nobody, "referral", "personal_budget").empty


def test_a_budget_cohort_and_caseload_are_never_exceeded():
    budget = {"enabled": True, "take_up": 1.0, "cohort_per_1000_year": 6.0,
              "advisers_per_1000": 0.2, "caseload_per_adviser": 5, "case_weeks": 20}
    out = simulate(variant({"personal_budget": budget}, **SIZE))
    referred = events_of(out, "referral", "personal_budget")
    cohort = 6.0 * SIZE["people"] / 1000
    per_year = referred.groupby(referred.day // 364).size()
    assert per_year.max() <= cohort and per_year.max() >= cohort - 1
    assert (events_of(out, "declined", "personal_budget").detail == "cohort full").any()
    waits = events_of(out, "wait", "personal_budget")
    waits = waits[waits.detail == "place"].set_index(["person", "day"]).value
    seen = set(events_of(out, "contact", "personal_budget").person)  # offered once each
    starts, ends = [], []
    for person, day in zip(referred.person, referred.day, strict=True):
        if person not in seen:
            continue  # gave up waiting, or still waiting at the end
        start = day + waits.get((person, day), 0.0)
        starts.append(start)
        ends.append(start + 20 * 7)
    assert len(starts) > places(0.2, 5), "more cases than places, so some waited"
    assert most_at_once(np.array(starts), np.array(ends)) <= places(0.2, 5)
    assert len(waits) > 0


def test_a_budget_buys_only_what_budgets_can_buy_and_refers_the_rest():
    budget = {"enabled": True, "take_up": 1.0, "cohort_per_1000_year": 500.0,
              "advisers_per_1000": 5.0, "buys": ["childcare", "transport"],
              "eligibility": {"benefits": ["JSA", "ESA", "IS_LP"], "min_claim_weeks": 0,
                              "max_claim_weeks": None, "min_age": 18, "max_age": 64}}
    out = simulate(variant({"personal_budget": budget}, **SIZE))
    bought = {BARRIERS[int(i)] for i in events_of(out, "purchase", "personal_budget").detail}
    assert bought and bought <= {"childcare", "transport"}
    referrals = events_of(out, "referral")
    from_budget = referrals[referrals.detail.astype(str).str.startswith("personal_budget")]
    assert "mental_health" in set(from_budget.service), "therapy comes through a referral"
    assert (from_budget.detail == "personal_budget:warm").all()


def jobcentre_wait(review_minutes: float) -> float:
    pool = {"advisers_per_1000": 0.8, "intervention_timing": "needs_led",
            "review_minutes": review_minutes}
    out = simulate(variant({"jobcentre": pool}, **SIZE))
    waits = events_of(out, "wait", "jobcentre")
    return float(waits.value.sum()) / SIZE["people"]


@pytest.mark.slow  # paired runs at two review frequencies
def test_reviews_and_interventions_draw_on_the_same_adviser_hours():
    assert jobcentre_wait(0.0) < jobcentre_wait(20.0) / 2


def test_in_work_support_is_limited_by_its_places():
    support = {"enabled": True, "take_up": 1.0, "advisers_per_1000": 0.2,
               "caseload_per_adviser": 10, "weeks": 26}
    out = simulate(variant({"post_employment": support}, **SIZE))
    given = events_of(out, "post_employment")
    assert most_at_once(given.day.to_numpy(), given.day.to_numpy() + 26 * 7) <= places(0.2, 10)
    assert (events_of(out, "declined", "post_employment").detail == "no place").any()


@pytest.mark.parametrize("lever", ["outreach", "personal_budget", "family_budget",
                                   "post_employment"])
def test_every_declined_offer_says_why(lever):
    out = simulate(variant({lever: {"enabled": True}}, **SIZE))
    details = set(pd.unique(events_of(out, "declined").detail.astype(str)))
    assert details <= {"not taken up", "no place", "cohort full"}


#: Each lever codesign-full switches on, and the baseline's setting that switches it off.
LEVERS = {
    "common assessment": {"system": {"common_assessment": False}},
    "data sharing": {"system": {"data_sharing": False}},
    "lead worker": {"system": {"lead_worker": False}},
    "warm handoffs": {"system": {"warm_handoffs": False}},
    "flexible eligibility": {"system": {"rigid_eligibility": True}},
    "fitted interventions": {"system": {"standard_product_share": 1.0}},
    "volunteering": {"system": {"volunteering_allowed": False}},
    "needs-led timing": {"jobcentre": {"intervention_timing": "fixed"}},
    "hub": {"hub": {"enabled": False}},
    "personal budget": {"personal_budget": {"enabled": False}},
    "family budget": {"family_budget": {"enabled": False}},
    "post-employment support": {"post_employment": {"enabled": False}},
    "outreach": {"outreach": {"enabled": False}},
}
#: Levers whose effect this test cannot see, and why (docs/evidence.md says so too). Data
#: sharing adds nothing once a common assessment is shared by every service. At the
#: pilots' scale a personal budget (Lewisham: 1.5 a year per 1,000 claimants) is one or
#: two budgets in this small borough, and outreach (Wakefield: 9 advisers for 32,650
#: claimants) holds about 11 people at a time: too few to move its measures beyond the
#: noise of three replications.
UNSEEN = {"data sharing", "personal budget", "outreach"}
REPS = 3


@pytest.fixture(scope="module")
def lever_runs():
    from journeysim import config
    from journeysim.analysis.registry import MEASURES

    compared = [m.name for m in MEASURES.values() if m.compared]
    full = config.load_raw("codesign-full")

    def summaries(changes):
        scenario = config.validate(config.deep_merge(full, changes), "lever test")
        return [simulate(scenario.with_run(people=1000, weeks=52, seed=7), rep).summary
                for rep in range(REPS)]

    with_all = summaries({})
    return compared, with_all, {lever: summaries(changes) for lever, changes in LEVERS.items()}


@pytest.mark.slow
def test_switching_any_lever_of_codesign_full_off_moves_a_headline_measure(lever_runs):
    from journeysim.analysis.stats import interval

    compared, with_all, without = lever_runs
    still = []
    for lever, runs in without.items():
        moved = []
        for name in compared:
            diffs = pd.Series([(a[name] or 0.0) - (b[name] or 0.0)
                               for a, b in zip(runs, with_all, strict=True)])
            mean, half = interval(diffs)
            if abs(mean) > (half if half == half else 0.0) and abs(mean) > 1e-9:
                moved.append(name)
        if lever == "data sharing":
            assert not moved, f"data sharing was documented as redundant but moved {moved}"
        elif not moved and lever not in UNSEEN:
            still.append(lever)
    assert not still, f"switching these off changes no headline measure: {still}"
