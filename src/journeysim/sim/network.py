"""Builds the service network from a scenario and connects it to the journeys.

The Jobcentre is always there; every other service exists only when its
scenario switches it on. ``first_contact`` and ``at_review`` are where the
Jobcentre's contacts lead people on to the rest of the network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import simpy

from journeysim.config import Scenario
from journeysim.sim.records import EventLog
from journeysim.sim.routing import Router
from journeysim.sim.services import Jobcentre
from journeysim.sim.services.budgets import Budget
from journeysim.sim.services.hub import Hub
from journeysim.sim.services.outreach import Outreach
from journeysim.sim.services.support import SupportProvider
from journeysim.sim.services.work_programme import WorkProgramme

if TYPE_CHECKING:
    from journeysim.sim.person import Person

FIXED = -1  # person and household of costs that belong to no one (hub premises)


class Network:
    """Every service of one run, and the router between them."""

    def __init__(self, env: simpy.Environment, log: EventLog, config: Scenario) -> None:
        self.env = env
        self.log = log
        self.config = config
        people = config.run.people
        hours = config.jobcentre.adviser_hours_per_week
        cost = config.costs.adviser_hour
        self.jobcentre = Jobcentre(env, log, config.jobcentre, config.costs, people)
        self.services = {
            name: SupportProvider(env, log, name, s, people, hours, cost)
            for name, s in config.services.items() if s.enabled
        }
        self.router = Router(env, log, config.system, self.services, cost)
        for service in self.services.values():
            service.router = self.router
        self.work_programme = WorkProgramme(
            env, log, config.work_programme, config.system, self.jobcentre.addresses, people,
            hours, cost, self.router) if config.work_programme.enabled else None
        self.hub = Hub(env, log, config.hub, people, hours, cost,
                       self.router) if config.hub.enabled else None
        self.outreach = Outreach(env, log, config.outreach, cost, self.router)
        self.budgets = [
            Budget(env, log, name, settings, people, hours, cost, self.router, family,
                   self.outreach)
            for name, settings, family in (
                ("personal_budget", config.personal_budget, False),
                ("family_budget", config.family_budget, True))
            if settings.enabled
        ]
        self.routine = [s for s in self.services.values() if s.settings.routine_referral > 0]
        self.post_employment = config.post_employment if config.post_employment.enabled else None

    def first_contact(self, person: Person) -> None:
        """After the first Jobcentre contact of a claim: the hub, or the Jobcentre's referrals."""
        jcp = self.jobcentre.name
        if self.hub is not None and not person.hub_member and self.hub.name not in person.offered:
            person.offered.add(self.hub.name)
            draw = person.draw("hub")
            taken = draw.random() < self.hub.settings.engagement_probability
            if self.hub.reaches(person) and taken:
                self.log.add(person.pid, person.hid, self.env.now, "referral", self.hub.name,
                             f"{jcp}:warm")
                self.env.process(self.hub.take_on(person))
                return
        if person.hub_member:
            self.router.refer_known(person, self.hub.name, lead=True, warm_to=self.hub.co_located)
        else:
            self.router.refer_known(person, jcp, lead=False)
        self.routine_referrals(person)

    def routine_referrals(self, person: Person) -> None:
        """Work clubs, work experience and the like, offered whatever the barriers.

        Their target group applies even when eligibility is flexible.
        """
        draw = person.draw("routine")
        warm_to = self.hub.co_located if self.hub is not None and person.hub_member else ()
        for service in self.routine:
            chance = draw.random()
            if service.name in person.active or chance >= service.settings.routine_referral:
                continue
            if self.router.eligible(person, service.settings.eligibility,
                                    service.settings.volunteering, strict=True):
                self.router.refer(person, service, self.jobcentre.name, service.name in warm_to)

    def at_review(self, person: Person) -> None:
        """At a routine review: offer any budget the person has come to qualify for."""
        for budget in self.budgets:
            budget.offer(person)

    def finish(self, weeks: float) -> None:
        """Costs that belong to no one person, for the whole run."""
        if self.hub is not None:
            for day, what, span, cost in self.hub.fixed_costs(weeks):
                self.log.add(FIXED, FIXED, day, "fixed_cost", self.hub.name, what, span, cost)
