"""The Jobcentre's routine reviews: counted, their adviser time booked in daily blocks.

A routine review takes no queue for the claimant: it is held on its day, and
what it decides (a JSA claimant's conditionality, and through it a sanction) is
decided then. A review that decides nothing else may be held without waking the
claimant (:mod:`journeysim.sim.between`): its conditionality is drawn from the
motivation the claimant will have on its day, and it is counted. Its adviser
time is not simulated review by review. The reviews held during a day are
summed, and at the start of the next day that many adviser-hours are taken from
the Jobcentre's pool at the top priority, in blocks of at most one adviser-day
each, so interviews and interventions find the advisers exactly as busy, by the
day, as the reviews make them. Reviews are logged once a claim, as a count
(``reviews``), when it ends.
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
        #: Adviser-hours of the reviews held on each day, to book at the next day's start.
        self.due: dict[int, float] = {}

    def hold(self, person: Claimant, draw: Stream, sanctioned: bool | None = None) -> bool:
        """Hold a review now and book its time; True when a sanction ends the claim.

        ``sanctioned`` is its conditionality when that was drawn before the day.
        """
        self.count(self.env.now)
        if sanctioned is None:
            sanctioned = self.conditionality(person, draw)
        elif sanctioned:
            self.log_sanction(person)
        return sanctioned and self.sanction(person, draw)

    def count(self, day: float, reviews: int = 1) -> None:
        """Book the adviser time of ``reviews`` held on ``day`` (negative: taken back)."""
        if not self.hours:
            return
        booking = math.floor(day) + 1
        hours = self.due.get(booking)
        if hours is None:
            hours = 0.0
            self.env.process(self.book(booking))
        self.due[booking] = hours + reviews * self.hours

    def book(self, day: int) -> Generator[simpy.Event, None, None]:
        """At the start of ``day``, take the hours of the reviews held the day before."""
        yield self.env.timeout(day - self.env.now)
        days = self.due.pop(day) * self.days_per_hour
        blocks = math.ceil(days - 1e-9)
        for _ in range(blocks):
            self.env.process(self.block(days / blocks))

    def block(self, days: float) -> Generator[simpy.Event, None, None]:
        """One adviser held for ``days`` at the top priority."""
        with self.advisers.request(priority=ROUTINE) as request:
            yield request
            yield self.env.timeout(days)

    def chance(self, person: Claimant, motivation: float) -> float:
        """The chance a review sanctions the claimant at this motivation (0 off JSA)."""
        if person.benefit != "JSA":
            return 0.0
        return self.sanctions.failure_probability * (1.0 - motivation)

    def conditionality(self, person: Claimant, draw: Stream) -> bool:
        """A JSA claimant's conditionality at a review; True when they are sanctioned."""
        if person.benefit != "JSA" or draw.random() >= self.chance(person, person.motivation):
            return False
        self.log_sanction(person)
        return True

    def log_sanction(self, person: Claimant) -> None:
        """Log a sanction now."""
        self.log.add(person.pid, person.hid, self.env.now, "sanction", self.name, "",
                     self.sanctions.weeks)

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
