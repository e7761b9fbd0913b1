"""Specialist wraparound services and Get Britain Working measures.

Debt advice, mental health, drugs and alcohol, housing, childcare, skills, ESOL,
offender services, work clubs, work experience, volunteering, enterprise support
and mentoring differ only in their parameters (what they address, how well, how
many sessions, who they take), so one class serves them all: configured, not
coded.
"""

from __future__ import annotations

import math

from journeysim.config import SupportService, places
from journeysim.sim.routing import FUNDING_ENDED, Process, Router
from journeysim.sim.services.base import Pool, Service, has_room
from journeysim.sim.world import DAYS_PER_WEEK, Claimant, World
from journeysim.vocabulary import BARRIERS

#: ``declined`` detail when the employer's part of an episode falls through.
EMPLOYER_DROPPED = "employer dropped out"


class SupportProvider(Service):
    """A service that runs episodes of sessions on the barriers it addresses.

    Capacity is a caseload: an adviser offering ``hours_per_week`` can keep
    ``hours_per_week / (session_hours x sessions a week)`` people on the rota at
    once, and a person waits on the waiting list for a place, then keeps it for
    the whole episode. A person who leaves benefit drops out at their next
    session; only the sessions attended are costed.

    A service that provides jobs (``job_weeks``: the Future Jobs Fund, an
    apprenticeship) offers one after a completed episode, when one of its
    ``job_places_per_1000`` is free or comes free while the person is still
    in support; the post is held for its weeks. A service whose funding stream
    ends (``funding_ends_week``) takes no one new from then on; the people on
    its caseload finish their episode, or leave it at their next session when
    the caseload is ``lost``. A completed episode's offer factor rests on an
    employer's part (a sector academy's guaranteed interview) that falls through
    with ``employer_drop_out``: the person keeps the episode's other gains.
    """

    def __init__(self, world: World, name: str, settings: SupportService, claimants: int,
                 hours_per_week: float, hour_cost: float) -> None:
        advisers = self.staff(settings.advisers_per_1000, claimants)
        super().__init__(world, name, advisers, hours_per_week, hour_cost)
        self.settings = settings
        self.places = self.caseload(settings.session_hours, settings.session_interval_days)
        self.addresses = frozenset(BARRIERS.index(b) for b in settings.barriers)
        self.jobs = Pool(self.env, capacity=places(
            settings.job_places_per_1000, claimants, 1.0)) if settings.job_weeks else None
        ends = settings.funding_ends_week
        self.closes = math.inf if ends is None else ends * DAYS_PER_WEEK

    def full(self) -> bool:
        """Whether every place is taken (a referral now would wait)."""
        return not has_room(self.places)

    def open_to_referrals(self) -> bool:
        """Whether the service still takes people on (its funding has not ended)."""
        return self.env.now < self.closes

    def episode(self, person: Claimant, router: Router) -> Process:
        """Assess (unless a common assessment exists), wait for a place, attend, record."""
        s, env = self.settings, self.env
        router.assess(person, self.name, s.session_hours, lead=False)
        attended = 0
        lost = s.when_funding_ends == "lost"
        with self.places.request() as place:
            if not (yield from self.wait_for(place, person, "place", self.closes,
                                             why_until=FUNDING_ENDED)):
                return
            self.log.add(person.pid, person.hid, env.now, "episode_start", self.name)
            while attended < s.sessions and person.in_support() and not (
                    lost and env.now >= self.closes):
                attended += 1
                if attended < s.sessions and s.session_interval_days > 0.0:
                    yield env.timeout(s.session_interval_days)
        completed = attended == s.sessions
        cost = attended * s.session_hours * self.hour_cost + (
            s.cost_per_episode if completed else 0.0)
        self.log.add(person.pid, person.hid, env.now, "episode_end", self.name,
                     "completed" if completed else "left", attended, cost)
        if not completed:
            return
        for barrier in self.addresses:
            if person.barriers[barrier] > 0.0:
                person.reduce_barrier(barrier, s.effect)
        person.encourage(s.motivation_gain)
        if s.employer_drop_out > 0.0 and person.draw("employer").bernoulli(s.employer_drop_out):
            self.log.add(person.pid, person.hid, env.now, "declined", self.name,
                         EMPLOYER_DROPPED)
        else:
            person.boost(s.offer_factor, s.offer_weeks, env.now)
        if self.jobs is not None:
            env.process(self.job(person))

    def job(self, person: Claimant) -> Process:
        """Wait for one of the service's jobs and hold the post for its weeks."""
        s = self.settings
        with self.jobs.request() as post:
            if not (yield from self.wait_for(post, person, "job", self.closes,
                                             why_until=FUNDING_ENDED)):
                return
            if not person.in_support():
                return
            person.place_in_job(self.name, s.job_weeks, s.job_retention)
            self.log.add(person.pid, person.hid, self.env.now, "job_offer", self.name, "",
                         s.job_weeks, s.cost_per_job)
            yield self.env.timeout(s.job_weeks * DAYS_PER_WEEK)
