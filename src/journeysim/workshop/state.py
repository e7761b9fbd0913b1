"""What the workshop shows, read from two JourneyModels stepping together.

:class:`Workshop` is the Mesa model the app drives: the same people and seed
run through the fragmented baseline (left) and a co-designed system with the
trainer's levers (right), one week per step. Only its own methods touch the two
models, one at a time under its lock; the page reads :class:`Screen`, a finished
picture of one week that no later step changes. The functions below read each
model's read-only :class:`~journeysim.sim.View` for the screen (no drawing
here, so they can be tested alone).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import mesa
import pandas as pd

from journeysim import config
from journeysim.analysis.households import incomes
from journeysim.analysis.registry import MEASURES
from journeysim.analysis.stats import ratio
from journeysim.present import trace
from journeysim.present.tables import cell
from journeysim.sim import JourneyModel, PersonView, View, forget_model
from journeysim.vocabulary import BARRIERS

#: Weeks a workshop runs for (the model stops stepping after this).
WEEKS = 104
BY_ID = "a person by id"
#: A followed person's story should start within this many days of choosing them.
SOON_DAYS = 28.0
#: The one counter that is also a measure of a run: named as the run's tables name it.
AGENCIES = MEASURES["agencies_per_person"]


#: Weeks the personas look ahead: the room follows someone whose story shows in this time.
LOOKAHEAD = 8


@dataclass(frozen=True)
class Persona:
    """A story from the seeds, and how to find someone it happens to.

    ``matches`` says who may be the persona now (``fits``: the barriers the
    Jobcentre's standard product addresses). ``shows`` scores how much of the
    story a candidate's next :data:`LOOKAHEAD` weeks hold, from their events in
    that time on the left and on the right (0 or less: the story does not happen).
    """

    story: str
    matches: Callable[[PersonView, frozenset[int]], bool]
    shows: Callable[[pd.DataFrame, pd.DataFrame], int]


def _worst(person: PersonView) -> str | None:
    worst = person.worst_barrier()
    return None if worst is None else BARRIERS[worst]


def _count(events: pd.DataFrame, event: str, detail: str | None = None) -> int:
    """How many of ``events`` are of type ``event`` (with ``detail`` ending so, if given)."""
    chosen = events.event == event
    if detail is not None:
        chosen &= events.detail.astype(str).str.endswith(detail)
    return int(chosen.sum())


def _standard_again(left: pd.DataFrame, right: pd.DataFrame) -> int:
    """The standard product again on the left, and warm referrals for barriers on the right."""
    again, warm = _count(left, "intervention", "misfit"), _count(right, "referral", ":warm")
    if not (again and warm):
        return 0
    return 100 * again + 10 * _count(left, "referral_lost") + warm


def _told_to_wait(left: pd.DataFrame, right: pd.DataFrame) -> int:
    """Nothing but her claim on the left; on the right, referred to services, childcare first."""
    touched = {"interview", "intervention", "referral", "contact", "assessment"}
    if left.event.isin(touched).any() or not _count(right, "referral"):
        return 0
    childcare = int(((right.event == "referral") & (right.service == "childcare")).sum())
    return 10 * childcare + _count(right, "referral")


def _course_not_care(left: pd.DataFrame, right: pd.DataFrame) -> int:
    """A course or the standard product on the left; on the right, a warm referral."""
    courses = int(((left.event == "referral") & left.service.isin(COURSES)).sum())
    offered = courses + _count(left, "intervention", "misfit")
    return 10 * offered + _count(right, "referral", ":warm") if offered else 0


#: Services that are a course or a work measure, not help with caring.
COURSES = frozenset({"skills", "work_club", "work_experience", "volunteering", "enterprise",
                     "mentoring", "esol"})

PERSONAS = {
    "lone parent told to wait": Persona(
        "A lone parent told to come back when her youngest is five (seed 001: lone parents "
        "'whose young child is seven years old or five years old').",
        lambda p, _: p.benefit == "IS_LP" and _worst(p) == "childcare", _told_to_wait),
    "third CV course": Persona(
        "A man sent on his third CV course: the Jobcentre's standard product, again, when "
        "his real barrier is something else (seed 001: 'Repetition of intervention will "
        "impact on an individual's motivation').",
        lambda p, fits: (p.benefit == "JSA" and 25 <= p.age < 50
                         and p.worst_barrier() is not None and p.worst_barrier() not in fits),
        _standard_again),
    "carer on a carpentry course": Persona(
        "A carer put on a carpentry course, when what keeps her from work is caring for "
        "someone at home.",
        lambda p, _: _worst(p) == "caring", _course_not_care),
}


@dataclass(frozen=True)
class Screen:
    """One week of both systems as the page shows it, read once and never changed after.

    ``latest``: the counters of each side; ``counts``: people with and waiting
    for each service; ``journeys``: the followed person's events so far, in
    words, oldest first; ``who``: who the followed person is; ``series``: each
    chart's values by week, per side.
    """

    week: int
    persona: str
    followed: int
    who: str
    latest: dict[str, dict[str, float]]
    counts: dict[str, pd.DataFrame]
    journeys: dict[str, list[str]]
    series: dict[str, dict[str, list[float]]]

    @property
    def sides(self) -> list[str]:
        """The systems' names, left first."""
        return list(self.latest)


#: The charts of the page, by the counter each follows.
CHARTS = ("still claiming", "in work", "cost to date (GBP m)")


def scenario_pair(people: int, seed: int, hub: bool, common_assessment: bool,
                  personal_budget: int, post_employment: bool, leakage: float,
                  design: str = "codesign-full") -> tuple[config.Scenario, config.Scenario]:
    """The fragmented baseline and the design with the levers set, same size and seed.

    ``personal_budget`` is its amount in GBP (0: no personal budget); ``leakage`` is
    the share of every referral lost on the way (cold and warm alike).
    """
    base = config.load(config.BASELINE).with_run(people=people, seed=seed, weeks=WEEKS)
    levers = {
        "hub": {"enabled": hub},
        "system": {"common_assessment": common_assessment, "data_sharing": common_assessment,
                   "leakage_cold": leakage, "leakage_warm": leakage},
        "personal_budget": {"enabled": personal_budget > 0, "amount": personal_budget},
        "post_employment": {"enabled": post_employment},
    }
    raw = config.deep_merge(config.load_raw(design), levers)
    right = config.validate(raw, f"{design} with the workshop's levers")
    return base, right.with_run(people=people, seed=seed, weeks=WEEKS)


class Workshop(mesa.Model):
    """Fragmented (left) and co-designed (right): the same people, one week a step.

    The two models are touched only by this object's methods, one call at a
    time (``lock``), so a page may step it from one thread and read ``screen``
    from another: ``screen`` is replaced whole after every change, never edited.

    Args:
        people: claimants in the starting stock.
        seed: the seed both sides share (common random numbers).
        hub, common_assessment, personal_budget, post_employment, leakage: the levers
            of the right-hand system (see :func:`scenario_pair`).
        persona: whose journey to follow (a key of ``PERSONAS``, or ``BY_ID``).
        person: the person's id when ``persona`` is ``BY_ID``.
        design: the bundled co-design scenario the levers are set on.
    """

    def __init__(self, people: int = 1500, seed: int = 1, hub: bool = True,
                 common_assessment: bool = True, personal_budget: int = 500,
                 post_employment: bool = True, leakage: float = 0.02,
                 persona: str = "lone parent told to wait", person: int = 0,
                 design: str = "codesign-full") -> None:
        super().__init__(rng=seed)
        self.lock = threading.RLock()
        left, right = scenario_pair(people, seed, hub, common_assessment, personal_budget,
                                    post_employment, leakage, design)
        self.scenarios = {"fragmented": left, "co-designed": right}
        self.sides = {name: JourneyModel(s) for name, s in self.scenarios.items()}
        # When Reset replaces this workshop, let its two models go too (Mesa 3.3
        # would otherwise keep every model alive: see model.forget_model).
        weakref.finalize(self, _forget, tuple(self.sides.values()))
        self.scouts: dict[str, JourneyModel] = {}
        self.persona = persona
        self.followed = self._choose(persona, person)
        self.latest: dict[str, dict[str, float]] = {}
        self.datacollector = mesa.DataCollector(model_reporters={
            f"{measure} ({side})": _reporter(side, measure)
            for side in self.sides for measure in CHARTS})
        self.screen = self._look(collect=True)

    @property
    def week(self) -> int:
        """Weeks simulated: both sides are always at the same week."""
        return self.sides["fragmented"].week

    def follow(self, persona: str, person: int = 0) -> None:
        """Follow someone else from now on, without starting the weeks again."""
        with self.lock:
            self.persona = persona
            self.followed = self._choose(persona, person)
            self.screen = self._look(collect=False)

    def step(self) -> None:
        """One week on both sides; stop at the end of the workshop's horizon."""
        with self.lock:
            if self.week >= WEEKS:
                return
            for side in self.sides.values():
                side.step()
            self.screen = self._look(collect=True)
            self.running = self.week < WEEKS

    def _choose(self, persona: str, person: int) -> int:
        """The person to follow: by id, or the one the persona's story happens to next."""
        ahead = self.ahead() if persona in PERSONAS else None
        return follow(self.sides["fragmented"].view(), persona, person, ahead)

    def ahead(self, weeks: int = LOOKAHEAD) -> dict[str, pd.DataFrame]:
        """Each side's events in the next ``weeks`` weeks, from copies of its model.

        The same scenario and seed give the same run, so a copy of each side,
        built once and stepped on to ``weeks`` past now when asked (never back),
        shows what the room is about to see; the workshop's own models are not
        moved.
        """
        if not self.scouts:
            self.scouts = {name: JourneyModel(s) for name, s in self.scenarios.items()}
            weakref.finalize(self, _forget, tuple(self.scouts.values()))
        until, now = min(self.week + weeks, WEEKS), self.week * 7.0
        found = {}
        for name, copy in self.scouts.items():
            while copy.week < until:
                copy.step()
            events = copy.view().events()
            found[name] = events[(events.day >= now) & (events.day < until * 7.0)]
        return found

    def _look(self, collect: bool) -> Screen:
        """Read both sides once, for every panel of the screen (``collect``: a new week)."""
        counts, journeys = {}, {}
        for name, side in self.sides.items():
            view = side.view()
            events = view.events()
            self.latest[name] = counters(view, events, self.scenarios[name])
            counts[name] = view.service_counts()
            journeys[name] = journey_so_far(events, self.followed)
        if collect:
            self.datacollector.collect(self)
        charts = self.datacollector.model_vars
        series = {measure: {side: list(charts[f"{measure} ({side})"]) for side in self.sides}
                  for measure in CHARTS}
        return Screen(week=self.week, persona=self.persona, followed=self.followed,
                      who=describe(self.sides["fragmented"].view(), self.followed),
                      latest={name: dict(values) for name, values in self.latest.items()},
                      counts=counts, journeys=journeys, series=series)


def _forget(models: tuple[JourneyModel, ...]) -> None:
    for model in models:
        forget_model(model)


def _reporter(side: str, measure: str) -> Callable[[Workshop], float]:
    return lambda workshop: workshop.latest[side][measure]


def follow(view: View, persona: str, person: int,
           ahead: dict[str, pd.DataFrame] | None = None) -> int:
    """The id of the person to follow: ``person`` itself, or someone like the persona.

    Of the claimants now who match the persona, the one whose story shows most in
    ``ahead`` (each side's events in the weeks to come, :meth:`Workshop.ahead`);
    then one whose next Jobcentre contact comes within four weeks (so the room
    sees their story start), and of those the one whose worst barrier is most
    severe (the lowest id among equals).
    """
    if persona == BY_ID:
        return person
    if persona not in PERSONAS:
        raise ValueError(f"unknown persona {persona!r}; allowed: {', '.join(PERSONAS)}, {BY_ID}")
    fits = view.jobcentre_remit
    found = [p for p in view.claimants() if PERSONAS[persona].matches(p, fits)]
    if not found:
        return 0
    soon = view.now + SOON_DAYS
    shown = _shown(PERSONAS[persona], ahead, {p.pid for p in found})
    return max(found, key=lambda p: (shown.get(p.pid, 0), p.next_contact <= soon,
                                     max(p.barriers), -p.pid)).pid


def _shown(persona: Persona, ahead: dict[str, pd.DataFrame] | None,
           pids: set[int]) -> dict[int, int]:
    """How much of the persona's story each of ``pids`` shows in ``ahead`` (0: none)."""
    if not ahead:
        return {}
    left, right = ({pid: group for pid, group in ahead[side].groupby("person")}
                   for side in ("fragmented", "co-designed"))
    empty = ahead["fragmented"].iloc[:0]
    return {pid: max(persona.shows(left.get(pid, empty), right.get(pid, empty)), 0)
            for pid in pids}


def counters(view: View, events: pd.DataFrame, scenario: config.Scenario) -> dict[str, float]:
    """The live counters of one side (``events``: its log so far, as a frame).

    Still claiming; in work (found in the run); back on benefit (claiming again
    after a job); agencies touched per claimant so far; children in workless
    households now; children in households below the poverty line now (the
    household income of docs/model.md, section 9, with each member as they are
    now); cost to date (GBP m).
    """
    now = view.counters()
    people = view.households()
    homes = incomes(people, people.state, scenario)
    claimants = events.person[events.event == "claim_start"].unique()
    agencies = events[events.person.isin(claimants) & ~events.service.isin(
        ["benefit", "employer", ""])].groupby("person", observed=True).service.nunique()
    return {"still claiming": now["still claiming"], "in work": now["in work"],
            "back on benefit": now["back on benefit"],
            AGENCIES.label: ratio(float(agencies.sum()), len(claimants)),
            "children in workless households": now["children in workless households"],
            POOR: int(homes.children[homes.poor].sum()),
            "cost to date (GBP m)": now["cost to date"] / 1e6}


#: The child-poverty counter: children whose household is below the poverty line now.
POOR = "children below the poverty line"
#: The counters the screen shows, in order, with the unit and decimals each is shown in.
COUNTERS = (("still claiming", "count", 0), ("in work", "count", 0),
            ("back on benefit", "count", 0), (AGENCIES.label, AGENCIES.unit, AGENCIES.digits),
            ("children in workless households", "count", 0), (POOR, "count", 0),
            ("cost to date (GBP m)", "number", 2))


def counter_rows(screen: Screen) -> list[list[str]]:
    """The counters as the screen shows them: a row per counter, a column per side."""
    return [[name, *(cell(screen.latest[side][name], unit, digits) for side in screen.sides)]
            for name, unit, digits in COUNTERS]


def service_rows(screen: Screen) -> list[list[str]]:
    """People with and waiting for every service, as the screen shows them."""
    counts = {name: table.set_index("service") for name, table in screen.counts.items()}
    services = dict.fromkeys(s for table in counts.values() for s in table.index)
    return [[plain(service), *(f"{t.at[service, 'people']:,} ({t.at[service, 'waiting']:,} "
                               "waiting)" if service in t.index else "not in this system"
                               for t in counts.values())] for service in services]


#: How the screen names each benefit.
BENEFIT_WORDS = {"JSA": "Jobseeker's Allowance", "ESA": "ESA (sickness)",
                 "IS_LP": "Income Support (lone parent)", "NONE": "no benefit"}


def plain(name: str) -> str:
    """A service or field name as the room reads it: "family budget", not family_budget."""
    return BENEFIT_WORDS.get(name, name.replace("_", " "))


def journey_so_far(events: pd.DataFrame, person: int) -> list[str]:
    """A person's events so far (``events``: a log as a frame), a sentence each, by week."""
    mine = events[events.person == person].sort_values("day", kind="stable")
    return [f"week {row.day / 7:4.1f}: "
            + trace.sentence(row).replace("IS_LP", BENEFIT_WORDS["IS_LP"]).replace("_", " ")
            for row in mine.itertuples()]


def describe(view: View, person: int) -> str:
    """Who the followed person is."""
    p = view.person(person)
    if p is None:
        return f"person {person} has not arrived yet"
    worst = _worst(p) or "none"
    return (f"person {person}: {p.role}, aged {p.age}, {plain(p.benefit)}, "
            f"worst barrier {plain(worst)}")
