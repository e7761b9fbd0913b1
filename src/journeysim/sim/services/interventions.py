"""The Jobcentre's adviser interventions: when they fall, and what they do.

An intervention is the standard product or one fitted to the person; it takes
the adviser time that interviews and reviews leave (a lower priority in the
Jobcentre's pool), and one not begun within the review interval is dropped.
Its timing is fixed (prescribed weeks into a JSA claim) or needs-led.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator

import simpy

from journeysim.config import JobcentreSettings
from journeysim.sim.routing import Router
from journeysim.sim.services.base import Service
from journeysim.sim.services.reviews import ROUTINE
from journeysim.sim.world import Claimant
from journeysim.vocabulary import BARRIERS

#: Interventions take the adviser time that interviews and reviews (:data:`ROUTINE`) leave.
DISCRETIONARY = ROUTINE + 1


class Interventions:
    """Adviser interventions of a Jobcentre.

    Args:
        service: the Jobcentre (its adviser pool and log).
        settings: the Jobcentre's parameters (timing, hours, effect, remit).
        router: what the adviser finds out and refers on.
        fitting_boost: share of the gap to full motivation a fitted intervention closes.
    """

    def __init__(self, service: Service, settings: JobcentreSettings, router: Router,
                 fitting_boost: float) -> None:
        self.service = service
        self.settings = settings
        self.router = router
        self.fitting_boost = fitting_boost
        self.addresses = remit(settings)

    def next_day(self, person: Claimant, after: float) -> float:
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

    def hold(self, person: Claimant, leave: Callable[[], simpy.Event] | None = None,
             patience: float = math.inf) -> Generator[simpy.Event, None, bool]:
        """An adviser intervention: the standard product, or one fitted to the person.

        The standard product fits only when the person's worst barrier is one it
        addresses. A fitted intervention works on the worst barrier the adviser
        knows of, or refers it on. Either way, the adviser then refers for known
        barriers within the Jobcentre's remit. Interventions take the adviser time
        interviews and reviews leave; one not begun within ``patience`` days is
        dropped (seed 004: flexible interventions are paid for by the time freed).
        False when it was dropped or the person's own exit came while they queued
        (``leave`` makes it).
        """
        router, name = self.router, self.service.name
        lead = router.system.lead_worker
        router.identify(person, name, lead)
        standard = person.draw("intervention").random() < router.system.standard_product_share
        if standard:
            target = person.worst_barrier()
            fits = target is None or target in self.addresses
        else:
            known = router.known(person, name)
            target = max(known, key=person.barriers.__getitem__, default=None)
            fits = True
        if not (yield from self.service.appointment(
                person, self.settings.intervention_hours, "intervention",
                "fit" if fits else "misfit", leave, DISCRETIONARY, patience)):
            return False
        if not fits:
            person.misfit()
        elif target is not None and target in self.addresses:
            person.reduce_barrier(target, self.settings.intervention_effect)
        else:
            person.encourage(self.fitting_boost)
        router.refer_known(person, name, lead=lead)
        return True


def remit(settings: JobcentreSettings) -> frozenset[int]:
    """The barriers the Jobcentre's own interventions (its standard product) address."""
    return frozenset(BARRIERS.index(b) for b in settings.intervention_barriers)
