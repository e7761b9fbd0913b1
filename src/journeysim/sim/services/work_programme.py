"""The Work Programme: referral by claim duration, a provider, payment by results.

The programmes it replaced in 2011 (Flexible New Deal for JSA claimants,
Pathways to Work for ESA claimants) are instances under their own names. Each takes
referrals from its start week until its end week, and its attachments end
at its end week. The provider runs its own assessment, keeps people on a caseload (a waiting
list forms when its places are full), sees them in sessions whose frequency
thins out with distance from work (paid by results, it helps the easiest
first), and is paid an attachment fee at referral, an outcome fee once a job
has lasted long enough, and sustainment fees every four weeks after.
"""

from __future__ import annotations

import math

from journeysim.config import SystemSettings, WorkProgrammeSettings
from journeysim.sim.routing import Process, Router
from journeysim.sim.services.base import Service
from journeysim.sim.world import Claimant, World
from journeysim.vocabulary import CLAIMING, IN_WORK

NAME = "work_programme"


class WorkProgramme(Service):
    """A prime provider's caseload.

    It keeps each person's attachment: the day it ends, and the factor on their
    job offers while the provider works with them (1 once their sessions stop).
    ``name`` is the programme's in the log (:data:`NAME`, ``flexible_new_deal`` or
    ``pathways_to_work``).
    """

    def __init__(self, world: World, settings: WorkProgrammeSettings, system: SystemSettings,
                 standard: frozenset[int], claimants: int, hours_per_week: float,
                 hour_cost: float, router: Router, name: str = NAME) -> None:
        super().__init__(world, name, self.staff(settings.advisers_per_1000, claimants),
                         hours_per_week, hour_cost)
        self.settings = settings
        self.system = system
        self.standard = standard
        self.router = router
        self.places = self.caseload(settings.session_hours, settings.session_interval_days)
        self.until: dict[int, float] = {}
        self.factor: dict[int, float] = {}
        self.opens = settings.start_week * 7.0
        self.closes = math.inf if settings.end_week is None else settings.end_week * 7.0

    def referral_day(self, person: Claimant) -> float | None:
        """Day this claim is referred, if ahead and the person is referred.

        The day the claim reaches its referral point, or the programme's first
        day when it reaches it before then; none on or after the programme closes.
        """
        weeks = self.settings.referral_weeks.get(person.segment)
        if weeks is None:
            return None
        if person.segment == "esa" and not person.draw(self.name).bernoulli(
                self.settings.esa_referral_probability):
            return None
        day = max(person.claim_start + weeks * 7.0, self.opens)
        return day if self.env.now < day < self.closes else None

    def attach(self, person: Claimant) -> None:
        """Refer and attach the person: the attachment fee is paid now."""
        s = self.settings
        self.until[person.pid] = min(self.env.now + s.attachment_weeks * 7.0, self.closes)
        self.factor[person.pid] = s.offer_factor
        self.log.add(person.pid, person.hid, self.env.now, "referral", self.name,
                     "jobcentre:cold")
        self.log.add(person.pid, person.hid, self.env.now, "payment", self.name, "attachment",
                     1, s.attachment_fee)
        self.env.process(self.attend(person))

    def on_programme(self, person: Claimant) -> bool:
        """Whether the person is attached now."""
        return self.env.now < self.until.get(person.pid, -math.inf)

    def offer_factor(self, person: Claimant, now: float) -> float:
        """The factor on the person's job offers from the provider's work with them."""
        if now < self.until.get(person.pid, -math.inf):
            return self.factor[person.pid]
        return 1.0

    def attend(self, person: Claimant) -> Process:
        """A place on the provider's caseload, then sessions until the person leaves.

        Sessions go on while the person claims and is attached; their gap widens
        with the barrier load, so the nearest to work are seen most often.
        """
        s, env = self.settings, self.env
        self.router.assess(person, self.name, s.session_hours, lead=False)
        draw = person.draw(self.name)
        with self.places.request() as place:
            if not (yield from self.wait_for(place, person, "place", self.until[person.pid])):
                self.factor[person.pid] = 1.0
                return
            while person.state == CLAIMING and self.on_programme(person):
                yield env.timeout(s.session_interval_days * (1.0 + s.creaming * person.load))
                if person.state != CLAIMING or not self.on_programme(person):
                    break
                self.session(person, draw.random() < self.system.standard_product_share)
        self.factor[person.pid] = 1.0

    def session(self, person: Claimant, standard: bool) -> None:
        """One provider session: the standard product, or fitted to the worst barrier."""
        worst = person.worst_barrier()
        fits = worst is None or not standard or worst in self.standard
        hours = self.settings.session_hours
        self.log.add(person.pid, person.hid, self.env.now, "intervention", self.name,
                     "fit" if fits else "misfit", hours, hours * self.hour_cost)
        if fits and worst is not None:
            person.reduce_barrier(worst, self.settings.session_effect)
        elif not fits:
            person.misfit()

    def job_started(self, person: Claimant) -> None:
        """Payment by results for a job that starts while attached."""
        if self.on_programme(person):
            self.env.process(self._results(person, person.jobs))

    def _results(self, person: Claimant, job: int) -> Process:
        s = self.settings
        yield self.env.timeout(s.outcome_weeks * 7.0)
        if person.jobs != job or person.state != IN_WORK:
            return
        self.log.add(person.pid, person.hid, self.env.now, "payment", self.name, "outcome", 1,
                     s.outcome_fee)
        for _ in range(s.sustainment_max):
            yield self.env.timeout(28.0)
            if person.jobs != job or person.state != IN_WORK:
                return
            self.log.add(person.pid, person.hid, self.env.now, "payment", self.name,
                         "sustainment", 1, s.sustainment_fee)

