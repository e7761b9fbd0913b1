"""The Jobcentre's interviews and assessments: the new-claim interview and the WCA.

A new claim begins with an interview with an adviser from the Jobcentre's pool
(queued for at the top priority, with the claimant's own exit raced against the
queue), then an assessment unless a common one is on record. An ESA claim is
assessed for capability for work (the Work Capability Assessment) on a day
drawn when the claim's plan is made, by a health assessor outside the pool.
"""

from __future__ import annotations

from collections.abc import Callable, Generator

import simpy

from journeysim.config import JobcentreSettings
from journeysim.sim.routing import Router
from journeysim.sim.services.base import Service
from journeysim.sim.services.reviews import ROUTINE
from journeysim.sim.streams import Stream
from journeysim.sim.world import Claimant
from journeysim.vocabulary import BARRIERS

HEALTH = (BARRIERS.index("health"), BARRIERS.index("mental_health"))
ASSESSOR = "health_assessor"
#: A WCA's outcome that ends an ESA claim.
FIT_FOR_WORK = "fit_for_work"


class Interviews:
    """New-claim interviews and Work Capability Assessments of a Jobcentre.

    Args:
        service: the Jobcentre (its adviser pool, log and adviser-hour cost).
        settings: the Jobcentre's parameters (interview hours, the WCA).
        router: assessments made at the interview.
    """

    def __init__(self, service: Service, settings: JobcentreSettings, router: Router) -> None:
        self.service = service
        self.env = service.env
        self.log = service.log
        self.hours = settings.new_claim_interview_hours
        self.settings = settings.wca
        self.router = router

    def new_claim(self, person: Claimant, leave: Callable[[], simpy.Event] | None = None,
                  ) -> Generator[simpy.Event, None, bool]:
        """The new-claim interview, then an assessment unless a common one is on record.

        False when the person's own exit came while they queued (``leave`` makes it).
        """
        if not (yield from self.service.appointment(person, self.hours, "interview",
                                                    "new_claim", leave, ROUTINE)):
            return False
        self.router.assess(person, self.service.name, 0.0, lead=self.router.system.lead_worker)
        return True

    def wca_day(self, person: Claimant, draw: Stream) -> float | None:
        """Day of the Work Capability Assessment, for an ESA claim still in assessment.

        The assessment phase lasts a lognormal time (median ``wca.median_weeks``), so
        claims are assessed on different days, as backlogs made them in practice.
        """
        if person.benefit != "ESA":
            return None
        wca = self.settings
        day = person.claim_start + draw.lognormal(wca.median_weeks, wca.spread) * 7.0
        return day if day > self.env.now else None

    def wca(self, person: Claimant, draw: Stream, fit_probability: float | None = None,
            support_share: float | None = None, what: str = "wca") -> bool:
        """The Work Capability Assessment; True when found fit for work.

        Those not fit for work go to the support group or the work-related activity
        group (both stay on ESA; the group is recorded). A reassessment of an
        Incapacity Benefit claim (``what``) has its own chance of each outcome.
        """
        settings = self.settings
        fit_probability = (settings.fit_for_work_probability if fit_probability is None
                           else fit_probability)
        support_share = settings.support_group_share if support_share is None else support_share
        health = max(person.barriers[i] for i in HEALTH)
        fit = draw.random() < fit_probability * (1.0 - settings.health_effect * health)
        cost = settings.assessment_hours * self.service.hour_cost
        now = self.env.now
        self.log.add(person.pid, person.hid, now, "assessment", ASSESSOR, what,
                     settings.assessment_hours, cost)
        if fit:
            outcome = FIT_FOR_WORK
        else:
            support = draw.random() < support_share
            outcome = "support_group" if support else "work_related_activity_group"
        self.log.add(person.pid, person.hid, now, what, ASSESSOR, outcome)
        return fit
