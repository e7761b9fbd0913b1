"""JourneyModel: the Mesa model that owns the SimPy clock.

Time is in days on one ``simpy.Environment``. ``step()`` advances it by one week
(events at exactly the week's end belong to the next week) and records the
week's counts, so Mesa's own tools can drive the model a week at a time while
everything inside a week happens at its own moment as a SimPy event.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import mesa
import pandas as pd
import simpy

from journeysim.config import Scenario
from journeysim.sim.journey import Journeys
from journeysim.sim.market import LabourMarket
from journeysim.sim.network import Network
from journeysim.sim.person import Household, Person
from journeysim.sim.population import HouseholdSpec, households
from journeysim.sim.records import NOBODY
from journeysim.sim.view import View
from journeysim.sim.world import DAYS_PER_WEEK, Claimant, Register, World
from journeysim.vocabulary import CLAIMING, IN_WORK, INACTIVE


def forget_model(model: mesa.Model) -> None:
    """Let a finished model be freed: drop Mesa 3.3's class-level reference to it.

    Mesa up to 3.3 numbers agents through ``Agent._ids``, a dictionary on the
    class keyed by model, which keeps every model ever made alive (mesa/mesa#3179,
    fixed in later releases). Many runs in one process would otherwise grow
    without bound.
    """
    ids = getattr(mesa.Agent, "_ids", None)
    if isinstance(ids, dict):
        ids.pop(model, None)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector, restoring it afterwards.

    A run holds every agent alive to the end and makes almost no cyclic garbage,
    yet each full collection rescans all of it: with the collector on, run time
    grows faster than the population. Reference counting still frees everything
    that is not in a cycle.

    Turned back on, the collector would first scan everything made while it was
    off as its youngest generation, and then again as the middle one (0.7 s at
    the end of a run of 10,000 claimants, freeing nothing). So it is moved
    straight to the oldest generation (frozen and at once unfrozen, which moves
    whole generations without looking at them): the next full collection, which
    must come anyway to free a finished model, is the one to look at it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


@dataclass(frozen=True)
class RunResult:
    """What one run produced: its tables, ready for the measures."""

    scenario: Scenario
    replication: int
    events: pd.DataFrame
    weekly: pd.DataFrame
    persons: pd.DataFrame


class JourneyModel(mesa.Model):
    """Workless people moving through Jobcentre Plus and the labour market.

    The scenario is kept as ``config`` (Mesa 3.5 reserves ``Model.scenario``).
    Mesa's own random generators are seeded but not used: every draw comes from
    a named stream (see ``streams.py``). Outside the model package, read it only
    through :meth:`view`, drive it with :meth:`step`, or :func:`run` it whole.

    Args:
        scenario: the validated scenario; its ``run`` section gives people, weeks, seed.
        replication: replication number, part of every random stream's key.
    """

    def __init__(self, scenario: Scenario, replication: int = 0) -> None:
        super().__init__(rng=scenario.run.seed)
        self.config = scenario
        self.replication = replication
        self.world = world = World(seed=scenario.run.seed, replication=replication,
                                   register=Register(scenario.costs))
        self.env = world.env
        self.log = world.log
        self.register = world.register
        self.weekly_rows: list[dict[str, float]] = []
        self.service_cost = 0.0
        self._costed = 0
        self.people: list[Person] = []
        self.start_states: dict[int, str] = {}  # each person's state on arrival
        with collector_paused():
            stock, inflow = households(scenario, replication)
        jsa = sum(1 for h in stock if h.members[0].benefit == "JSA")
        self.network = Network(world, scenario, self._support)
        self.market = LabourMarket(scenario.labour_market, scenario.population, jsa,
                                   scenario.motivation.job_lead_factor,
                                   self.network.programmes, scenario.run.people)
        self.journeys = Journeys(world, scenario, self.network, self.market)
        with collector_paused():
            for household in stock:
                self.add_household(household)
        self.market.open([p for p in self.people if p.state == CLAIMING and p.benefit == "JSA"],
                         [p for p in self.people if p.state == INACTIVE], self.env.now)
        self.env.process(self.arrivals(inflow))
        with collector_paused():
            while self.env.peek() <= self.env.now:  # what is due at the start: the
                self.env.step()  # claims open and plan their contacts; the clock stays at 0

    def _support(self, person: Claimant, until: float) -> None:
        self.journeys.jobs.support(person, until)

    # --- population ---------------------------------------------------------------------
    def add_household(self, spec: HouseholdSpec) -> None:
        """Create a household's agents; start the claimant's journey and others' search."""
        household = Household(self, spec.hid, spec.children, spec.renter)
        for member in spec.members:
            person = Person(self, self.world, member, household, self.market,
                            self.config.motivation)
            self.journeys.arrive(person)
            self.people.append(person)
            self.start_states[person.pid] = member.state
            if member.state != IN_WORK:
                self.journeys.start(person, member.elapsed_days)
            if member.state == INACTIVE:
                self.network.outreach.watch(person)

    def arrivals(self, inflow: list[HouseholdSpec]) -> simpy.events.ProcessGenerator:
        """The inflow of new claims, each arriving on its own day."""
        for household in inflow:
            yield self.env.timeout(household.arrival_day - self.env.now)
            self.add_household(household)

    # --- time ---------------------------------------------------------------------------
    @property
    def week(self) -> int:
        """Whole weeks simulated so far."""
        return int(self.env.now // DAYS_PER_WEEK)

    def step(self) -> None:
        """Advance one week, then record it."""
        self.env.run(until=(self.week + 1) * DAYS_PER_WEEK)
        self.record_week()

    def record_week(self) -> None:
        """Append the week's counts by state and segment, and spending to date (GBP)."""
        register = self.register
        register.accrue(self.env.now)
        self.service_cost += self.log.service_costs_since(self._costed)
        self._costed = len(self.log)
        row: dict[str, float] = {"week": self.week}
        for (state, segment), count in sorted(register.counts.items()):
            row[state] = row.get(state, 0) + count
            row[f"{state}.{segment}"] = count
        row["benefit_to_date"] = register.accrued
        row["services_to_date"] = self.service_cost
        row["cost_to_date"] = register.accrued + self.service_cost
        self.weekly_rows.append(row)

    def view(self) -> View:
        """A read-only view of the model as it stands (for the live workshop)."""
        return View(self.people, self.network, self.register, self.log, self.weekly_rows,
                    self.env.now)

    def run(self, weeks: int | None = None,
            progress: Callable[[int], None] | None = None) -> RunResult:
        """Run for ``weeks`` (default: the scenario's) and return the run's tables.

        This ends the model: its open claims are closed as censored and it can be
        freed once the caller lets go of it.
        """
        with collector_paused():
            for _ in range(self.config.run.weeks if weeks is None else weeks):
                self.step()
                if progress is not None:
                    progress(1)
            result = self.finish()
        forget_model(self)
        return result

    def finish(self) -> RunResult:
        """Close every open claim as censored and build the run's tables."""
        now = self.env.now
        for pid, hid, service, what, arrived in self.world.waiting.values():
            self.log.add(pid, hid, now, "still_waiting", service, what, now - arrived)
        self.journeys.close(self.people)
        self.network.finish(self.env.now / DAYS_PER_WEEK)
        self.log.add(NOBODY, NOBODY, self.env.now, "outside_hires", "employer", "",
                     self.market.close(self.env.now))
        for flow, amount in self.market.flows().items():
            self.log.add(NOBODY, NOBODY, self.env.now, "vacancies", "employer", flow, amount)
        persons = pd.DataFrame(
            {
                "person": [p.pid for p in self.people],
                "household": [p.hid for p in self.people],
                "role": [p.role for p in self.people],
                "arrived": [p.arrived for p in self.people],
                "age": [p.age for p in self.people],
                "benefit": [p.first_benefit for p in self.people],
                "segment": [p.first_segment for p in self.people],
                "state": [p.state for p in self.people],
                "start_state": [self.start_states[p.pid] for p in self.people],
                "children": [p.household.children for p in self.people],
                "renter": [p.household.renter for p in self.people],
                "motivation": [p.motivation for p in self.people],
                "barrier_load": [p.load for p in self.people],
                "start_motivation": [p.start_motivation for p in self.people],
                "start_barrier_load": [p.start_load for p in self.people],
            }
        )
        weekly = pd.DataFrame(self.weekly_rows).fillna(0)
        weekly = weekly[["week", *sorted(c for c in weekly.columns if c != "week")]]
        return RunResult(self.config, self.replication, self.log.frame(), weekly, persons)


def run(scenario: Scenario, replication: int = 0,
        progress: Callable[[int], None] | None = None) -> RunResult:
    """Run one scenario and replication to its horizon; return the run's tables.

    Args:
        scenario: the validated scenario.
        replication: replication number (part of every random stream's key).
        progress: called with 1 after each simulated week.
    """
    return JourneyModel(scenario, replication).run(progress=progress)
