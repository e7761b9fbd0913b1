"""Work and the search for it: a job until it ends, and looking for work without a claim.

A person out of work and not claiming (a relative, or someone an outreach
worker or family broker supports) searches at the non-claimant intensity until
an offer comes; anyone who starts a job keeps it for a drawn time (a service's
job for its weeks, then kept on or not) and then either claims again or leaves
the labour force. The register's counts follow every change of state
(:func:`become`).
"""

from __future__ import annotations

from collections.abc import Generator

import simpy

from journeysim.config import Scenario
from journeysim.sim.market import LabourMarket, job_days, job_kind
from journeysim.sim.network import Network
from journeysim.sim.person import Person
from journeysim.sim.world import Register, World
from journeysim.vocabulary import IN_WORK, INACTIVE

#: The kind of a job a service provides (``job_start``'s detail: "subsidised:<service>").
SUBSIDISED = "subsidised"
#: Days between redraws of a non-claimant's offers (a quarter, as the LFS measures flows).
SEARCH_CONTACT_DAYS = 91.0
Journey = Generator[simpy.Event, None, None]


def become(register: Register, person: Person, state: str, benefit: str | None = None) -> None:
    """Change the person's state, keeping the register's counts in step."""
    old = person.key
    person.become(state, benefit)
    register.tally(old, person.key)


class Part:
    """What every part of a journey works with: the world, the network and the market."""

    def __init__(self, world: World, network: Network, market: LabourMarket) -> None:
        self.world = world
        self.env = world.env
        self.log = world.log
        self.register = world.register
        self.network = network
        self.market = market


class Jobs(Part):
    """People's jobs, and the search of those out of work without a claim."""

    def __init__(self, world: World, scenario: Scenario, network: Network,
                 market: LabourMarket) -> None:
        super().__init__(world, network, market)
        self.return_probability = scenario.labour_market.return_probability
        self.search_factor = scenario.outreach.search_factor

    def support(self, person: Person, until: float) -> None:
        """Outreach or a family broker supports a non-claimant to look for work until a day.

        While supported, their offers are ``search_factor`` times their own and the
        services they are referred to keep working with them; a job ends the support.
        A claimant is the Jobcentre's: nothing changes for them here.
        """
        if person.state != INACTIVE:
            return
        now = self.env.now
        person.supported_until = until
        person.boost(self.search_factor, (until - now) / 7.0, now)
        person.stir()

    def search(self, person: Person) -> Journey:
        """Job search without a claim, until a job offer (or a service's job) comes.

        A relative out of work looks, at the non-claimant intensity,
        so their chance of work without any service is a real one. Offers are
        resampled every ``SEARCH_CONTACT_DAYS``, at the end of a service's support,
        and at once when their chances change (a relative's job lead, support
        starting: :meth:`Person.stir`).
        """
        env, market = self.env, self.market
        process = env.active_process
        while person.placed is None:
            now = env.now
            wait = person.exit_draw.exponential(market.offer_rate(person, now))
            contact = SEARCH_CONTACT_DAYS
            if now < person.supported_until:
                contact = min(contact, person.supported_until - now)
            person.looking = process
            try:
                yield env.timeout(min(wait, contact))
            except simpy.Interrupt:
                continue
            person.looking = None
            if wait < contact:
                return

    def work(self, person: Person) -> Generator[simpy.Event, None, bool]:
        """A job, until it ends; returns True when the person claims again.

        A job a service provided (a subsidised job, an apprenticeship) lasts its
        weeks; the employer then keeps the person on with the service's retention
        chance, in a job of the usual kinds, or the job ends.
        """
        env, network, market = self.env, self.network, self.market
        placed, person.placed = person.placed, None
        person.supported_until = min(person.supported_until, env.now)  # a job ends support
        kind = job_kind(market.settings, person, person.work_draw)
        person.jobs += 1
        market.leave(person, env.now)
        self.world.depart(person, "in work")
        become(self.register, person, IN_WORK)
        self.log.add(person.pid, person.hid, env.now, "job_start", "employer",
                     kind if placed is None else f"{SUBSIDISED}:{placed[0]}")
        person.household.job_started(person, env.now)
        for programme in network.programmes:
            programme.job_started(person)
        support = network.in_work.take_on(person, kind) if network.in_work else None
        if placed is not None:
            _, weeks, retention = placed
            person.job_until = env.now + weeks * 7.0
            yield env.timeout(weeks * 7.0)
            kept = person.work_draw.random() < retention
            self.log.add(person.pid, person.hid, env.now, "job_kept" if kept else "job_lapsed",
                         placed[0], kind if kept else "")
            if not kept:
                return self.leave_work(person)
        days = job_days(market.settings, kind, person.work_draw, support)
        person.job_until = env.now + days
        yield env.timeout(days)
        return self.leave_work(person)

    def leave_work(self, person: Person) -> bool:
        """A job ends; True when the person claims again."""
        env = self.env
        reclaim = person.work_draw.random() < self.return_probability
        self.log.add(person.pid, person.hid, env.now, "job_end", "employer",
                     "reclaim" if reclaim else "inactive")
        person.settled = env.now
        become(self.register, person, INACTIVE)
        return reclaim and person.benefit != "NONE"
