"""Between two decisions: reviews held without waking the claimant; their exit in closed form."""

from __future__ import annotations

import math

import pytest

from journeysim.sim.between import CONTACT, EXIT, REFRESH_DAYS, SANCTION, walk
from journeysim.sim.model import JourneyModel
from journeysim.vocabulary import CLAIMING, IN_WORK

from .conftest import variant

#: Motivation that stands still, so a claimant's hazard is the same at every review.
STILL = {"motivation": {"decay_per_week": 0.0, "family_drift_per_week": 0.0}}
#: No interventions, so the next contact after a review is another review.
NO_INTERVENTIONS = {"jobcentre": {"intervention_weeks": []}}


def _asleep_jsa_claimant(changes: dict, weeks: int = 3):
    """A model a few weeks in, a JSA claimant asleep between decisions, and a plan to walk.

    The plan is a new one for their claim, apart from the one their journey
    walks; the network offers them nothing at its reviews of the next quarter.
    """
    model = JourneyModel(variant(changes, people=400, weeks=52, seed=3))
    for _ in range(weeks):
        model.step()
    jcp = model.network.jobcentre
    for person in model.people:
        own = jcp.plans.get(person.pid)
        if (person.state != CLAIMING or person.benefit != "JSA" or person.looking is None
                or own is None):
            continue
        plan = jcp.plan(person, 1.0)
        jcp.plans[person.pid] = own
        if plan.wca is None and plan.referral is None and not any(
                model.network.decides_at(person, plan.review + k * plan.interval)
                for k in range(8)):
            return model, person, plan
    raise AssertionError("no JSA claimant asleep between decisions")


def test_reviews_that_decide_nothing_are_counted_until_a_quarter_has_passed():
    model, person, plan = _asleep_jsa_claimant(
        {**NO_INTERVENTIONS, "jobcentre": {"intervention_weeks": [],
                                           "sanctions": {"failure_probability": 0.0}}})
    now, first, held = model.env.now, plan.review, plan.reviews
    day, kind, _ = walk(person, plan, model.network, model.market, (0.0, 0.0), math.inf, now,
                        True)
    expected = [first + k * plan.interval for k in range(20)]
    passed = [d for d in expected if d < now + REFRESH_DAYS]
    assert kind == CONTACT
    assert day == expected[len(passed)], "the first review a quarter or more on wakes them"
    assert plan.ahead == passed and plan.reviews == held + len(passed)
    assert plan.review == day
    assert plan.upcoming(now) == passed[0], "a review held without waking is still a contact"
    assert plan.upcoming(passed[-1] + 1.0) == day


def test_the_exit_comes_when_the_unit_draw_is_spent_at_a_constant_hazard():
    model, person, plan = _asleep_jsa_claimant({**STILL, **NO_INTERVENTIONS})
    now = model.env.now
    offers = model.market.offer_rate(person, now)
    other = (0.002, 0.001)
    budget = 0.1  # spent well before the quarter is out at these hazards
    day, kind, rates = walk(person, plan, model.network, model.market, other, budget, now,
                            True)
    assert kind == EXIT
    assert day == pytest.approx(now + budget / (offers + sum(other)), rel=1e-9)
    assert rates == pytest.approx((offers, *other))


def test_a_review_sure_to_sanction_wakes_the_claimant_on_its_day():
    model, person, plan = _asleep_jsa_claimant(
        {**NO_INTERVENTIONS, "motivation": {**STILL["motivation"], "floor": 0.0},
         "jobcentre": {"intervention_weeks": [], "sanctions": {"failure_probability": 1.0}}})
    person.motivation = 0.0
    now, first = model.env.now, plan.review
    day, kind, _ = walk(person, plan, model.network, model.market, (0.0, 0.0), math.inf, now,
                        True)
    assert (day, kind) == (first, SANCTION)
    assert plan.ahead == [] and plan.review == first, "the review is held when they wake"


def test_waking_early_takes_back_the_reviews_counted_for_later_days():
    model, person, plan = _asleep_jsa_claimant(
        {"jobcentre": {"intervention_weeks": [], "sanctions": {"failure_probability": 0.0}}})
    jcp = model.network.jobcentre
    reviews = jcp.reviews
    now, held = model.env.now, plan.reviews
    walk(person, plan, model.network, model.market, (0.0, 0.0), math.inf, now, True)
    counted = list(plan.ahead)
    assert len(counted) >= 3
    model.env.run(until=counted[1] + 0.5)
    before = dict(reviews.due)
    jcp.take_back(plan)
    assert plan.reviews == held + 2 and plan.review == counted[2]
    assert plan.ahead == []
    for day in counted[2:]:
        booking = math.floor(day) + 1
        assert before[booking] - reviews.due[booking] == pytest.approx(reviews.hours)
    assert all(reviews.due[d] == before[d] for d in before if d <= counted[1] + 1)


def test_a_relatives_job_wakes_a_sleeping_claimant_at_once():
    model, person, _ = _asleep_jsa_claimant({})
    market, now = model.market, model.env.now
    held = market.searching[person.pid]
    person.hear_of_job(now)
    assert person.looking is None, "the sleep was interrupted"
    model.env.run(until=now + 1e-6)
    assert market.searching[person.pid] == pytest.approx(market.weight(person, now))
    assert market.searching[person.pid] > held, "the job lead counts among the searchers now"
    assert person.looking is not None, "asleep again until their next decision"


def test_every_review_held_is_booked_once_as_adviser_time():
    model = JourneyModel(variant({}, people=400, weeks=40, seed=5))
    reviews = model.network.jobcentre.reviews
    booked: list[float] = []
    block = reviews.block

    def counting(days):
        booked.append(days)
        return block(days)

    reviews.block = counting
    result = model.run()
    held = result.events.loc[result.events.event == "reviews", "value"].sum()
    assert held > 1000
    waiting = sum(reviews.due.values()) * reviews.days_per_hour
    assert sum(booked) + waiting == pytest.approx(held * reviews.hours * reviews.days_per_hour)


def test_a_review_at_which_no_budget_can_be_offered_offers_none_when_held_awake(monkeypatch):
    """``Budget.may_offer`` says no only where the offer would do nothing on that day.

    Reviews it says no to are held asleep, unless something else wakes the
    claimant for them (the first review a quarter on, say); at those the offer
    runs, and must neither log nor change anything.
    """
    from journeysim.sim.services.budgets import Budget

    said_no: set[tuple[str, int, float]] = set()
    may_offer, offer = Budget.may_offer, Budget.offer
    held = {"awake": 0, "family, someone in work": 0}

    def predicting(self, person, day):
        answer = may_offer(self, person, day)
        if not answer:
            said_no.add((self.name, person.pid, day))
        return answer

    def checked(self, person):
        now = self.env.now
        if (self.name, person.pid, now) not in said_no:
            return offer(self, person)
        before = (len(self.world.log), len(self.offered), len(self.deferred), dict(self.taken))
        taken = offer(self, person)
        assert not taken
        assert (len(self.world.log), len(self.offered), len(self.deferred),
                dict(self.taken)) == before
        held["awake"] += 1
        if self.family and any(m.state == IN_WORK for m in person.members()):
            held["family, someone in work"] += 1
        return taken

    monkeypatch.setattr(Budget, "may_offer", predicting)
    monkeypatch.setattr(Budget, "offer", checked)
    model = JourneyModel(variant({"personal_budget": {"enabled": True},
                                  "family_budget": {"enabled": True}},
                                 people=1500, weeks=78, seed=2))
    model.run()
    assert held["awake"] > 100 and held["family, someone in work"] > 10
