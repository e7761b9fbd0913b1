"""Jobcentre Plus: the new-claim interview, reviews, fixed-point interventions, sanctions, WCA."""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING

import simpy

from journeysim.config import CostSettings, JobcentreSettings
from journeysim.sim.services.base import Service
from journeysim.vocabulary import BARRIERS

if TYPE_CHECKING:
    from journeysim.sim.person import Person
    from journeysim.sim.records import EventLog
    from journeysim.sim.routing import Router
    from journeysim.sim.streams import Stream

HEALTH = (BARRIERS.index("health"), BARRIERS.index("mental_health"))
ASSESSOR = "health_assessor"


class Jobcentre(Service):
    """The mainstream journey every claimant goes through."""

    def __init__(
        self, env: simpy.Environment, log: EventLog, settings: JobcentreSettings,
        costs: CostSettings, claimants: int,
    ) -> None:
        advisers = self.staff(settings.advisers_per_1000, claimants)
        super().__init__(env, log, "jobcentre", advisers, settings.adviser_hours_per_week,
                         costs.adviser_hour)
        self.settings = settings
        self.review_cost = settings.review_minutes / 60.0 * costs.adviser_hour
        self.review_days = settings.review_interval_days.model_dump()
        self.addresses = frozenset(BARRIERS.index(b) for b in settings.intervention_barriers)

    def new_claim(self, person: Person,
                  router: Router) -> Generator[simpy.Event, None, None]:
        """The new-claim interview; an assessment unless a common one is on record."""
        yield from self.appointment(person, self.settings.new_claim_interview_hours, "interview",
                                    "new_claim")
        router.assess(person, self.name, 0.0, lead=router.system.lead_worker)

    def next_intervention(self, person: Person, after: float) -> float:
        """Day of the next adviser intervention strictly after ``after`` (inf if none).

        Fixed timing: the prescribed weeks into a JSA claim. Needs-led timing: the
        adviser sees people at least ``needs_led_min_load`` from work early and
        regularly, and leaves the others to look for work.
        """
        s = self.settings
        if person.benefit != "JSA":
            return math.inf
        start = person.claim_start
        if s.intervention_timing == "fixed":
            days = (start + week * 7.0 for week in s.intervention_weeks)
            return min((day for day in days if day > after), default=math.inf)
        if person.load < s.needs_led_min_load:
            return math.inf
        first, step = start + s.needs_led_first_week * 7.0, s.needs_led_interval_weeks * 7.0
        if first > after:
            return first
        day = first + (math.floor((after - first) / step) + 1) * step
        return day if day > after else day + step  # rounding can land on ``after`` itself

    def wca_day(self, person: Person) -> float | None:
        """Day of the Work Capability Assessment, for an ESA claim still in assessment."""
        if person.benefit != "ESA":
            return None
        day = person.claim_start + self.settings.wca.week * 7.0
        return day if day > self.env.now else None

    def review(self, person: Person, draw: Stream) -> bool:
        """A routine review; True when the claimant is sanctioned (JSA conditionality)."""
        person.reviews += 1
        if person.benefit != "JSA":
            return False
        sanctions = self.settings.sanctions
        if draw.random() >= sanctions.failure_probability * (1.0 - person.motivation):
            return False
        self.log.add(person.pid, person.hid, self.env.now, "sanction", self.name, "",
                     sanctions.weeks)
        return True

    def intervention(self, person: Person,
                     router: Router) -> Generator[simpy.Event, None, None]:
        """An adviser intervention: the standard product, or one fitted to the person.

        The standard product fits only when the person's worst barrier is one it
        addresses. A fitted intervention works on the worst barrier the adviser
        knows of, or refers it on. Either way, the adviser then refers for known
        barriers within the Jobcentre's remit.
        """
        lead = router.system.lead_worker
        router.identify(person, self.name, lead)
        standard = person.draw("intervention").random() < router.system.standard_product_share
        if standard:
            target = person.worst_barrier()
            fits = target is None or target in self.addresses
        else:
            known = router.known(person, self.name)
            target = max(known, key=person.barriers.__getitem__, default=None)
            fits = True
        yield from self.appointment(
            person, self.settings.intervention_hours, "intervention", "fit" if fits else "misfit"
        )
        if not fits:
            person.misfit()
        elif target is not None and target in self.addresses:
            person.reduce_barrier(target, self.settings.intervention_effect)
        else:
            person.encourage(person.motivation_rules.fitting_support_boost)
        router.refer_known(person, self.name, lead=lead)

    def wca(self, person: Person, draw: Stream) -> bool:
        """The Work Capability Assessment; True when found fit for work."""
        settings = self.settings.wca
        health = max(person.barriers[i] for i in HEALTH)
        fit = draw.random() < settings.fit_for_work_probability * (1.0 - health)
        cost = settings.assessment_hours * self.hour_cost
        self.log.add(person.pid, person.hid, self.env.now, "assessment", ASSESSOR, "wca",
                     settings.assessment_hours, cost)
        self.log.add(person.pid, person.hid, self.env.now, "wca", ASSESSOR,
                     "fit_for_work" if fit else "limited_capability")
        return fit
