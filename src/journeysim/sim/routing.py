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
from typing import TYPE_CHECKING

import simpy

from journeysim.config import Eligibility, SystemSettings
from journeysim.vocabulary import BARRIERS, CLAIMING

if TYPE_CHECKING:
    from journeysim.sim.person import Person
    from journeysim.sim.records import EventLog
    from journeysim.sim.services.support import SupportProvider

SHARED = "shared"


class Router:
    """Decides who is assessed, what is found, and where referrals go."""

    def __init__(self, env: simpy.Environment, log: EventLog, system: SystemSettings,
                 services: dict[str, SupportProvider], hour_cost: float) -> None:
        self.env = env
        self.log = log
        self.system = system
        self.services = services
        self.hour_cost = hour_cost
        self.shared = system.common_assessment or system.data_sharing
        self.jobcentre_remit = frozenset(BARRIERS.index(b) for b in system.jobcentre_refers_for)
        self.everything = frozenset(range(len(BARRIERS)))
        self.by_barrier: dict[int, list[SupportProvider]] = {
            i: [s for s in services.values() if i in s.addresses] for i in range(len(BARRIERS))
        }

    # --- eligibility --------------------------------------------------------------------
    def eligible(self, person: Person, rules: Eligibility, volunteering: bool = False,
                 strict: bool = False) -> bool:
        """Whether the rules let this person in now.

        Services' rules apply only while eligibility is rigid; a design's own target
        group (``strict``, e.g. a budget's) always applies.
        """
        if volunteering and person.state == CLAIMING and not self.system.volunteering_allowed:
            return False
        if not (strict or self.system.rigid_eligibility):
            return True
        benefit = person.benefit if person.state == CLAIMING else "NONE"
        weeks = person.claim_weeks(self.env.now)
        too_long = rules.max_claim_weeks is not None and weeks > rules.max_claim_weeks
        return (benefit in rules.benefits and weeks >= rules.min_claim_weeks and not too_long
                and rules.min_age <= person.age <= rules.max_age)

    # --- assessment ---------------------------------------------------------------------
    def known(self, person: Person, service: str) -> set[int]:
        """Barriers this service knows the person has (shared when data are shared)."""
        return person.known.setdefault(SHARED if self.shared else service, set())

    def assess(self, person: Person, service: str, hours: float, lead: bool) -> bool:
        """Assess the person for ``service``; False when a common assessment is reused.

        Each assessment after the first costs motivation (telling one's story again);
        each barrier at or above the referral threshold is found with the
        identification probability (higher for a lead worker who owns the journey).
        """
        if self.system.common_assessment and person.assessments > 0:
            return False
        if person.assessments > 0:
            person.motivation = max(0.0, person.motivation - self.system.retell_penalty)
        person.assessments += 1
        self.log.add(person.pid, person.hid, self.env.now, "assessment", service, "", hours,
                     hours * self.hour_cost)
        self.identify(person, service, lead)
        return True

    def identify(self, person: Person, service: str, lead: bool) -> None:
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
    def route(self, person: Person, barrier: int) -> SupportProvider | None:
        """The first enabled service for this barrier that will take the person."""
        for service in self.by_barrier[barrier]:
            if self.eligible(person, service.settings.eligibility, service.settings.volunteering):
                return service
        return None

    def refer_known(self, person: Person, source: str, lead: bool,
                    warm_to: frozenset[str] = frozenset()) -> int:
        """Refer for every known, unresolved barrier in the source's remit; return how many."""
        remit = self.everything if lead or self.system.lead_worker else self.jobcentre_remit
        made = 0
        for barrier in sorted(self.known(person, source)):
            if barrier not in remit or person.barriers[barrier] < self.system.referral_threshold:
                continue
            service = self.route(person, barrier)
            if service is not None and service.name not in person.active:
                self.refer(person, service, source, service.name in warm_to)
                made += 1
        return made

    def refer(self, person: Person, service: SupportProvider, source: str, warm: bool) -> None:
        """Start a referral from ``source`` to ``service`` as its own process."""
        warm = warm or self.system.warm_handoffs
        person.active.add(service.name)
        self.log.add(person.pid, person.hid, self.env.now, "referral", service.name,
                     f"{source}:{'warm' if warm else 'cold'}")
        self.env.process(self._handoff(person, service, warm))

    def _handoff(self, person: Person, service: SupportProvider,
                 warm: bool) -> Generator[simpy.Event, None, None]:
        system, draw = self.system, person.draw("referral")
        mean = system.delay_warm_days if warm else system.delay_cold_days
        delay = draw.exponential(1.0 / mean) if mean > 0 else 0.0
        lost = system.leakage_warm if warm else min(
            0.95, system.leakage_cold + system.leakage_per_km * service.settings.distance_km)
        lost_now = draw.random() < lost
        if delay > 0.0:
            yield self.env.timeout(delay)
        reason = "never arrived" if lost_now else "" if person.in_support() else "left benefit"
        if reason:
            self.log.add(person.pid, person.hid, self.env.now, "referral_lost", service.name,
                         reason, delay)
            person.active.discard(service.name)
            return
        self.log.add(person.pid, person.hid, self.env.now, "handoff", service.name,
                     "warm" if warm else "cold", delay)
        yield from service.episode(person)
        person.active.discard(service.name)


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Straight-line distance in km."""
    return math.hypot(a[0] - b[0], a[1] - b[1])
