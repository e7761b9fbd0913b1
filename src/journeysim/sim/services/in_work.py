"""Post-employment support: an adviser who stays in touch after a job starts.

Support is offered at the job start (Birmingham's stage 6). A job entrant takes
it with the take-up chance and gets it only if an in-work adviser has room: the
place is held for the support's weeks. Without support nothing changes; with it,
the hazard of the job ending is cut for a while (see ``market.job_days``).
"""

from __future__ import annotations

from journeysim.config import PostEmploymentSettings
from journeysim.sim.services.base import NO_PLACE, NOT_TAKEN, Caseload, Service
from journeysim.sim.world import DAYS_PER_WEEK, Claimant, World

NAME = "post_employment"


class InWorkSupport(Service):
    """In-work advisers and their caseload of people in work.

    Args:
        world: the run's world.
        settings: post-employment support's parameters.
        claimants: claimants in the starting stock (sets the advisers' caseload).
        hours_per_week: contact hours an adviser offers a week.
        hour_cost: GBP per adviser hour.
    """

    def __init__(self, world: World, settings: PostEmploymentSettings, claimants: int,
                 hours_per_week: float, hour_cost: float) -> None:
        super().__init__(world, NAME, self.staff(settings.advisers_per_1000, claimants),
                         hours_per_week, hour_cost)
        self.settings = settings
        self.cases = Caseload(self, settings.advisers_per_1000, settings.caseload_per_adviser,
                              claimants, costed=False)  # its contacts are costed instead

    def take_on(self, person: Claimant, kind: str) -> PostEmploymentSettings | None:
        """Offer support with a new job of ``kind``; its settings when taken and there is room."""
        s, now = self.settings, self.env.now
        if not person.draw("post_employment").bernoulli(s.take_up):
            self.log.add(person.pid, person.hid, now, "declined", NAME, NOT_TAKEN)
            return None
        if not self.cases.room():
            self.log.add(person.pid, person.hid, now, "declined", NAME, NO_PLACE)
            return None
        self.cases.give(person, s.weeks * DAYS_PER_WEEK)
        hours = s.sessions * s.session_hours
        self.log.add(person.pid, person.hid, now, "post_employment", NAME, kind, hours,
                     hours * self.hour_cost)
        return s
