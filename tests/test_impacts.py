"""Counterfactuals and impacts: everyone has a labour market, services are credited only
with the difference they make to the people they treat, budgets are offered when people
qualify, and a story is told again only to someone who does not hold it."""

import math

import numpy as np
import pytest

from journeysim import config
from journeysim.analysis import impacts
from journeysim.runs import validation
from journeysim.runs.results import simulate
from tests.conftest import variant

SIZE = {"people": 1500, "weeks": 104, "seed": 3}


@pytest.fixture(scope="module")
def base():
    return simulate(variant({}, **SIZE))


# --- everyone has a labour market -----------------------------------------------------------
def test_relatives_who_never_claim_find_work_in_the_baseline(base):
    """No service runs, yet workless relatives start jobs at a rate inside R1's band."""
    found = base.summary["non_claimants"]
    assert found["people"] > 500
    assert 0.04 < found["job_entry_52w"] < 0.25
    relatives = base.people[(base.people.benefit == "NONE") & (base.people.segment != "in_work")]
    assert (relatives.jobs > 0).sum() > 50


def test_no_search_by_non_claimants_means_no_work_for_them():
    """The rate is the model's own parameter: at intensity 0 nobody who never claims works."""
    out = simulate(variant({"labour_market": {"non_claimant_intensity": 0.0}}, **SIZE))
    assert out.summary["non_claimants"]["job_entry_52w"] == 0.0


def test_outside_pool_counts_the_models_non_claimants_once():
    """Holding non-claimants in the model adds no searchers at the start: the outside
    pool is the borough's job seekers less theirs, so the hires a week are the same."""
    from journeysim.sim.model import JourneyModel

    scenario = variant({}, people=600, weeks=4, seed=2)
    none = variant({"labour_market": {"non_claimant_intensity": 0.0}}, people=600, weeks=4,
                   seed=2)
    first, second = JourneyModel(scenario), JourneyModel(none)
    for model in (first, second):
        model.market._settle(0.0)
    total = [m.market.inside + m.market.outside for m in (first, second)]
    assert first.market.outside < second.market.outside
    assert total[0] == pytest.approx(total[1], rel=0.02)


@pytest.mark.slow  # paired runs with and without outreach
def test_outreach_reaches_people_whose_baseline_chance_is_real():
    """The people outreach engages would have worked anyway at some rate: their baseline
    share in work is above zero, and the impact is far below their gross share."""
    scenario = variant({"outreach": {"enabled": True}}, **SIZE)
    mine = simulate(scenario)
    horizon = SIZE["weeks"] * 7.0
    runs = []
    for name, out in (("outreach", mine), ("base", simulate(variant({}, **SIZE)))):
        runs.append({"scenario": name, "replication": 0,
                     "treated": impacts.treated(out.events, horizon),
                     "spells": impacts.spells(out.events, horizon)})
    table = impacts.impacts(runs, "base")
    rows = table[(table.service == "outreach") & (table.outcome == "in_work")]
    assert rows.treated.max() > 50
    assert rows.baseline_share.max() > 0.0
    assert (rows.impact < rows.treated_share).all()


# --- impacts on the treated -------------------------------------------------------------------
def _run(scenario, treated, claims, jobs):
    return {"scenario": scenario, "replication": 0, "treated": treated,
            "spells": {"claims": claims, "jobs": jobs}}


def test_status_reads_spells_half_open():
    """Columns are [people, starts, ends]: person 1 claims over [0, 100) and [200, 300)."""
    table = {"claims": [[1, 1], [0.0, 200.0], [100.0, 300.0]], "jobs": [[2], [50.0], [60.0]]}
    found = impacts.status(table, np.array([1, 1, 1, 2, 2, 3]),
                           np.array([50.0, 100.0, 250.0, 50.0, 60.0, 10.0]))
    assert found["on_benefit"].tolist() == [True, False, True, False, False, False]
    assert found["in_work"].tolist() == [False, False, False, True, False, False]


def test_impact_is_the_treated_less_themselves_in_the_baseline():
    """Ten people treated on day 0: in the scenario all work from day 10, in the
    baseline five do. Treated 100%, baseline 50%, impact 50 points."""
    people = list(range(1, 11))
    claims = [people, [0.0] * 10, [10.0] * 10]
    mine_jobs = [people, [10.0] * 10, [400.0] * 10]
    base_jobs = [people[:5], [10.0] * 5, [400.0] * 5]
    horizon = 400.0
    record = {"person": people, "day": [0.0] * 10}
    for weeks in impacts.HORIZONS:
        seen = 7 * weeks <= horizon
        flags = impacts.status({"claims": claims, "jobs": mine_jobs}, np.array(people),
                               np.array([7.0 * weeks] * 10))
        for outcome in impacts.OUTCOMES:
            record[f"{outcome}_{weeks}w"] = [int(f) if seen else None for f in flags[outcome]]
    runs = [_run("design", {"hub": record}, claims, mine_jobs),
            _run("base", {}, claims, base_jobs)]
    table = impacts.impacts(runs, "base")
    row = table[(table.outcome == "in_work") & (table.weeks == 26)].iloc[0]
    assert (row.treated_share, row.baseline_share, row.impact) == (1.0, 0.5, 0.5)
    assert row.treated == 10 and row.too_few
    assert table[(table.outcome == "on_benefit") & (table.weeks == 26)].impact.iloc[0] == 0.0
    assert (table.weeks == 104).sum() == 0, "no one's 104 weeks were seen in the run"


def test_a_service_the_baseline_runs_as_much_is_not_an_added_one():
    same = {"person": list(range(300)), "day": [0.0] * 300}
    assert impacts.added({"skills": same}, {"skills": same}) == []
    assert impacts.added({"skills": same}, {}) == ["skills"]


# --- budgets offered when people qualify ------------------------------------------------------
@pytest.mark.slow
def test_personal_budgets_reach_new_claims_and_every_year():
    """Offers come at the review at which people qualify (12 months into a claim), so
    claims that began in the run are offered too, and each year's cohort is delivered."""
    out = simulate(config.load("lewisham-personal-budget").with_run(people=6000, weeks=156,
                                                                      seed=2))
    events = out.events
    taken = events[(events.event == "referral") & (events.service == "personal_budget")]
    years = set((taken.day // 364).astype(int))
    assert years == {0, 1, 2}
    starts = events[events.event == "claim_start"].groupby("person").value.first()
    new = set(starts.index[starts == 0])
    offered = set(taken.person) | set(events.person[(events.event == "declined")
                                                    & (events.service == "personal_budget")
                                                    & (events.detail == "not taken up")])
    assert offered & new, "someone whose claim began in the run was offered a budget"
    deferred = events[(events.event == "declined") & (events.service == "personal_budget")
                      & (events.detail == "cohort full")]
    assert deferred.person.is_unique, "a person is told the cohort is full once"
    assert set(deferred.person) & set(taken.person), "a deferred person is offered later"


# --- a story told again -------------------------------------------------------------------------
@pytest.mark.parametrize("lever", [{"system": {"data_sharing": True}},
                                   {"system": {"lead_worker": True}},
                                   {"system": {"warm_handoffs": True}}])
def test_shared_records_a_lead_worker_or_warm_handoffs_mean_fewer_retellings(base, lever):
    out = simulate(variant(lever, **SIZE))
    assert base.summary["retells_per_person"] > 0.1
    assert out.summary["retells_per_person"] < 0.75 * base.summary["retells_per_person"]


@pytest.mark.slow  # paired runs with and without a hub
def test_a_hub_lowers_retellings():
    hub = simulate(config.load("codesign-hub").with_run(**SIZE))
    plain = simulate(config.load("fragmented").with_run(**SIZE))
    assert hub.summary["retells_per_person"] < plain.summary["retells_per_person"]


# --- validate's impact checks -------------------------------------------------------------------
def test_impact_paths_are_parsed_or_refused():
    assert validation.impact_path("impacts.outreach.in_work_52w.treated_share") == (
        "outreach", "in_work", 52, "treated_share")
    assert validation.impact_path("by_benefit.JSA.off_flow_13w") is None
    with pytest.raises(KeyError, match="outcome"):
        validation.impact_path("impacts.outreach.at_home_52w.impact")


def test_every_evaluated_kind_of_service_has_an_impact_check():
    checks = {figure.measure.split(".")[1] for figure in validation.load_checks()
              if figure.measure.startswith("impacts.")}
    assert {"family_budget", "outreach", "future_jobs_fund"} <= checks


def test_an_impact_check_reads_the_pair_of_runs():
    people = list(range(1, 13))
    record = {"person": people, "day": [0.0] * 12, "in_work_26w": [1] * 12,
              "on_benefit_26w": [0] * 12}
    nothing = {"claims": [[], [], []], "jobs": [[], [], []]}
    mine = {"scenario": "outreach-design", "replication": 4, "treated": {"outreach": record},
            "spells": nothing}
    base = {"scenario": "fragmented", "replication": 4, "treated": {}, "spells": nothing}
    assert validation.impact_on_treated(mine, base, "impacts.outreach.in_work_26w.impact") == 1.0
    assert validation.impact_on_treated(
        mine, base, "impacts.outreach.on_benefit_26w.treated_share") == 0.0
    assert math.isnan(validation.impact_on_treated(mine, base,
                                                   "impacts.hub.in_work_26w.impact"))
