"""The local labour market: job offers, job kinds, and leaving work.

Vacancies are fixed by the claimant count at the start and the local ratio of
JSA claimants per live vacancy. Offers reach each jobseeker at a rate that falls
as more people compete for the same vacancies, and rises and falls with the
person's motivation, barriers, age and family job leads. Rates are per day.
"""

from __future__ import annotations

import math
from typing import Protocol

from journeysim.config import LabourMarketSettings, PopulationSettings, PostEmploymentSettings
from journeysim.sim.services.work_programme import WorkProgramme
from journeysim.sim.streams import Stream
from journeysim.sim.world import Register
from journeysim.vocabulary import BARRIERS

TEMPORARY = "temporary"
SUSTAINED = "sustained"


class Searcher(Protocol):
    """A person as the labour market sees them: what rates their chance of an offer."""

    pid: int
    age: int
    benefit: str
    load: float
    placement: float
    motivation: float
    lead_until: float
    boost_until: float
    boost_factor: float


class LabourMarket:
    """Offers to claimants, and the jobs they lead to.

    Args:
        settings: the labour market's parameters.
        population: for the barriers' weights in the barrier load.
        jsa_claimants: JSA claimants at the start (fixes the number of vacancies).
        lead_factor: factor on offers while a relative's job lead lasts.
        engaged_intensity: search intensity of a non-claimant engaged by outreach.
        register: the claimant register, whose count of open JSA claims shares the vacancies.
        programme: the Work Programme, whose attachment raises offers, when it runs.
    """

    def __init__(
        self, settings: LabourMarketSettings, population: PopulationSettings, jsa_claimants: int,
        lead_factor: float, engaged_intensity: float, register: Register,
        programme: WorkProgramme | None = None,
    ) -> None:
        self.settings = settings
        self.lead_factor = lead_factor
        self.vacancies = max(jsa_claimants, 1) / settings.claimants_per_vacancy
        self.register = register
        self.programme = programme
        self.weights = tuple(population.barriers[name].weight for name in BARRIERS)
        intensity = settings.search_intensity
        self.intensity = {"JSA": intensity.JSA, "ESA": intensity.ESA, "IS_LP": intensity.IS_LP,
                          "NONE": engaged_intensity}

    def barrier_load(self, barriers: list[float]) -> float:
        """Weighted sum of barrier severities (dimensionless, 0 with no barriers).

        Added left to right on purpose: Python 3.12's ``sum`` rounds floats
        differently from 3.11's, and the load steers random paths, so ``sum`` would
        make the same seed give different runs on the two versions.
        """
        load = 0.0
        for weight, severity in zip(self.weights, barriers, strict=True):
            load += weight * severity
        return load

    def placement(self, person: Searcher) -> float:
        """The slow part of the person's offer rate, per day.

        Search intensity x exp(-sensitivity x load) x age factor: it changes only
        with benefit, barriers and age, so it is kept on the person.
        """
        s = self.settings
        rate = self.intensity[person.benefit] * math.exp(-s.barrier_sensitivity * person.load)
        if person.age >= 50:
            rate *= s.age_50_plus_factor
        return rate / 7.0

    def offer_rate(self, person: Searcher, now: float) -> float:
        """This person's rate of accepted job offers, per day."""
        rate = (self.settings.offers_per_vacancy_week * self.vacancies
                / max(self.register.jobseekers, 1)) * person.placement * person.motivation
        if now < person.lead_until:
            rate *= self.lead_factor
        if now < person.boost_until:
            rate *= person.boost_factor
        if self.programme is not None:
            rate *= self.programme.offer_factor(person, now)
        return rate

    def job_kind(self, person: Searcher, draw: Stream) -> str:
        """Temporary or sustained: sustained jobs are rarer for people with more barriers."""
        chance = self.settings.sustained_probability * math.exp(-person.load)
        return SUSTAINED if draw.random() < chance else TEMPORARY

    def job_days(self, kind: str, draw: Stream,
                 support: PostEmploymentSettings | None = None) -> float:
        """How long a job of this kind lasts, in days.

        With post-employment support the hazard of the job ending is cut by
        ``retention_effect`` for the support's weeks; the same draw is stretched,
        so a person's luck is the same with and without support.
        """
        weeks = (
            self.settings.sustained_job_weeks if kind == SUSTAINED
            else self.settings.temporary_job_weeks
        )
        rate = 1.0 / (weeks * 7.0)
        clock = draw.exponential(1.0)  # the job's luck, in units of hazard
        if support is None or support.retention_effect == 0.0:
            return clock / rate
        slow, window = rate * (1.0 - support.retention_effect), support.weeks * 7.0
        if clock < slow * window:
            return clock / slow
        return window + (clock - slow * window) / rate
