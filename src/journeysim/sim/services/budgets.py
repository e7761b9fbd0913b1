"""Personal and family budgets: a case worker, a signed-off plan, purchases on barriers.

A personal budget (Lewisham) is for one person; a family budget (Lewisham's
family budget, South Tyneside Family Works, Bradford Think Family) is for a
workless household, with a broker who takes on every adult in it.
"""

from __future__ import annotations

import math

from journeysim.config import BudgetSettings
from journeysim.sim.routing import Process, Router
from journeysim.sim.services.base import COHORT_FULL, NOT_TAKEN, Caseload, Service
from journeysim.sim.services.outreach import Outreach
from journeysim.sim.services.work_programme import WorkProgramme
from journeysim.sim.world import DAYS_PER_WEEK, Claimant, World
from journeysim.vocabulary import BARRIERS, IN_WORK

#: A year of the run, for the cohort: 52 weeks.
YEAR_DAYS = 52 * DAYS_PER_WEEK


class Budget(Service):
    """A budget service; ``family`` makes it whole-household.

    Budgets are voluntary and few: a person (household) is offered one once, at
    the first review at which they qualify and the year's cohort has room, and
    takes it with the take-up chance. A case then waits for a place on a case
    worker's caseload and holds it for the case's weeks. The money buys down only
    the barriers a budget can buy (:attr:`BudgetSettings.buys`); the case worker
    refers the rest, warmly, to the services that address them.

    Args:
        world: the run's world.
        name: the service's name in the log.
        settings: the budget's parameters.
        claimants: claimants in the starting stock (sets case workers, caseload, cohort).
        hours_per_week: interview hours an adviser offers a week.
        hour_cost: GBP per adviser hour.
        router: assessments and referrals.
        family: whole-household (a family broker) rather than one person.
        outreach: who takes on a family's relatives who do not claim.
        work_programme: a personal budget is not for people attached to it.
    """

    def __init__(self, world: World, name: str, settings: BudgetSettings, claimants: int,
                 hours_per_week: float, hour_cost: float, router: Router, family: bool,
                 outreach: Outreach, work_programme: WorkProgramme | None = None) -> None:
        super().__init__(world, name, self.staff(settings.advisers_per_1000, claimants),
                         hours_per_week, hour_cost)
        self.settings = settings
        self.router = router
        self.family = family
        self.outreach = outreach
        self.work_programme = work_programme
        self.cases = Caseload(self, settings.advisers_per_1000, settings.caseload_per_adviser,
                              claimants)
        self.cohort = settings.cohort_per_1000_year * claimants / 1000.0
        self.taken: dict[int, int] = {}  # budgets taken, by year of the run
        self.buys = frozenset(BARRIERS.index(b) for b in settings.buys)
        self.offered: set[int] = set()  # offers made (taken up or not): each person once
        self.deferred: set[int] = set()  # told the cohort was full (told once)
        self.households: set[int] = set()
        self.everywhere = frozenset(router.services)

    def offer(self, person: Claimant) -> bool:
        """Offer the budget if the person (or household) qualifies now; True when taken up.

        Tried at every review: someone who does not qualify yet (too early in the
        claim, on the Work Programme, a household with someone in work or a budget
        already) can be offered later, and a full cohort defers the offer to the
        next year's places. A person decides once, when the offer is made.
        """
        if person.pid in self.offered:
            return False
        if not self.router.eligible(person, self.settings.eligibility, strict=True):
            return False
        if self.family:
            if person.hid in self.households or any(
                    m.state == IN_WORK for m in person.members()):
                return False
        elif self.work_programme is not None and self.work_programme.on_programme(person):
            return False  # not for people mandated to the Work Programme (T11)
        year = int(self.env.now // YEAR_DAYS)
        if self.taken.get(year, 0) + 1 > self.cohort:
            if person.pid not in self.deferred:
                self.deferred.add(person.pid)
                self.log.add(person.pid, person.hid, self.env.now, "declined", self.name,
                             COHORT_FULL)
            return False
        self.offered.add(person.pid)
        if not person.draw("budget").bernoulli(self.settings.take_up):
            self.log.add(person.pid, person.hid, self.env.now, "declined", self.name, NOT_TAKEN)
            return False
        self.taken[year] = self.taken.get(year, 0) + 1
        if self.family:
            self.households.add(person.hid)
        self.log.add(person.pid, person.hid, self.env.now, "referral", self.name,
                     "jobcentre:warm")
        self.router.brief(person, self.name)
        self.env.process(self.plan(person))
        return True

    def may_offer(self, person: Claimant, day: float) -> bool:
        """Whether :meth:`offer` at a review on ``day`` of the person's claim could do anything.

        False only where it surely could not, whatever happens before then: the
        person was offered it already; their household has one, or someone in it
        is in a job that lasts past that day (a family budget); they are on the
        Work Programme that day (a personal budget); they are outside its target
        group on that day (benefit, claim length and age hold through a claim); or
        they were told the cohort was full and that year's cohort is full already
        (a cohort only fills). Anything else may come to an offer.
        """
        if person.pid in self.offered:
            return False
        if self.family:
            if person.hid in self.households or any(
                    m.state == IN_WORK and m.job_until > day for m in person.members()):
                return False
        elif self.work_programme is not None and day < self.work_programme.until.get(
                person.pid, -math.inf):
            return False
        if not self.router.eligible(person, self.settings.eligibility, strict=True, day=day):
            return False
        return not (person.pid in self.deferred
                    and self.taken.get(int(day // YEAR_DAYS), 0) + 1 > self.cohort)

    def plan(self, person: Claimant) -> Process:
        """A place on the caseload, the case worker, a signed-off plan, then spending.

        The case (a person, or a whole household for a family budget) holds one
        place; the case worker then sees each member.
        """
        s = self.settings
        days = s.case_weeks * DAYS_PER_WEEK
        self.router.with_service(person).add(self.name)
        if not (yield from self.cases.take(person, days)):
            self.router.with_service(person).discard(self.name)
            return  # left benefit while waiting for a place
        until = self.env.now + days
        people = [person]
        if self.family:
            people += [m for m in person.members() if m is not person and m.state != IN_WORK]
        seen = []
        for member in people:
            self.router.with_service(member).add(self.name)
            if not (yield from self.appointment(member, s.case_worker_hours, "contact")):
                self.router.with_service(member).discard(self.name)
                if member is person:
                    return  # left benefit while waiting for a case worker
                continue
            seen.append(member)
            self.router.assess(member, self.name, s.case_worker_hours, lead=True)
            member.encourage(s.motivation_gain)
            if member is not person and member.pid not in self.outreach.engaged:
                self.outreach.engage(member, source=self.name, until=until)
        if s.sign_off_days > 0.0:
            yield self.env.timeout(person.draw("budget").exponential(1.0 / s.sign_off_days))
        left = s.amount
        for member in seen:
            left = self.spend(member, left)
            self.router.refer_known(member, self.name, lead=True, warm_to=self.everywhere)

    def spend(self, person: Claimant, left: float) -> float:
        """Buy down the person's known barriers a budget can buy, worst first; return the rest.

        Barriers the money cannot buy (health, mental health, substance misuse,
        offending, ...) are left to the referrals that follow.
        """
        known = self.router.known(person, self.name) & self.buys
        for barrier in sorted(known, key=lambda i: -person.barriers[i]):
            if left <= 0.0:
                break
            cost = min(left, person.barriers[barrier] * self.settings.unit_price)
            if cost <= 0.0:
                continue
            person.reduce_barrier(barrier, cost / self.settings.unit_price)
            left -= cost
            self.log.add(person.pid, person.hid, self.env.now, "purchase", self.name,
                         str(barrier), cost / self.settings.unit_price, cost)
        return left
