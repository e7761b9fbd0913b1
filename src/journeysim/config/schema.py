"""The scenario schema: every model parameter, with its unit and source.

A scenario is a YAML file validated into a frozen :class:`Scenario`. Every model
parameter is a field here carrying its unit and source (``unit`` and ``source``
in the field's metadata); ``configs/fragmented.yaml`` gives every value, and other
scenarios ``extends:`` it and override only what differs. The parameter table in
``docs/model.md`` is generated from this schema and the baseline
(:mod:`journeysim.config.tables`), so the two cannot disagree.

Every number is finite (``.inf`` and ``.nan`` are refused) and has a range: its
own where the field gives one (a share or probability lies in [0, 1]), or else
the largest value for its unit in :data:`UNIT_LIMITS`, far beyond any real
place but small enough that a run still ends. Cross-field rules (low <= high,
shares adding up to 1, a hub needing a site) are checked too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from journeysim.config import calendar
from journeysim.vocabulary import BARRIERS, PROGRAMMES, SEGMENTS, Partner

#: Parameters other parts read while their own is switched off: a family broker's
#: support of people who do not claim lifts their search as outreach's does.
READ_WHEN_OFF = frozenset({"outreach.search_factor"})
#: Seeds run from 0 to this (2**32 - 1): every seed in the range gives its own luck.
MAX_SEED = 2**32 - 1
#: The largest starting stock a run may ask for (memory is checked separately).
MAX_PEOPLE = 10_000_000
#: Memory a run needs, from docs/performance.md: about 25 MiB per 1,000 stock claimants
#: in the baseline (peak 643 MiB at 20,000 over 104 weeks, less the interpreter), whose
#: 8.72 first claims a week per 1,000 bring 1 + 8.72 x 104 / 1,000 = 1.907 claims per
#: stock claimant (returns from work come on top, in proportion); about 13 KiB a claim.
BYTES_PER_CLAIM = 25 * 2**20 / 1000 / 1.907
#: Memory of the interpreter and libraries before any person is made.
BASE_BYTES = 150 * 2**20
#: The largest value of a parameter whose field gives no upper bound, by a word of its
#: unit (the first that appears in it); any other unit is capped at ``DEFAULT_LIMIT``.
UNIT_LIMITS = (
    ("GBP", 1e7), ("per 1,000", 1000.0), ("hours", 168.0), ("per week", 100.0),
    ("minutes", 600.0), ("days", 7280.0), ("weeks", 1040.0), ("km", 1000.0),
    ("multiplier", 100.0), ("barrier load", 100.0), ("relative to JSA", 100.0),
    ("sessions", 1000.0), ("payments", 1000.0), ("years", 100.0),
)
DEFAULT_LIMIT = 1e6
#: A name used for files and folders: letters, digits, ``-``, ``_`` and ``.``, not
#: starting with a dot, at most 64 characters.
SLUG_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"



def _slug(value: str) -> str:
    if not re.fullmatch(SLUG_PATTERN, value):
        raise ValueError("a name may hold letters, digits, '-', '_' and '.', must not start "
                         "with a dot and has at most 64 characters (it names files)")
    return value


Slug = Annotated[str, AfterValidator(_slug)]
Seed = Annotated[int, Field(ge=0, le=MAX_SEED)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]

#: The only parameters fitted to observed figures (the baseline's calibration),
#: with the seed-facts targets each was fitted to. Everything else has its own source.
FITTED = {
    "labour_market.matching_efficiency": "fitted to T1, T4 (Wakefield JSA off-flow)",
    "labour_market.barrier_sensitivity": "fitted to T2 (Wakefield JSA off-flow by week 52)",
    "population.inflow_per_1000_week.JSA": "fitted to S1 (the JSA share holds still)",
    "population.inflow_per_1000_week.ESA": "fitted to S2 (the ESA share holds still; T6 "
                                           "checks it)",
    "population.inflow_per_1000_week.IS_LP": "fitted to S3 (the IS share holds still)",
    "jobcentre.wca.fit_for_work_probability": "fitted to C1 (DWP: about 6 in 10 completed "
                                              "WCAs found fit for work, 2008-11 claims)",
    "jobcentre.wca.closed_before_per_week": "fitted to C2 (DWP: 36% of ESA claims closed "
                                            "before the WCA, 2008-11 claims)",
    "labour_market.non_claimant_intensity": "fitted to R1 (LFS flows: workless people who "
                                            "claim nothing enter work too)",
}
BASELINE = "fragmented"
#: The budget-like services: a case worker, a caseload, a yearly cohort.
BUDGETS = ("personal_budget", "family_budget", "troubled_families")


def head_count(per_1000: float, claimants: int) -> int:
    """Staff for ``claimants`` at ``per_1000`` per 1,000, rounded up, at least one."""
    return max(1, math.ceil(per_1000 * claimants / 1000.0 - 1e-9))


def places(per_1000: float, claimants: int, each: float) -> int:
    """Places on a caseload: the exact staffing (not the rounded head-count) x ``each``."""
    return max(1, round(per_1000 * claimants / 1000.0 * each))


def unit_limit(unit: str) -> float:
    """The largest value of a parameter in ``unit`` whose field gives no bound of its own."""
    return next((limit for word, limit in UNIT_LIMITS if word in unit), DEFAULT_LIMIT)


#: What an evidenced parameter is: how well a service works, how many of those
#: offered it come, or how many it can hold. Each needs an entry in the evidence
#: table (``config/evidence.yaml``, shown in docs/evidence.md).
KINDS = ("effect", "take_up", "capacity")


def param(unit: str, source: str, description: str, kind: str | None = None,
          **constraints: Any) -> Any:
    """A required model parameter with its unit and source recorded in its metadata.

    A number with no upper bound in ``constraints`` gets its unit's (:func:`unit_limit`).
    ``kind`` (one of :data:`KINDS`) marks a parameter the evidence table must cover.
    """
    if not {"le", "lt"} & constraints.keys() and {"ge", "gt"} & constraints.keys():
        constraints["le"] = unit_limit(unit)
    extra = {"unit": unit, "source": source}
    if kind is not None:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
        extra["kind"] = kind
    return Field(description=description, json_schema_extra=extra, **constraints)


class Frozen(BaseModel):
    """Base for every config section: immutable, unknown keys are errors, numbers finite."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class PerBenefit(Frozen):
    """One number for each claimed benefit (each at most ``DEFAULT_LIMIT``)."""

    JSA: float = Field(ge=0.0, le=DEFAULT_LIMIT)
    ESA: float = Field(ge=0.0, le=DEFAULT_LIMIT)
    IS_LP: float = Field(ge=0.0, le=DEFAULT_LIMIT)

    def values(self) -> list[float]:
        """The three numbers, in the order JSA, ESA, IS_LP."""
        return [self.JSA, self.ESA, self.IS_LP]


class SharePerBenefit(PerBenefit):
    """A share or probability for each claimed benefit, each in [0, 1]."""

    JSA: float = Field(ge=0.0, le=1.0)
    ESA: float = Field(ge=0.0, le=1.0)
    IS_LP: float = Field(ge=0.0, le=1.0)


class MixPerBenefit(PerBenefit):
    """Weights for each claimed benefit (renormalised): at least one must be above 0."""

    @model_validator(mode="after")
    def _some(self) -> MixPerBenefit:
        if sum(self.values()) <= 0:
            raise ValueError("at least one benefit needs a weight above 0")
        return self


class RatePerBenefit(PerBenefit):
    """A number of new claims a week per 1,000 stock claimants for each benefit (at most 1,000)."""

    JSA: float = Field(ge=0.0, le=1000.0)
    ESA: float = Field(ge=0.0, le=1000.0)
    IS_LP: float = Field(ge=0.0, le=1000.0)


class WeeksPerBenefit(PerBenefit):
    """A time for each claimed benefit, in weeks (at most 20 years)."""

    JSA: float = Field(ge=0.0, le=1040.0)
    ESA: float = Field(ge=0.0, le=1040.0)
    IS_LP: float = Field(ge=0.0, le=1040.0)


class IntervalPerBenefit(PerBenefit):
    """Days between two events for each claimed benefit: from 1 day to 20 years."""

    JSA: float = Field(ge=1.0, le=7280.0)
    ESA: float = Field(ge=1.0, le=7280.0)
    IS_LP: float = Field(ge=1.0, le=7280.0)


def _shares(value: Any) -> Any:
    """A partner's name alone means it pays everything."""
    return {value: 1.0} if isinstance(value, str) else value


def _whole(shares: dict[str, float]) -> dict[str, float]:
    if abs(sum(shares.values()) - 1.0) > 1e-9:
        raise ValueError(f"funding shares must add up to 1, not {sum(shares.values()):g}")
    return shares


#: Who pays for a service: one partner, or shares of several adding up to 1
#: (seed 001, South Tyneside: "50 per cent funded by Jobcentre Plus and 50 per
#: cent by the local authority").
Funding = Annotated[dict[Partner, Annotated[float, Field(ge=0.0, le=1.0)]],
                    BeforeValidator(_shares), AfterValidator(_whole)]


class Triangular(Frozen):
    """A triangular distribution on [low, high] with its peak at ``mode``."""

    low: float = Field(ge=-DEFAULT_LIMIT, le=DEFAULT_LIMIT)
    mode: float = Field(ge=-DEFAULT_LIMIT, le=DEFAULT_LIMIT)
    high: float = Field(ge=-DEFAULT_LIMIT, le=DEFAULT_LIMIT)

    def within(self, low: float, high: float, what: str) -> None:
        """Refuse a distribution reaching outside [``low``, ``high``]."""
        if self.low < low or self.high > high:
            raise ValueError(f"{what} must lie in [{low:g}, {high:g}], not "
                             f"[{self.low:g}, {self.high:g}]")

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError("needs low <= mode <= high")
        return self


class Barrier(Frozen):
    """How common one barrier is, how severe, and how much it holds back job offers."""

    prevalence: SharePerBenefit = param(
        "share of claimants", "see docs/model.md, barriers", "chance a claimant has it"
    )
    severity: Triangular = param("severity in [0, 1]", "assumption", "severity when present")
    weight: float = param(
        "dimensionless", "assumption", "contribution to the barrier load", ge=0.0
    )

    @model_validator(mode="after")
    def _bounded(self) -> Barrier:
        if not (self.severity.low >= 0.0 and self.severity.high <= 1.0):
            raise ValueError("severity must lie in [0, 1]")
        if max(self.prevalence.JSA, self.prevalence.ESA, self.prevalence.IS_LP) > 1.0:
            raise ValueError("prevalence is a share and must be at most 1")
        return self


class RunSettings(Frozen):
    """Size, length and seed of one run."""

    people: int = param("people", "user choice", "claimants in the starting stock", gt=0,
                        le=MAX_PEOPLE)
    weeks: int = param("weeks", "user choice", "length of the run", gt=0, le=1040)
    seed: int = param("integer", "user choice", "seed of every random stream", ge=0,
                      le=MAX_SEED)
    start: dt.date | None = param(
        "date (YYYY-MM-DD)", "user choice; a place's is its pilot period (docs/places.md)",
        "the date week 0 stands for; `borough init` sets a place's dated national policy "
        "from it (none: undated)", default=None, ge=calendar.FIRST, le=calendar.LAST)


class AgeBands(Frozen):
    """Shares of new JSA claims by age band (the JSA segments)."""

    age_18_24: float = param("share", "assumption (seed 004: youth unemployment high, P11)",
                             "new JSA claims aged 18-24", ge=0.0, le=1.0)
    age_25_49: float = param("share", "assumption", "new JSA claims aged 25-49", ge=0.0, le=1.0)
    age_50_plus: float = param("share", "assumption", "new JSA claims aged 50+", ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _whole(self) -> AgeBands:
        total = self.age_18_24 + self.age_25_49 + self.age_50_plus
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"the age bands' shares must add up to 1, not {total:g}")
        return self


class HouseholdSettings(Frozen):
    """Who lives with a claimant: the family links the model acts through."""

    partner_probability: SharePerBenefit = param(
        "probability", "assumption: lone parents have none by definition",
        "chance a claimant lives with a partner",
    )
    partner_in_work_probability: float = param(
        "probability", "assumption", "chance that partner is in work", ge=0.0, le=1.0
    )
    adult_child_probability: float = param(
        "probability", "assumption", "chance a claimant aged 40+ has a working-age child at home",
        ge=0.0, le=1.0,
    )
    parent_probability: float = param(
        "probability", "assumption", "chance a claimant under 30 lives with a parent",
        ge=0.0, le=1.0,
    )
    relative_in_work_probability: float = param(
        "probability", "assumption", "chance an adult child or parent is in work",
        ge=0.0, le=1.0,
    )
    workless_relative_in_work_factor: float = param(
        "multiplier", "assumption (intergenerational worklessness, seed 004)",
        "multiplies the in-work chance of relatives when the partner is workless too",
        ge=0.0, le=1.0,
    )
    children_probability: SharePerBenefit = param(
        "probability", "lone parents on Income Support have a child by definition; for the "
        "others an assumption of the order of ONS, Working and Workless Households (2010): "
        "about 1.9 million children in some 3.9 million workless households",
        "chance a claimant's household has dependent children",
    )
    children_mean: float = param(
        "children", "ONS Families and Households (2010): about 1.7-1.8 dependent children in "
        "a family with any", "mean number of dependent children in a household with any",
        ge=1.0, le=10.0,
    )
    renter_probability: float = param(
        "probability", "DWP (PQ 198960, 26 June 2014): 2.17 million Housing Benefit "
        "recipients on means-tested out-of-work benefits in September 2011, against some 4 "
        "million working-age claimants of the three benefits: about half",
        "chance a claimant's household pays a rent Housing Benefit meets (not an owner, "
        "not living rent-free with family)", ge=0.0, le=1.0,
    )


class PopulationSettings(Frozen):
    """The stock of claimants, the inflow of new claims, and who they are."""

    stock_mix: MixPerBenefit = param(
        "share of the stock (renormalised)", "seed 004, Wakefield (P4, P5, P6)",
        "claimant mix of the starting stock",
    )
    inflow_per_1000_week: RatePerBenefit = param(
        "new claims per week per 1,000 stock claimants",
        "assumption: steady state, stock share / mean spell length",
        "inflow of new claims",
    )
    jsa_age_bands: AgeBands = param(
        "share of new JSA claims", "assumption", "age mix of JSA claimants"
    )
    esa_age: Triangular = param("years", "assumption (seed 000: IB priority cohort aged "
                                "35-54, P35)", "age of ESA claimants")
    lone_parent_age: Triangular = param("years", "assumption", "age of lone parents on IS")
    motivation: Triangular = param(
        "motivation in [0, 1]", "assumption", "motivation at the start of a claim"
    )
    motivation_in_work: Triangular = param(
        "motivation in [0, 1]", "assumption", "motivation of household members in work"
    )
    barriers: dict[str, Barrier] = param(
        "see each barrier", "see docs/model.md, barriers", "the thirteen barriers to work"
    )
    household: HouseholdSettings = param("see fields", "see fields", "family links")

    @model_validator(mode="after")
    def _known_barriers(self) -> PopulationSettings:
        self.esa_age.within(16, 70, "esa_age")
        self.lone_parent_age.within(16, 70, "lone_parent_age")
        self.motivation.within(0, 1, "motivation")
        self.motivation_in_work.within(0, 1, "motivation_in_work")
        unknown = sorted(set(self.barriers) - set(BARRIERS))
        missing = sorted(set(BARRIERS) - set(self.barriers))
        if unknown:
            raise ValueError(f"unknown barrier {unknown[0]!r}; allowed: {', '.join(BARRIERS)}")
        if missing:
            raise ValueError(f"missing barrier {missing[0]!r}; every barrier needs an entry")
        return self


class SanctionSettings(Frozen):
    """Conditionality at the fortnightly job-search review."""

    failure_probability: float = param(
        "probability per review at motivation 0", "assumption (DWP sanction statistics, order "
        "of magnitude)", "chance a review finds conditions not met, times (1 - motivation)",
        ge=0.0, le=1.0,
    )
    weeks: float = param("weeks", "assumption (JSA sanction regime 2010-12)",
                         "benefit withheld per sanction", ge=0.0)
    exit_probability: float = param(
        "probability", "assumption", "chance a sanctioned claimant stops claiming", ge=0.0, le=1.0
    )
    motivation_penalty: float = param(
        "motivation", "assumption", "motivation lost when sanctioned", ge=0.0, le=1.0
    )


class WcaSettings(Frozen):
    """The Work Capability Assessment at the end of the ESA assessment phase."""

    median_weeks: float = param(
        "weeks into the ESA claim", "DWP ESA WCA statistics: 58% of completed assessments "
        "of 2010/11 claims took over 13 weeks (a median of about 15 weeks; 11-20)",
        "median length of the assessment phase (lognormal)", gt=0.0,
    )
    spread: float = param(
        "log-weeks (sd of the log)", "assumption fitted by eye to the same statistic "
        "(mean 145-148 days for late-2008 claims); 0.3-0.6",
        "spread of the assessment phase length", ge=0.0, le=2.0,
    )
    fit_for_work_probability: float = param(
        "probability at health severity 0", "fitted to C1 (DWP ESA WCA statistics, claims "
        "Oct 2008-Feb 2011: 38% of claims found fit for work, 36% closed before "
        "assessment, so about 6 in 10 of completed assessments)",
        "chance of being found fit for work", ge=0.0, le=1.0,
    )
    health_effect: float = param(
        "share", "assumption: the WCA scores functional limitation, which health "
        "severity only partly measures (0.5-1)",
        "how far the worst health barrier (0 to 1) cuts the chance of being found fit "
        "for work: chance = fit_for_work_probability x (1 - this x severity)", ge=0.0,
        le=1.0,
    )
    support_group_share: float = param(
        "share of those not fit for work", "DWP ESA WCA statistics, claims Oct 2008-Feb "
        "2011: support group 7%, work-related activity group 17% of claims",
        "placed in the support group rather than the work-related activity group",
        ge=0.0, le=1.0,
    )
    closed_before_per_week: float = param(
        "per week", "fitted (see FITTED): DWP ESA WCA statistics, 36% of 2008-11 claims "
        "closed before assessment", "hazard of closing the claim before the assessment",
        ge=0.0,
    )
    assessment_hours: float = param("hours", "assumption", "assessor time per WCA", ge=0.0)


class JobcentreSettings(Frozen):
    """Jobcentre Plus: interviews, reviews, fixed-point interventions, conditionality."""

    advisers_per_1000: float = param(
        "advisers per 1,000 stock claimants", "assumption (seeds give no caseloads)",
        "adviser capacity, a SimPy resource", kind="capacity", gt=0.0,
    )
    adviser_hours_per_week: float = param(
        "hours per week", "docs/evidence.md", "interview and review time one adviser offers",
        kind="capacity", gt=0.0,
    )
    new_claim_interview_hours: float = param(
        "hours", "docs/evidence.md", "length of the new-claim interview (an assessment)",
        kind="capacity", gt=0.0,
    )
    review_interval_days: IntervalPerBenefit = param(
        "days", "JSA fortnightly (seed 001 'Fortnightly Jobsearch Review'); others assumption",
        "time between routine reviews",
    )
    review_minutes: float = param("minutes", "docs/evidence.md",
                                  "adviser time a routine review takes", kind="capacity",
                                  ge=0.0)
    intervention_weeks: list[Annotated[float, Field(ge=0.0, le=1040.0)]] = param(
        "weeks into the claim", "seed 004 (T8): 'eg 13 weeks, 26 weeks, etc'",
        "fixed points of adviser interventions for JSA claimants",
    )
    intervention_hours: float = param(
        "hours", "docs/evidence.md", "length of an adviser intervention", kind="capacity",
        gt=0.0,
    )
    intervention_barriers: list[str] = param(
        "barrier names", "seed 004 ('told yet again how to write a CV')",
        "barriers the standard intervention addresses",
    )
    intervention_effect: float = param(
        "severity", "assumption", "barrier severity removed by a fitting intervention",
        kind="effect", ge=0.0, le=1.0,
    )
    intervention_timing: Literal["fixed", "needs_led"] = param(
        "fixed or needs_led", "seed 004 (T8, F-32): fixed points replaced by adviser "
        "discretion", "when interventions happen (mechanism 7 when fixed)",
    )
    needs_led_first_week: float = param("weeks", "assumption",
                                        "first needs-led intervention", ge=0.0)
    needs_led_interval_weeks: float = param("weeks", "assumption",
                                            "between needs-led interventions", ge=0.1)
    needs_led_min_load: float = param(
        "barrier load", "assumption", "needs-led advisers see only people at least this far "
        "from work", ge=0.0,
    )
    sanctions: SanctionSettings = param("see fields", "see fields", "conditionality")
    wca: WcaSettings = param("see fields", "see fields", "ESA assessment")

    @model_validator(mode="after")
    def _known_barriers(self) -> JobcentreSettings:
        for name in self.intervention_barriers:
            if name not in BARRIERS:
                raise ValueError(f"unknown barrier {name!r}; allowed: {', '.join(BARRIERS)}")
        return self


class OtherExits(Frozen):
    """Hazards of leaving a claim other than for work, for one benefit."""

    inactive_per_week: float = param(
        "per week", "assumption", "hazard of stopping claiming without work", ge=0.0
    )
    transfer_per_week: float = param(
        "per week", "assumption", "hazard of moving to another benefit", ge=0.0
    )
    transfer_to: Literal["JSA", "ESA", "IS_LP"] = param(
        "benefit", "benefit rules", "benefit a transfer moves to"
    )


class ExitsByBenefit(Frozen):
    """Other exits for each benefit."""

    JSA: OtherExits
    ESA: OtherExits
    IS_LP: OtherExits


class RingFenceSettings(Frozen):
    """Vacancies employers pledge to one age group, open to nobody else (Plan 500)."""

    vacancies_per_year_per_1000: float = param(
        "vacancies pledged a year per 1,000 stock claimants", "docs/evidence.md",
        "vacancies employers pledge to the group through a gateway (0: none)",
        kind="capacity", ge=0.0)
    employer_drop_out: float = param(
        "share of pledges", "docs/evidence.md",
        "share of pledged vacancies never opened (the employer drops out)",
        kind="take_up", ge=0.0, le=1.0)
    substitution: float = param(
        "share of pledged vacancies", "docs/evidence.md",
        "share of the pledged vacancies opened that the employers would have opened anyway, "
        "for anyone: they are taken off the open stock's openings", kind="effect",
        ge=0.0, le=1.0)
    min_age: int = param("years", "seed 001, Swindon: 'all young people ... aged 16-24'",
                         "youngest person the pledged vacancies are for", ge=16, le=70)
    max_age: int = param("years", "seed 001, Swindon: 'all young people ... aged 16-24'",
                         "oldest person the pledged vacancies are for", ge=16, le=70)

    @model_validator(mode="after")
    def _ages(self) -> RingFenceSettings:
        if self.min_age > self.max_age:
            raise ValueError(f"min_age {self.min_age} is above max_age {self.max_age}")
        return self


class LabourMarketSettings(Frozen):
    """Vacancies, offers, job kinds and leaving work."""

    claimants_per_vacancy: float = param(
        "JSA claimants per live vacancy", "seed 004, Wakefield March 2010 (P10)",
        "local labour demand at the start: the vacancy stock at the start = JSA claimants / "
        "this, and employers open vacancies at the rate that keeps the start a steady state",
        gt=0.0,
    )
    vacancy_growth_per_year: float = param(
        "share per year", "assumption: no trend stated for the run (seed 004, P10: 8.9 "
        "claimants per vacancy in spring 2009, 5.3 in March 2010)",
        "proportional change in the rate employers open vacancies, per year of the run",
        ge=-0.9, le=2.0,
    )
    vacancy_lapse_weeks: float = param(
        "weeks (mean)", "docs/evidence.md",
        "how long an unfilled vacancy stays open before the employer withdraws it",
        kind="effect", gt=0.0)
    ring_fence: RingFenceSettings = param("see fields", "see fields",
                                          "vacancies pledged to one age group")
    matching_efficiency: float = param(
        "hires per week (matching-function scale)", "fitted to T1, T2, T4",
        "A in hires = A x searchers^alpha x vacancies^(1 - alpha)", gt=0.0,
    )
    matching_elasticity: float = param(
        "elasticity of hires to searchers", "Petrongolo and Pissarides (2001, J. Econ. "
        "Lit.): 0.5-0.7 with constant returns; UK register estimates lower (about 0.36)",
        "alpha of the matching function", gt=0.0, lt=1.0,
    )
    outside_searchers_per_claimant: float = param(
        "effective searchers per JSA claimant at the start",
        "LFS/claimant count 2010: about 1.65 ILO unemployed per claimant (0.65 not "
        "claiming); employed job seekers search about 0.67 as effectively (Longhi and "
        "Taylor 2011); their number is an assumption, so the range is wide (0.5-2)",
        "job seekers in the borough other than its claimants (job changers, the unregistered "
        "unemployed and inactive), each as effective as the mean JSA claimant at the start; "
        "the workless non-claimants the model holds are among them, so the pool outside "
        "the model is this less their own search at the start",
        ge=0.0,
    )
    search_intensity: PerBenefit = param(
        "relative to JSA", "assumption: ESA and IS claimants need not look for work",
        "how hard claimants of each benefit look for work",
    )
    non_claimant_intensity: float = param(
        "relative to JSA", "fitted (see FITTED)",
        "how hard a workless relative who claims nothing (a partner, an adult child, a parent) "
        "looks for work: they compete for the same vacancies",
        ge=0.0, le=1.0,
    )
    barrier_sensitivity: float = param(
        "per unit of barrier load", "fitted (see FITTED)", "offers fall as exp(-this x load)",
        ge=0.0,
    )
    age_50_plus_factor: float = param(
        "multiplier", "assumption (seed 004: over-50s claim longer, T5)",
        "offer rate of claimants aged 50 or more", ge=0.0,
    )
    sustained_probability: float = param(
        "probability at barrier load 0", "assumption", "chance a job is a sustained one",
        ge=0.0, le=1.0,
    )
    temporary_job_weeks: float = param(
        "weeks (mean)", "assumption (seed 001: 'high churn in and out of temporary paid "
        "employment')", "length of a temporary job", ge=0.1,
    )
    sustained_job_weeks: float = param(
        "weeks (mean)", "assumption", "time to leaving a sustained job", ge=0.1
    )
    return_probability: float = param(
        "probability", "assumption", "chance someone leaving work claims again", ge=0.0, le=1.0
    )
    other_exits: ExitsByBenefit = param("see fields", "see fields", "non-work exits")


class MotivationSettings(Frozen):
    """How motivation moves."""

    decay_per_week: float = param(
        "per week", "assumption (seed 004: 'detachment from the labour market')",
        "relative loss per week out of work", kind="effect", ge=0.0
    )
    floor: float = param("motivation", "assumption", "lowest motivation", ge=0.0, le=1.0)
    fitting_support_boost: float = param(
        "share of the gap to 1", "assumption", "gain from an intervention that fits",
        kind="effect", ge=0.0,
        le=1.0,
    )
    repeat_penalty: float = param(
        "motivation per earlier misfit", "assumption (seed 004: 'told yet again')",
        "loss from an intervention that does not fit", kind="effect", ge=0.0, le=1.0,
    )
    barrier_progress_boost: float = param(
        "motivation per unit of severity removed", "assumption", "gain from progress",
        kind="effect", ge=0.0
    )
    family_drift_per_week: float = param(
        "share of the gap per week", "assumption", "pull toward the household's motivation",
        kind="effect", ge=0.0, le=1.0,
    )
    family_work_boost: float = param(
        "share of the gap to 1", "assumption", "gain when a household member starts work",
        kind="effect", ge=0.0, le=1.0,
    )
    job_lead_factor: float = param(
        "multiplier", "assumption (seed 001: 'lack connections')",
        "offer rate while a household member in work brings job leads", kind="effect", ge=1.0,
    )
    job_lead_weeks: float = param("weeks", "assumption", "how long job leads last",
                                  kind="effect", ge=0.0)


class FamilyIncomeSettings(Frozen):
    """What a household receives besides earnings and the claim, and the poverty line."""

    child_benefit_first_weekly: float = param(
        "GBP per week", "HMRC Child Benefit rates 2011/12", "Child Benefit, eldest child",
        ge=0.0)
    child_benefit_other_weekly: float = param(
        "GBP per week", "HMRC Child Benefit rates 2011/12", "Child Benefit, each other child",
        ge=0.0)
    child_tax_credit_weekly: float = param(
        "GBP per week", "HMRC tax credit rates 2011/12: child element GBP 2,555 a year",
        "Child Tax Credit per child (in or out of work)", ge=0.0)
    family_element_weekly: float = param(
        "GBP per week", "HMRC tax credit rates 2011/12: family element GBP 545 a year",
        "Child Tax Credit's family element, once per household with children", ge=0.0)
    working_tax_credit_weekly: float = param(
        "GBP per week", "HMRC tax credit rates 2011/12: basic GBP 1,920, couple or lone "
        "parent GBP 1,950 and 30-hour GBP 790 a year", "Working Tax Credit of a household "
        "with children and someone in work 30 hours (the model's job)", ge=0.0)
    tax_credit_threshold_weekly: float = param(
        "GBP per week", "HMRC tax credit rates 2011/12: GBP 6,420 a year",
        "gross earnings above which tax credits are withdrawn", ge=0.0)
    tax_credit_taper: float = param(
        "share", "HMRC tax credit rates 2011/12: 41%", "tax credits withdrawn per GBP of "
        "gross earnings above the threshold", ge=0.0, le=1.0)
    poverty_line_weekly: float = param(
        "GBP per week (equivalised, a couple without children)", "DWP, Households Below "
        "Average Income 1994/95-2010/11 (Adams et al., June 2012): median income before "
        "housing costs GBP 419 a week in 2010/11, so 60% is GBP 251 (recalled; not checked "
        "against the report's tables here)",
        "the poverty line households are held against", gt=0.0)
    housing_benefit_weekly: float = param(
        "GBP per week", "DWP (PQ 198960, 26 June 2014): mean Housing Benefit award of "
        "recipients on means-tested out-of-work benefits, September 2011, GBP 96.08",
        "Housing Benefit of a renting household with no one in work (its eligible rent)",
        ge=0.0)
    housing_benefit_taper: float = param(
        "share", "Housing Benefit Regulations 2006, reg. 71: 65%",
        "Housing Benefit withdrawn per GBP of net income above the applicable amount",
        ge=0.0, le=1.0)
    applicable_amount_weekly: float = param(
        "GBP per week", "DWP benefit rates 2011/12: the personal allowance of a single "
        "claimant aged 25 or over, GBP 67.50 (a couple GBP 105.95)",
        "income a household in work keeps before Housing Benefit is withdrawn; its "
        "children's allowances and tax credits are taken to cancel out", ge=0.0)


class CostSettings(Frozen):
    """Unit costs of the run: every GBP figure of the scenario is in ``price_year`` prices."""

    price_year: str = param("financial year", "the seeds' period (2011 pilots)",
                            "prices every GBP parameter is stated in")

    benefit_weekly: PerBenefit = param(
        "GBP per week", "DWP benefit rates April 2011 (see docs/model.md)",
        "benefit paid per claimant week",
    )
    jsa_18_24_weekly: float = param(
        "GBP per week", "DWP benefit rates April 2011", "JSA rate for claimants under 25", ge=0.0
    )
    adviser_hour: float = param(
        "GBP per hour", "assumption: salary plus on-costs and overheads",
        "cost of an hour of adviser or assessor time", ge=0.0,
    )
    family_income: FamilyIncomeSettings = param(
        "see fields", "see fields", "household income besides earnings and the claim")


class DiscountPeriod(Frozen):
    """A discount rate that applies from a year of the appraisal onwards."""

    from_year: int = Field(ge=0)
    rate: float = Field(ge=0.0, lt=1.0)


class TaxSettings(Frozen):
    """Income tax and National Insurance on the earnings of a job (one rate band)."""

    personal_allowance_weekly: float = param(
        "GBP per week", "HMRC 2011/12: personal allowance GBP 7,475 a year / 52",
        "earnings free of income tax", ge=0.0)
    basic_rate: float = param("share", "HMRC 2011/12", "income tax above the allowance",
                              ge=0.0, le=1.0)
    employee_ni_threshold_weekly: float = param(
        "GBP per week", "HMRC 2011/12: primary threshold", "earnings free of employee NI",
        ge=0.0)
    employee_ni_rate: float = param("share", "HMRC 2011/12: class 1 main rate",
                                    "employee NI above the threshold", ge=0.0, le=1.0)
    employer_ni_threshold_weekly: float = param(
        "GBP per week", "HMRC 2011/12: secondary threshold", "earnings free of employer NI",
        ge=0.0)
    employer_ni_rate: float = param("share", "HMRC 2011/12: class 1 secondary rate",
                                    "employer NI above the threshold", ge=0.0, le=1.0)


#: CBA parameters that may be given low and high values (``cba.ranges``).
UNCERTAIN = (
    "persistence_per_year", "optimism_bias", "service_cost_factor", "gross_earnings_weekly",
    "in_work_costs_weekly", "nhs_saving_per_work_week", "housing_saving_per_work_week",
    "justice_saving_per_work_week", "employer_surplus_per_work_week",
    "employer_recruitment_cost", "wellbeing_per_work_week",
)


#: The old name of ``cba.persistence_per_year`` (which held 1 - persistence): refused, naming
#: the new one.
RENAMED = "effect_decay_per_year"


class CbaSettings(Frozen):
    """Cost-benefit appraisal of a scenario against a baseline (docs/costs.md)."""

    horizon_years: int = param(
        "years", "assumption: long enough for most of a job effect to fade (see "
        "persistence_per_year)", "years appraised from the start of the run", ge=1, le=100)
    discount_schedule_version: str = param(
        "name", "HM Treasury Green Book (2022), table 8", "which schedule the rates are")
    discount_schedule: list[DiscountPeriod] = param(
        "from year: annual rate", "HM Treasury Green Book (2022): 3.5% to year 30, then "
        "3.0%, 2.5%, 2.0%, 1.5%, 1.0%", "discount rate by year of the appraisal")
    persistence_per_year: float = param(
        "share a year", "named UK evaluations, central value a judgement between them: in "
        "the ERA trial (DWP Research Report 765, Hendra et al. 2011) employment effects for "
        "long-term unemployed jobseekers lasted to the end of five years' follow-up, for lone "
        "parents they were gone by year 3; the Future Jobs Fund's impacts were still strong "
        "at 104 weeks (DWP, Impacts and Costs and Benefits of the Future Jobs Fund, 2012); "
        "DWP's social cost-benefit framework (Fujiwara 2010, DWP Working Paper 86) appraises "
        "under pessimistic and optimistic persistence, as ranges does (0 to 0.85)",
        "share of the last simulated year's difference in benefit and work that carries into "
        "each following year (0: effects stop when the run stops)", kind="effect", ge=0.0, le=1.0)
    optimism_bias: float = param(
        "share", "assumption: the Green Book asks for an explicit adjustment; the seeds give "
        "no evaluated effect to base one on", "reduction applied to every benefit", ge=0.0,
        le=1.0)
    service_cost_factor: float = param(
        "multiplier", "assumption: 1 (the modelled costs) in the central case",
        "scales every service cost of the run", gt=0.0)
    gross_earnings_weekly: float = param(
        "GBP per week", "public statistic: National Minimum Wage GBP 6.08 an hour (October "
        "2011) x 30 hours (assumption)", "earnings of a job entrant", ge=0.0)
    tax: TaxSettings = param("see fields", "see fields", "tax and NI on those earnings")
    in_work_costs_weekly: float = param(
        "GBP per week", "assumption (seed 004: 'the high cost of transport')",
        "what working costs the person (travel, clothes)", ge=0.0)
    nhs_saving_per_work_week: float = param(
        "GBP per week", "assumption: fewer GP visits and prescriptions in work; no UK unit "
        "cost in the seeds", "saving to the NHS for each week someone is in work", ge=0.0)
    housing_saving_per_work_week: float = param(
        "GBP per week", "assumption: fewer arrears and evictions (seed 001: Lewisham's "
        "budgets are delivered by housing associations led by Hyde Housing)",
        "saving to housing providers for each week in work", ge=0.0)
    justice_saving_per_work_week: float = param(
        "GBP per week", "assumption: less reoffending in work, averaged over everyone",
        "saving to police and justice for each week in work", ge=0.0)
    employer_surplus_per_work_week: float = param(
        "GBP per week", "assumption: at a wage close to the value of the work the employer "
        "keeps a small margin; with a six-month wage subsidy it comes to about the GBP 6,850 "
        "per participant DWP found for employers of the Future Jobs Fund (Impacts and Costs "
        "and Benefits of the Future Jobs Fund, 2012; see docs/costs.md)",
        "what a week of a filled post earns the employer over its wage and employer NI",
        ge=0.0)
    employer_recruitment_cost: float = param(
        "GBP per job start", "assumption below the CIPD Resourcing and Talent Planning "
        "surveys' costs of filling a non-managerial post (2009-11; to be checked): entry-level "
        "posts filled through Jobcentre Plus cost less", "what filling a post costs the "
        "employer (advertising, selection, induction)", ge=0.0)
    wellbeing_per_work_week: float = param(
        "GBP per week", "assumption between the HACT Social Value Bank's values for part-time "
        "(about GBP 1,200 a year) and full-time employment (about GBP 14,400 a year)",
        "social value of being in work, to the person", kind="effect", ge=0.0)
    ranges: dict[str, tuple[float, float]] = param(
        "low, high", "see docs/costs.md, uncertainty", "values tried one at a time around the "
        "central case")

    @model_validator(mode="before")
    @classmethod
    def _renamed(cls, data: Any) -> Any:
        """Name the field that replaced ``effect_decay_per_year``, wherever it is given."""
        given = data if isinstance(data, dict) else {}
        ranges = given.get("ranges")
        if RENAMED in given or (isinstance(ranges, dict) and RENAMED in ranges):
            raise ValueError(f"{RENAMED} is now persistence_per_year, the share of an effect "
                             "that carries into each following year: give 1 minus the old "
                             "value (0.4 becomes 0.6; in ranges, [1.0, 0.2] becomes [0.0, 0.8])")
        return data

    @model_validator(mode="after")
    def _checks(self) -> CbaSettings:
        years = [period.from_year for period in self.discount_schedule]
        if not years or years[0] != 0 or years != sorted(set(years)):
            raise ValueError("discount_schedule must start at year 0 and rise")
        _known(list(self.ranges), UNCERTAIN, "uncertain CBA parameter")
        for name, pair in self.ranges.items():
            for value in pair:
                try:
                    self.model_validate({**self.model_dump(), name: value, "ranges": {}})
                except ValidationError:
                    raise ValueError(f"ranges: {value:g} is not a possible {name}") from None
        return self


def _known(names: list[str], allowed: tuple[str, ...], what: str) -> None:
    for name in names:
        if name not in allowed:
            raise ValueError(f"unknown {what} {name!r}; allowed: {', '.join(allowed)}")


class Eligibility(Frozen):
    """Who a service may take: applied only while eligibility is rigid."""

    benefits: list[Literal["JSA", "ESA", "IS_LP", "NONE"]] = param(
        "benefits", "service rules (see docs/model.md, services)", "benefits it accepts"
    )
    min_claim_weeks: float = param("weeks", "service rules", "shortest claim it accepts",
                                   ge=0.0)
    max_claim_weeks: float | None = param(
        "weeks (none: no limit)", "service rules", "longest claim it accepts", ge=0.0
    )
    min_age: int = param("years", "service rules", "youngest it accepts", ge=16, le=70)
    max_age: int = param("years", "service rules", "oldest it accepts", ge=16, le=70)

    @model_validator(mode="after")
    def _ordered(self) -> Eligibility:
        if self.min_age > self.max_age:
            raise ValueError(f"min_age {self.min_age} is above max_age {self.max_age}")
        if self.max_claim_weeks is not None and self.min_claim_weeks > self.max_claim_weeks:
            raise ValueError(f"min_claim_weeks {self.min_claim_weeks:g} is above "
                             f"max_claim_weeks {self.max_claim_weeks:g}")
        return self


class SupportService(Frozen):
    """A specialist or Get Britain Working service: episodes of sessions on barriers."""

    enabled: bool = param("on/off", "see docs/model.md, services", "whether it exists")
    barriers: list[str] = param("barrier names", "see docs/model.md, services",
                                "barriers it addresses (referrals for these come here)")
    effect: float = param("severity", "assumption", "severity removed from a barrier it "
                          "addresses per episode", kind="effect", ge=0.0, le=1.0)
    motivation_gain: float = param("share of the gap to 1", "assumption",
                                   "motivation gained over an episode",
                                   kind="effect", ge=0.0, le=1.0)
    offer_factor: float = param(
        "multiplier", "assumption (employer gateway: seed 001, Plan 500)",
        "offer rate for `offer_weeks` after an episode (1: none)", kind="effect", ge=1.0,
    )
    offer_weeks: float = param("weeks", "assumption", "how long the offer factor lasts",
                               kind="effect", ge=0.0)
    employer_drop_out: float = param(
        "probability", "docs/evidence.md", "chance the employer's part of a completed episode "
        "(a sector academy's guaranteed interview) falls through: the offer factor is then "
        "not applied", kind="take_up", ge=0.0, le=1.0)
    routine_referral: float = param(
        "probability", "assumption", "chance an eligible new claimant is sent here whatever "
        "their barriers (work clubs, work experience)", kind="take_up", ge=0.0, le=1.0,
    )
    booked: bool = param(
        "yes/no", "seed 004 (T10, K4: Wakefield's work clubs, from day one of a claim, within "
        "easy reach)", "a routine offer the Jobcentre books the person into on the day: a warm "
        "referral (the warm leak and delay) rather than a cold one")
    sessions: int = param("sessions", "assumption", "sessions in an episode", ge=1)
    session_hours: float = param("hours", "assumption", "staff time per session", gt=0.0)
    session_interval_days: float = param("days", "assumption", "time between sessions",
                                         ge=0.0)
    advisers_per_1000: float = param("staff per 1,000 stock claimants", "assumption",
                                     "capacity (a waiting list forms when full)",
                                     kind="capacity", gt=0.0)
    cost_per_episode: float = param("GBP", "assumption", "non-staff cost of an episode",
                                    ge=0.0)
    distance_km: float = param("km", "assumption", "typical distance from home when not "
                               "co-located (cold referrals leak more with distance)", ge=0.0)
    payer: Funding = param("partner, or partner: share", "assumption: the usual funder of "
                           "such a service in England in 2011", "who pays for it")
    volunteering: bool = param(
        "yes/no", "seed 003", "unpaid activity that rules forbidding volunteering close")
    eligibility: Eligibility = param("see fields", "see fields", "who it may take")
    job_weeks: float = param(
        "weeks (0: none)", "DWP, Future Jobs Fund (2012): six-month jobs; an apprenticeship "
        "a year or more", "a job the service itself provides after a completed episode, "
        "paid for this long (a subsidised job, an apprenticeship); it comes from no vacancy",
        ge=0.0)
    job_places_per_1000: float = param(
        "jobs held at once per 1,000 stock claimants", "docs/evidence.md",
        "how many of those jobs there are: a person finding none free waits for one",
        kind="capacity", ge=0.0)
    cost_per_job: float = param(
        "GBP per job", "DWP, Future Jobs Fund (2012): up to GBP 6,500 a job",
        "paid when the person takes one of the service's jobs (a wage subsidy)", ge=0.0)
    job_retention: float = param(
        "probability", "docs/evidence.md",
        "chance the employer keeps the person on when the service's job ends",
        kind="effect", ge=0.0, le=1.0)
    funding_ends_week: float | None = param(
        "week of the run (none: funded throughout)", "seed 001: streams with end dates "
        "(Working Neighbourhoods Fund, ESF, the Transition Fund)",
        "the week the service's funding stream ends: it takes no one new after it", ge=0.0)
    when_funding_ends: Literal["finish", "lost"] = param(
        "finish or lost", "assumption: a closing service either hands its caseload on to "
        "finish (finish) or drops it (lost)",
        "what happens to people already on the caseload when the funding ends")

    @model_validator(mode="after")
    def _barriers(self) -> SupportService:
        _known(self.barriers, BARRIERS, "barrier")
        if self.job_weeks > 0 and self.job_places_per_1000 <= 0:
            raise ValueError("a service that provides jobs (job_weeks above 0) needs "
                             "job_places_per_1000 above 0")
        return self


class SystemSettings(Frozen):
    """How the services fit together: the fragmentation mechanisms and co-design levers."""

    common_assessment: bool = param(
        "on/off", "lever (seed 000, Devon: 'gather once and use many times')",
        "one assessment serves every service (mechanism 1 when off)",
    )
    data_sharing: bool = param(
        "on/off", "lever (seed 001, Annex C: informed consent to share)",
        "barriers found by one service are known to all (mechanism 10 when off)",
    )
    retell_penalty: float = param(
        "motivation per repeated assessment", "assumption (seed 001: 'Repetition of "
        "intervention will impact on an individual's motivation')",
        "cost of telling one's story again", kind="effect", ge=0.0, le=1.0,
    )
    identification_probability: float = param(
        "probability", "assumption (seed 001, Lewisham: 'mixed success in identifying')",
        "chance an assessment spots a barrier that is there", kind="effect", ge=0.0, le=1.0,
    )
    lead_worker_identification: float = param(
        "probability", "assumption (seed 004: 'increased focus on the quality of diagnosis')",
        "the same, for a lead worker who owns the journey", kind="effect", ge=0.0, le=1.0,
    )
    referral_threshold: float = param(
        "severity", "assumption", "barriers at least this severe are worth a referral",
        ge=0.0, le=1.0,
    )
    leakage_cold: float = param(
        "probability", "assumption (seed 001, Bradford: 'drop them on the doorstep')",
        "chance a cold referral never arrives (mechanism 2)", kind="take_up", ge=0.0, le=1.0,
    )
    leakage_per_km: float = param(
        "probability per km", "assumption (seed 004: 'the high cost of transport')",
        "extra leakage per km to the next service", kind="take_up", ge=0.0, le=1.0,
    )
    leakage_warm: float = param(
        "probability", "assumption", "chance a warm, same-day handoff is lost",
        kind="take_up", ge=0.0, le=1.0
    )
    warm_handoffs: bool = param(
        "on/off", "lever (seed 001, Bradford: the opposite of 'drop them on the doorstep')",
        "every referral is a warm handoff, not only those inside a hub",
    )
    warm_handoff_minutes: float = param(
        "minutes", "docs/evidence.md",
        "the referrer's time a warm handoff takes (an introduction, a call, walking the "
        "person over), costed at the adviser hour", kind="capacity", ge=0.0,
    )
    delay_cold_days: float = param(
        "days (mean)", "assumption (seed 001: 'wait for 6 to 9 weeks', T9, for one session)",
        "wait between a cold referral and the first appointment (mechanism 3)",
        kind="effect", ge=0.0,
    )
    delay_warm_days: float = param("days (mean)", "assumption: same day",
                                   "the same, for a warm handoff", kind="effect", ge=0.0)
    rigid_eligibility: bool = param(
        "on/off", "seed 001, Lewisham: 'rigid eligibility criteria'",
        "services apply their eligibility rules (mechanism 4)",
    )
    standard_product_share: float = param(
        "probability", "assumption (seed 003: 'told yet again how to write a CV')",
        "chance an intervention is the provider's standard product, not fitted to the person "
        "(mechanism 5)", ge=0.0, le=1.0,
    )
    lead_worker: bool = param(
        "on/off", "lever (seed 004: 'a dedicated personal adviser throughout')",
        "one adviser owns the whole journey and refers for every barrier (mechanism 6 when "
        "off)",
    )
    jobcentre_refers_for: list[str] = param(
        "barrier names", "seed 001, Birmingham: 'worklessness' vs 'non-worklessness' barriers",
        "barriers the Jobcentre refers for when nobody owns the journey (mechanism 6)",
    )
    volunteering_allowed: bool = param(
        "on/off", "seed 003: 'I was doing voluntary work and I had to stop'",
        "claimants may volunteer and take work experience (mechanism 8 when off)",
    )

    @model_validator(mode="after")
    def _barriers(self) -> SystemSettings:
        _known(self.jobcentre_refers_for, BARRIERS, "barrier")
        return self


#: How the fees of the programmes the Work Programme replaced were set.
_PRICED = ("assumption: FND's 40% service fee and 60% on sustained jobs (contract "
           "specification, 2008) applied to the Work Programme's price (configs/fragmented.yaml)")


class WorkProgrammeSettings(Frozen):
    """A contracted programme: referral by claim duration, a provider, payment by results.

    The Work Programme (``work_programme``) and the programmes it replaced in 2011
    (``flexible_new_deal`` for JSA claimants, ``pathways_to_work`` for ESA claimants)
    have this shape; each takes referrals from ``start_week`` until ``end_week``.
    """

    enabled: bool = param("on/off", "national programme from June 2011", "whether it runs")
    start_week: float = param(
        "week of the run", "DWP: the Work Programme began in June 2011 (set by the calendar "
        "for a place's run; 0 in the undated scenarios)",
        "first week of referrals: a claim past its referral point before it is referred then",
        ge=0.0)
    end_week: float | None = param(
        "week of the run (none: runs on)", "DWP: Flexible New Deal closed as the Work "
        "Programme began, Pathways to Work in March 2011 (set by the calendar)",
        "week the programme closes: no referrals from it, and attachments end at it", ge=0.0)
    referral_weeks: dict[str, Annotated[float, Field(ge=0.0, le=1040.0)]] = param(
        "weeks into the claim, by segment", "public statistic, approximate (DWP Work "
        "Programme guidance 2011: JSA 18-24 at 9 months, 25+ at 12, early entry for some)",
        "when a claimant of each segment is referred",
    )
    esa_referral_probability: float = param(
        "probability", "assumption (ESA claimants expected fit within months are mandated)",
        "chance an ESA claimant is referred at the ESA referral point",
        kind="take_up", ge=0.0, le=1.0,
    )
    attachment_weeks: float = param("weeks", "DWP: two years on the programme",
                                    "time on the programme", ge=0.1)
    advisers_per_1000: float = param("advisers per 1,000 stock claimants", "assumption",
                                     "provider capacity", kind="capacity", gt=0.0)
    session_hours: float = param("hours", "assumption", "provider session length", gt=0.0)
    session_interval_days: float = param("days", "assumption",
                                         "time between sessions for the nearest to work",
                                         ge=1.0)
    creaming: float = param(
        "multiplier per unit of barrier load", "assumption (seed 001: provider incentives; "
        "'help the easiest first')", "sessions thin out as barrier load rises",
        kind="effect", ge=0.0,
    )
    offer_factor: float = param("multiplier", "assumption",
                                "offer rate while on the programme", kind="effect", ge=1.0)
    session_effect: float = param("severity", "assumption",
                                  "barrier severity a fitting session removes",
                                  kind="effect", ge=0.0, le=1.0)
    attachment_fee: float = param("GBP", "public statistic, approximate (WP pricing 2011); "
                                  "the programmes it replaced: " + _PRICED,
                                  "paid to the provider at referral", ge=0.0)
    outcome_fee: float = param("GBP", "public statistic, approximate (WP pricing 2011); "
                               "the programmes it replaced: " + _PRICED,
                               "paid after `outcome_weeks` in work", ge=0.0)
    outcome_weeks: float = param("weeks", "WP pricing 2011 (26 weeks for JSA 25+)",
                                 "work needed for the outcome fee", ge=0.0)
    sustainment_fee: float = param("GBP per 4 weeks", "public statistic, approximate; the "
                                   "programmes it replaced: " + _PRICED,
                                   "paid for each further 4 weeks in work", ge=0.0)
    sustainment_max: int = param("payments", "WP pricing 2011 (up to 20)",
                                 "most sustainment payments", ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> WorkProgrammeSettings:
        if self.end_week is not None and self.start_week > self.end_week:
            raise ValueError(f"start_week {self.start_week:g} is after end_week "
                             f"{self.end_week:g}")
        return self


class HubSettings(Frozen):
    """A community hub or Opportunity Centre: one door, one contact, warm handoffs."""

    enabled: bool = param("on/off", "lever (seed 001: South Tyneside Opportunity Centres)",
                          "whether hubs exist")
    sites: list[tuple[Annotated[float, Field(ge=0.0, le=1000.0)],
                      Annotated[float, Field(ge=0.0, le=1000.0)]]] = param(
        "km (x, y) in the borough", "assumption", "where the hubs are",
        min_length=1,
    )
    catchment_km: float = param("km", "assumption", "people further away do not use a hub",
                                ge=0.0)
    engagement_probability: float = param(
        "probability", "assumption", "chance a claimant in the catchment is taken on",
        kind="take_up", ge=0.0,
        le=1.0,
    )
    advisers_per_1000: float = param(
        "advisers per 1,000 stock claimants", "seed 001: 8 advisers for 800+ a year (K5, K7)",
        "hub capacity", kind="capacity", gt=0.0,
    )
    session_hours: float = param("hours", "assumption", "first hub session", gt=0.0)
    co_located: list[str] = param(
        "service names", "seed 001: services 'in one location'",
        "services in the hub: referrals to them are warm and local",
    )
    motivation_gain: float = param(
        "share of the gap to 1", "assumption (seed 004: 'safe, rather than institutional')",
        "gain from a single point of contact in a community venue", kind="effect", ge=0.0, le=1.0,
    )
    site_cost_per_year: float = param("GBP per site per year", "assumption",
                                      "premises and running costs", ge=0.0)
    setup_cost_per_site: float = param(
        "GBP per site", "assumption (seed 001: South Tyneside's Opportunity Centres are "
        "existing community venues)", "fitting out a site, paid in the first week", ge=0.0)
    payer: Funding = param("partner, or partner: share",
                           "assumption (seed 001: hubs are council-led)",
                           "who pays for the hubs' advisers and their time")
    premises_payer: Funding = param(
        "partner, or partner: share", "seed 001, South Tyneside: the council pays for "
        "'marketing, premises and infrastructure', Jobcentre Plus for 'staff and programme "
        "costs'", "who pays for the hubs' sites (set-up and running costs)")


class BudgetSettings(Frozen):
    """A personal or family budget spent on the person's own barriers."""

    enabled: bool = param("on/off", "lever (seed 001: Lewisham personal and family budgets)",
                          "whether it runs")
    amount: float = param("GBP per person (personal) or household (family)",
                          "assumption: the seeds give no amount ($10, $15)",
                          "the budget", ge=0.0)
    unit_price: float = param(
        "GBP per unit of severity removed", "docs/evidence.md",
        "what it costs to remove a barrier through purchases", kind="effect", gt=0.0,
    )
    sign_off_days: float = param("days (mean)", "assumption (seed 001: the steering group "
                                 "signs off action plans)", "wait before spending", ge=0.0)
    case_worker_hours: float = param("hours", "assumption", "case worker or broker time",
                                     ge=0.0)
    advisers_per_1000: float = param("case workers per 1,000 stock claimants",
                                     "docs/evidence.md", "case workers (or family brokers)",
                                     kind="capacity", gt=0.0)
    caseload_per_adviser: float = param(
        "open cases per case worker", "docs/evidence.md",
        "people a case worker holds at once: a case waits for a place when all are taken",
        kind="capacity", gt=0.0)
    case_weeks: float = param("weeks", "docs/evidence.md",
                              "how long a case holds its place on the caseload",
                              kind="capacity", gt=0.0)
    cohort_per_1000_year: float = param(
        "budgets a year per 1,000 stock claimants", "docs/evidence.md",
        "the cohort the partnership funds: once this many (people, or households for a "
        "family budget) have taken a budget in a year of the run, no more are offered "
        "that year", kind="capacity", ge=0.0)
    take_up: float = param("probability", "docs/evidence.md",
                           "chance an eligible person (household) offered a budget takes it",
                           kind="take_up", ge=0.0, le=1.0)
    buys: list[str] = param(
        "barrier names", "docs/evidence.md",
        "barriers the money can buy down (childcare, travel, training, equipment); others "
        "are referred to the services that address them")
    motivation_gain: float = param("share of the gap to 1", "docs/evidence.md",
                                   "gain from owning the plan", kind="effect", ge=0.0, le=1.0)
    eligibility: Eligibility = param("see fields", "seed 001 (T11) for the personal budget",
                                     "who may have one")
    payer: Funding = param("partner, or partner: share",
                           "seed 001: LITF (personal) and pooled funding (family) through "
                           "the council ($10, $15)", "who pays for budgets and case workers")

    @model_validator(mode="after")
    def _barriers(self) -> BudgetSettings:
        _known(self.buys, BARRIERS, "barrier")
        return self


class TroubledFamiliesSettings(BudgetSettings):
    """The national Troubled Families programme (phase one, April 2012 to March 2015).

    A family budget's case work (a key worker for the whole workless household,
    referrals for what the money cannot buy) with the programme's own eligibility,
    dates and size: a household qualifies when no one in it is in work and its
    members carry at least ``min_problems`` different barriers between them.
    """

    enabled: bool = param("on/off", "the national programme, on in the family places by "
                          "borough init (docs/places.md)", "whether it runs")
    amount: float = param("GBP per household", "DCLG: key workers, not a budget to spend",
                          "money the key worker may spend on the household", ge=0.0)
    payer: Funding = param("partner, or partner: share", "DCLG paid councils up to GBP "
                           "4,000 a family by results, about 40% of the cost",
                           "who pays for the key workers")
    start_week: float = param("week of the run", "DCLG: the programme began in April 2012 "
                              "(set by the calendar for a place's run)",
                              "first week it takes families", ge=0.0)
    end_week: float | None = param("week of the run (none: runs on)", "DCLG: phase one ran "
                                   "to March 2015 (set by the calendar)",
                                   "week from which it takes no one new", ge=0.0)
    min_problems: int = param(
        "barriers", "assumption: the programme's families met three of four criteria, one "
        "of them worklessness (DCLG, Financial framework, 2012)",
        "different barriers the household's members carry between them", ge=1, le=10)


class PostEmploymentSettings(Frozen):
    """Support after a job starts (mechanism 9 when off)."""

    enabled: bool = param("on/off", "lever (seed 001, Birmingham stage 6)", "whether it runs")
    weeks: float = param("weeks", "assumption", "how long in-work contacts go on (a place "
                         "on the caseload is held this long)", ge=0.0)
    take_up: float = param("probability", "docs/evidence.md",
                           "chance a job entrant offered in-work support uses it",
                           kind="take_up", ge=0.0, le=1.0)
    advisers_per_1000: float = param("advisers per 1,000 stock claimants", "docs/evidence.md",
                                     "in-work support advisers", kind="capacity", gt=0.0)
    caseload_per_adviser: float = param(
        "people in work per adviser", "docs/evidence.md",
        "people an adviser supports at once: a job entrant finding no place gets none",
        kind="capacity", gt=0.0)
    retention_effect: float = param(
        "share", "docs/evidence.md", "cut in the hazard of a job ending while the effect lasts",
        kind="effect", ge=0.0, le=1.0,
    )
    effect_weeks: float = param(
        "weeks", "docs/evidence.md",
        "how long the retention effect lasts after the job starts", kind="effect", ge=0.0,
    )
    sessions: int = param("sessions", "assumption", "in-work contacts", ge=0)
    session_hours: float = param("hours", "assumption", "per contact", ge=0.0)
    payer: Funding = param("partner, or partner: share", "assumption (seed 001, Birmingham "
                           "stage 6 is a partnership service)", "who pays for in-work support")


class OutreachSettings(Frozen):
    """Reaching workless people who never come to the Jobcentre."""

    enabled: bool = param("on/off", "lever (seed 004: 9 outreach advisers, K3)",
                          "whether it runs")
    reach_per_week: float = param("per week", "docs/evidence.md",
                                  "hazard of a workless non-claimant being contacted",
                                  kind="take_up", ge=0.0)
    take_up: float = param("probability", "docs/evidence.md",
                           "chance a person contacted engages", kind="take_up", ge=0.0,
                           le=1.0)
    advisers_per_1000: float = param("advisers per 1,000 stock claimants", "docs/evidence.md",
                                     "the outreach team", kind="capacity", gt=0.0)
    caseload_per_adviser: float = param(
        "people per adviser", "docs/evidence.md",
        "people an adviser supports at once: a person contacted when the team is full is "
        "not taken on", kind="capacity", gt=0.0)
    engaged_weeks: float = param(
        "weeks", "docs/evidence.md",
        "how long an engaged person is supported to look for work before the place is freed",
        kind="capacity", gt=0.0)
    search_factor: float = param(
        "multiplier", "docs/evidence.md",
        "offers to someone engaged by outreach or a family broker, relative to their own "
        "offers without it, while they are supported", kind="effect", ge=0.0)
    session_hours: float = param("hours", "assumption", "first contact", ge=0.0)
    payer: Funding = param("partner, or partner: share", "seed 004: outreach advisers of "
                           "the council's worklessness team", "who pays for outreach")


class AgeLimit(Frozen):
    """The age of the youngest child from which a lone parent moves to JSA, from a week on."""

    from_week: float = Field(ge=0.0, le=1040.0)
    age: float = Field(ge=0.0, le=16.0)


class LoneParentSettings(Frozen):
    """Lone Parent Obligations: Income Support ends when the youngest child is old enough."""

    enabled: bool = param(
        "on/off", "seed 001 (Bradford; lone parents moving to JSA as the youngest child "
        "reaches 7, then 5)", "lone parents move from IS to JSA when their youngest child "
        "reaches the age in force (off: the aggregate IS transfer hazard stands in)")
    age_limits: list[AgeLimit] = param(
        "from week of the run: age in years", "DWP Lone Parent Obligations: 12 from November "
        "2008, 10 from October 2009, 7 from October 2010, 5 from 21 May 2012 (a run starting "
        "in April 2011: 7 from week 0, 5 from week 59)",
        "the age of the youngest child at which Income Support ends, by week of the run",
        min_length=1)
    youngest_child_age: Triangular = param(
        "years", "assumption: DWP benefit statistics show most lone parents on IS have a "
        "child under 5; drawn below the limit in force when the claim is seen",
        "age of a lone parent's youngest child when they enter the model")

    @model_validator(mode="after")
    def _ordered(self) -> LoneParentSettings:
        weeks = [limit.from_week for limit in self.age_limits]
        if weeks[0] != 0 or weeks != sorted(set(weeks)):
            raise ValueError("age_limits must start at week 0 and rise")
        self.youngest_child_age.within(0, 16, "youngest_child_age")
        return self

    def limit(self, week: float) -> float:
        """The age limit in force in ``week`` of the run."""
        return [a.age for a in self.age_limits if a.from_week <= week][-1]


class ReassessmentSettings(Frozen):
    """Incapacity Benefit reassessment: the old incapacity stock through the WCA."""

    enabled: bool = param(
        "on/off", "seed 001 (Bradford: 'around another 20,000 people'; named in five places)",
        "stock incapacity claimants are called for a Work Capability Assessment")
    claims_older_than_weeks: float = param(
        "weeks claimed at the start of the run", "ESA replaced Incapacity Benefit for new "
        "claims from 27 October 2008: about 128 weeks before a run starting in April 2011",
        "stock claimants claiming at least this long are Incapacity Benefit claimants", ge=0.0)
    start_week: float = param(
        "week of the run", "DWP: national reassessment from April 2011 (trials in Aberdeen "
        "and Burnley from October 2010)", "first reassessments", ge=0.0)
    end_week: float = param(
        "week of the run", "DWP: the programme was to finish in spring 2014 (about 156 weeks "
        "from April 2011)", "last reassessments: calls are spread evenly in between", ge=0.0)
    fit_for_work_probability: float = param(
        "probability at health severity 0", "docs/evidence.md",
        "chance a reassessed claimant is found fit for work (moves to JSA), cut by health "
        "severity as in the WCA (jobcentre.wca.health_effect)", kind="effect", ge=0.0, le=1.0)
    support_group_share: float = param(
        "share of those not fit for work", "docs/evidence.md",
        "placed in the support group rather than the work-related activity group",
        kind="effect", ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _ordered(self) -> ReassessmentSettings:
        if self.start_week > self.end_week:
            raise ValueError(f"start_week {self.start_week:g} is after end_week "
                             f"{self.end_week:g}")
        return self


class GeographySettings(Frozen):
    """Where people and services are: distance drives referral leakage."""

    borough_km: float = param("km (side of a square)", "seed 004: 350 km2 (C1)",
                              "size of the borough", gt=0.0)


class Scenario(Frozen):
    """One scenario: every parameter of the model."""

    name: Slug
    description: str = ""
    #: The targets file the fitted parameters were refitted to (empty: the baseline's
    #: Wakefield targets; set by ``journeysim calibrate``).
    calibrated_to: str = ""
    run: RunSettings
    population: PopulationSettings
    jobcentre: JobcentreSettings
    labour_market: LabourMarketSettings
    motivation: MotivationSettings
    costs: CostSettings
    system: SystemSettings
    services: dict[str, SupportService]
    work_programme: WorkProgrammeSettings
    flexible_new_deal: WorkProgrammeSettings
    pathways_to_work: WorkProgrammeSettings
    hub: HubSettings
    personal_budget: BudgetSettings
    family_budget: BudgetSettings
    troubled_families: TroubledFamiliesSettings
    post_employment: PostEmploymentSettings
    outreach: OutreachSettings
    lone_parents: LoneParentSettings
    ib_reassessment: ReassessmentSettings
    geography: GeographySettings
    cba: CbaSettings

    @model_validator(mode="after")
    def _network(self) -> Scenario:
        _known(self.hub.co_located, tuple(self.services), "service")
        for name in PROGRAMMES:
            _known(list(getattr(self, name).referral_weeks), SEGMENTS, "segment")
        return self

    def with_run(self, **changes: Any) -> Scenario:
        """A new scenario with some run settings changed (people, weeks, seed)."""
        run = self.run.model_copy(update={k: v for k, v in changes.items() if v is not None})
        return self.model_copy(update={"run": RunSettings.model_validate(run.model_dump())})

    def head_counts(self) -> list[tuple[str, str, float, int]]:
        """Every running service's resolved size at this scenario's number of claimants.

        Rows of (service, what is counted, the rate per 1,000 stock claimants, the
        count the model uses): advisers and staff rounded up (at least one), places
        on a caseload from the exact staffing, a budget's yearly cohort as a number.
        """
        people = self.run.people
        rows = [("jobcentre", "advisers", self.jobcentre.advisers_per_1000,
                 head_count(self.jobcentre.advisers_per_1000, people))]
        for name in PROGRAMMES:
            programme: WorkProgrammeSettings = getattr(self, name)
            if programme.enabled:
                rate = programme.advisers_per_1000
                rows.append((name, "advisers", rate, head_count(rate, people)))
        if self.hub.enabled:
            rate = self.hub.advisers_per_1000
            rows.append(("hub", "advisers", rate, head_count(rate, people)))
        for name in BUDGETS:
            budget: BudgetSettings = getattr(self, name)
            if budget.enabled:
                rate = budget.advisers_per_1000
                rows += [(name, "case workers", rate, head_count(rate, people)),
                         (name, "open cases", rate * budget.caseload_per_adviser,
                          places(rate, people, budget.caseload_per_adviser)),
                         (name, "budgets a year", budget.cohort_per_1000_year,
                          math.floor(budget.cohort_per_1000_year * people / 1000.0 + 1e-9))]
        for name, team in (("post_employment", self.post_employment),
                           ("outreach", self.outreach)):
            if team.enabled:
                rate = team.advisers_per_1000
                rows += [(name, "advisers", rate, head_count(rate, people)),
                         (name, "people supported at once", rate * team.caseload_per_adviser,
                          places(rate, people, team.caseload_per_adviser))]
        for name, service in self.services.items():
            if service.enabled:
                rate = service.advisers_per_1000
                rows.append((name, "staff", rate, head_count(rate, people)))
                if service.job_weeks:
                    rows.append((name, "jobs", service.job_places_per_1000,
                                 places(service.job_places_per_1000, people, 1.0)))
        return rows

    def memory_needed(self) -> int:
        """Bytes one run needs, roughly: its stock plus every new claim."""
        run = self.run
        inflow = sum(self.population.inflow_per_1000_week.values())
        claims = run.people * (1 + inflow * run.weeks / 1000)
        return int(BASE_BYTES + BYTES_PER_CLAIM * claims)

    def switched_off(self, path: str) -> bool:
        """Whether the parameter at ``path`` belongs to a part this scenario does not run.

        A part is switched off when it, or a section holding it, has ``enabled``
        false (a service, a budget, the hub, an earlier programme): no value of
        the parameter can change a run. :data:`READ_WHEN_OFF` are the exceptions.
        """
        if path in READ_WHEN_OFF:
            return False
        part: Any = self
        for name in path.split(".")[:-1]:
            part = part.get(name) if isinstance(part, dict) else getattr(part, name, None)
            if part is None:
                return False
            if getattr(part, "enabled", True) is False:
                return True
        return False

    def config_hash(self, *sections: str) -> str:
        """SHA-256 of the model parameters (the run settings excluded), first 16 hex digits.

        With ``sections`` (dotted paths such as ``jobcentre.wca``), of those alone:
        the key of something worked out from them, which scenarios that differ
        elsewhere can share.
        """
        if sections:
            body: Any = {}
            for path in sections:
                part: Any = self
                for name in path.split("."):
                    part = getattr(part, name)
                body[path] = part.model_dump(mode="json")
        else:
            body = self.model_dump(exclude={"run", "name", "description", "calibrated_to"},
                                   mode="json")
        text = json.dumps(body, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]
