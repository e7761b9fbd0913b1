"""Outreach: finding workless people the Jobcentre never sees, and helping them look."""

from __future__ import annotations

from collections.abc import Callable

from journeysim.config import OutreachSettings
from journeysim.sim.routing import Process, Router
from journeysim.sim.world import Claimant, World
from journeysim.vocabulary import INACTIVE

NAME = "outreach"


class Outreach:
    """Outreach advisers in community venues (seed 004: nine of them, acting as mentors).

    Contacts are short and costed; outreach has no queue. It keeps who it has
    engaged; what an engaged person does next (look for work) is handed in as
    ``on_engaged``.
    """

    def __init__(self, world: World, settings: OutreachSettings, hour_cost: float,
                 router: Router, on_engaged: Callable[[Claimant], None]) -> None:
        self.env = world.env
        self.log = world.log
        self.hour_cost = hour_cost
        self.settings = settings
        self.router = router
        self.on_engaged = on_engaged
        self.engaged: set[int] = set()

    def watch(self, person: Claimant) -> None:
        """Start waiting to reach a workless person who does not claim."""
        if self.settings.enabled and person.state == INACTIVE:
            self.env.process(self._reach(person))

    def _reach(self, person: Claimant) -> Process:
        yield self.env.timeout(person.draw("outreach").exponential(
            self.settings.reach_per_week / 7.0))
        if person.state == INACTIVE and person.pid not in self.engaged:
            self.engage(person, source=NAME)

    def engage(self, person: Claimant, source: str) -> None:
        """Take the person on: an assessment by someone who owns the journey, then a search."""
        self.engaged.add(person.pid)
        hours = self.settings.session_hours
        self.log.add(person.pid, person.hid, self.env.now, "contact", NAME, source, hours,
                     hours * self.hour_cost)
        self.router.assess(person, NAME, hours, lead=True)
        self.router.refer_known(person, NAME, lead=True)
        self.on_engaged(person)
