"""Personal and family budgets: a case worker, a signed-off plan, purchases on barriers.

A personal budget (Lewisham) is for one person; a family budget (Lewisham's
family budget, South Tyneside Family Works, Bradford Think Family) is for a
workless household, with a broker who takes on every adult in it.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

import simpy

from journeysim.config import BudgetSettings
from journeysim.sim.services.base import Service
from journeysim.vocabulary import IN_WORK

if TYPE_CHECKING:
    from journeysim.sim.person import Person
    from journeysim.sim.records import EventLog
    from journeysim.sim.routing import Router
    from journeysim.sim.services.outreach import Outreach



class Budget(Service):
    """A budget service; ``family`` makes it whole-household."""

    def __init__(self, env: simpy.Environment, log: EventLog, name: str,
                 settings: BudgetSettings, claimants: int, hours_per_week: float,
                 hour_cost: float, router: Router, family: bool,
                 outreach: Outreach | None = None) -> None:
        super().__init__(env, log, name, self.staff(settings.advisers_per_1000, claimants),
                         hours_per_week, hour_cost)
        self.settings = settings
        self.router = router
        self.family = family
        self.outreach = outreach

    def offer(self, person: Person) -> bool:
        """Offer the budget if the person (or household) qualifies; True when taken on."""
        if self.name in person.offered:
            return False
        person.offered.add(self.name)
        if not self.router.eligible(person, self.settings.eligibility, strict=True):
            return False
        if self.family:
            household = person.household
            if household.family_budget or any(m.state == IN_WORK for m in household.members):
                return False
            household.family_budget = True
        elif person.wp_until > self.env.now:
            return False  # not for people mandated to the Work Programme (T11)
        self.log.add(person.pid, person.hid, self.env.now, "referral", self.name,
                     "jobcentre:warm")
        self.env.process(self.plan(person))
        return True

    def plan(self, person: Person) -> Generator[simpy.Event, None, None]:
        """Meet the case worker, agree a plan, wait for sign-off, then spend."""
        s = self.settings
        people = [person]
        if self.family:
            people += [m for m in person.household.members
                       if m is not person and m.state != IN_WORK]
        for member in people:
            member.active.add(self.name)
            yield from self.appointment(member, s.case_worker_hours, "contact")
            if member is person and not person.in_support():
                return  # left benefit while waiting for a case worker
            self.router.assess(member, self.name, s.case_worker_hours, lead=True)
            member.encourage(s.motivation_gain)
            if member is not person and self.outreach is not None and not member.engaged:
                self.outreach.engage(member, source=self.name)
        if s.sign_off_days > 0.0:
            yield self.env.timeout(person.draw("budget").exponential(1.0 / s.sign_off_days))
        left = s.amount
        for member in people:
            left = self.spend(member, left)
            self.router.refer_known(member, self.name, lead=True)

    def spend(self, person: Person, left: float) -> float:
        """Buy down the person's known barriers, worst first; return what is left (GBP)."""
        known = self.router.known(person, self.name)
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
