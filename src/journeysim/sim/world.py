"""What a service is handed: the world it works in, and the claimant protocol.

A service never reaches for the model. It is given a :class:`World` (the clock,
the event log, the run's streams and rules, the claimant register) and sees a
person only through :class:`Claimant`: what it may read, and the few verbs it
may call. So a service can be built and tested with a bare world and a stub
claimant, and the state a service keeps about a person (a Work Programme
attachment, hub membership, outreach engagement) lives with that service.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import simpy

from journeysim.config import CostSettings
from journeysim.sim.benefits import weekly_benefit
from journeysim.sim.clock import Clock
from journeysim.sim.records import EventLog
from journeysim.sim.streams import Stream, run_key

DAYS_PER_WEEK = 7.0
#: Days in a calendar year (a child's age).
CALENDAR_YEAR = 365.25


class Claimant(Protocol):
    """A person as services see them.

    Fields are read-only to services (Python cannot enforce it; the tests do, by
    building services against a stub). ``barriers`` holds severities in [0, 1]
    by the index of :data:`journeysim.vocabulary.BARRIERS`; ``load`` is their
    weighted sum; ``claim_start`` is the day the current claim began;
    ``child_born`` the day a lone parent's youngest child was born (None: no
    child is modelled).
    """

    pid: int
    hid: int
    age: int
    benefit: str
    state: str
    segment: str
    barriers: list[float]
    load: float
    motivation: float
    claim_start: float
    jobs: int
    location: tuple[float, float]
    child_born: float | None


    def claim_weeks(self, now: float) -> float:
        """Weeks into the current claim (0 when not claiming)."""
        ...

    def in_support(self) -> bool:
        """Whether services still work with the person."""
        ...

    def worst_barrier(self) -> int | None:
        """Index of the most severe barrier, or None with no barriers."""
        ...

    def members(self) -> Sequence[Claimant]:
        """Everyone in the person's household, the person included, in order of arrival."""
        ...

    def draw(self, purpose: str) -> Stream:
        """The person's random stream for one named purpose."""
        ...

    def reduce_barrier(self, index: int, amount: float) -> None:
        """Progress on a barrier (severity falls by up to ``amount``)."""
        ...

    def encourage(self, share: float) -> None:
        """Motivation gains ``share`` of its gap to 1."""
        ...

    def discourage(self, amount: float) -> None:
        """Motivation falls by ``amount`` (not below 0)."""
        ...

    def misfit(self) -> None:
        """Sent on the standard product again, when it does not fit."""
        ...

    def boost(self, factor: float, weeks: float, now: float) -> None:
        """Job offers multiplied by ``factor`` for ``weeks``."""
        ...

    def place_in_job(self, service: str, weeks: float, retention: float) -> None:
        """A job the service provides, for ``weeks``, kept on after with ``retention``."""
        ...

    def withhold(self, days: float) -> None:
        """A sanction: ``days`` of the current claim's benefit are not paid."""
        ...


@dataclass
class Register:
    """The claimant register: who is in which state and segment, and the benefit bill.

    The journeys record every change of state here, so the weekly panel and the
    benefit spent to date are kept as they happen, not recounted.
    """

    costs: CostSettings | None = None
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    benefit_per_day: float = 0.0
    accrued: float = 0.0
    accrued_at: float = 0.0

    def tally(self, old: tuple[str, str] | None, new: tuple[str, str]) -> None:
        """Move one person between (state, segment) counts."""
        if old is not None:
            self.counts[old] -= 1
        self.counts[new] += 1

    def accrue(self, now: float, amount: float = 0.0) -> None:
        """Bring benefit spending up to ``now``, plus an adjustment (GBP; < 0 for sanctions)."""
        self.accrued += self.benefit_per_day * (now - self.accrued_at) + amount
        self.accrued_at = now

    def claim_opened(self, person: Claimant, now: float) -> None:
        """A claim starts: the benefit bill goes up."""
        self.accrue(now)
        self.benefit_per_day += weekly_benefit(self.costs, person.benefit,
                                               person.age) / DAYS_PER_WEEK

    def claim_closed(self, person: Claimant, now: float) -> None:
        """A claim ends: the benefit bill goes down."""
        self.accrue(now)
        self.benefit_per_day -= weekly_benefit(self.costs, person.benefit,
                                               person.age) / DAYS_PER_WEEK


@dataclass
class World:
    """What every service is handed: clock, log, the run's stream key, rules, register.

    Args:
        env: the run's one clock (days).
        log: the event log every service appends to.
        seed: the run's seed; with ``replication`` and a person it keys each stream.
        replication: the replication number.
        register: the claimant register (counts and benefit bill).
    """

    env: simpy.Environment = field(default_factory=Clock)
    log: EventLog = field(default_factory=EventLog)
    seed: int = 0
    replication: int = 0
    register: Register = field(default_factory=Register)

    departures: dict[int, simpy.Event] = field(default_factory=dict)
    #: Waits under way: (person, household, service, what, day they began), by a key.
    waiting: dict[object, tuple[int, int, str, str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._run_key = run_key(self.seed, self.replication)

    def stream(self, key: int, purpose: str) -> Stream:
        """The named stream of one person (or -1 for the run's own) in this run."""
        return Stream.keyed(self._run_key, key, purpose)

    def departure(self, person: Claimant) -> simpy.Event:
        """An event that fires when the person stops being someone services work with.

        A waiting list yields to ``request | departure``, so a person who leaves
        benefit (or, supported without a claim, finds work) leaves the list.
        """
        event = self.departures.get(person.pid)
        if event is None:
            event = self.departures[person.pid] = self.env.event()
        return event

    def depart(self, person: Claimant, reason: str) -> None:
        """The person leaves every waiting list they are on (``reason`` is the event's value)."""
        event = self.departures.pop(person.pid, None)
        if event is not None:
            event.succeed(reason)
