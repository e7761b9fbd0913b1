"""Jobcentre Plus: each claim's contact plan, and what happens at each contact.

The Jobcentre owns its contact plan with each claim (:class:`ContactPlan`):
fortnightly reviews, adviser interventions at fixed points or when the adviser
chooses, the Work Capability Assessment of an ESA claim, and referral to the
Work Programme. Interviews, interventions and reviews all take time from one
pool of advisers, and an intervention covers the review due after it. A journey
asks the plan for the day of the next contact, and the Jobcentre for what
happened at it. Each kind of contact is a part of its own: interviews and the
WCA (:mod:`.interviews`), routine reviews and sanctions (:mod:`.reviews`), and
adviser interventions (:mod:`.interventions`).
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Protocol

import simpy

from journeysim.config import (
    CostSettings,
    JobcentreSettings,
    LoneParentSettings,
    ReassessmentSettings,
)
from journeysim.sim.routing import Router
from journeysim.sim.services.base import Service
from journeysim.sim.services.interventions import Interventions
from journeysim.sim.services.interviews import FIT_FOR_WORK, Interviews
from journeysim.sim.services.reviews import Reviews
from journeysim.sim.services.work_programme import WorkProgramme
from journeysim.sim.streams import Stream
from journeysim.sim.world import CALENDAR_YEAR, Claimant, World

NAME = "jobcentre"
#: What a contact came to (:meth:`Jobcentre.contact`); also :data:`FIT_FOR_WORK`.
TO_JSA = "moved to JSA"
STOPPED = "stopped claiming"
REVIEW = "review"
DONE = "done"
LEFT = "left while queueing"
#: Two contacts due this close (days) are due together: sums of weeks round differently.
TIE = 1e-6
__all__ = ["FIT_FOR_WORK", "TO_JSA", "STOPPED", "REVIEW", "DONE", "LEFT", "ContactPlan",
           "Jobcentre", "Leave"]


class Leave(Protocol):
    """Makes the event of a claimant's own exit, raced against a queue for an adviser."""

    def __call__(self) -> simpy.Event:
        """The exit's event, drawn now."""
        ...

    @property
    def fired(self) -> bool:
        """Whether the last exit drawn has come."""
        ...


class ContactPlan:
    """The days of one claim's next Jobcentre contacts (``inf`` or None: none due).

    Attributes:
        review: day of the next routine review.
        interval: days between reviews.
        intervention: day of the next adviser intervention.
        wca: day of the Work Capability Assessment, while the claim is in assessment,
            or of an Incapacity Benefit reassessment (``reassess``).
        referral: day of referral to a programme, if the claim is to be referred.
        programme: the programme of that referral (the Work Programme or one it replaced).
        move: day a lone parent's Income Support ends and they move to JSA.
        reassess: whether the WCA due is a reassessment of an Incapacity Benefit claim.
        reviews: routine reviews held so far in the claim.
        ahead: days of the reviews counted in ``reviews`` while the claimant slept
            through them; those after a day the claimant wakes early are taken back.
        draw: the claimant's Jobcentre stream (reviews, sanctions, the WCA).
    """

    __slots__ = ("review", "interval", "intervention", "wca", "referral", "programme",
                 "reviews", "ahead", "draw", "move", "reassess")

    def __init__(self, review: float, interval: float, intervention: float,
                 wca: float | None, referral: float | None, draw: Stream | None = None,
                 move: float | None = None, reassess: bool = False,
                 programme: WorkProgramme | None = None) -> None:
        self.review = review
        self.interval = interval
        self.intervention = intervention
        self.wca = wca
        self.referral = referral
        self.programme = programme
        self.reviews = 0
        self.ahead: list[float] = []
        self.draw = draw
        self.move = move
        self.reassess = reassess

    def next_day(self) -> float:
        """Day of the next contact: the earliest of those due.

        In a tie an intervention comes before a review, and a rule's date (the
        WCA, a Work Programme referral, a lone parent's move) before either, so it
        falls on its day exactly.
        """
        contact = self.review if self.review < self.intervention else self.intervention
        first = math.inf
        if self.wca is not None:
            first = self.wca
        if self.referral is not None and self.referral < first:
            first = self.referral
        if self.move is not None and self.move < first:
            first = self.move
        return first if first < contact + TIE else contact

    def upcoming(self, now: float) -> float:
        """Day of the next contact from ``now`` on, a review held without waking included."""
        for day in self.ahead:
            if day >= now:
                return day
        return self.next_day()

    def review_on(self, day: float) -> bool:
        """Whether the next contact, due on ``day`` (:meth:`next_day`), is a routine review."""
        return (day == self.review < self.intervention
                and day not in (self.wca, self.referral, self.move))


class Jobcentre(Service):
    """The mainstream journey every claimant goes through.

    Args:
        world: the run's world.
        settings: the Jobcentre's parameters.
        costs: unit costs (the adviser hour).
        claimants: claimants in the starting stock (sets the number of advisers).
        router: assessments and referrals.
        fitting_boost: share of the gap to full motivation a fitted intervention closes.
        work_programme: where long claims are referred, when the programme runs.
        earlier: where they are referred before the Work Programme starts (Flexible New
            Deal, Pathways to Work), when a place's run begins before they closed.
        lone_parents: the rule that moves lone parents to JSA (when it is on).
        reassessment: the reassessment of Incapacity Benefit claims (when it is on).
    """

    def __init__(self, world: World, settings: JobcentreSettings, costs: CostSettings,
                 claimants: int, router: Router, fitting_boost: float,
                 work_programme: WorkProgramme | None = None,
                 lone_parents: LoneParentSettings | None = None,
                 reassessment: ReassessmentSettings | None = None,
                 earlier: tuple[WorkProgramme, ...] = ()) -> None:
        advisers = self.staff(settings.advisers_per_1000, claimants)
        super().__init__(world, NAME, advisers, settings.adviser_hours_per_week,
                         costs.adviser_hour, prioritised=True)
        self.work_programme = work_programme
        self.earlier = earlier
        self.interviews = Interviews(self, settings, router)
        self.reviews = Reviews(world, NAME, self.advisers, self.days_per_hour, settings, costs)
        self.interventions = Interventions(self, settings, router, fitting_boost)
        self.addresses = self.interventions.addresses
        self.plans: dict[int, ContactPlan] = {}  # the plan of each open claim, by person
        self.lone_parents = lone_parents if lone_parents and lone_parents.enabled else None
        self.reassessment = reassessment if reassessment and reassessment.enabled else None

    # --- the plan ----------------------------------------------------------------------------
    def plan(self, person: Claimant, elapsed_days: float) -> ContactPlan:
        """The contact plan of a claim that began ``elapsed_days`` ago (0: a new claim).

        A claim already running when the model starts has its next review at a
        random point of the interval.
        """
        interval = self.reviews.interval[person.benefit]
        now = self.env.now
        draw = person.draw("jobcentre")
        review = now + interval * (draw.random() if elapsed_days else 1.0)
        intervention = self.interventions.next_day(person, now)
        wca = self.interviews.wca_day(person, draw)
        reassess = wca is None and self.reassessment is not None and (
            person.benefit == "ESA"
            and elapsed_days >= self.reassessment.claims_older_than_weeks * 7.0)
        if reassess:
            wca = self.reassessment_day(person)
        programme, referral = self.work_programme, None
        for earlier in self.earlier:
            referral = earlier.referral_day(person)
            if referral is not None:
                programme = earlier
                break
        if referral is None and programme is not None:
            referral = programme.referral_day(person)
        plan = self.plans[person.pid] = ContactPlan(
            review, interval, intervention, wca, referral, draw, self.move_day(person),
            reassess and wca is not None, programme)
        return plan

    def reassessment_day(self, person: Claimant) -> float | None:
        """Day an Incapacity Benefit claim is called for reassessment (None: not in the run).

        Calls are spread evenly over the programme's weeks, each claim's day from a
        stream of its own.
        """
        s = self.reassessment
        day = 7.0 * (s.start_week + (s.end_week - s.start_week)
                     * person.draw("reassessment").random())
        return day if day >= self.env.now else None

    def entitled(self, person: Claimant, benefit: str) -> str:
        """The benefit a new claim for ``benefit`` is for: JSA for a lone parent under the rule.

        A lone parent whose youngest child is already at the age limit in force
        cannot claim Income Support as a lone parent.
        """
        return "JSA" if self.move_day(person, benefit) == self.env.now else benefit

    def move_day(self, person: Claimant, benefit: str | None = None) -> float | None:
        """Day a lone parent's Income Support ends under the rule (None: not under it).

        The first day from now on which the youngest child is at least the age
        limit in force that day; the limits change by week of the run. ``benefit``
        is the claim's (the person's own by default).
        """
        rules = self.lone_parents
        benefit = person.benefit if benefit is None else benefit
        if rules is None or benefit != "IS_LP" or person.child_born is None:
            return None
        born = person.child_born
        now = self.env.now
        limits = rules.age_limits
        for i, limit in enumerate(limits):
            ends = limits[i + 1].from_week * 7.0 if i + 1 < len(limits) else math.inf
            day = max(now, limit.from_week * 7.0, born + limit.age * CALENDAR_YEAR)
            if day < ends:
                return day
        return None

    def contact(self, person: Claimant, plan: ContactPlan, day: float,
                leave: Leave | None = None,
                sanctioned: bool | None = None) -> Generator[simpy.Event, None, str]:
        """Hold the contact due on ``day`` and move the plan on; return what it came to.

        :data:`FIT_FOR_WORK` (the WCA ends the ESA claim), :data:`STOPPED` (a
        sanction made the person stop claiming), :data:`REVIEW` (a routine
        review), :data:`LEFT` (the person's own exit came while they queued for
        an adviser: ``leave`` makes it), or :data:`DONE` (anything else).
        ``sanctioned`` is a review's conditionality when it was drawn before the day.
        """
        if plan.move is not None and day == plan.move:
            plan.move = None
            now = self.env.now
            self.log.add(person.pid, person.hid, now, "lone_parent_rule", self.name, "to JSA",
                         (now - person.child_born) / CALENDAR_YEAR)
            return TO_JSA
        if plan.wca is not None and day == plan.wca:
            plan.wca = None
            if plan.reassess:
                plan.reassess = False
                s = self.reassessment
                fit = self.interviews.wca(person, plan.draw, s.fit_for_work_probability,
                                          s.support_group_share, "ib_reassessment")
            else:
                fit = self.interviews.wca(person, plan.draw)
            return FIT_FOR_WORK if fit else DONE
        if plan.referral is not None and day == plan.referral:
            programme, wp = plan.programme, self.work_programme
            plan.referral, plan.intervention = None, math.inf
            programme.attach(person)
            if programme is not wp:  # one it replaced: the Work Programme when it starts
                plan.intervention = self.interventions.next_day(person,
                                                                programme.until[person.pid])
                if wp is not None:
                    plan.referral, plan.programme = wp.referral_day(person), wp
            return DONE
        if day == plan.intervention:
            held = yield from self.interventions.hold(person, leave, patience=plan.interval)
            if not held and leave is not None and leave.fired:
                return LEFT
            plan.intervention = self.interventions.next_day(person, day)
            if held:
                plan.review = max(plan.review, day + plan.interval)  # it covered the review
            return DONE
        plan.review += plan.interval
        plan.reviews += 1
        return STOPPED if self.reviews.hold(person, plan.draw, sanctioned) else REVIEW

    def take_back(self, plan: ContactPlan) -> None:
        """Take back the reviews counted ahead for days after today (the claimant woke early)."""
        now = self.env.now
        later = [day for day in plan.ahead if day > now]
        if later:
            plan.review = later[0]
            plan.reviews -= len(later)
            for day in later:
                self.reviews.count(day, -1)
        plan.ahead.clear()

    def claim_closed(self, person: Claimant) -> None:
        """Record the routine reviews of a claim that has ended, and drop its plan."""
        plan = self.plans.pop(person.pid, None)
        if plan is not None:
            self.take_back(plan)
            self.reviews.record(person, plan.reviews)

    # --- contacts ----------------------------------------------------------------------------
    def new_claim(self, person: Claimant,
                  leave: Leave | None = None) -> Generator[simpy.Event, None, bool]:
        """The new-claim interview (:meth:`.Interviews.new_claim`); False when the person left."""
        return (yield from self.interviews.new_claim(person, leave))
