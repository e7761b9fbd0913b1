"""Services, the router and the labour market, each alone: a stub claimant and a bare world.

No JourneyModel here: every piece is built from the baseline's settings and the
few objects it is handed, so a failure points at the piece itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pytest

from journeysim.sim.benefits import weekly_benefit
from journeysim.sim.market import OPEN, PLEDGED, LabourMarket, job_days
from journeysim.sim.routing import Router
from journeysim.sim.services.interventions import remit
from journeysim.sim.services.jobcentre import REVIEW, STOPPED, ContactPlan, Jobcentre
from journeysim.sim.services.support import SupportProvider
from journeysim.sim.services.work_programme import WorkProgramme
from journeysim.sim.streams import Stream
from journeysim.sim.world import Claimant, Register, World
from journeysim.vocabulary import BARRIERS, CLAIMING, INACTIVE, segment_of

DEBT = BARRIERS.index("debt")


@dataclass
class Stub:
    """A claimant with nothing but the protocol: it records what services do to it."""

    pid: int
    benefit: str = "JSA"
    age: int = 30
    state: str = CLAIMING
    claim_start: float = 0.0
    barriers: list[float] = field(default_factory=lambda: [0.0] * len(BARRIERS))
    motivation: float = 0.5
    jobs: int = 0
    load: float = 0.0
    location: tuple[float, float] = (0.0, 0.0)
    placement: float = 1.0
    lead_until: float = -math.inf
    boost_until: float = -math.inf
    boost_factor: float = 1.0
    seed: int = 1
    reduced: list[tuple[int, float]] = field(default_factory=list)
    misfits: int = 0
    withheld: float = 0.0

    @property
    def hid(self) -> int:
        return self.pid

    @property
    def segment(self) -> str:
        return segment_of(self.benefit, self.age, self.barriers, self.state)

    def claim_weeks(self, now: float) -> float:
        return (now - self.claim_start) / 7.0 if self.state == CLAIMING else 0.0

    def in_support(self) -> bool:
        return self.state == CLAIMING

    def worst_barrier(self) -> int | None:
        worst = max(range(len(self.barriers)), key=self.barriers.__getitem__)
        return worst if self.barriers[worst] > 0.0 else None

    def members(self) -> list[Stub]:
        return [self]

    def draw(self, purpose: str) -> Stream:
        return Stream(self.seed, 0, self.pid, purpose)

    def reduce_barrier(self, index: int, amount: float) -> None:
        self.reduced.append((index, amount))
        self.barriers[index] = max(0.0, self.barriers[index] - amount)

    def encourage(self, share: float) -> None:
        self.motivation += share * (1.0 - self.motivation)

    def discourage(self, amount: float) -> None:
        self.motivation = max(0.0, self.motivation - amount)

    def misfit(self) -> None:
        self.misfits += 1

    def boost(self, factor: float, weeks: float, now: float) -> None:
        self.boost_factor, self.boost_until = factor, now + weeks * 7.0

    def withhold(self, days: float) -> None:
        self.withheld += days


def _events(world: World) -> list[tuple]:
    frame = world.log.frame()
    return list(zip(frame.person, frame.day, frame.event, frame.service, frame.detail,
                    strict=True))


def test_the_stub_is_a_claimant():
    stub: Claimant = Stub(1)  # the type checker holds it to the protocol; this runs it
    assert stub.worst_barrier() is None and stub.claim_weeks(14.0) == 2.0


# --- the router ----------------------------------------------------------------------------
def _router(baseline, world: World, **system) -> tuple[Router, SupportProvider]:
    settings = baseline.system.model_copy(update=system)
    debt = SupportProvider(world, "debt_advice", baseline.services["debt_advice"], 1000,
                           baseline.jobcentre.adviser_hours_per_week, 30.0)
    return Router(world, settings, {"debt_advice": debt}, 30.0), debt


@pytest.mark.parametrize("warm", [True, False])
def test_a_warm_handoff_never_leaks_and_a_cold_one_leaks_at_most_its_cap(baseline, warm):
    world = World()
    router, debt = _router(baseline, world, leakage_warm=0.0, leakage_cold=1.0,
                           leakage_per_km=0.0, warm_handoffs=False)
    people = [Stub(pid) for pid in range(200)]
    for person in people:
        router.refer(person, debt, "jobcentre", warm=warm)
    world.env.run(until=400)
    events = [e[2] for e in _events(world)]
    assert events.count("referral") == 200
    if warm:
        assert events.count("referral_lost") == 0 and events.count("handoff") == 200
        assert events.count("episode_end") == 200
    else:
        lost = events.count("referral_lost")  # cold leakage is capped at 95%, even at 1.0
        assert 180 <= lost < 200 and events.count("handoff") == 200 - lost
    assert all(not router.with_service(p) for p in people), "nobody stays referred"


def test_a_common_assessment_is_not_repeated_and_each_retelling_costs_motivation(baseline):
    person = Stub(1, motivation=0.5)
    router, _ = _router(baseline, World(), common_assessment=False, retell_penalty=0.1)
    assert router.assess(person, "a", 1.0, lead=False) and person.motivation == 0.5
    assert router.assess(person, "b", 1.0, lead=False)
    assert person.motivation == pytest.approx(0.4)
    shared = Stub(2, motivation=0.5)
    router, _ = _router(baseline, World(), common_assessment=True)
    assert router.assess(shared, "a", 1.0, lead=False)
    assert not router.assess(shared, "b", 1.0, lead=False) and shared.motivation == 0.5


def test_identification_finds_only_barriers_at_the_threshold(baseline):
    router, _ = _router(baseline, World(), referral_threshold=0.3,
                        identification_probability=1.0, data_sharing=False,
                        common_assessment=False)
    person = Stub(1)
    person.barriers[DEBT] = 0.5
    person.barriers[BARRIERS.index("skills")] = 0.2
    router.identify(person, "jobcentre", lead=False)
    assert router.known(person, "jobcentre") == {DEBT}
    assert router.known(person, "hub") == set(), "without data sharing each service starts over"


def test_eligibility_rules_refuse_what_they_should(baseline):
    world = World()
    router, _ = _router(baseline, world, rigid_eligibility=True, volunteering_allowed=False)
    rules = baseline.services["skills"].eligibility  # JSA only, aged 19 or more
    world.env.run(until=70.0)
    assert router.eligible(Stub(1, benefit="JSA", age=30), rules)
    assert not router.eligible(Stub(2, benefit="ESA", age=30), rules)
    assert not router.eligible(Stub(3, benefit="JSA", age=18), rules)
    weeks = rules.model_copy(update={"min_claim_weeks": 13})
    assert not router.eligible(Stub(4, claim_start=0.0), weeks)  # 10 weeks in
    assert router.eligible(Stub(5, claim_start=-30.0), weeks)  # 14 weeks in
    assert not router.eligible(Stub(6), rules, volunteering=True), "no volunteering on JSA"
    assert router.eligible(Stub(7, state=INACTIVE, benefit="NONE"), rules, volunteering=True
                           ) is False, "a non-claimant is not in the JSA-only group"
    flexible, _ = _router(baseline, world, rigid_eligibility=False)
    assert flexible.eligible(Stub(8, benefit="ESA", age=18), rules)
    assert not flexible.eligible(Stub(9, benefit="ESA"), rules, strict=True)


# --- capacity -------------------------------------------------------------------------------
def test_a_full_caseload_queues_the_next_person_until_a_place_frees(baseline):
    world = World()
    settings = baseline.services["debt_advice"].model_copy(
        update={"advisers_per_1000": 0.001, "sessions": 3, "session_interval_days": 14.0,
                "session_hours": 40.0})
    debt = SupportProvider(world, "debt_advice", settings, 1000,
                           baseline.jobcentre.adviser_hours_per_week, 30.0)
    assert debt.places.capacity == 1
    router = Router(world, baseline.system, {"debt_advice": debt}, 30.0)
    first, second = Stub(1), Stub(2)
    for person in (first, second):
        person.barriers[DEBT] = 0.5
        world.env.process(debt.episode(person, router))
    world.env.run(until=200)
    waits = [e for e in _events(world) if e[2] == "wait"]
    assert [(w[0], w[4]) for w in waits] == [(2, "place")]
    frame = world.log.frame()
    waited = frame[frame.event == "wait"].value.iloc[0]
    assert waited == pytest.approx(2 * 14.0), "the second waits out the first's episode"
    for person in (first, second):
        assert person.reduced == [(DEBT, settings.effect)]


def test_someone_who_leaves_benefit_drops_out_and_only_attended_sessions_are_costed(baseline):
    world = World()
    settings = baseline.services["debt_advice"]
    debt = SupportProvider(world, "debt_advice", settings, 1000,
                           baseline.jobcentre.adviser_hours_per_week, 30.0)
    router = Router(world, baseline.system, {"debt_advice": debt}, 30.0)
    person = Stub(1)
    world.env.process(debt.episode(person, router))
    world.env.run(until=10.0)
    person.state = INACTIVE
    world.env.run(until=100.0)
    frame = world.log.frame()
    end = frame[frame.event == "episode_end"].iloc[0]
    assert end.detail == "left" and end.value == 1
    assert end.cost == pytest.approx(settings.session_hours * 30.0)
    assert person.reduced == []


# --- the Work Programme and the Jobcentre's plan ---------------------------------------------
def _programme(baseline, world: World, **changes) -> WorkProgramme:
    settings = baseline.work_programme.model_copy(update=changes)
    router = Router(world, baseline.system, {}, 30.0)
    return WorkProgramme(world, settings, baseline.system, remit(baseline.jobcentre), 1000,
                         baseline.jobcentre.adviser_hours_per_week, 30.0, router)


def test_the_work_programme_refers_at_its_threshold_week_for_its_segments(baseline):
    world = World()
    wp = _programme(baseline, world, referral_weeks={"jsa_25_49": 52, "jsa_18_24": 39})
    assert wp.referral_day(Stub(1, age=30, claim_start=0.0)) == 52 * 7.0
    assert wp.referral_day(Stub(2, age=20, claim_start=-70.0)) == 39 * 7.0 - 70.0
    assert wp.referral_day(Stub(3, age=55)) is None, "not a segment it takes"
    assert wp.referral_day(Stub(4, age=30, claim_start=-60 * 7.0)) is None, "already past"


def test_a_programme_refers_only_between_its_start_and_end_weeks(baseline):
    world = World()
    wp = _programme(baseline, world, referral_weeks={"jsa_25_49": 52}, start_week=10.0)
    assert wp.referral_day(Stub(1, age=30, claim_start=-60 * 7.0)) == 70.0, "past: at start"
    assert wp.referral_day(Stub(2, age=30, claim_start=0.0)) == 52 * 7.0
    earlier = _programme(baseline, world, referral_weeks={"jsa_25_49": 52}, end_week=10.0,
                         attachment_weeks=52)
    assert earlier.referral_day(Stub(3, age=30, claim_start=-50 * 7.0)) == 14.0
    assert earlier.referral_day(Stub(4, age=30, claim_start=0.0)) is None, "after it closes"
    person = Stub(5)
    earlier.attach(person)
    assert earlier.on_programme(person) and earlier.until[5] == 70.0, "ends at its close"


def test_attachment_lasts_its_weeks_and_raises_offers_only_meanwhile(baseline):
    world = World()
    wp = _programme(baseline, world, attachment_weeks=10, offer_factor=1.5)
    person = Stub(1)
    assert wp.offer_factor(person, 0.0) == 1.0 and not wp.on_programme(person)
    wp.attach(person)
    assert wp.on_programme(person) and wp.offer_factor(person, 1.0) == 1.5
    assert wp.offer_factor(person, 70.0) == 1.0
    events = [e[2:5] for e in _events(world)]
    assert events[:2] == [("referral", "work_programme", "jobcentre:cold"),
                          ("payment", "work_programme", "attachment")]


def test_the_contact_plan_takes_the_earliest_contact_and_an_intervention_wins_a_tie():
    plan = ContactPlan(review=14.0, interval=14.0, intervention=14.0, wca=None, referral=None)
    assert plan.next_day() == 14.0
    plan = ContactPlan(review=14.0, interval=14.0, intervention=91.0, wca=10.0, referral=None)
    assert plan.next_day() == 10.0
    plan = ContactPlan(review=14.0, interval=14.0, intervention=math.inf, wca=None, referral=3.0)
    assert plan.next_day() == 3.0


def _jobcentre(baseline, world: World, **sanctions) -> Jobcentre:
    settings = baseline.jobcentre.model_copy(
        update={"sanctions": baseline.jobcentre.sanctions.model_copy(update=sanctions)})
    router = Router(world, baseline.system, {}, 30.0)
    return Jobcentre(world, settings, baseline.costs, 1000, router, 0.1)


def test_fixed_interventions_fall_on_their_weeks_and_reviews_every_fortnight(baseline):
    world = World()
    jcp = _jobcentre(baseline, world)
    person = Stub(1)
    plan = jcp.plan(person, 0.0)
    weeks = baseline.jobcentre.intervention_weeks
    assert plan.intervention == weeks[0] * 7.0
    assert plan.review == baseline.jobcentre.review_interval_days.JSA
    assert jcp.interventions.next_day(person, weeks[0] * 7.0) == weeks[1] * 7.0
    assert jcp.interventions.next_day(Stub(2, benefit="ESA"), 0.0) == math.inf


def test_a_sanction_withholds_benefit_and_may_end_the_claim(baseline):
    world = World(register=Register(baseline.costs))
    jcp = _jobcentre(baseline, world, failure_probability=1.0, exit_probability=1.0, weeks=4)
    person = Stub(1, motivation=0.0)
    plan = jcp.plan(person, 0.0)
    outcome = world.env.process(jcp.contact(person, plan, plan.review))
    world.env.run()
    assert outcome.value == STOPPED
    assert person.withheld == 28.0
    assert world.register.accrued == pytest.approx(-4 * weekly_benefit(baseline.costs, "JSA", 30))
    kept = Stub(2, motivation=0.0)
    jcp = _jobcentre(baseline, World(register=Register(baseline.costs)),
                     failure_probability=1.0, exit_probability=0.0)
    plan = jcp.plan(kept, 0.0)
    first = plan.review
    outcome = jcp.world.env.process(jcp.contact(kept, plan, first))
    jcp.world.env.run()
    assert outcome.value == REVIEW and plan.review == first + plan.interval


def test_a_claim_referred_to_an_earlier_programme_goes_on_to_the_work_programme(baseline):
    world = World()
    router = Router(world, baseline.system, {}, 30.0)
    wp = _programme(baseline, world, referral_weeks={"jsa_25_49": 52}, start_week=20.0)
    fnd = WorkProgramme(world, baseline.flexible_new_deal.model_copy(
        update={"enabled": True, "end_week": 20.0, "attachment_weeks": 8}), baseline.system,
        remit(baseline.jobcentre), 1000, 37.0, 30.0, router, "flexible_new_deal")
    jcp = Jobcentre(world, baseline.jobcentre, baseline.costs, 1000, router, 0.1, wp,
                    earlier=(fnd,))
    person = Stub(1, claim_start=-51 * 7.0)  # a year in during the run's first week
    plan = jcp.plan(person, 51 * 7.0)
    assert plan.programme is fnd and plan.referral == 7.0
    world.env.run(until=7.0)
    world.env.process(jcp.contact(person, plan, plan.referral))
    world.env.run(until=7.5)
    assert fnd.on_programme(person) and fnd.until[1] == 7.0 + 8 * 7.0
    assert plan.programme is wp and plan.referral == 20 * 7.0, "the Work Programme's start"
    assert plan.intervention == 78 * 7.0 - 51 * 7.0, "the first fixed week after FND ends"


# --- the labour market -----------------------------------------------------------------------
def _market(baseline, programme=None, **changes) -> LabourMarket:
    settings = baseline.labour_market.model_copy(update=changes)
    return LabourMarket(settings, baseline.population, 100,
                        baseline.motivation.job_lead_factor,
                        () if programme is None else (programme,))


def _searchers(market: LabourMarket, weights: list[float]) -> list[Stub]:
    people = [Stub(pid, placement=w, motivation=1.0) for pid, w in enumerate(weights)]
    for person in people:
        market.join(person, 0.0)
    return people


def test_raising_one_groups_employability_displaces_the_others(baseline):
    market = _market(baseline, outside_searchers_per_claimant=0.0, matching_efficiency=0.05)
    people = _searchers(market, [1.0] * 100)
    before = [market.offer_rate(p, 0.0) for p in people]
    total = market.hires_per_week(0.0)
    helped = people[:10]
    for person in helped:
        person.placement = 3.0
    after = [market.offer_rate(p, 0.0) for p in people]
    assert all(a > b for a, b in zip(after[:10], before[:10], strict=True)), "helped hire more"
    assert all(a < b for a, b in zip(after[10:], before[10:], strict=True)), "others hire less"
    searchers = market.inside + market.outside
    assert market.hires_per_week(0.0) == pytest.approx(
        0.05 * searchers ** market.alpha
        * market.stocks[OPEN].level ** (1 - market.alpha)), "total hires only through the function"
    assert total < market.hires_per_week(0.0) < market.stocks[OPEN].level, "more search, more hires"


def test_the_same_total_search_gives_the_same_total_hires(baseline):
    """The identity of this design: with vacancies and total effective search unchanged,
    total hires are unchanged, so any gain of one searcher is another's loss."""
    one = _market(baseline)
    two = _market(baseline)
    _searchers(one, [1.0, 2.0, 3.0])
    _searchers(two, [3.0, 2.0, 1.0])
    one.outside = two.outside = 4.0
    assert one.hires_per_week(0.0) == pytest.approx(two.hires_per_week(0.0))
    rates = [one.offer_rate(p, 0.0) * 7 for p in (Stub(0, placement=1.0, motivation=1.0),
                                                  Stub(1, placement=2.0, motivation=1.0),
                                                  Stub(2, placement=3.0, motivation=1.0))]
    outside = one.rate_per_weight(0.0) * 7 * one.outside
    assert sum(rates) + outside == pytest.approx(one.hires_per_week(0.0))


def test_doubling_vacancies_raises_hires_by_two_to_the_one_minus_alpha(baseline):
    market = _market(baseline, matching_efficiency=0.05)
    _searchers(market, [1.0] * 2000)
    market.outside = 1000.0
    hires = market.hires_per_week(0.0)
    assert hires < market.stocks[OPEN].level, "in the uncapped region"
    market.stocks[OPEN].level *= 2
    assert market.hires_per_week(0.0) == pytest.approx(hires * 2 ** (1 - market.alpha))


def test_hires_never_exceed_vacancies(baseline):
    market = _market(baseline, matching_efficiency=50.0)
    _searchers(market, [1.0] * 5000)
    assert market.hires_per_week(0.0) == pytest.approx(market.stocks[OPEN].level)


def test_openings_follow_their_trend(baseline):
    market = _market(baseline, vacancy_growth_per_year=0.5)
    market.opening = 10.0
    market.leave(Stub(0), 0.0)  # no searchers: nothing is filled
    market.join(Stub(0, motivation=0.0), 364.0)  # weight 0: the stocks run to day 364
    growth = math.log(1.5) / 364.0
    assert market.stocks[OPEN].opened == pytest.approx(10.0 * 0.5 / growth, rel=2e-3)
    assert market.stocks[OPEN].filled == 0.0


def _steady(baseline, weights: list[float], **changes) -> tuple[LabourMarket, list[Stub]]:
    """A market whose stock at the start is a steady state with these searchers."""
    market = _market(baseline, matching_efficiency=0.05, **changes)
    people = _searchers(market, weights)
    market.open(people, [], 0.0)
    return market, people


def _reweigh(market: LabourMarket, people: list[Stub], factor: float, now: float) -> None:
    for person in people:
        person.placement *= factor
        market.join(person, now)


def test_the_vacancy_stock_is_filled_down_and_replenished(baseline):
    """The stock's invariant: opened - filled - lapsed is the change in it; with more
    search it runs down, and when the search falls back employers refill it."""
    market, people = _steady(baseline, [1.0] * 100)
    start = market.stocks[OPEN].level
    market.join(people[0], 70.0)
    assert market.stocks[OPEN].level == pytest.approx(start), "the start is a steady state"
    _reweigh(market, people, 3.0, 70.0)
    market.join(people[0], 140.0)
    low = market.stocks[OPEN].level
    assert low < 0.95 * start, "more search fills the stock down"
    _reweigh(market, people, 1.0 / 3.0, 140.0)
    market.join(people[0], 400.0)
    assert low < market.stocks[OPEN].level == pytest.approx(start, rel=1e-3), "openings refill it"
    stock = market.stocks[OPEN]
    assert stock.opened > 0.0 and stock.filled > 0.0 and stock.lapsed > 0.0
    assert start + stock.opened - stock.filled - stock.lapsed == pytest.approx(stock.level)
    flows = market.flows()
    assert flows["open_end"] == stock.level and flows["open_start"] == start


def _year_of_hires(baseline, factor: float) -> tuple[float, float]:
    """Expected hires over a year (the model's searchers, the outside pool) when the
    model's searchers search ``factor`` times as hard from day 0, vacancies fixed."""
    market, people = _steady(baseline, [1.0] * 100)
    _reweigh(market, people, factor, 0.0)
    market.close(364.0)
    outside = market.outside_hires
    return market.stocks[OPEN].filled - outside, outside


def test_doubling_search_with_vacancies_fixed_raises_hires_less_and_displaces_more(baseline):
    """Openings held where they were: twice the search gives far less than twice the
    hires, and more of the model's gain is taken from the outside searchers than if
    the stock could not run down (the level model: hires = A S^alpha V0^(1-alpha))."""
    inside, outside = _year_of_hires(baseline, 1.0)
    inside2, outside2 = _year_of_hires(baseline, 2.0)
    assert inside < inside2 < 2.0 * inside
    assert (inside2 + outside2) / (inside + outside) < 2.0 ** baseline.labour_market.\
        matching_elasticity, "less than the matching function alone gives: the stock ran down"
    displaced = 1.0 - ((inside2 + outside2) - (inside + outside)) / (inside2 - inside)
    market, _ = _steady(baseline, [1.0] * 100)
    s_in, s_out, alpha = market.inside, market.outside, market.alpha
    # the same doubling with a stock that never runs down: each searcher's share of
    # hires that grow as S^alpha
    level = {f: (f * s_in + s_out) ** alpha for f in (1.0, 2.0)}
    level_inside = {f: level[f] * f * s_in / (f * s_in + s_out) for f in level}
    level_displaced = 1.0 - (level[2.0] - level[1.0]) / (level_inside[2.0] - level_inside[1.0])
    assert 0.0 < level_displaced < displaced < 1.0


def test_vacancies_pledged_to_the_young_are_theirs_and_taken_from_the_others(baseline):
    fence = baseline.labour_market.ring_fence.model_copy(
        update={"vacancies_per_year_per_1000": 5000.0, "employer_drop_out": 0.2,
                "substitution": 0.5})
    young = [Stub(pid, age=20, placement=1.0, motivation=1.0) for pid in range(50)]
    older = [Stub(pid, age=40, placement=1.0, motivation=1.0) for pid in range(50, 100)]

    def run(ring_fence) -> LabourMarket:
        market = LabourMarket(
            baseline.labour_market.model_copy(update={"matching_efficiency": 0.05,
                                                      "ring_fence": ring_fence}),
            baseline.population, 100, baseline.motivation.job_lead_factor, claimants=100)
        for person in young + older:
            market.join(person, 0.0)
        market.open(young + older, [], 0.0)
        market.close(364.0)
        return market

    plain, pledged = run(baseline.labour_market.ring_fence), run(fence)
    assert plain.stocks[PLEDGED].opened == 0.0
    assert pledged.stocks[PLEDGED].opened == pytest.approx(5000.0 * 0.1 * 0.8, rel=1e-6)
    assert pledged.group == pytest.approx(50.0) and plain.group == 0.0
    assert pledged.offer_rate(young[0], 364.0) > pledged.offer_rate(older[0], 364.0)
    assert plain.offer_rate(young[0], 364.0) == pytest.approx(plain.offer_rate(older[0], 364.0))
    assert pledged.opening == pytest.approx(plain.opening - 0.5 * 400.0 / 364.0)
    assert pledged.rate_per_weight(364.0) < plain.rate_per_weight(364.0), (
        "the older searchers' vacancies were partly substituted")
    stock = pledged.stocks[PLEDGED]
    assert stock.opened - stock.filled - stock.lapsed == pytest.approx(stock.level)


def test_leaving_takes_a_searchers_weight_out_and_the_outside_pool_keeps_hiring(baseline):
    market = _market(baseline)
    people = _searchers(market, [1.0, 1.0])
    market.open(people, [], 0.0)
    assert market.outside == pytest.approx(
        baseline.labour_market.outside_searchers_per_claimant * 2.0)
    rate = market.rate_per_weight(0.0)
    market.leave(people[0], 7.0)
    assert market.inside == pytest.approx(1.0)
    assert market.outside_hires == pytest.approx(rate * market.outside * 7.0)
    market.leave(people[0], 8.0)  # twice is harmless
    assert market.inside == pytest.approx(1.0)


def test_a_work_programme_attachment_raises_a_searchers_weight(baseline):
    world = World()
    wp = _programme(baseline, world, offer_factor=1.5)
    market = _market(baseline, programme=wp)
    person = Stub(1, placement=1.0, motivation=1.0)
    plain = market.weight(person, 0.0)
    wp.attach(person)
    assert market.weight(person, 1.0) == pytest.approx(1.5 * plain)


def test_in_work_support_stretches_a_job_by_the_same_luck(baseline):
    settings = baseline.labour_market
    support = baseline.post_employment.model_copy(update={"retention_effect": 0.5,
                                                          "effect_weeks": 1000})
    plain = job_days(settings, "temporary", Stream(1, 0, 1, "job"))
    helped = job_days(settings, "temporary", Stream(1, 0, 1, "job"), support)
    assert helped == pytest.approx(2 * plain), "hazard halved for as long as the job lasts"
