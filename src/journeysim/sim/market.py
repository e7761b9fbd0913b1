"""The local labour market: a stock of vacancies, hires from a matching function, jobs.

Vacancies are a stock. Employers open them at a rate, hires fill them and the
unfilled ones lapse (the employer withdraws them) after ``vacancy_lapse_weeks`` on
average: dV/dt = openings - hires - V / lapse. The opening rate is set once the
starting stock of people is in, so that the stock at the start (JSA claimants /
``claimants_per_vacancy``) is a steady state with the searchers then: the
calibrated baseline starts where it was, and a design that adds search runs the
stock down instead of buying hires from a bottomless stock. The rate follows
``vacancy_growth_per_year``.

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

Vacancies employers pledge to one age group (``ring_fence``: Plan 500's) are a
second stock, matched by the same function over that group's searchers in the
model alone; the pledges the employers honour open at their rate, and the share
of them the employers would have opened anyway (``substitution``) is taken off
the open stock's openings, so jobs ring-fenced for the young are partly taken
from everyone else. The flows of both stocks (opened, filled, lapsed) are kept:
opened - filled - lapsed is the change in the stock. Hires fill the stocks as
expected flows, like the outside pool's hires: a person's job start is a draw
from their rate, the stock runs down by the rate.

A person's weight is taken at each of their contacts (the start of a claim,
each review, intervention or search contact), like every other rate in the
model: between contacts it stays as it was. Rates are per day.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

from journeysim.config import LabourMarketSettings, PopulationSettings, PostEmploymentSettings
from journeysim.sim.services.work_programme import WorkProgramme
from journeysim.sim.streams import Stream
from journeysim.vocabulary import BARRIERS, CLAIMING

TEMPORARY = "temporary"
SUSTAINED = "sustained"
YEAR_DAYS = 364.0
#: The longest step of the vacancy stocks' integration, in days.
STEP_DAYS = 1.0
#: The two stocks: open to everyone, and pledged to one age group.
OPEN, PLEDGED = "open", "pledged"
FLOWS = ("opened", "filled", "lapsed")


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


@dataclass
class Stock:
    """A stock of vacancies and its flows since the start (vacancies)."""

    level: float
    opened: float = 0.0
    filled: float = 0.0
    lapsed: float = 0.0

    def flow(self, opening: float, filling: float, lapsing: float, days: float) -> None:
        """Open, fill and lapse vacancies at these rates (a day) for ``days``.

        What leaves is never more than the stock holds with what opened.
        """
        opened, filled, lapsed = opening * days, filling * days, lapsing * self.level * days
        room = self.level + opened
        if filled + lapsed > room:
            share = room / (filled + lapsed)
            filled, lapsed = filled * share, lapsed * share
        self.level = max(0.0, room - filled - lapsed)
        self.opened += opened
        self.filled += filled
        self.lapsed += lapsed

    def figures(self, name: str) -> dict[str, float]:
        """The stock's flows since the start (``<name>_<flow>``) and its level now."""
        figures = {f"{name}_{flow}": getattr(self, flow) for flow in FLOWS}
        return {**figures, f"{name}_end": self.level}


class LabourMarket:
    """Hires to searchers from the borough's vacancy stocks, and the jobs they lead to.

    Args:
        settings: the labour market's parameters.
        population: for the barriers' weights in the barrier load.
        jsa_claimants: JSA claimants at the start (fixes the vacancies at the start).
        lead_factor: factor on offers while a relative's job lead lasts.
        programmes: the contracted programmes that run, whose attachments raise offers.
        claimants: stock claimants at the start (scales the vacancies pledged to a group).
    """

    def __init__(
        self, settings: LabourMarketSettings, population: PopulationSettings, jsa_claimants: int,
        lead_factor: float, programmes: tuple[WorkProgramme, ...] = (), claimants: int = 0,
    ) -> None:
        self.settings = settings
        self.lead_factor = lead_factor
        self.stocks = {OPEN: Stock(max(jsa_claimants, 1) / settings.claimants_per_vacancy),
                       PLEDGED: Stock(0.0)}
        self.start_level = self.stocks[OPEN].level
        self.growth = math.log1p(settings.vacancy_growth_per_year) / YEAR_DAYS
        self.lapse = 1.0 / (settings.vacancy_lapse_weeks * 7.0)
        self.alpha = settings.matching_elasticity
        self.programmes = programmes
        self.weights = tuple(population.barriers[name].weight for name in BARRIERS)
        self.intensity = settings.search_intensity.model_dump()  # by benefit
        self.non_claimant = settings.non_claimant_intensity
        fence = settings.ring_fence
        self.ages = (fence.min_age, fence.max_age)
        # pledged vacancies the employers open, a day, and the openings they substitute for
        self.pledging = (fence.vacancies_per_year_per_1000 * claimants / 1000.0
                         * (1.0 - fence.employer_drop_out) / YEAR_DAYS)
        self.substituted = fence.substitution * self.pledging
        self.opening = 0.0  # vacancies employers open a day at the start: see open()
        self.searching: dict[int, float] = {}  # each searcher's weight, by person
        self.fenced: dict[int, float] = {}  # the same for the group pledged vacancies are for
        self.inside = 0.0  # total weight of the model's searchers
        self.group = 0.0  # total weight of the group's searchers
        self.outside = 0.0  # total weight of the searchers outside the model
        self.clock = 0.0  # when the stocks and hires below were last brought up to date
        self.outside_hires = 0.0  # expected hires of outside searchers so far

    # --- searchers -------------------------------------------------------------------------
    def barrier_load(self, barriers: list[float]) -> float:
        """Weighted sum of barrier severities (dimensionless, 0 with no barriers).

        Added left to right: Python 3.12's ``sum`` rounds floats differently from
        3.11's, and the load steers random paths.
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

    def weight(self, person: Searcher, now: float, motivation: float | None = None) -> float:
        """Effective search on day ``now`` (at ``motivation``): placement x motivation x boosts."""
        weight = person.placement * (person.motivation if motivation is None else motivation)
        if now < person.lead_until:
            weight *= self.lead_factor
        if now < person.boost_until:
            weight *= person.boost_factor
        for programme in self.programmes:
            weight *= programme.offer_factor(person, now)
        return weight

    def in_group(self, person: Searcher) -> bool:
        """Whether vacancies are pledged to people of the person's age."""
        return self.pledging > 0.0 and self.ages[0] <= person.age <= self.ages[1]

    def join(self, person: Searcher, now: float) -> None:
        """Count the person among the searchers with their weight now."""
        self._settle(now)
        self._count(person.pid, self.weight(person, now), self.in_group(person))

    def _count(self, pid: int, weight: float, grouped: bool) -> None:
        """Hold the person's weight among the searchers (and the pledged group's)."""
        self.inside += weight - self.searching.get(pid, 0.0)
        self.searching[pid] = weight
        if grouped:
            self.group += weight - self.fenced.get(pid, 0.0)
            self.fenced[pid] = weight

    def leave(self, person: Searcher, now: float) -> None:
        """The person stops looking for work (a job, or the end of a claim or search)."""
        weight = self.searching.pop(person.pid, None)
        if weight is not None:
            self._settle(now)
            self.inside -= weight
            self.group -= self.fenced.pop(person.pid, 0.0)

    def open(self, jsa_claimants: list[Searcher], non_claimants: list[Searcher],
             now: float) -> None:
        """Fix the outside pool and the opening rate once the starting stock is in.

        ``outside_searchers_per_claimant`` searchers per JSA claimant at the start,
        each with the mean weight of those claimants, are the borough's job seekers
        other than its claimants. The workless non-claimants the model holds are
        among them, so the pool outside the model is that less their weight (at
        least nothing): holding them adds no searchers to the borough.

        Employers then open vacancies at the rate that keeps the stock at the
        start where it is, with these searchers: the hires it gives plus the
        vacancies that lapse, less the pledged vacancies that substitute for
        openings (at least nothing).
        """
        borough = others = 0.0
        for person in jsa_claimants:  # left to right: the same on every Python
            borough += self.searching.get(person.pid, 0.0)
        for person in non_claimants:
            others += self.searching.get(person.pid, 0.0)
        self._settle(now)
        self.outside = max(0.0, self.settings.outside_searchers_per_claimant * borough - others)
        level = self.stocks[OPEN].level
        self.opening = max(0.0, self.hires_per_week(now) / 7.0 + self.lapse * level
                           - self.substituted)

    # --- hires -----------------------------------------------------------------------------
    def matched(self, searchers: float, vacancies: float) -> float:
        """Hires a week from a stock: min(A x S^alpha x V^(1 - alpha), V)."""
        if searchers <= 0.0 or vacancies <= 0.0:
            return 0.0
        return min(self.settings.matching_efficiency * searchers ** self.alpha
                   * vacancies ** (1.0 - self.alpha), vacancies)

    def hires_per_week(self, now: float) -> float:
        """Hires a week in the borough from the vacancies open to everyone."""
        self._settle(now)
        return self.matched(self.inside + self.outside, self.stocks[OPEN].level)

    def rate_per_weight(self, now: float) -> float:
        """Hires a day per unit of search weight from the open stock: hires a week / S / 7."""
        searchers = self.inside + self.outside
        return self.hires_per_week(now) / searchers / 7.0 if searchers > 0.0 else 0.0

    def offer_rate(self, person: Searcher, now: float) -> float:
        """The person's rate of hires, per day, counting their weight now among the searchers."""
        return math.prod(self.chances(person, now))

    def chances(self, person: Searcher, now: float) -> tuple[float, float]:
        """The person's search weight now (counted, as by join) and hires a day per unit of it."""
        rate = self.rate_per_weight(now)
        grouped = self.in_group(person)
        if grouped and self.group > 0.0:  # the pledged stock's hires per unit of group weight
            rate += self.matched(self.group, self.stocks[PLEDGED].level) / self.group / 7.0
        weight = self.weight(person, now)
        self._count(person.pid, weight, grouped)  # the stocks settled above
        return weight, rate

    def _settle(self, now: float) -> None:
        """Bring the stocks and the outside pool's expected hires up to ``now`` (before S changes).

        The stocks are integrated in steps of at most ``STEP_DAYS``, the searchers
        held as they are since the last change.
        """
        clock = self.clock
        if now <= clock:
            return
        open_, pledged = self.stocks[OPEN], self.stocks[PLEDGED]
        searchers = self.inside + self.outside
        while clock < now:
            days = min(STEP_DAYS, now - clock)
            hires = self.matched(searchers, open_.level) / 7.0
            if self.outside > 0.0:
                self.outside_hires += hires * self.outside / searchers * days
            trend = math.exp(self.growth * clock) if self.growth else 1.0
            open_.flow(self.opening * trend, hires, self.lapse, days)
            if self.pledging > 0.0:
                pledged.flow(self.pledging, self.matched(self.group, pledged.level) / 7.0,
                             self.lapse, days)
            clock += days
        self.clock = now

    def close(self, now: float) -> float:
        """End of the run: the outside pool's expected hires over it."""
        self._settle(now)
        return self.outside_hires

    def flows(self) -> dict[str, float]:
        """Each stock's flows since the start and its level now: ``<stock>_<flow>``."""
        figures = {"open_start": self.start_level}
        for name, stock in self.stocks.items():
            figures.update(stock.figures(name))
        return figures


# --- the jobs hires lead to: they depend on the settings and the person, not the stocks --------
def job_kind(settings: LabourMarketSettings, person: Searcher, draw: Stream) -> str:
    """Temporary or sustained: sustained jobs are rarer for people with more barriers."""
    chance = settings.sustained_probability * math.exp(-person.load)
    return SUSTAINED if draw.random() < chance else TEMPORARY


def job_days(settings: LabourMarketSettings, kind: str, draw: Stream,
             support: PostEmploymentSettings | None = None) -> float:
    """How long a job of this kind lasts, in days.

    With post-employment support the hazard of the job ending is cut by
    ``retention_effect`` for ``effect_weeks`` after the start; the same draw is
    stretched, so a person's luck is the same with and without support.
    """
    weeks = settings.sustained_job_weeks if kind == SUSTAINED else settings.temporary_job_weeks
    rate = 1.0 / (weeks * 7.0)
    clock = draw.exponential(1.0)  # the job's luck, in units of hazard
    if support is None or support.retention_effect == 0.0:
        return clock / rate
    slow, window = rate * (1.0 - support.retention_effect), support.effect_weeks * 7.0
    if clock < slow * window:
        return clock / slow
    return window + (clock - slow * window) / rate
