"""Journeys: each claimant's SimPy process, from claim to job and maybe back.

A claimant's journey is one SimPy process: claim -> the Jobcentre's contacts
(interviews, reviews, interventions, the WCA, a Work Programme referral) -> a
job, another benefit, or stopping claiming -> maybe back. Rare events are not
polled, and reviews that decide nothing but conditionality do not wake the
claimant: at each decision the claim is walked forward in closed form to the
next (:mod:`journeysim.sim.between`), and the person sleeps until then. A
change made by someone else (a relative's job, a service's help) wakes them at
once. A person who has to queue for an adviser can still find work or leave
benefit while they wait (:class:`Leaving`).

Jobs, and the search of those not claiming, are :mod:`journeysim.sim.jobs`. The
journeys keep the claimant register in step with every change of state
and write the claim's own records (start, end, benefit paid).
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import simpy

from journeysim.config import Scenario
from journeysim.sim.benefits import benefit_paid, weekly_benefit
from journeysim.sim.between import EXIT, SANCTION, walk
from journeysim.sim.jobs import Jobs, Part, become
from journeysim.sim.market import LabourMarket
from journeysim.sim.network import Network
from journeysim.sim.person import Person
from journeysim.sim.services.jobcentre import FIT_FOR_WORK, LEFT, REVIEW, STOPPED, TO_JSA
from journeysim.sim.streams import Stream
from journeysim.sim.world import World
from journeysim.vocabulary import BENEFITS, CLAIMING, INACTIVE

WORK = "work"
BENEFIT = "benefit"
CENSORED = "censored"
Journey = Generator[simpy.Event, None, None]


class Leaving:
    """A claimant's own exit, raced against a queue for a Jobcentre adviser.

    Queueing does not stop a person finding work or leaving benefit. When they
    have to queue (and only then, so a run with no queues draws nothing more),
    the time to their next exit is drawn from the hazards at that moment; if it
    comes before an adviser is free, they leave the queue, and
    :meth:`destination` draws where they went.
    """

    def __init__(self, env: simpy.Environment, draw: Stream,
                 hazards: Callable[[], tuple[float, float, float]]) -> None:
        self.env = env
        self.draw = draw
        self.hazards = hazards
        self.rates = (0.0, 0.0, 0.0)
        self.event: simpy.Event | None = None

    def __call__(self) -> simpy.Event:
        """The event of the exit, drawn now (one that never fires if no exit can come)."""
        self.rates = self.hazards()
        total = sum(self.rates)
        self.event = self.env.event() if total <= 0.0 else self.env.timeout(
            self.draw.exponential(total), "left benefit")
        return self.event

    @property
    def fired(self) -> bool:
        """Whether the last exit drawn has come."""
        return self.event is not None and self.event.processed

    def destination(self) -> str:
        """Where the exit went: work, inactive or another benefit, by their hazards."""
        return (WORK, INACTIVE, BENEFIT)[self.draw.index(self.rates)]


class Journeys(Part):
    """Starts and runs people's journeys through the network and the labour market."""

    def __init__(self, world: World, scenario: Scenario, network: Network,
                 market: LabourMarket) -> None:
        super().__init__(world, network, market)
        self.costs = scenario.costs
        self.exits = {b: getattr(scenario.labour_market.other_exits, b) for b in BENEFITS}
        self.closing = scenario.jobcentre.wca.closed_before_per_week / 7.0
        self.jobs = Jobs(world, scenario, network, market)

    # --- state ---------------------------------------------------------------------------
    def arrive(self, person: Person) -> None:
        """Count a new person in the register."""
        self.register.tally(None, person.key)

    # --- starting --------------------------------------------------------------------------
    def start(self, person: Person, elapsed_days: float = 0.0) -> None:
        """Begin a person's life in the model as a SimPy process, among the searchers.

        A claimant starts with their claim, ``elapsed_days`` into it; anyone else
        out of work starts looking for work without a claim.
        """
        self.market.join(person, self.env.now)
        person.exit_draw = person.draw("exits")
        person.work_draw = person.draw("work")
        self.env.process(self.life(person, elapsed_days))

    # --- processes -------------------------------------------------------------------------
    def life(self, person: Person, elapsed_days: float) -> Journey:
        """A claimant's claims and jobs; a relative's searches and jobs, to the run's end.

        Someone who stops claiming leaves the model's view, as before: the
        starting population holds no pool of former claimants in steady state, so
        their searching would make the claimant stock drift for years.
        """
        if person.state == CLAIMING:
            yield from self.journey(person, elapsed_days)
            return
        while person.state == INACTIVE:
            yield from self.jobs.search(person)
            yield from self.jobs.work(person)

    def journey(self, person: Person, elapsed_days: float) -> Journey:
        """Claims and jobs, one after another, until the person stops claiming."""
        benefit = person.benefit
        while True:
            if not elapsed_days:
                benefit = self.network.jobcentre.entitled(person, benefit)
            destination, benefit = yield from self.claim(person, benefit, elapsed_days)
            elapsed_days = 0.0
            if destination == WORK:
                if not (yield from self.jobs.work(person)):
                    return
            elif destination != BENEFIT:
                return

    def claim(self, person: Person, benefit: str,
              elapsed_days: float) -> Generator[simpy.Event, None, tuple[str, str]]:
        """One claim spell; returns (destination, benefit of any next claim)."""
        env, network = self.env, self.network
        jcp = network.jobcentre
        self.begin_claim(person, benefit, env.now - elapsed_days)
        exits = self.exits[benefit]
        inactive, transfer = exits.inactive_per_week / 7.0, exits.transfer_per_week / 7.0
        plan = jcp.plan(person, elapsed_days)
        offer_rate = self.market.offer_rate
        draw = person.exit_draw

        def others() -> tuple[float, float]:
            """Daily hazards of leaving other than for work: inactive or closed, transfer."""
            closing = self.closing if plan.wca is not None and not plan.reassess else 0.0
            return inactive + closing, transfer

        def hazards() -> tuple[float, float, float]:
            return offer_rate(person, env.now), *others()

        leaving = Leaving(env, draw, hazards)
        if elapsed_days == 0.0:
            if not (yield from jcp.new_claim(person, leaving)):
                return self.left(person, leaving, exits.transfer_to, benefit)
            network.first_contact(person)
        introduced = elapsed_days == 0.0
        process = env.active_process
        while True:
            now = env.now
            if person.placed is not None:  # a service's job, taken now
                return self.end_claim(person, WORK), benefit
            if now > person.settled:
                person.settle(now)
            day, kind, rates = walk(person, plan, network, self.market, others(),
                                    draw.exponential(1.0), now, introduced)
            person.looking = process
            try:
                yield env.timeout(max(0.0, day - now))
            except simpy.Interrupt:  # their chances changed: reviews to come are taken back
                jcp.take_back(plan)
                continue
            person.looking = None
            if kind == EXIT:
                destination = (WORK, INACTIVE, BENEFIT)[draw.index(rates)]
                after = exits.transfer_to if destination == BENEFIT else benefit
                return self.end_claim(person, destination), after
            outcome = yield from jcp.contact(person, plan, day, leaving,
                                             True if kind == SANCTION else None)
            if outcome == LEFT:
                return self.left(person, leaving, exits.transfer_to, benefit)
            if outcome in (FIT_FOR_WORK, TO_JSA):
                return self.end_claim(person, BENEFIT), "JSA"
            if outcome == STOPPED:
                return self.end_claim(person, INACTIVE), benefit
            if outcome == REVIEW:
                if not introduced:
                    introduced = True
                    network.first_contact(person)
                network.at_review(person)

    def left(self, person: Person, leaving: Leaving, transfer_to: str,
             benefit: str) -> tuple[str, str]:
        """End a claim whose exit came while the person queued for an adviser."""
        destination = leaving.destination()
        after = transfer_to if destination == BENEFIT else benefit
        return self.end_claim(person, destination), after

    def begin_claim(self, person: Person, benefit: str, start_day: float) -> None:
        """Open a claim spell that started on ``start_day`` (before 0 for the stock)."""
        become(self.register, person, CLAIMING, benefit)
        person.claim_start = start_day
        person.sanctioned_days = 0.0
        now = self.env.now
        self.register.claim_opened(person, now)
        self.market.join(person, now)
        self.log.add(person.pid, person.hid, now, "claim_start", "jobcentre", benefit,
                     now - start_day)

    def end_claim(self, person: Person, destination: str) -> str:
        """Close the claim spell: log it and what it cost; return the destination."""
        now = self.env.now
        weekly = weekly_benefit(self.costs, person.benefit, person.age)
        in_run = now - max(person.claim_start, 0.0)
        log = self.log
        log.add(person.pid, person.hid, now, "claim_end", "jobcentre", destination,
                now - person.claim_start)
        log.add(person.pid, person.hid, now, "benefit_paid", "benefit", person.benefit, in_run,
                benefit_paid(weekly, in_run, person.sanctioned_days))
        self.network.jobcentre.claim_closed(person)
        self.register.claim_closed(person, now)
        self.market.leave(person, now)
        if destination != WORK:
            person.placed = None  # a job offered too late: the post goes unfilled
        if destination != CENSORED:
            become(self.register, person, INACTIVE)
        if destination in (WORK, INACTIVE) and not now < person.supported_until:
            self.world.depart(person, "left benefit")
        return destination

    def close(self, people: list[Person]) -> None:
        """End the run: close every open claim as censored."""
        for person in people:
            if person.state == CLAIMING:
                self.end_claim(person, CENSORED)
