"""Synthetic people and households: the starting stock and the inflow of new claims.

The population is plain data (frozen specs), made before the model runs and
independent of the scenario's services, so every scenario run with the same
seed meets the same people arriving on the same days. Each person's traits are
drawn from the stream (seed, replication, person id, "traits"); arrival times
from one stream per benefit.

The starting stock is drawn as the steady state of the labour market it starts
in (:class:`StockHazards`): people who leave benefit slowly are over-represented
among those already claiming, in proportion to how long they stay, and each
has been claiming for a time drawn from their own exit hazard. So the stock's
exits agree with the hazards of the claims that follow it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
from scipy.special import erf

from journeysim.config import (
    HouseholdSettings,
    LabourMarketSettings,
    LoneParentSettings,
    PopulationSettings,
    Scenario,
)
from journeysim.sim.streams import Ahead, Stream, person_keys, run_key, stream_key, uniforms
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
    #: A lone parent's youngest child's age in years on arrival (None: no child modelled).
    youngest_child_age: float | None = None


@dataclass(frozen=True, slots=True)
class HouseholdSpec:
    """A household and the day it enters the model (0 for the stock)."""

    hid: int
    arrival_day: float
    members: tuple[PersonSpec, ...]
    #: Dependent children (they are not agents: they count in the household measures).
    children: int = 0
    #: Whether the household pays a rent Housing Benefit would meet.
    renter: bool = False


#: Candidates tried for one place in the stock before the last one is taken.
MAX_TRIES = 1000
#: Candidates drawn per benefit to find the stock's steady state.
PILOT = 1000
#: People whose "traits" streams are started together, and the uniforms worked out for each
#: then (a new claimant's traits take up to 29; a claimant of the stock, five times that).
TRAITS_WINDOW, TRAITS_AHEAD = 512, 32
#: Rounds of the fixed point between the stock and the hazard it implies, at most.
ROUNDS = 40
#: Significant digits the steady state's rates are kept to (:func:`settled`).
SETTLED_DIGITS = 10
#: Weeks on benefit the steady state is worked out over (40 years), and its step.
HORIZON_WEEKS, STEP_WEEKS = 2080.0, 4.0
#: The midpoints of the steady state's steps (read-only: every steady state shares it).
GRID = np.arange(STEP_WEEKS / 2, HORIZON_WEEKS, STEP_WEEKS)
GRID.flags.writeable = False
#: The age a claim cannot run past (working age ends at 65).
LAST_AGE = 65
#: Stock claimants the steady state is worked out for (it is the same per claimant for any
#: size; one size keeps it the same to the last digit).
REFERENCE = 1000.0
#: The stock's hazards, keyed by the settings they read (:data:`STEADY_STATE_READS`):
#: scenarios that differ only in their services share them.
_CACHE: dict[str, StockHazards] = {}
#: The parts of a scenario the stock's steady state is worked out from.
STEADY_STATE_READS = ("population", "labour_market", "motivation", "jobcentre.wca")
#: The parts of a scenario its households are drawn from (with the replication).
POPULATION_READS = (*STEADY_STATE_READS, "geography", "lone_parents", "run")
#: The last households drawn, keyed by :func:`population_key`.
_DRAWN: dict[tuple[str, int], tuple[tuple[HouseholdSpec, ...], tuple[HouseholdSpec, ...]]] = {}


def left_to_right(values: Iterable[float]) -> float:
    """The sum of ``values``, added left to right: the same on every Python.

    Python 3.12's ``sum`` rounds floats differently, and these sums steer who is drawn.
    """
    total = 0.0
    for value in values:
        total += value
    return total


def settled(value: float) -> float:
    """``value`` to :data:`SETTLED_DIGITS` significant digits.

    The steady state is worked out with numpy's vector exponentials, whose last
    bit can differ between processors (AVX-512 or AVX2 code paths); a job-start
    rate two bits apart moves returning claimants' arrival days enough to change
    a run. Rounded, the same settings give the same people on any machine.
    """
    return float(f"{value:.{SETTLED_DIGITS}g}")


class StockHazards:
    """How fast each claimant would leave benefit, as the model will have it at the start.

    A claim's hazard of ending (per week, d weeks in) is kappa x weight(d) + other
    exits, where weight is the search weight (intensity x exp(-sensitivity x
    load) x age factor x motivation), motivation decays with time on benefit as
    in the model, and kappa is the hires a week per unit of weight at the start:
    min(A S^alpha V^(1-alpha), V) / S, with S the stock's total weight (plus the
    outside pool) and V the vacancies. An ESA claim also faces closure before
    its assessment and the WCA itself. The stock's weights depend on kappa
    (slow leavers are over-represented), so kappa is found as a fixed point on a
    pilot sample of new claims drawn from a stream of its own. Services,
    sanctions and family influence are left out: this is the labour market's
    steady state, which the services then act on.
    """

    def __init__(self, scenario: Scenario, builder: PopulationBuilder) -> None:
        market, motivation = scenario.labour_market, scenario.motivation
        wca = scenario.jobcentre.wca
        self.barrier_weights = tuple(scenario.population.barriers[n].weight for n in BARRIERS)
        self.sensitivity = market.barrier_sensitivity
        self.age_factor = market.age_50_plus_factor
        self.intensity = market.search_intensity
        self.decay, self.floor = motivation.decay_per_week, motivation.floor
        self.wca = wca
        self.health = tuple(BARRIERS.index(b) for b in ("health", "mental_health"))
        self.other = {b: getattr(market.other_exits, b).inactive_per_week
                      + getattr(market.other_exits, b).transfer_per_week for b in BENEFITS}
        self.kappa = 0.05
        #: Job starts a week per stock claimant, by the benefit left, in the steady state.
        self.job_starts: dict[str, float] = {}
        #: Share of those job starts that are sustained jobs, by benefit.
        self.sustained: dict[str, float] = {}
        self._fixed_point(market, builder)

    def _fixed_point(self, market: LabourMarketSettings, builder: PopulationBuilder) -> None:
        mix = builder.settings.stock_mix
        total = left_to_right(getattr(mix, b) for b in BENEFITS)
        shares = {b: getattr(mix, b) / total for b in BENEFITS}
        pilots = {b: builder.pilot(b) for b in BENEFITS}
        tables = {b: self._pilot_table(b, pilots[b]) for b in BENEFITS}
        out = np.empty((PILOT, GRID.size))
        people = REFERENCE  # the steady state per claimant does not depend on the size
        jsa = shares["JSA"] * people
        vacancies = jsa / market.claimants_per_vacancy
        kappa = 0.05
        for _ in range(ROUNDS):
            means = {b: self._stock(tables[b], kappa, self.other[b], out)
                     for b in BENEFITS}
            searchers = people * left_to_right(shares[b] * means[b] for b in BENEFITS)
            searchers += market.outside_searchers_per_claimant * jsa * means["JSA"]
            hires = min(market.matching_efficiency * searchers ** market.matching_elasticity
                        * vacancies ** (1.0 - market.matching_elasticity), vacancies)
            new = hires / searchers if searchers > 0.0 else 0.0
            converged = abs(new - kappa) <= 1e-9 * max(kappa, 1e-12)
            kappa = new if converged else 0.5 * (kappa + new)
            if converged:
                break
        self.kappa = settled(kappa)
        for b in BENEFITS:
            weight = self._stock(tables[b], kappa, self.other[b], out)
            self.job_starts[b] = settled(kappa * shares[b] * weight)
            self.sustained[b] = settled(market.sustained_probability
                                        * self._sustained(tables[b], out))

    # --- one claimant ----------------------------------------------------------------------
    def load(self, person: PersonSpec) -> float:
        """The person's barrier load: weighted severities, as the labour market adds them."""
        load = 0.0
        for weight, severity in zip(self.barrier_weights, person.barriers, strict=True):
            load += weight * severity  # left to right, as left_to_right() adds
        return load

    def base(self, benefit: str, person: PersonSpec) -> float:
        """The person's search weight without motivation (dimensionless)."""
        weight = getattr(self.intensity, benefit) * math.exp(-self.sensitivity * self.load(person))
        return weight * self.age_factor if person.age >= 50 else weight

    def motivation(self, start: float, weeks: float) -> float:
        """Motivation ``weeks`` into a claim that began at ``start`` (decay to the floor)."""
        return max(self.floor, start * math.exp(-self.decay * weeks))

    def _effort(self, start: float, weeks: float) -> float:
        """Motivation summed over the first ``weeks`` of a claim (motivation-weeks)."""
        if start <= self.floor or self.decay <= 0.0:
            return max(start, self.floor) * weeks
        reach = (math.log(start / self.floor) / self.decay if self.floor > 0.0
                 else math.inf)  # weeks until the floor
        early = min(weeks, reach)
        return start * -math.expm1(-self.decay * early) / self.decay + self.floor * max(
            0.0, weeks - reach)

    def assessed(self, benefit: str, person: PersonSpec, weeks: float) -> float:
        """Chance an ESA claim is still open ``weeks`` in, as far as assessment goes (1 else).

        Closure before assessment at its hazard, and the WCA: the assessment
        phase is lognormal, and a claim survives it if not found fit for work.
        """
        if benefit != "ESA":
            return 1.0
        wca = self.wca
        phase = 0.5 * (1.0 + math.erf(math.log(max(weeks, 1e-9) / wca.median_weeks)
                                      / (max(wca.spread, 1e-9) * math.sqrt(2.0))))
        health = max(person.barriers[i] for i in self.health)
        stays = 1.0 - wca.fit_for_work_probability * (1.0 - wca.health_effect * health)
        closing = wca.closed_before_per_week
        return ((1.0 - phase) * math.exp(-closing * weeks)
                + phase * stays * math.exp(-closing * min(weeks, wca.median_weeks)))

    @staticmethod
    def room(person: PersonSpec) -> float:
        """Weeks a claim begun at the person's age can run: to 65, within the horizon."""
        return min(HORIZON_WEEKS, (LAST_AGE - person.age) * 52.0)

    def kept(self, benefit: str, person: PersonSpec, weeks: float) -> float:
        """Chance the claim survives ``weeks`` beyond what its other exits alone allow."""
        if weeks >= self.room(person):
            return 0.0
        effort = self._effort(person.motivation, weeks)
        return math.exp(-self.kappa * self.base(benefit, person) * effort) * self.assessed(
            benefit, person, weeks)

    # --- the steady state ------------------------------------------------------------------
    def _pilot_table(self, benefit: str, pilot: list[PersonSpec]) -> tuple[np.ndarray, ...]:
        """Per pilot claim on the grid of weeks: base weight, motivation, effort, assessment.

        The same quantities as :meth:`motivation`, :meth:`_effort` and
        :meth:`assessed`, for every pilot claim and week at once; then each
        claim's exp(-load), and where the assessment leaves the claim a chance
        (weeks beyond a claim's room to 65 leave it none: a third of the grid).
        """
        base = np.array([self.base(benefit, p) for p in pilot])
        room = np.array([self.room(p) for p in pilot])[:, None]
        loads = np.array([self.load(p) for p in pilot])
        start = np.array([p.motivation for p in pilot])[:, None]
        floor, decay = self.floor, self.decay
        motivation = np.maximum(floor, start * np.exp(-decay * GRID))
        if decay > 0.0:
            reach = (np.log(np.maximum(start, floor) / floor) / decay if floor > 0.0
                     else np.full_like(start, np.inf))
            early = np.minimum(GRID, reach)
            effort = np.where(start <= floor, np.maximum(start, floor) * GRID,
                              start * -np.expm1(-decay * early) / decay
                              + floor * np.maximum(0.0, GRID - reach))
        else:
            effort = np.maximum(start, floor) * GRID
        assessed = np.ones_like(effort)
        if benefit == "ESA":
            wca = self.wca
            phase = 0.5 * (1.0 + erf(np.log(np.maximum(GRID, 1e-9) / wca.median_weeks)
                                     / (max(wca.spread, 1e-9) * math.sqrt(2.0))))
            health = np.array([max(p.barriers[i] for i in self.health) for p in pilot])[:, None]
            stays = 1.0 - wca.fit_for_work_probability * (1.0 - wca.health_effect * health)
            closing = wca.closed_before_per_week
            assessed = ((1.0 - phase) * np.exp(-closing * GRID)
                        + phase * stays * np.exp(-closing * np.minimum(GRID, wca.median_weeks)))
        assessed = assessed * (room > GRID)
        return base, motivation, effort, assessed, np.exp(-loads), assessed != 0.0

    @staticmethod
    def _stock(table: tuple[np.ndarray, ...], kappa: float, other: float,
               out: np.ndarray) -> float:
        """The steady-state stock these new claims would build up: its mean search weight.

        The stock is left in ``out`` (the shape of the table): its search weights
        by pilot claim and week on benefit, the chance of still claiming there
        times the weight. The fixed point needs only the mean; the sustained share
        of job starts (:meth:`_sustained`) reads the weights. Worked out in place,
        in the same steps as ``exp(-other grid - kappa base effort) assessed``
        would be: the rounds of the fixed point allocate no arrays. The
        exponential is taken only where the assessment leaves a chance: elsewhere
        its product with the assessment's 0 is 0 either way (-0.0 where it is
        not taken, which adds as 0.0 does), and on a processor without AVX-512
        numpy takes each exponential one at a time, most of the fixed point's time.
        """
        base, motivation, effort, assessed, _, chance = table
        np.multiply(kappa * base[:, None], effort, out=out)
        np.subtract(-other * GRID, out, out=out)
        np.exp(out, out=out, where=chance)
        np.multiply(out, assessed, out=out)  # alive
        total = float(out.sum())
        np.multiply(out, base[:, None], out=out)
        np.multiply(out, motivation, out=out)
        weight = float(out.sum())
        return weight / total if total and weight else 0.0

    @staticmethod
    def _sustained(table: tuple[np.ndarray, ...], weights: np.ndarray) -> float:
        """The weight-averaged exp(-load) of the stock's job starts.

        Their chance of a sustained job, relative to ``sustained_probability``.
        """
        weight = float(weights.sum())
        return float((weights * table[4][:, None]).sum()) / weight if weight else 0.0


def dependants(household: HouseholdSettings, benefit: str, draw: Stream) -> int:
    """Dependent children of a new household, from a stream of their own.

    None, or one and then each further one with the chance that gives
    ``children_mean`` (a geometric number).
    """
    if not draw.bernoulli(getattr(household.children_probability, benefit)):
        return 0
    children, more = 1, 1.0 - 1.0 / household.children_mean
    while draw.random() < more:
        children += 1
    return children


def youngest_child(rules: LoneParentSettings, day: float, draw: Stream) -> float:
    """A lone parent's youngest child's age (years), below the age limit in force on ``day``.

    Drawn from a stream of its own, so the rest of the population is the same
    whether or not the rule runs; a parent on Income Support has a child under
    the limit (:class:`~journeysim.config.LoneParentSettings`).
    """
    limit = rules.limit(day / 7.0)
    shape = rules.youngest_child_age
    for _ in range(MAX_TRIES):
        age = draw.triangular(shape.low, shape.mode, shape.high)
        if age < limit:
            return age
    return limit * draw.random()


def population_key(scenario: Scenario, replication: int) -> tuple[str, int]:
    """What a run's households are drawn from: runs with one key have the same people."""
    return scenario.config_hash(*POPULATION_READS), replication


def households(scenario: Scenario,
               replication: int = 0) -> tuple[list[HouseholdSpec], list[HouseholdSpec]]:
    """The stock and inflow households of a run (:meth:`PopulationBuilder.build`).

    The last households drawn are kept, so runs of several designs that share
    them (the same replication of scenarios that differ only in their
    services), run one after another in a process, draw them once.
    """
    key = population_key(scenario, replication)
    if key not in _DRAWN:
        _DRAWN.clear()
        stock, inflow = PopulationBuilder(scenario, replication).build()
        _DRAWN[key] = (tuple(stock), tuple(inflow))
    stock, inflow = _DRAWN[key]
    return list(stock), list(inflow)


class PopulationBuilder:
    """Draws households for one scenario, seed and replication.

    Each household lives at a point drawn uniformly in the borough (a square),
    from its own stream, so adding geography shifted no other draw.
    """

    def __init__(self, scenario: Scenario, replication: int = 0) -> None:
        self.scenario = scenario
        self.settings: PopulationSettings = scenario.population
        self.people = scenario.run.people
        self.days = scenario.run.weeks * 7.0
        self.seed = scenario.run.seed
        self.replication = replication
        self._run_key = run_key(self.seed, replication)
        self.borough_km = scenario.geography.borough_km
        barriers = [self.settings.barriers[name] for name in BARRIERS]
        self._barrier_table = {  # (prevalence, low, mode, high) of each barrier, by benefit
            benefit: [(getattr(b.prevalence, benefit), b.severity.low, b.severity.mode,
                       b.severity.high) for b in barriers]
            for benefit in BENEFITS
        }
        self._next_pid = 0
        self._location = (0.0, 0.0)
        self._window: tuple[int, list[int], list[list[float]]] = (0, [], [])  # see traits()
        self.hazards: StockHazards | None = None

    def stream(self, key: int, purpose: str) -> Stream:
        """The named stream for this run."""
        return Stream.keyed(self._run_key, key, purpose)

    def traits(self, pid: int) -> Stream:
        """The person's "traits" stream, as :meth:`stream` gives it, its first draws worked out.

        People are numbered in the order they are drawn, so the next
        :data:`TRAITS_WINDOW` people's streams are started at once, in numpy
        (:class:`~journeysim.sim.streams.Ahead`: the same draws as one at a time).
        """
        first, keys, ahead = self._window
        if not 0 <= pid - first < len(keys):
            keys = person_keys(self._run_key, pid, TRAITS_WINDOW, "traits")
            first, ahead = pid, uniforms(keys, TRAITS_AHEAD)
            self._window = first, keys, ahead
        return Ahead(keys[pid - first], ahead[pid - first])

    def pilot(self, benefit: str) -> list[PersonSpec]:
        """New claimants of one benefit from a stream of their own, the same in every run."""
        draw = Ahead(stream_key(0, 0, -2, f"pilot.{benefit}"))
        return [self._person(-1, -1, "claimant", self._claimant_age(benefit, draw), benefit,
                             CLAIMING, draw) for _ in range(PILOT)]

    def build(self) -> tuple[list[HouseholdSpec], list[HouseholdSpec]]:
        """The stock households, then the inflow households in order of arrival."""
        key = self.scenario.config_hash(*STEADY_STATE_READS)
        if key not in _CACHE:
            _CACHE[key] = StockHazards(self.scenario, self)
        self.hazards = _CACHE[key]
        mix = self.settings.stock_mix
        weights = [getattr(mix, b) for b in BENEFITS]
        choose = self.stream(-1, "stock.benefit")
        stock = [self._household(BENEFITS[choose.index(weights)], 0.0, True)
                 for _ in range(self.people)]
        inflow = [self._household(b, day, False) for day, b in self.arrivals()]
        return stock, inflow

    def arrivals(self) -> list[tuple[float, str]]:
        """(day, benefit) of every new claim in the run, in order.

        A Poisson process per benefit at ``inflow_per_1000_week``, and the claims
        of people who were in work at the start, having left benefit before it:
        in the steady state they return as the model's own job leavers do, at
        ``return_probability`` x job starts a week, thinning as their jobs (temporary
        or sustained, each exponential) end. The model's own returns take over as
        its people find and leave work, so total returns hold still.
        """
        found: list[tuple[float, int, str]] = []
        market = self.scenario.labour_market
        lengths = (7.0 * market.sustained_job_weeks, 7.0 * market.temporary_job_weeks)
        for order, benefit in enumerate(BENEFITS):
            per_day = getattr(self.settings.inflow_per_1000_week, benefit) * self.people / 7000
            clock = self.stream(-1, f"inflow.{benefit}")
            day = clock.exponential(per_day)
            while day < self.days:
                found.append((day, order, benefit))
                day += clock.exponential(per_day)
            returns = (market.return_probability * self.hazards.job_starts[benefit]
                       * self.people / 7.0)
            sustained = self.hazards.sustained[benefit]
            clock = self.stream(-1, f"inflow.returns.{benefit}")
            day = clock.exponential(returns)
            while day < self.days:  # thinning: still in work on ``day``
                still = (sustained * math.exp(-day / lengths[0])
                         + (1.0 - sustained) * math.exp(-day / lengths[1]))
                if clock.random() < still:
                    found.append((day, order, benefit))
                day += clock.exponential(returns)
        return [(day, benefit) for day, _, benefit in sorted(found)]

    def _pid(self) -> int:
        self._next_pid += 1
        return self._next_pid - 1

    def _household(self, benefit: str, day: float, stock: bool) -> HouseholdSpec:
        pid = self._pid()
        draw = self.traits(pid)
        where = self.stream(pid, "location")
        side = self.borough_km
        self._location = (where.uniform(0.0, side), where.uniform(0.0, side))
        claimant = (self._stock_claimant(pid, benefit, draw) if stock else self._person(
            pid, pid, "claimant", self._claimant_age(benefit, draw), benefit, CLAIMING, draw))
        if benefit == "IS_LP":
            age = youngest_child(self.scenario.lone_parents, day, self.stream(pid, "children"))
            claimant = replace(claimant, youngest_child_age=age)
        members = [claimant, *self._relatives(pid, benefit, claimant.age)]
        children = dependants(self.settings.household, benefit, self.stream(pid, "dependants"))
        return HouseholdSpec(pid, day, tuple(members), children,
                             self.stream(pid, "tenure").bernoulli(
                                 self.settings.household.renter_probability))

    def _stock_claimant(self, pid: int, benefit: str, draw: Stream) -> PersonSpec:
        """A claimant already claiming at the start, drawn as the steady state would hold them.

        A new claim and a time already claimed are proposed together (the time from
        the claim's other exits alone) and kept with the chance the claim would
        still be open then (:meth:`StockHazards.kept`): so people who leave slowly
        are found claiming in proportion to how long they stay, and each has been
        claiming for a time drawn from their own hazard. A claim cannot run past 65:
        the age drawn is the age at the claim's start, and the claimant is that much
        older now. Their motivation has decayed as it would have. With no other exits
        at all the steady state is undefined: such a claim began the day before the run.
        """
        hazards = self.hazards
        other = hazards.other[benefit]
        for _ in range(MAX_TRIES):
            person = self._person(pid, pid, "claimant", self._claimant_age(benefit, draw),
                                  benefit, CLAIMING, draw)
            if other <= 0.0:  # no steady state: the claim began the day before the run
                return PersonSpec(person.pid, person.household, person.role, person.age,
                                  person.benefit, person.state, person.barriers,
                                  person.motivation, 1.0, person.location)
            weeks = draw.exponential(other)
            if draw.random() < hazards.kept(benefit, person, weeks):
                break
        age = min(LAST_AGE - 1, person.age + int(weeks / 52.0))
        return PersonSpec(person.pid, person.household, person.role, age, person.benefit,
                          person.state, person.barriers,
                          hazards.motivation(person.motivation, weeks), 7.0 * weeks,
                          person.location)

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
        if state == IN_WORK:
            barriers = [0.0] * len(BARRIERS)
        else:
            barriers = draw.some_triangular(
                self._barrier_table[benefit if benefit in BENEFITS else "JSA"])
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
        return self._person(pid, hid, role, age, NO_BENEFIT, state, self.traits(pid))
