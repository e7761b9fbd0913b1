"""The national Troubled Families programme (phase one, April 2012 to March 2015).

Councils' key workers took on whole families with several problems, one of them
worklessness (DCLG's criteria: crime or anti-social behaviour, truancy,
worklessness; three of four). In the model it is a family budget's case work
(:class:`~journeysim.sim.services.budgets.Budget` with ``family``): a key worker
for the household, the members seen and encouraged, their known barriers referred
warmly; what differs is who qualifies and when. It runs in the places whose
families the seeds' family pilots worked with, so that a pilot is compared with
what the national programme did there anyway.
"""

from __future__ import annotations

import math

from journeysim.config import TroubledFamiliesSettings
from journeysim.sim.routing import Router
from journeysim.sim.services.budgets import Budget
from journeysim.sim.services.outreach import Outreach
from journeysim.sim.world import DAYS_PER_WEEK, Claimant, World

NAME = "troubled_families"


def problems(person: Claimant) -> int:
    """Different barriers the members of the person's household carry between them."""
    return len({i for member in person.members() for i, severity in
                enumerate(member.barriers) if severity > 0.0})


class TroubledFamilies(Budget):
    """The programme's key workers: a family case for qualifying workless households.

    A household qualifies from ``start_week`` until ``end_week`` when no member is
    in work (the family budget's rule) and its members carry at least
    ``min_problems`` different barriers; then the family budget's rules apply
    (offered once, a yearly cohort, take-up, a place on a key worker's caseload).
    """

    def __init__(self, world: World, settings: TroubledFamiliesSettings, claimants: int,
                 hours_per_week: float, hour_cost: float, router: Router,
                 outreach: Outreach) -> None:
        super().__init__(world, NAME, settings, claimants, hours_per_week, hour_cost, router,
                         True, outreach)
        self.opens = settings.start_week * DAYS_PER_WEEK
        ends = settings.end_week
        self.closes = math.inf if ends is None else ends * DAYS_PER_WEEK
        self.min_problems = settings.min_problems

    def may_offer(self, person: Claimant, day: float) -> bool:
        """As a budget's (:meth:`Budget.may_offer`), and only while the programme runs."""
        return self.opens <= day < self.closes and super().may_offer(person, day)

    def offer(self, person: Claimant) -> bool:
        """Offer a case when the programme is running and the household qualifies."""
        if not self.opens <= self.env.now < self.closes:
            return False
        if problems(person) < self.min_problems:
            return False
        return super().offer(person)
