"""A community hub or Opportunity Centre: one door, one point of contact, warm handoffs."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING

import simpy

from journeysim.config import HubSettings
from journeysim.sim.routing import distance
from journeysim.sim.services.base import Service

if TYPE_CHECKING:
    from journeysim.sim.person import Person
    from journeysim.sim.records import EventLog
    from journeysim.sim.routing import Router

NAME = "hub"


class Hub(Service):
    """Co-located services behind one door, with a lead worker who owns the journey."""

    def __init__(self, env: simpy.Environment, log: EventLog, settings: HubSettings,
                 claimants: int, hours_per_week: float, hour_cost: float,
                 router: Router) -> None:
        super().__init__(env, log, NAME, self.staff(settings.advisers_per_1000, claimants),
                         hours_per_week, hour_cost)
        self.settings = settings
        self.router = router
        self.co_located = frozenset(settings.co_located)

    def reaches(self, person: Person) -> bool:
        """Whether the person lives within the catchment of a hub."""
        return min(distance(person.location, site) for site in self.settings.sites) <= (
            self.settings.catchment_km)

    def take_on(self, person: Person) -> Generator[simpy.Event, None, None]:
        """First contact: the lead worker assesses and refers for every barrier found."""
        person.active.add(NAME)
        yield from self.appointment(person, self.settings.session_hours, "contact")
        self.router.assess(person, NAME, self.settings.session_hours, lead=True)
        person.encourage(self.settings.motivation_gain)
        self.router.refer_known(person, NAME, lead=True, warm_to=self.co_located)
        person.hub_member = True

    def fixed_costs(self, weeks: float) -> Iterator[tuple[float, str, float, float]]:
        """Costs of the sites over a run: (day, what, weeks, GBP).

        Fitting out every site on day 0, then premises and running costs for each
        year (52 weeks) of the run, or the part of a year at its end.
        """
        sites = len(self.settings.sites)
        yield 0.0, "setup", 0.0, sites * self.settings.setup_cost_per_site
        start = 0.0
        while start < weeks:
            span = min(52.0, weeks - start)
            yield start * 7.0, "premises", span, sites * self.settings.site_cost_per_year * (
                span / 52.0)
            start += span
