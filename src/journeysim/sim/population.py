"""Synthetic people and households: the starting stock and the inflow of new claims.

The population is plain data (frozen specs), made before the model runs and
independent of the scenario's services, so every scenario run with the same
seed meets the same people arriving on the same days. Each person's traits are
drawn from the stream (seed, replication, person id, "traits"); arrival times
from one stream per benefit.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeysim.config import PopulationSettings, Scenario
from journeysim.sim.streams import Stream
from journeysim.vocabulary import BARRIERS, BENEFITS, CLAIMING, IN_WORK, INACTIVE, NO_BENEFIT


@dataclass(frozen=True, slots=True)
class PersonSpec:
    """Who one person is when they enter the model."""

    pid: int
    household: int
    role: str
    age: int
    benefit: str
    state: str
    barriers: tuple[float, ...]
    motivation: float
    elapsed_days: float
    location: tuple[float, float]


@dataclass(frozen=True, slots=True)
class HouseholdSpec:
    """A household and the day it enters the model (0 for the stock)."""

    hid: int
    arrival_day: float
    members: tuple[PersonSpec, ...]


class PopulationBuilder:
    """Draws households for one scenario, seed and replication.

    Each household lives at a point drawn uniformly in the borough (a square),
    from its own stream, so adding geography shifted no other draw.
    """

    def __init__(self, scenario: Scenario, replication: int = 0) -> None:
        self.settings: PopulationSettings = scenario.population
        self.people = scenario.run.people
        self.days = scenario.run.weeks * 7.0
        self.seed = scenario.run.seed
        self.replication = replication
        self.borough_km = scenario.geography.borough_km
        barriers = [self.settings.barriers[name] for name in BARRIERS]
        self._barrier_table = {  # (prevalence, low, mode, high) of each barrier, by benefit
            benefit: [(getattr(b.prevalence, benefit), b.severity.low, b.severity.mode,
                       b.severity.high) for b in barriers]
            for benefit in BENEFITS
        }
        self._next_pid = 0
        self._location = (0.0, 0.0)

    def stream(self, key: int, purpose: str) -> Stream:
        """The named stream for this run."""
        return Stream(self.seed, self.replication, key, purpose)

    def build(self) -> tuple[list[HouseholdSpec], list[HouseholdSpec]]:
        """The stock households, then the inflow households in order of arrival."""
        mix = self.settings.stock_mix
        weights = [getattr(mix, b) for b in BENEFITS]
        choose = self.stream(-1, "stock.benefit")
        stock = [self._household(BENEFITS[choose.index(weights)], 0.0, True)
                 for _ in range(self.people)]
        inflow = [self._household(b, day, False) for day, b in self.arrivals()]
        return stock, inflow

    def arrivals(self) -> list[tuple[float, str]]:
        """(day, benefit) of every new claim in the run: a Poisson process per benefit."""
        found: list[tuple[float, int, str]] = []
        for order, benefit in enumerate(BENEFITS):
            per_day = getattr(self.settings.inflow_per_1000_week, benefit) * self.people / 7000
            clock = self.stream(-1, f"inflow.{benefit}")
            day = clock.exponential(per_day)
            while day < self.days:
                found.append((day, order, benefit))
                day += clock.exponential(per_day)
        return [(day, benefit) for day, _, benefit in sorted(found)]

    def _pid(self) -> int:
        self._next_pid += 1
        return self._next_pid - 1

    def _household(self, benefit: str, day: float, stock: bool) -> HouseholdSpec:
        pid = self._pid()
        draw = self.stream(pid, "traits")
        age = self._claimant_age(benefit, draw)
        elapsed = 0.0
        if stock:
            elapsed = draw.exponential(1.0 / getattr(self.settings.stock_elapsed_weeks, benefit))
            elapsed *= 7.0
        where = self.stream(pid, "location")
        side = self.borough_km
        self._location = (where.uniform(0.0, side), where.uniform(0.0, side))
        claimant = self._person(pid, pid, "claimant", age, benefit, CLAIMING, draw, elapsed)
        members = [claimant, *self._relatives(pid, benefit, age)]
        return HouseholdSpec(pid, day, tuple(members))

    def _claimant_age(self, benefit: str, draw: Stream) -> int:
        if benefit == "ESA":
            t = self.settings.esa_age
            return int(draw.triangular(t.low, t.mode, t.high))
        if benefit == "IS_LP":
            t = self.settings.lone_parent_age
            return int(draw.triangular(t.low, t.mode, t.high))
        bands = self.settings.jsa_age_bands
        band = draw.index([bands.age_18_24, bands.age_25_49, bands.age_50_plus])
        low, high = ((18, 25), (25, 50), (50, 65))[band]
        return int(draw.uniform(low, high))

    def _person(
        self, pid: int, hid: int, role: str, age: int, benefit: str, state: str, draw: Stream,
        elapsed: float = 0.0,
    ) -> PersonSpec:
        barriers = []
        if state == IN_WORK:
            barriers = [0.0] * len(BARRIERS)
        else:
            table = self._barrier_table[benefit if benefit in BENEFITS else "JSA"]
            for prevalence, low, mode, high in table:
                present = draw.random() < prevalence
                barriers.append(draw.triangular(low, mode, high) if present else 0.0)
        m = self.settings.motivation_in_work if state == IN_WORK else self.settings.motivation
        motivation = draw.triangular(m.low, m.mode, m.high)
        return PersonSpec(pid, hid, role, age, benefit, state, tuple(barriers), motivation,
                          elapsed, self._location)

    def _relatives(self, hid: int, benefit: str, age: int) -> list[PersonSpec]:
        h = self.settings.household
        draw = self.stream(hid, "household")
        relatives: list[PersonSpec] = []
        workless = True
        if draw.bernoulli(getattr(h.partner_probability, benefit)):
            in_work = draw.bernoulli(h.partner_in_work_probability)
            workless = not in_work
            partner_age = int(min(64, max(18, age + draw.uniform(-5, 5))))
            relatives.append(self._relative(hid, "partner", partner_age, in_work))
        chance = h.relative_in_work_probability
        if workless:
            chance *= h.workless_relative_in_work_factor
        if age >= 40 and draw.bernoulli(h.adult_child_probability):
            child_age = int(draw.uniform(16, min(25, age - 17)))
            relatives.append(self._relative(hid, "adult_child", child_age, draw.bernoulli(chance)))
        if age < 30 and draw.bernoulli(h.parent_probability):
            parent_age = int(age + draw.uniform(20, 35))
            relatives.append(self._relative(hid, "parent", parent_age, draw.bernoulli(chance)))
        return relatives

    def _relative(self, hid: int, role: str, age: int, in_work: bool) -> PersonSpec:
        pid = self._pid()
        state = IN_WORK if in_work else INACTIVE
        return self._person(pid, hid, role, age, NO_BENEFIT, state, self.stream(pid, "traits"))
