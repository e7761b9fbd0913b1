"""Builds the service network from a scenario and connects it to the journeys.

The Jobcentre is always there; every other service exists only when its
scenario switches it on. ``first_contact`` and ``at_review`` are where the
Jobcentre's contacts lead people on to the rest of the network.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from journeysim.config import Scenario
from journeysim.sim.records import NOBODY, PREMISES
from journeysim.sim.routing import Router
from journeysim.sim.services.budgets import Budget
from journeysim.sim.services.hub import Hub
from journeysim.sim.services.in_work import InWorkSupport
from journeysim.sim.services.interventions import remit
from journeysim.sim.services.jobcentre import Jobcentre
from journeysim.sim.services.outreach import Outreach
from journeysim.sim.services.support import SupportProvider
from journeysim.sim.services.troubled_families import TroubledFamilies
from journeysim.sim.services.work_programme import WorkProgramme
from journeysim.sim.world import Claimant, World
from journeysim.vocabulary import PROGRAMMES


class Network:
    """Every service of one run, and the router between them.

    Args:
        world: the run's world.
        config: the scenario.
        support: what an engaged non-claimant gets (support to look for work until a day).
    """

    def __init__(self, world: World, config: Scenario,
                 support: Callable[[Claimant, float], None]) -> None:
        self.env = world.env
        self.log = world.log
        self.config = config
        people = config.run.people
        hours = config.jobcentre.adviser_hours_per_week
        cost = config.costs.adviser_hour
        self.services = {
            name: SupportProvider(world, name, s, people, hours, cost)
            for name, s in config.services.items() if s.enabled
        }
        self.router = router = Router(world, config.system, self.services, cost)
        standard = remit(config.jobcentre)
        self.work_programme = WorkProgramme(
            world, config.work_programme, config.system, standard, people,
            hours, cost, router) if config.work_programme.enabled else None
        #: Flexible New Deal and Pathways to Work, when they run before the Work Programme.
        earlier = tuple(
            WorkProgramme(world, getattr(config, name), config.system, standard, people, hours,
                          cost, router, name)
            for name in PROGRAMMES[1:] if getattr(config, name).enabled)
        #: The contracted programmes that run, each with its attachments and results.
        self.programmes = (*earlier, *(p for p in (self.work_programme,) if p is not None))
        self.jobcentre = Jobcentre(world, config.jobcentre, config.costs, people, router,
                                   config.motivation.fitting_support_boost, self.work_programme,
                                   config.lone_parents, config.ib_reassessment,
                                   earlier)
        self.hub = Hub(world, config.hub, people, hours, cost, router) if config.hub.enabled \
            else None
        self.outreach = Outreach(world, config.outreach, people, hours, cost, router,
                                 support)
        self.budgets = [
            Budget(world, name, settings, people, hours, cost, router, family, self.outreach,
                   self.work_programme)
            for name, settings, family in (
                ("personal_budget", config.personal_budget, False),
                ("family_budget", config.family_budget, True))
            if settings.enabled
        ]
        if config.troubled_families.enabled:
            self.budgets.append(TroubledFamilies(world, config.troubled_families, people, hours,
                                                 cost, router, self.outreach))
        self.routine = [s for s in self.services.values() if s.settings.routine_referral > 0]
        #: The routine offers decided in each person's current claim (by its start day),
        #: and the weeks into it before which none of the others can be decided.
        self.routine_offered: dict[int, tuple[float, set[str], float]] = {}
        self.in_work = InWorkSupport(world, config.post_employment, people, hours, cost) \
            if config.post_employment.enabled else None

    def first_contact(self, person: Claimant) -> None:
        """After the first Jobcentre contact of a claim: the hub, or the Jobcentre's referrals."""
        jcp, hub = self.jobcentre.name, self.hub
        if hub is not None and not hub.member(person) and person.pid not in hub.offered:
            hub.offered.add(person.pid)
            draw = person.draw("hub")
            taken = draw.random() < hub.settings.engagement_probability
            if hub.reaches(person) and taken:
                self.log.add(person.pid, person.hid, self.env.now, "referral", hub.name,
                             f"{jcp}:warm")
                self.router.brief(person, hub.name)
                self.env.process(hub.take_on(person))
                return
        if hub is not None and hub.member(person):
            self.router.refer_known(person, hub.name, lead=True, warm_to=hub.co_located)
        else:
            self.router.refer_known(person, jcp, lead=False)
        self.routine_referrals(person)

    def routine_referrals(self, person: Claimant) -> None:
        """Work clubs, work experience and the like, offered whatever the barriers.

        Each is offered once a claim, at the first contact (the first one, or a
        routine review) at which the person meets its own rules: a work club at
        once, work experience from 13 weeks, the Future Jobs Fund from 26. Their
        target group applies even when eligibility is flexible. These are the
        Jobcentre's own measures, so volunteering arranged this way (Work Together,
        seed 004) is allowed even where the rules stop other volunteering. A
        ``booked`` offer is made warm: the adviser books the person in on the day.
        """
        now = self.env.now
        if not self.routine_due(person, now):
            return  # every offer of this claim decided, or none due yet: the usual review
        claim, decided, _ = self.routine_offered.get(person.pid, (None, set(), 0.0))
        if claim != person.claim_start:
            decided = set()
        weeks = person.claim_weeks(now)
        draw = person.draw("routine")
        hub = self.hub
        warm_to = hub.co_located if hub is not None and hub.member(person) else ()
        active = self.router.with_service(person)
        for service in self.routine:
            if service.name in decided:
                continue
            rules = service.settings.eligibility
            if not self.router.eligible(person, rules, strict=True):
                if weeks >= rules.min_claim_weeks:
                    decided.add(service.name)  # not for a longer claim either: no draw
                continue
            decided.add(service.name)
            chance = draw.random()
            if (service.name in active or chance >= service.settings.routine_referral
                    or not service.open_to_referrals()):
                continue
            self.router.refer(person, service, self.jobcentre.name,
                              service.name in warm_to or service.settings.booked)
        # Benefit and age hold through a claim, so an offer still open waits only for
        # its claim length: nothing is decided (or drawn) at a review before then.
        ready = min((s.settings.eligibility.min_claim_weeks for s in self.routine
                     if s.name not in decided), default=math.inf)
        self.routine_offered[person.pid] = (person.claim_start, decided, ready)

    def routine_due(self, person: Claimant, day: float) -> bool:
        """Whether a routine offer of the person's claim can be decided on ``day``.

        Each is decided once a claim; benefit and age hold through a claim, so one
        still open waits only for its claim length (``ready``, in weeks).
        """
        if not self.routine:
            return False
        claim, decided, ready = self.routine_offered.get(person.pid, (None, (), 0.0))
        if claim != person.claim_start:
            return True
        return len(decided) < len(self.routine) and (day - claim) / 7.0 >= ready

    def decides_at(self, person: Claimant, day: float) -> bool:
        """Whether a routine review on ``day`` could lead the person anywhere in the network.

        A budget's offer may come at a review unless it surely cannot
        (:meth:`Budget.may_offer`), a routine offer when one is due.
        """
        for budget in self.budgets:
            if budget.may_offer(person, day):
                return True
        return self.routine_due(person, day)

    def at_review(self, person: Claimant) -> None:
        """At a routine review: any budget or routine offer the person has come to qualify for."""
        for budget in self.budgets:
            budget.offer(person)
        self.routine_referrals(person)

    def finish(self, weeks: float) -> None:
        """Costs of places still held at the end, and of no one person, for the whole run."""
        for service in (self.outreach, *self.budgets, self.in_work):
            if service is not None:
                service.cases.close()
        if self.hub is not None:
            for day, what, span, cost in self.hub.fixed_costs(weeks):
                self.log.add(NOBODY, NOBODY, day, "fixed_cost", PREMISES, what, span, cost)
