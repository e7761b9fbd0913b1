"""Outreach: finding workless people the Jobcentre never sees, and helping them look.

Outreach is a funnel run by a sized team (seed 004: nine advisers in community
centres and housing groups, acting as mentors). A workless person who does not
claim is contacted at some rate; a person contacted takes up the offer with some
chance; one who does is taken on only if an adviser has room on their caseload,
and is supported to look for work for a while. Nobody contacted is contacted
twice. Everyone it could reach already looks for work on their own (the
journeys' ``search``): support raises their chances, it does not start them.
"""

from __future__ import annotations

from collections.abc import Callable

from journeysim.config import OutreachSettings
from journeysim.sim.routing import Process, Router
from journeysim.sim.services.base import NO_PLACE, NOT_TAKEN, Caseload, Service
from journeysim.sim.world import DAYS_PER_WEEK, Claimant, World
from journeysim.vocabulary import INACTIVE

NAME = "outreach"


class Outreach(Service):
    """Outreach advisers and their caseload.

    It keeps who it has engaged. What support to look for work until a day does
    is handed in as ``on_engaged``.

    Args:
        world: the run's world.
        settings: outreach's parameters.
        claimants: claimants in the starting stock (sets the team and its caseload).
        hours_per_week: contact hours an adviser offers a week.
        hour_cost: GBP per adviser hour.
        router: assessments and referrals.
        on_engaged: supports an engaged person's job search until the given day.
    """

    def __init__(self, world: World, settings: OutreachSettings, claimants: int,
                 hours_per_week: float, hour_cost: float, router: Router,
                 on_engaged: Callable[[Claimant, float], None]) -> None:
        super().__init__(world, NAME, self.staff(settings.advisers_per_1000, claimants),
                         hours_per_week, hour_cost)
        self.settings = settings
        self.router = router
        self.on_engaged = on_engaged
        self.cases = Caseload(self, settings.advisers_per_1000, settings.caseload_per_adviser,
                              claimants)
        self.engaged: set[int] = set()

    def watch(self, person: Claimant) -> None:
        """Start waiting to contact a workless person who does not claim."""
        if self.settings.enabled and person.state == INACTIVE:
            self.env.process(self._reach(person))

    def _reach(self, person: Claimant) -> Process:
        draw = person.draw("outreach")
        yield self.env.timeout(draw.exponential(self.settings.reach_per_week / DAYS_PER_WEEK))
        if person.state != INACTIVE or person.pid in self.engaged:
            return
        if not draw.bernoulli(self.settings.take_up):
            self.log.add(person.pid, person.hid, self.env.now, "declined", NAME, NOT_TAKEN)
            return
        if not self.cases.room():
            self.log.add(person.pid, person.hid, self.env.now, "declined", NAME, NO_PLACE)
            return
        days = self.settings.engaged_weeks * DAYS_PER_WEEK
        yield from self.cases.take(person, days, self.world.departure(person))
        self.engage(person, source=NAME, until=self.env.now + days)

    def engage(self, person: Claimant, source: str, until: float) -> None:
        """Take the person on: an assessment by someone who owns the journey, then a search.

        ``source`` is who took them on (outreach, or a family broker who holds the
        person on its own caseload); the search lasts until day ``until`` or a job.
        """
        self.engaged.add(person.pid)
        hours = self.settings.session_hours
        self.log.add(person.pid, person.hid, self.env.now, "contact", NAME, source, hours,
                     hours * self.hour_cost)
        self.router.assess(person, NAME, hours, lead=True)
        self.router.refer_known(person, NAME, lead=True)
        self.on_engaged(person, until)
