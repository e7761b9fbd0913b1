"""The seeds' national programmes, places and services: each does what its mechanism says.

Incapacity Benefit reassessment, the lone-parent rule, funding streams that
end, jobs a service provides (the Future Jobs Fund, apprenticeships), an
employer gateway for young people, and the customer-experience measures. Each
test reads the event log or the people table, not the services' bookkeeping.
"""

import pytest

from journeysim import config
from journeysim.runs.results import simulate
from tests.conftest import variant

SIZE = {"people": 1500, "weeks": 104, "seed": 4}
PLACES = ("birmingham", "bradford", "lewisham", "south-tyneside", "swindon", "wakefield")


def of(output, event, service=None):
    events = output.events[output.events.event == event]
    return events if service is None else events[events.service == service]


def test_every_co_design_place_in_the_seeds_has_a_scenario():
    names = config.bundled_scenarios()
    for place in PLACES:
        assert any(name.startswith(place) for name in names), place


def test_ib_reassessment_moves_stock_claimants_off_esa_on_its_timetable():
    timetable = {"enabled": True, "start_week": 26, "end_week": 78}
    out = simulate(variant({"ib_reassessment": timetable}, **SIZE))
    base = simulate(variant({}, **SIZE))
    done = of(out, "ib_reassessment")
    assert len(done) > 100 and not len(of(base, "ib_reassessment"))
    assert done.day.min() >= 26 * 7 and done.day.max() <= 78 * 7
    starts = of(out, "claim_start").drop_duplicates("person").set_index("person")
    claimed_weeks = starts.loc[done.person, "value"] / 7  # days claimed at the start
    assert (claimed_weeks >= 128).all() and (starts.loc[done.person, "day"] == 0).all()
    fit = (done.detail == "fit_for_work").mean()
    assert 0.25 <= fit <= 0.45  # DWP: about 35% of the first reassessments
    ends, claims = of(out, "claim_end"), of(out, "claim_start")
    for row in done[done.detail == "fit_for_work"].itertuples():  # each one onto JSA that day
        assert ((ends.person == row.person) & (ends.day == row.day)
                & (ends.detail == "benefit")).any()
        assert ((claims.person == row.person) & (claims.day == row.day)
                & (claims.detail == "JSA")).any()
    esa = out.summary["stock"]["esa_count_change"], base.summary["stock"]["esa_count_change"]
    assert esa[0] < esa[1] - 0.05


def test_the_lone_parent_rule_moves_a_parent_when_the_youngest_child_reaches_the_age():
    rule = {"lone_parents": {"enabled": True},
            "labour_market": {"other_exits": {"IS_LP": {"transfer_per_week": 0.0}}}}
    scenario = variant(rule, **SIZE)
    out = simulate(scenario)
    moves = of(out, "lone_parent_rule")
    assert len(moves) > 50
    claims = of(out, "claim_start")
    for move in moves.itertuples():
        limit = scenario.lone_parents.limit(move.day / 7)
        started = claims[(claims.person == move.person) & (claims.day <= move.day)].day.max()
        if move.day == started or move.day == 59 * 7:  # a claim, or a limit, begins that day
            assert move.value >= limit - 1e-9
        else:  # the child reached the limit that very day
            assert move.value == pytest.approx(limit, abs=1e-9)
        nxt = claims[(claims.person == move.person) & (claims.day == move.day)]
        assert (nxt.detail == "JSA").any(), "the parent's JSA claim starts the same day"
    assert set(moves.day.round(6)) & {59 * 7.0}, "the limit falls to 5 in week 59"
    assert not len(of(simulate(variant({}, **SIZE)), "lone_parent_rule"))


def test_a_child_is_drawn_below_the_limit_in_force_and_ages_on_the_calendar():
    scenario = variant({"lone_parents": {"enabled": True}}, **SIZE)
    from journeysim.sim.population import PopulationBuilder
    stock, inflow = PopulationBuilder(scenario).build()
    parents = [(h.arrival_day, h.members[0]) for h in stock + inflow
               if h.members[0].benefit == "IS_LP"]
    assert parents and all(p.youngest_child_age is not None for _, p in parents)
    assert all(0 <= p.youngest_child_age < scenario.lone_parents.limit(day / 7)
               for day, p in parents)


def test_a_service_whose_funding_ends_takes_no_one_new_after_its_end_date():
    ends = 30
    club = {"work_club": {"routine_referral": 0.4, "funding_ends_week": ends}}
    out = simulate(variant({"services": club}, **SIZE))
    day = ends * 7
    club_events = out.events[out.events.service == "work_club"]
    for event in ("referral", "handoff", "assessment"):
        rows = club_events[club_events.event == event]
        assert len(rows[rows.day < day]) > 20, event
        assert not len(rows[rows.day >= day]), f"{event} after the funding ended"
    finished = of(out, "episode_end", "work_club")
    assert (finished[finished.day > day].detail == "completed").any(), "the caseload finishes"

    lost = {"work_club": {**club["work_club"], "when_funding_ends": "lost"}}
    out = simulate(variant({"services": lost}, **SIZE))
    finished = of(out, "episode_end", "work_club")
    after = finished[finished.day > day + 7]
    assert len(after) == 0, "a lost caseload stops at its next session"


def test_a_service_job_lasts_its_weeks_then_is_kept_or_lapses():
    scenario = config.load("swindon-plan-500").with_run(**SIZE)
    out = simulate(scenario)
    starts = of(out, "job_start")
    subsidised = starts[starts.detail.astype(str).str.startswith("subsidised:")]
    assert len(subsidised) > 5
    ended = out.events[out.events.event.isin(["job_kept", "job_lapsed"])]
    for job in subsidised.itertuples():
        service = job.detail.split(":", 1)[1]
        weeks = scenario.services[service].job_weeks
        after = ended[(ended.person == job.person) & (ended.service == service)]
        if job.day + weeks * 7 < SIZE["weeks"] * 7:
            assert after.day.min() == pytest.approx(job.day + weeks * 7)
    lapsed = of(out, "job_lapsed")
    ends = of(out, "job_end")
    for row in lapsed.itertuples():  # the job ends the same day, and the person may claim
        assert ((ends.person == row.person) & (ends.day == row.day)).any()
    offers = of(out, "job_offer", "future_jobs_fund")
    closed = scenario.services["future_jobs_fund"].funding_ends_week
    assert closed == 34.57, "31 March 2011 in a run from 1 August 2010 (the calendar)"
    assert offers.day.max() < closed * 7, "the Fund closed on 31 March 2011"
    assert (offers.cost == scenario.services["future_jobs_fund"].cost_per_job).all()


def test_plan_500s_gateway_takes_young_jsa_claimants_only():
    """The fast form of the test below: who the gateway reaches, and the pledges kept
    and substituted exactly, from one small run."""
    scenario = config.load("swindon-plan-500").with_run(people=1500, weeks=52, seed=8)
    out = simulate(scenario)
    events = out.events
    reached = events[(events.event == "referral") & (events.service == "employer_gateway")]
    assert len(reached) > 10
    people = out.people.set_index("person")
    assert (people.loc[reached.person.unique(), "age"] <= 24).all()
    base = simulate(config.load("swindon").with_run(people=1500, weeks=52, seed=8)).summary
    fence = scenario.labour_market.ring_fence
    kept = fence.vacancies_per_year_per_1000 * 1500 / 1000 * (1 - fence.employer_drop_out)
    assert out.summary["pledged_opened"] == pytest.approx(kept, rel=1e-6), "one year"
    assert base["vacancies_opened"] - out.summary["vacancies_opened"] == pytest.approx(
        fence.substitution * out.summary["pledged_opened"], rel=1e-6)


@pytest.mark.slow
def test_plan_500_raises_job_entry_of_16_24s_more_than_of_older_claimants():
    """Mean of three seeds: one seed's few hundred 18-24s can hide the gain.

    The young gain the most; the older claimants lose the vacancies employers
    pledge to the young instead of opening for anyone (exactly the substituted
    share of the pledges kept), though at this size their job entry moves within
    the noise (docs/model.md, section 2).
    """
    young = older = 0.0
    for seed in (8, 9, 10):
        size = {"people": 4000, "weeks": 104, "seed": seed}
        scenario = config.load("swindon-plan-500").with_run(**size)
        plan = simulate(scenario).summary
        base = simulate(config.load("swindon").with_run(**size)).summary
        young += (plan["jsa_18_24_job_entry_rate"] - base["jsa_18_24_job_entry_rate"]) / 3
        older += (plan["jsa_25_49_job_entry_rate"] - base["jsa_25_49_job_entry_rate"]) / 3
        fence = scenario.labour_market.ring_fence
        kept = fence.vacancies_per_year_per_1000 * 4000 / 1000 * (1 - fence.employer_drop_out)
        assert plan["pledged_opened"] == pytest.approx(kept * 2, rel=1e-6), "two years"
        assert 0 < plan["pledged_filled"] <= plan["pledged_opened"]
        assert base["vacancies_opened"] - plan["vacancies_opened"] == pytest.approx(
            fence.substitution * plan["pledged_opened"], rel=1e-6)
    assert young > 0.01
    assert older < young  # the gateway's hires come partly from the others


@pytest.mark.slow  # several full runs
def test_retelling_and_distance_travelled_follow_the_people_table():
    out = simulate(config.load("birmingham-person-centred").with_run(**SIZE))
    base = simulate(config.load("birmingham").with_run(**SIZE))  # its place
    people = out.people[out.people.spells > 0]
    retells = people.retells.mean()
    assert out.summary["retells_per_person"] == pytest.approx(retells)
    shed = (people.start_barrier_load - people.barrier_load).mean()
    assert out.summary["distance_travelled"] == pytest.approx(shed)
    assert out.summary["retells_per_person"] < base.summary["retells_per_person"] / 3, (
        "a common assessment: the story is told once")
    assert out.summary["distance_travelled"] > base.summary["distance_travelled"]


def test_an_academys_guaranteed_interview_falls_through_at_the_employers_drop_out_rate():
    academy = {"enabled": True, "routine_referral": 0.3, "advisers_per_1000": 3.0}
    size = {"people": 1500, "weeks": 40, "seed": 5}
    out = simulate(variant({"services": {"sector_academy": academy}}, **size))
    completed = of(out, "episode_end", "sector_academy")
    completed = completed[completed.detail == "completed"]
    dropped = of(out, "declined", "sector_academy")
    assert (dropped.detail == "employer dropped out").all()
    n, p = len(completed), 0.2
    assert n > 100
    assert abs(len(dropped) - n * p) < 3 * (n * p * (1 - p)) ** 0.5  # binomial, 3 sd
    assert set(dropped.person) <= set(completed.person)
    kept = simulate(variant({"services": {"sector_academy": {**academy,
                                                             "employer_drop_out": 0.0}}},
                            **size))
    assert of(kept, "declined", "sector_academy").empty


def test_a_booked_routine_offer_is_a_warm_referral_that_arrives_more_often():
    """Wakefield's work clubs: the adviser books a new jobseeker in on the day."""
    size = {"people": 800, "weeks": 30, "seed": 4}
    warm, arrived = {}, {}
    for booked in (False, True):
        club = {"work_club": {"routine_referral": 0.4, "booked": booked}}
        out = simulate(variant({"services": club}, **size))
        sent = of(out, "referral", "work_club")
        warm[booked] = (sent.detail == "jobcentre:warm").mean()
        arrived[booked] = len(of(out, "handoff", "work_club")) / len(sent)
    # routine offers are most of a club's referrals; the rest (for confidence) stay cold
    assert warm[False] == 0.0 and warm[True] > 0.6
    # the warm leak is 5%, the cold one 35% + 3% a km over the club's 2 km
    assert arrived[True] - arrived[False] > 0.2
