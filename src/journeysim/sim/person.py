"""People and households: the Mesa agents whose journeys SimPy times.

A :class:`Person` is the person's own state and the verbs services may call
(the :class:`~journeysim.sim.world.Claimant` protocol): barriers, motivation,
family job leads, the boost of a service's employer contacts. Where the person
goes next is the journeys' business (``journey.py``); what a service knows or
holds about them is the service's.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import mesa
import simpy

from journeysim.config import MotivationSettings
from journeysim.sim.market import LabourMarket
from journeysim.sim.population import PersonSpec
from journeysim.sim.streams import Stream
from journeysim.sim.world import CALENDAR_YEAR, World
from journeysim.vocabulary import CLAIMING, IN_WORK, segment_of

if TYPE_CHECKING:
    from collections.abc import Sequence


class Household(mesa.Agent):
    """The people who live together: the unit family influence works through."""

    __slots__ = ("children", "hid", "members", "renter")

    def __init__(self, model: mesa.Model, hid: int, children: int = 0,
                 renter: bool = False) -> None:
        super().__init__(model)
        self.hid = hid
        self.members: list[Person] = []
        self.children = children  # dependent children (not agents)
        self.renter = renter  # pays a rent Housing Benefit would meet

    def others_motivation(self, person: Person) -> float | None:
        """Mean motivation of the other members, or None for someone living alone."""
        members = self.members
        if len(members) == 1:
            return None
        if len(members) == 2:  # the common case, kept quick: this runs at every contact
            first, second = members
            return second.motivation if first is person else first.motivation
        total = 0.0
        for member in members:
            total += member.motivation
        return (total - person.motivation) / (len(members) - 1)

    def job_started(self, person: Person, now: float) -> None:
        """A member starts work: the others gain motivation and job leads."""
        for member in self.members:
            if member is person or member.state == IN_WORK:
                continue
            member.hear_of_job(now)


class Person(mesa.Agent):
    """A working-age person: a claimant, or a relative the family links act through.

    Args:
        model: the Mesa model the agent belongs to.
        world: the run's world (for the person's random streams).
        spec: who the person is on arrival.
        household: the household they join.
        market: the labour market, which rates the person's chances of an offer.
        rules: how motivation moves.
    """

    # Slots keep a borough of agents compact; Mesa's own attributes stay in __dict__.
    __slots__ = (
        "pid", "world", "market", "motivation_rules", "hid", "household", "role", "age",
        "benefit", "state", "barriers", "load", "placement", "motivation", "settled",
        "lead_until", "misfits", "claim_start", "sanctioned_days", "segment", "arrived",
        "first_benefit", "first_segment", "location", "supported_until", "boost_factor",
        "boost_until", "jobs", "_streams", "exit_draw", "work_draw", "child_born",
        "start_load", "start_motivation", "placed", "looking", "job_until",
    )

    def __init__(self, model: mesa.Model, world: World, spec: PersonSpec, household: Household,
                 market: LabourMarket, rules: MotivationSettings) -> None:
        super().__init__(model)
        self.pid = spec.pid
        self.world = world
        self.market = market
        self.motivation_rules = rules
        self.hid = spec.household
        self.household = household
        self.role = spec.role
        self.age = spec.age
        self.benefit = spec.benefit
        self.state = spec.state
        self.barriers = list(spec.barriers)
        self.load = market.barrier_load(self.barriers)
        self.placement = market.placement(self)
        self.motivation = spec.motivation
        self.settled = world.env.now
        self.lead_until = -math.inf
        self.misfits = 0
        self.claim_start = 0.0
        self.sanctioned_days = 0.0
        self.segment = segment_of(self.benefit, self.age, spec.barriers, self.state)
        self.arrived = world.env.now
        self.first_benefit = self.benefit
        self.first_segment = self.segment
        self.location = spec.location
        self.supported_until = -math.inf
        self.boost_factor = 1.0
        self.boost_until = -math.inf
        self.jobs = 0
        age = spec.youngest_child_age
        self.child_born = None if age is None else world.env.now - age * CALENDAR_YEAR
        self.start_load = self.load
        self.start_motivation = self.motivation
        self.placed: tuple[str, float, float] | None = None
        self.looking: simpy.Process | None = None  # their job search, while it waits
        #: The day the job held now ends, or might end (a service's job, when the
        #: employer decides whether to keep them on); a relative in work at the start
        #: keeps their job through the run.
        self.job_until = math.inf if self.state == IN_WORK else -math.inf
        self._streams: dict[str, Stream] | None = None  # most relatives never draw
        household.members.append(self)

    # --- state -------------------------------------------------------------------------
    @property
    def key(self) -> tuple[str, str]:
        """(state, segment): what the register counts the person under."""
        return self.state, self.segment

    def become(self, state: str, benefit: str | None = None) -> None:
        """Change state (and benefit), and with them the segment and offer placement."""
        claimed = self.state == CLAIMING
        self.state = state
        if benefit is not None:
            self.benefit = benefit
        if benefit is not None or claimed != (state == CLAIMING):
            self.placement = self.market.placement(self)
        self.segment = segment_of(self.benefit, self.age, tuple(self.barriers), state)

    def worst_barrier(self) -> int | None:
        """Index of the most severe barrier, or None with no barriers."""
        worst = max(range(len(self.barriers)), key=self.barriers.__getitem__)
        return worst if self.barriers[worst] > 0.0 else None

    def members(self) -> Sequence[Person]:
        """Everyone in the household, this person included, in order of arrival."""
        return self.household.members

    def draw(self, purpose: str) -> Stream:
        """This person's stream for one purpose (created on first use)."""
        if self._streams is None:
            self._streams = {}
        stream = self._streams.get(purpose)
        if stream is None:
            stream = self.world.stream(self.pid, purpose)
            self._streams[purpose] = stream
        return stream

    def claim_weeks(self, now: float) -> float:
        """Weeks into the current claim (0 when not claiming)."""
        return (now - self.claim_start) / 7.0 if self.state == CLAIMING else 0.0

    def in_support(self) -> bool:
        """Whether services still work with the person.

        A claimant, or someone out of work whom outreach or a family broker supports.
        """
        return self.state == CLAIMING or (
            self.state != IN_WORK and self.world.env.now < self.supported_until)

    def stir(self) -> None:
        """Their chances changed while they waited: they look again at once.

        ``looking`` is the process waiting on the person's chances: their search
        without a claim, or their claim between two decisions.
        """
        process, self.looking = self.looking, None
        if process is not None:
            process.interrupt("chances changed")

    def changed(self) -> None:
        """A service changed a claimant's chances: their claim looks again at once."""
        if self.state == CLAIMING:
            self.stir()

    # --- what services and relatives may do ----------------------------------------------
    def encourage(self, share: float) -> None:
        """Motivation gains ``share`` of its gap to 1."""
        self.motivation += share * (1.0 - self.motivation)
        self.changed()

    def discourage(self, amount: float) -> None:
        """Motivation falls by ``amount``, not below 0 (a sanction, a story told again)."""
        self.motivation = max(0.0, self.motivation - amount)

    def withhold(self, days: float) -> None:
        """A sanction: ``days`` of this claim's benefit are not paid."""
        self.sanctioned_days += days

    def boost(self, factor: float, weeks: float, now: float) -> None:
        """Offers multiplied by ``factor`` for ``weeks`` (employer contacts, work experience)."""
        if factor > 1.0 and weeks > 0.0:
            self.boost_factor = max(factor, self.boost_factor if now < self.boost_until else 1.0)
            self.boost_until = now + weeks * 7.0
            self.changed()

    def reduce_barrier(self, index: int, amount: float) -> None:
        """Progress on a barrier: severity falls, motivation rises with the progress."""
        removed = min(amount, self.barriers[index])
        self.barriers[index] -= removed
        self.load = self.market.barrier_load(self.barriers)
        self.placement = self.market.placement(self)
        settings = self.motivation_rules
        gain = settings.fitting_support_boost * (1.0 - self.motivation)
        self.motivation = min(1.0, self.motivation + gain + settings.barrier_progress_boost
                              * removed)
        self.changed()

    def misfit(self) -> None:
        """Sent on the standard product again: each repeat costs more motivation."""
        self.misfits += 1
        settings = self.motivation_rules
        self.motivation = max(settings.floor,
                              self.motivation - settings.repeat_penalty * self.misfits)

    def place_in_job(self, service: str, weeks: float, retention: float) -> None:
        """A service has a job for the person: a claimant takes it at once.

        Anyone else takes it when their search next looks.
        """
        self.placed = (service, weeks, retention)
        self.changed()

    def hear_of_job(self, now: float) -> None:
        """A relative starts work: motivation rises and job leads come for a while."""
        self.settle(now)
        settings = self.motivation_rules
        self.motivation += settings.family_work_boost * (1.0 - self.motivation)
        self.lead_until = now + settings.job_lead_weeks * 7.0
        self.stir()

    def settle(self, now: float) -> None:
        """Bring motivation up to ``now``: decay out of work, drift toward the household."""
        self.motivation = self.motivation_at(now)
        self.settled = now

    def motivation_at(self, now: float) -> float:
        """Motivation ``now`` as :meth:`settle` would make it (the household as it is now)."""
        weeks = (now - self.settled) / 7.0
        if weeks <= 0.0 or self.state != CLAIMING:
            return self.motivation
        settings = self.motivation_rules
        m = self.motivation * math.exp(-settings.decay_per_week * weeks)
        family = self.household.others_motivation(self)
        if family is not None:
            m += (1.0 - math.exp(-settings.family_drift_per_week * weeks)) * (family - m)
        return max(settings.floor, m)
