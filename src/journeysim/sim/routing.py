"""Assessments, eligibility and referrals: how people are passed from service to service.

A referral either arrives or is lost, as in a queueing network whose routing
probabilities sum to less than one: the remainder is an explicit loss with a
reason. Cold referrals ("dropped on the doorstep") wait longer and are lost more
often, the more so the further away the next service is; warm, same-day
handoffs inside a hub are almost never lost.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Protocol

import simpy

from journeysim.config import Eligibility, SupportService, SystemSettings
from journeysim.sim.world import Claimant, World
from journeysim.vocabulary import BARRIERS, CLAIMING

SHARED = "shared"
#: The detail of an assessment at which the person told their story again.
RETELL = "retell"
#: Why a referral was lost, or a waiting list left, at a service whose funding has ended.
FUNDING_ENDED = "funding ended"
Process = Generator[simpy.Event, None, None]


class Provider(Protocol):
    """A service people are referred to for their barriers."""

    name: str
    settings: SupportService
    addresses: frozenset[int]

    def episode(self, person: Claimant, router: Router) -> Process:
        """Assess, wait for a place, attend, record."""
        ...

    def full(self) -> bool:
        """Whether every place is taken (a referral now would wait)."""
        ...

    def open_to_referrals(self) -> bool:
        """Whether the service still takes people on (its funding has not ended)."""
        ...


class Router:
    """Decides who is assessed, what is found, and where referrals go.

    It keeps what the network knows of each person: the barriers each service
    (or, with data sharing, every service) has found, how many assessments they
    have had, and the services they are referred to or with now.
    """

    def __init__(self, world: World, system: SystemSettings,
                 services: dict[str, Provider], hour_cost: float) -> None:
        self.env = world.env
        self.log = world.log
        self.system = system
        self.services = services
        self.hour_cost = hour_cost
        self.shared = system.common_assessment or system.data_sharing
        self.handoff_hours = system.warm_handoff_minutes / 60.0
        self.jobcentre_remit = frozenset(BARRIERS.index(b) for b in system.jobcentre_refers_for)
        self.everything = frozenset(range(len(BARRIERS)))
        self.by_barrier: dict[int, list[Provider]] = {
            i: [s for s in services.values() if i in s.addresses] for i in range(len(BARRIERS))
        }
        self.found: dict[tuple[int, str], set[int]] = {}
        self.assessments: dict[int, int] = {}
        self.told: dict[int, set[str]] = {}  # who each person has told their story to
        self.briefed: set[tuple[int, str]] = set()  # (person, service) warm handoffs made
        self.active: dict[int, set[str]] = {}

    # --- what the network holds about a person ------------------------------------------
    def with_service(self, person: Claimant) -> set[str]:
        """The services the person is referred to or with now (changed by the services)."""
        active = self.active.get(person.pid)
        if active is None:
            active = self.active[person.pid] = set()
        return active

    # --- eligibility --------------------------------------------------------------------
    def eligible(self, person: Claimant, rules: Eligibility, volunteering: bool = False,
                 strict: bool = False, day: float | None = None) -> bool:
        """Whether the rules let this person in now (or on ``day``, their claim going on).

        Services' rules apply only while eligibility is rigid; a design's own target
        group (``strict``, e.g. a budget's) always applies.
        """
        if volunteering and person.state == CLAIMING and not self.system.volunteering_allowed:
            return False
        if not (strict or self.system.rigid_eligibility):
            return True
        benefit = person.benefit if person.state == CLAIMING else "NONE"
        weeks = person.claim_weeks(self.env.now if day is None else day)
        too_long = rules.max_claim_weeks is not None and weeks > rules.max_claim_weeks
        return (benefit in rules.benefits and weeks >= rules.min_claim_weeks and not too_long
                and rules.min_age <= person.age <= rules.max_age)

    # --- assessment ---------------------------------------------------------------------
    def known(self, person: Claimant, service: str) -> set[int]:
        """Barriers this service knows the person has (shared when data are shared)."""
        return self.found.setdefault((person.pid, SHARED if self.shared else service), set())

    def assess(self, person: Claimant, service: str, hours: float, lead: bool) -> bool:
        """Assess the person for ``service``; False when a common assessment is reused.

        An assessment retells the person's story (logged with detail ``retell``, and
        costing motivation) when another organisation has assessed them before and
        this one does not hold what they said: no data sharing, and no warm handoff
        that brought their story with them. Each barrier at or above the referral
        threshold is found with the identification probability (higher for a lead
        worker who owns the journey).
        """
        done = self.assessments.get(person.pid, 0)
        if self.system.common_assessment and done > 0:
            return False
        told = self.told.get(person.pid)
        if told is None:
            told = self.told[person.pid] = set()
        retell = bool(told) and not self.holds(person, service, told)
        if retell:
            person.discourage(self.system.retell_penalty)
        told.add(service)
        self.assessments[person.pid] = done + 1
        self.log.add(person.pid, person.hid, self.env.now, "assessment", service,
                     RETELL if retell else "", hours, hours * self.hour_cost)
        self.identify(person, service, lead)
        return True

    def brief(self, person: Claimant, service: str) -> None:
        """``service`` is handed what the person has told others: they need not tell it again."""
        self.briefed.add((person.pid, service))

    def holds(self, person: Claimant, service: str, told: set[str]) -> bool:
        """Whether ``service`` holds the person's story: shared, handed over warm, or its own."""
        return self.shared or service in told or (person.pid, service) in self.briefed

    def identify(self, person: Claimant, service: str, lead: bool) -> None:
        """Look for barriers: each one worth referring is found with the service's chance."""
        chance = (self.system.lead_worker_identification if lead
                  else self.system.identification_probability)
        found = self.known(person, service)
        draw = person.draw("assessment")
        threshold = self.system.referral_threshold
        for i, severity in enumerate(person.barriers):
            if severity >= threshold and i not in found and draw.random() < chance:
                found.add(i)

    # --- referral -----------------------------------------------------------------------
    def route(self, person: Claimant, barrier: int, known: set[int]) -> Provider | None:
        """The service for this barrier that will take the person and suits them best.

        Of the enabled, still funded services that address the barrier and will take the person,
        one with a free place comes before one with a waiting list, then one that
        addresses more of the person's ``known`` barriers, then the first listed.
        """
        best, rank = None, None
        for order, service in enumerate(self.by_barrier[barrier]):
            if not service.open_to_referrals() or not self.eligible(
                    person, service.settings.eligibility, service.settings.volunteering):
                continue
            key = (service.full(), -len(service.addresses & known), order)
            if rank is None or key < rank:
                best, rank = service, key
        return best

    def refer_known(self, person: Claimant, source: str, lead: bool,
                    warm_to: frozenset[str] = frozenset()) -> int:
        """Refer for every known, unresolved barrier in the source's remit; return how many."""
        owner = lead or self.system.lead_worker
        remit = self.everything if owner else self.jobcentre_remit
        made = 0
        known = self.known(person, source)
        for barrier in sorted(known):
            if barrier not in remit or person.barriers[barrier] < self.system.referral_threshold:
                continue
            service = self.route(person, barrier, known)
            if service is not None and service.name not in self.with_service(person):
                self.refer(person, service, source, service.name in warm_to, briefs=owner)
                made += 1
        return made

    def refer(self, person: Claimant, service: Provider, source: str, warm: bool,
              briefs: bool = False) -> None:
        """Start a referral from ``source`` to ``service`` as its own process.

        A warm handoff, or a referral by someone who owns the journey (``briefs``),
        passes the person's story on with them (:meth:`brief`).
        """
        warm = warm or self.system.warm_handoffs
        self.with_service(person).add(service.name)
        if warm or briefs:
            self.brief(person, service.name)
        hours = self.handoff_hours if warm else 0.0
        self.log.add(person.pid, person.hid, self.env.now, "referral", service.name,
                     f"{source}:{'warm' if warm else 'cold'}", hours, hours * self.hour_cost)
        self.env.process(self._handoff(person, service, warm))

    def _handoff(self, person: Claimant, service: Provider,
                 warm: bool) -> Process:
        system, draw = self.system, person.draw("referral")
        mean = system.delay_warm_days if warm else system.delay_cold_days
        delay = draw.exponential(1.0 / mean) if mean > 0 else 0.0
        lost = system.leakage_warm if warm else min(
            0.95, system.leakage_cold + system.leakage_per_km * service.settings.distance_km)
        lost_now = draw.random() < lost
        if delay > 0.0:
            yield self.env.timeout(delay)
        reason = ("never arrived" if lost_now else "left benefit" if not person.in_support()
                  else FUNDING_ENDED if not service.open_to_referrals() else "")
        if reason:
            self.log.add(person.pid, person.hid, self.env.now, "referral_lost", service.name,
                         reason, delay)
            self.with_service(person).discard(service.name)
            return
        self.log.add(person.pid, person.hid, self.env.now, "handoff", service.name,
                     "warm" if warm else "cold", delay)
        yield from service.episode(person, self)
        self.with_service(person).discard(service.name)


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Straight-line distance in km."""
    return math.hypot(a[0] - b[0], a[1] - b[1])
