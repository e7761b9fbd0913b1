"""A community hub or Opportunity Centre: one door, one point of contact, warm handoffs."""

from __future__ import annotations

from collections.abc import Iterator

from journeysim.config import HubSettings
from journeysim.sim.routing import Process, Router, distance
from journeysim.sim.services.base import Service
from journeysim.sim.world import Claimant, World

NAME = "hub"


class Hub(Service):
    """Co-located services behind one door, with a lead worker who owns the journey.

    It keeps who has been offered the hub and who has joined it (members stay
    members, in and out of work).
    """

    def __init__(self, world: World, settings: HubSettings, claimants: int,
                 hours_per_week: float, hour_cost: float, router: Router) -> None:
        super().__init__(world, NAME, self.staff(settings.advisers_per_1000, claimants),
                         hours_per_week, hour_cost)
        self.settings = settings
        self.router = router
        self.co_located = frozenset(settings.co_located)
        self.offered: set[int] = set()
        self.members: set[int] = set()

    def member(self, person: Claimant) -> bool:
        """Whether the person has joined the hub."""
        return person.pid in self.members

    def reaches(self, person: Claimant) -> bool:
        """Whether the person lives within the catchment of a hub."""
        return min(distance(person.location, site) for site in self.settings.sites) <= (
            self.settings.catchment_km)

    def take_on(self, person: Claimant) -> Process:
        """First contact: the lead worker assesses and refers for every barrier found."""
        self.router.with_service(person).add(NAME)
        if not (yield from self.appointment(person, self.settings.session_hours, "contact")):
            self.router.with_service(person).discard(NAME)
            return
        self.router.assess(person, NAME, self.settings.session_hours, lead=True)
        person.encourage(self.settings.motivation_gain)
        self.router.refer_known(person, NAME, lead=True, warm_to=self.co_located)
        self.members.add(person.pid)

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
