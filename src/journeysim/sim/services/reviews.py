"""The Jobcentre's routine reviews: counted, their adviser time booked in daily blocks.

A routine review takes no queue for the claimant: it is held on its day, and
what it decides (a JSA claimant's conditionality, and through it a sanction) is
decided then. Its adviser time is not simulated review by review. The reviews
held during a day are summed, and at the start of the next day that many
adviser-hours are taken from the Jobcentre's pool at the top priority, in
blocks of at most one adviser-day each, so interviews and interventions find
the advisers exactly as busy, by the day, as the reviews make them. Reviews are
logged once a claim, as a count (``reviews``), when it ends.
"""

from __future__ import annotations

import math
from collections.abc import Generator

import simpy

from journeysim.config import CostSettings, JobcentreSettings
from journeysim.sim.benefits import weekly_benefit
from journeysim.sim.streams import Stream
from journeysim.sim.world import Claimant, World

#: The top priority of the Jobcentre's pool: reviews and interviews.
ROUTINE = 0


class Reviews:
    """Routine reviews of a Jobcentre: conditionality, sanctions, their count and their time.

    Args:
        world: the run's world.
        name: the Jobcentre's name in the log.
        advisers: the Jobcentre's pool of advisers (a priority resource).
        days_per_hour: days of the clock one adviser-hour holds an adviser.
        settings: the Jobcentre's parameters (review minutes and intervals, sanctions).
        costs: unit costs (the adviser hour, benefit rates).
    """

    def __init__(self, world: World, name: str, advisers: simpy.PriorityResource,
                 days_per_hour: float, settings: JobcentreSettings,
                 costs: CostSettings) -> None:
        self.world = world
        self.env = world.env
        self.log = world.log
        self.name = name
        self.advisers = advisers
        self.days_per_hour = days_per_hour
        self.sanctions = settings.sanctions
        self.costs = costs
        self.hours = settings.review_minutes / 60.0
        self.cost = self.hours * costs.adviser_hour
        self.interval = settings.review_interval_days.model_dump()
        self.pending = 0.0  # adviser-hours of the reviews held since the last booking

    def hold(self, person: Claimant, draw: Stream) -> bool:
        """Hold a review now and book its time; True when a sanction ends the claim."""
        if not self.pending and self.hours:
            now = self.env.now
            self.env.process(self.book(math.floor(now) + 1.0 - now))
        self.pending += self.hours
        return self.conditionality(person, draw) and self.sanction(person, draw)

    def book(self, delay: float) -> Generator[simpy.Event, None, None]:
        """After ``delay`` (at the next day's start), take the hours booked from the pool."""
        yield self.env.timeout(delay)
        days, self.pending = self.pending * self.days_per_hour, 0.0
        blocks = math.ceil(days - 1e-9)
        for _ in range(blocks):
            self.env.process(self.block(days / blocks))

    def block(self, days: float) -> Generator[simpy.Event, None, None]:
        """One adviser held for ``days`` at the top priority."""
        with self.advisers.request(priority=ROUTINE) as request:
            yield request
            yield self.env.timeout(days)

    def conditionality(self, person: Claimant, draw: Stream) -> bool:
        """A JSA claimant's conditionality at a review; True when they are sanctioned."""
        if person.benefit != "JSA":
            return False
        sanctions = self.sanctions
        if draw.random() >= sanctions.failure_probability * (1.0 - person.motivation):
            return False
        self.log.add(person.pid, person.hid, self.env.now, "sanction", self.name, "",
                     sanctions.weeks)
        return True

    def sanction(self, person: Claimant, draw: Stream) -> bool:
        """Withhold benefit for the sanction's weeks; True when the person then stops claiming."""
        sanctions = self.sanctions
        person.withhold(sanctions.weeks * 7.0)
        weekly = weekly_benefit(self.costs, person.benefit, person.age)
        self.world.register.accrue(self.env.now, -weekly * sanctions.weeks)
        person.discourage(sanctions.motivation_penalty)
        return draw.random() < sanctions.exit_probability

    def record(self, person: Claimant, reviews: int) -> None:
        """Log a claim's ``reviews`` as one count with their cost, when the claim ends."""
        if reviews:
            self.log.add(person.pid, person.hid, self.env.now, "reviews", self.name,
                         str(reviews), reviews, reviews * self.cost)
