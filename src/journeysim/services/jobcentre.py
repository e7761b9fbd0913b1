"""Jobcentre Plus: the new-claim interview, reviews, fixed-point interventions, sanctions, WCA."""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING

import simpy

from journeysim.config import BARRIERS, CostSettings, JobcentreSettings
from journeysim.services.base import Service

if TYPE_CHECKING:
    from journeysim.agents import Person
    from journeysim.records import EventLog
    from journeysim.streams import Stream

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

    def new_claim(self, person: Person) -> Generator[simpy.Event, None, float]:
        """The new-claim interview: an assessment that starts from nothing."""
        return (yield from self.appointment(
            person, self.settings.new_claim_interview_hours, "assessment", "new_claim_interview"
        ))

    def intervention_days(self, person: Person) -> list[float]:
        """Days of the fixed-point interventions still ahead in the person's claim."""
        if person.benefit != "JSA":
            return []
        start = person.claim_start
        days = (start + week * 7.0 for week in self.settings.intervention_weeks)
        return sorted(day for day in days if day > self.env.now)

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

    def intervention(self, person: Person) -> Generator[simpy.Event, None, None]:
        """A fixed-point intervention: the standard product, which fits only some barriers."""
        worst = person.worst_barrier()
        fits = worst is not None and worst in self.addresses
        yield from self.appointment(
            person, self.settings.intervention_hours, "intervention", "fit" if fits else "misfit"
        )
        if fits:
            person.reduce_barrier(worst, self.settings.intervention_effect)
        else:
            person.misfit()

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
