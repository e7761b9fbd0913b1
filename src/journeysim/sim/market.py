"""The local labour market: hires from a matching function, job kinds, leaving work.

Hires in the borough come from an aggregate matching function of effective
searchers S and vacancies V: hires a week = min(A x S^alpha x V^(1 - alpha), V)
(Petrongolo and Pissarides 2001; never more hires than vacancies). Searchers
are everyone the model has looking for work, each weighted by search intensity
and employability (benefit, barriers, age, motivation, job leads, a service's
employer contacts), plus a pool of job seekers outside the model. Claimants
search at their benefit's intensity; everyone else who is out of work (a
relative who claims nothing) at the non-claimant
intensity, so every workless person has a chance of work without any service. Each
searcher's share of the hires is their weight over S, so helping one group
partly displaces the others: with vacancies and total effective search
unchanged, total hires are unchanged.

A person's weight is taken at each of their contacts (the start of a claim,
each review, intervention or search contact), like every other rate in the
model: between contacts it stays as it was. Rates are per day.
"""

from __future__ import annotations

import math
from typing import Protocol

from journeysim.config import LabourMarketSettings, PopulationSettings, PostEmploymentSettings
from journeysim.sim.services.work_programme import WorkProgramme
from journeysim.sim.streams import Stream
from journeysim.vocabulary import BARRIERS, CLAIMING

TEMPORARY = "temporary"
SUSTAINED = "sustained"
YEAR_DAYS = 364.0
class Searcher(Protocol):
    """A person as the labour market sees them: what rates their chance of an offer."""

    pid: int
    age: int
    benefit: str
    state: str
    load: float
    placement: float
    motivation: float
    lead_until: float
    boost_until: float
    boost_factor: float


class LabourMarket:
    """Hires to searchers, and the jobs they lead to.

    Args:
        settings: the labour market's parameters.
        population: for the barriers' weights in the barrier load.
        jsa_claimants: JSA claimants at the start (fixes the number of vacancies).
        lead_factor: factor on offers while a relative's job lead lasts.
        programme: the Work Programme, whose attachment raises offers, when it runs.
    """

    def __init__(
        self, settings: LabourMarketSettings, population: PopulationSettings, jsa_claimants: int,
        lead_factor: float, programme: WorkProgramme | None = None,
    ) -> None:
        self.settings = settings
        self.lead_factor = lead_factor
        self.vacancies = max(jsa_claimants, 1) / settings.claimants_per_vacancy
        self.growth = math.log1p(settings.vacancy_growth_per_year) / YEAR_DAYS
        self.alpha = settings.matching_elasticity
        self.programme = programme
        self.weights = tuple(population.barriers[name].weight for name in BARRIERS)
        intensity = settings.search_intensity
        self.intensity = {"JSA": intensity.JSA, "ESA": intensity.ESA, "IS_LP": intensity.IS_LP}
        self.non_claimant = settings.non_claimant_intensity
        self.searching: dict[int, float] = {}  # each searcher's weight, by person
        self.inside = 0.0  # total weight of the model's searchers
        self.outside = 0.0  # total weight of the searchers outside the model
        self.clock = 0.0  # when the hires below were last brought up to date
        self.outside_hires = 0.0  # expected hires of outside searchers so far

    # --- searchers -------------------------------------------------------------------------
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
        """The slow part of the person's search weight (dimensionless).

        Search intensity x exp(-sensitivity x load) x age factor: it changes only
        with claiming, benefit, barriers and age, so it is kept on the person. A
        claimant searches at their benefit's intensity, anyone else at the
        non-claimant intensity.
        """
        s = self.settings
        intensity = (self.intensity[person.benefit] if person.state == CLAIMING
                     else self.non_claimant)
        weight = intensity * math.exp(-s.barrier_sensitivity * person.load)
        if person.age >= 50:
            weight *= s.age_50_plus_factor
        return weight

    def weight(self, person: Searcher, now: float) -> float:
        """The person's effective search now: placement x motivation x leads and boosts."""
        weight = person.placement * person.motivation
        if now < person.lead_until:
            weight *= self.lead_factor
        if now < person.boost_until:
            weight *= person.boost_factor
        if self.programme is not None:
            weight *= self.programme.offer_factor(person, now)
        return weight

    def join(self, person: Searcher, now: float) -> float:
        """Count the person among the searchers with their weight now; return the weight."""
        weight = self.weight(person, now)
        self._settle(now)
        self.inside += weight - self.searching.get(person.pid, 0.0)
        self.searching[person.pid] = weight
        return weight

    def leave(self, person: Searcher, now: float) -> None:
        """The person stops looking for work (a job, or the end of a claim or search)."""
        weight = self.searching.pop(person.pid, None)
        if weight is not None:
            self._settle(now)
            self.inside -= weight

    def open(self, jsa_claimants: list[Searcher], non_claimants: list[Searcher],
             now: float) -> None:
        """Fix the outside pool once the starting stock is in.

        ``outside_searchers_per_claimant`` searchers per JSA claimant at the start,
        each with the mean weight of those claimants, are the borough's job seekers
        other than its claimants. The workless non-claimants the model holds are
        among them, so the pool outside the model is that less their weight (at
        least nothing): holding them adds no searchers to the borough.
        """
        borough = others = 0.0
        for person in jsa_claimants:  # left to right: the same on every Python
            borough += self.searching.get(person.pid, 0.0)
        for person in non_claimants:
            others += self.searching.get(person.pid, 0.0)
        self._settle(now)
        self.outside = max(0.0, self.settings.outside_searchers_per_claimant * borough - others)

    # --- hires -----------------------------------------------------------------------------
    def vacancies_at(self, now: float) -> float:
        """Vacancies on day ``now``: the level at the start, on its trend."""
        return self.vacancies * math.exp(self.growth * now) if self.growth else self.vacancies

    def hires_per_week(self, now: float) -> float:
        """Hires a week in the borough: min(A x S^alpha x V^(1 - alpha), V)."""
        searchers = self.inside + self.outside
        if searchers <= 0.0:
            return 0.0
        vacancies = self.vacancies_at(now)
        matched = (self.settings.matching_efficiency * searchers ** self.alpha
                   * vacancies ** (1.0 - self.alpha))
        return min(matched, vacancies)

    def rate_per_weight(self, now: float) -> float:
        """Hires a day per unit of search weight: hires a week / S / 7."""
        searchers = self.inside + self.outside
        return self.hires_per_week(now) / searchers / 7.0 if searchers > 0.0 else 0.0

    def offer_rate(self, person: Searcher, now: float) -> float:
        """The person's rate of hires, per day, counting their weight now among the searchers."""
        return self.join(person, now) * self.rate_per_weight(now)

    def _settle(self, now: float) -> None:
        """Bring the outside pool's expected hires up to ``now`` (before S changes)."""
        if now > self.clock:
            if self.outside > 0.0:
                self.outside_hires += self.rate_per_weight(now) * self.outside * (now - self.clock)
            self.clock = now

    def close(self, now: float) -> float:
        """End of the run: the outside pool's expected hires over it."""
        self._settle(now)
        return self.outside_hires

    # --- jobs ------------------------------------------------------------------------------
    def job_kind(self, person: Searcher, draw: Stream) -> str:
        """Temporary or sustained: sustained jobs are rarer for people with more barriers."""
        chance = self.settings.sustained_probability * math.exp(-person.load)
        return SUSTAINED if draw.random() < chance else TEMPORARY

    def job_days(self, kind: str, draw: Stream,
                 support: PostEmploymentSettings | None = None) -> float:
        """How long a job of this kind lasts, in days.

        With post-employment support the hazard of the job ending is cut by
        ``retention_effect`` for ``effect_weeks`` after the start; the same draw is
        stretched, so a person's luck is the same with and without support.
        """
        weeks = (
            self.settings.sustained_job_weeks if kind == SUSTAINED
            else self.settings.temporary_job_weeks
        )
        rate = 1.0 / (weeks * 7.0)
        clock = draw.exponential(1.0)  # the job's luck, in units of hazard
        if support is None or support.retention_effect == 0.0:
            return clock / rate
        slow, window = rate * (1.0 - support.retention_effect), support.effect_weeks * 7.0
        if clock < slow * window:
            return clock / slow
        return window + (clock - slow * window) / rate
