"""Specialist wraparound services and Get Britain Working measures.

Debt advice, mental health, drugs and alcohol, housing, childcare, skills, ESOL,
offender services, work clubs, work experience, volunteering, enterprise support
and mentoring differ only in their parameters (what they address, how well, how
many sessions, who they take), so one class serves them all: configured, not
coded.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

import simpy

from journeysim.config import BARRIERS, SupportService
from journeysim.services.base import Service

if TYPE_CHECKING:
    from journeysim.agents import Person
    from journeysim.records import EventLog
    from journeysim.routing import Router


class SupportProvider(Service):
    """A service that runs episodes of sessions on the barriers it addresses."""

    def __init__(self, env: simpy.Environment, log: EventLog, name: str,
                 settings: SupportService, claimants: int, hours_per_week: float,
                 hour_cost: float) -> None:
        super().__init__(env, log, name, self.staff(settings.advisers_per_1000, claimants),
                         hours_per_week, hour_cost)
        self.settings = settings
        self.addresses = frozenset(BARRIERS.index(b) for b in settings.barriers)
        self.router: Router | None = None

    def episode(self, person: Person) -> Generator[simpy.Event, None, None]:
        """Assess (unless a common assessment exists), hold the sessions, record the effect."""
        s = self.settings
        self.router.assess(person, self.name, s.session_hours, lead=False, payer=s.payer)
        for number in range(s.sessions):
            if not person.in_support():
                self.log.add(person.pid, person.hid, self.env.now, "episode_end", self.name,
                             "left", number)
                return
            yield from self.appointment(person, s.session_hours, "session", s.payer)
            if number < s.sessions - 1 and s.session_interval_days > 0.0:
                yield self.env.timeout(s.session_interval_days)
        for barrier in self.addresses:
            if person.barriers[barrier] > 0.0:
                person.reduce_barrier(barrier, s.effect)
        person.encourage(s.motivation_gain)
        person.boost(s.offer_factor, s.offer_weeks, self.env.now)
        self.log.add(person.pid, person.hid, self.env.now, "episode_end", self.name,
                     "completed", s.sessions, s.cost_per_episode)
