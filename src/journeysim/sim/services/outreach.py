"""Outreach: finding workless people the Jobcentre never sees, and helping them look."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

import simpy

from journeysim.config import OutreachSettings
from journeysim.vocabulary import INACTIVE

if TYPE_CHECKING:
    from journeysim.sim.person import Person
    from journeysim.sim.records import EventLog
    from journeysim.sim.routing import Router

NAME = "outreach"


class Outreach:
    """Outreach advisers in community venues (seed 004: nine of them, acting as mentors).

    Contacts are short and costed; outreach has no queue.
    """

    def __init__(self, env: simpy.Environment, log: EventLog, settings: OutreachSettings,
                 hour_cost: float, router: Router) -> None:
        self.env = env
        self.log = log
        self.hour_cost = hour_cost
        self.settings = settings
        self.router = router

    def watch(self, person: Person) -> None:
        """Start waiting to reach a workless person who does not claim."""
        if self.settings.enabled and person.state == INACTIVE:
            self.env.process(self._reach(person))

    def _reach(self, person: Person) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(person.draw("outreach").exponential(
            self.settings.reach_per_week / 7.0))
        if person.state == INACTIVE and not person.engaged:
            self.engage(person, source=NAME)

    def engage(self, person: Person, source: str) -> None:
        """Take the person on: an assessment by someone who owns the journey, then a search."""
        person.engaged = True
        hours = self.settings.session_hours
        self.log.add(person.pid, person.hid, self.env.now, "contact", NAME, source, hours,
                     hours * self.hour_cost)
        self.router.assess(person, NAME, hours, lead=True)
        self.router.refer_known(person, NAME, lead=True)
        person.start_search()
