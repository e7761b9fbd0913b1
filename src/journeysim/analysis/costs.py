"""Unit costs, the cost ledger by partner, and cost-benefit appraisal.

The model prices what happens as it happens (benefit by the day, staff time by
the hour, fees and purchases as they are paid); this module takes it from the
event log in three steps, each a pure function of the one before:

1. :func:`ledger`: one run's quantities by partner, item and year of the run:
   GBP for service costs and benefit payments (negative for the partner who
   pays, positive for the one who receives), weeks in work, sustained jobs;
2. :func:`value`: those quantities in GBP for each partner, with their category
   (fiscal, economic, social) and flow (the cost of services, or an outcome);
3. :func:`appraise`: a scenario's ledger against its baseline's, the difference
   carried past the run by the persistence assumption, net of the jobs taken
   from searchers outside the model (displacement) and discounted: net present
   value, benefit-cost ratio, cost per additional sustained job and payback,
   for each perspective and each partner, with the figures gross of
   displacement and over the run alone beside them.

The method and every unit cost are in docs/costs.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from journeysim.analysis.measures import SUSTAINED_DAYS
from journeysim.analysis.stats import ratio
from journeysim.config import CbaSettings, Scenario
from journeysim.sim import PREMISES
from journeysim.vocabulary import PARTNERS, PROGRAMMES

#: A year of the appraisal: 52 weeks, so a 104-week run is exactly two years.
YEAR_DAYS = 364.0
#: Partners whose money is public: the Exchequer perspective.
PUBLIC = ("dwp", "treasury", "council", "nhs", "housing", "justice", "skills_funding")
#: The job seekers outside the model whose jobs a design's people take (displacement):
#: society counts what they lose; they are not participants and pay for no service.
OUTSIDE = "outside_searchers"
OUTSIDE_LABEL = "job seekers outside the model"
PERSPECTIVES = {"society": (*PARTNERS, OUTSIDE), "exchequer": PUBLIC,
                "participant": ("person",)}
#: The value of being in work (the one ``social`` item): society's figures are also
#: given without it, so that this choice can be seen on its own.
WELLBEING = "wellbeing"
#: The employers' partner, and the wage subsidy they receive for a service's job.
EMPLOYERS = "employers"
WAGE_SUBSIDY = "wage_subsidy"
#: Prefix of the item of a line lost to displacement (``displaced_tax_and_ni``).
DISPLACED = "displaced_"
CATEGORIES = ("fiscal", "economic", "social")
LEDGER_COLUMNS = ["partner", "item", "kind", "year", "amount"]
VALUE_COLUMNS = ["partner", "item", "category", "flow", "year", "gbp"]


# --- 1. the ledger of one run ----------------------------------------------------------------
def payers(scenario: Scenario) -> dict[str, dict[str, float]]:
    """Who pays for each service of the log, as shares by partner.

    DWP pays benefits, Jobcentre Plus and the Work Capability Assessment; the Work
    Programme provider pays for its own delivery (DWP pays it fees: see
    :func:`ledger`); every other service says who pays in the scenario.
    """
    shares = {"benefit": {"dwp": 1.0}, "jobcentre": {"dwp": 1.0},
              "health_assessor": {"dwp": 1.0},
              **{programme: {"wp_provider": 1.0} for programme in PROGRAMMES},
              "hub": scenario.hub.payer, PREMISES: scenario.hub.premises_payer,
              "personal_budget": scenario.personal_budget.payer,
              "family_budget": scenario.family_budget.payer,
              "troubled_families": scenario.troubled_families.payer,
              "post_employment": scenario.post_employment.payer,
              "outreach": scenario.outreach.payer}
    shares.update({name: service.payer for name, service in scenario.services.items()})
    return shares


def run_years(weeks: float) -> int:
    """Years of the appraisal a run of ``weeks`` covers (a part year counts as one)."""
    return max(1, math.ceil(weeks * 7.0 / YEAR_DAYS - 1e-9))


def spread(start: np.ndarray, end: np.ndarray, amount: np.ndarray, years: int) -> np.ndarray:
    """Share ``amount`` over the years each interval [start, end] overlaps, by days.

    Returns the total for each year. An interval of no length counts in the year of
    its end; days past the last year count in the last year.
    """
    start = np.asarray(start, dtype=float)
    end = np.asarray(end, dtype=float)
    amount = np.asarray(amount, dtype=float)
    length = end - start
    point = length <= 0.0
    totals = np.zeros(years)
    edges = np.arange(years + 1) * YEAR_DAYS
    edges[-1] = math.inf
    for year in range(years):
        overlap = np.clip(np.minimum(end, edges[year + 1]) - np.maximum(start, edges[year]),
                          0.0, None)
        share = np.where(point, 0.0, overlap / np.where(point, 1.0, length))
        share = np.where(point & (end >= edges[year]) & (end < edges[year + 1]), 1.0, share)
        totals[year] = float(np.sum(share * amount))
    return totals


def ledger(events: pd.DataFrame, jobs: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """What one run cost and achieved, by partner, item and year of the run.

    ``kind`` says what ``amount`` is: ``service`` and ``benefit`` rows are GBP
    (negative: paid out; positive: received), ``work`` rows are weeks in work,
    ``starts`` rows are job starts, the ``count`` row is the number of people
    with a sustained job. Every cost in the log appears exactly once, split
    between the partners who pay for it; Work Programme fees appear twice, paid
    by DWP and received by the provider, and so do the wage subsidies of a
    service's jobs, paid by its payer and received by the employers.
    ``jobs`` is the run's ``metrics.jobs_table``.
    """
    years = run_years(scenario.run.weeks)
    shares = payers(scenario)
    rows: list[tuple[str, str, str, int, float]] = []

    def book(partner: str, item: str, kind: str, totals: np.ndarray) -> None:
        rows.extend((partner, item, kind, year, float(total))
                    for year, total in enumerate(totals) if total != 0.0)

    paid = events[events.event == "benefit_paid"]
    benefit = spread(paid.day - paid.value, paid.day, paid.cost, years)
    book("dwp", "benefit", "benefit", -benefit)
    book("person", "benefit", "benefit", benefit)

    costly = events[(events.cost != 0.0) & (events.event != "benefit_paid")]
    fees = costly.event == "payment"
    fee_totals = spread(costly.day[fees], costly.day[fees], costly.cost[fees], years)
    book("dwp", "work_programme_fees", "service", -fee_totals)
    book("wp_provider", "work_programme_fees", "service", fee_totals)
    for service, group in costly[~fees].groupby("service", observed=True, sort=True):
        if service not in shares:
            raise ValueError(f"no partner pays for service {service!r}")
        totals = spread(group.day, group.day, group.cost, years)
        for partner, share in sorted(shares[service].items()):
            book(partner, str(service), "service", -share * totals)

    subsidies = costly[costly.event == "job_offer"]
    book(EMPLOYERS, WAGE_SUBSIDY, "service",
         spread(subsidies.day, subsidies.day, subsidies.cost, years))
    book("", "work_weeks", "work",
         spread(jobs.start, jobs.start + jobs.days, jobs.days / 7.0, years))
    book("", "job_starts", "starts", spread(jobs.start, jobs.start, np.ones(len(jobs)), years))
    sustained = jobs[jobs.days >= SUSTAINED_DAYS].person.nunique()
    rows.append(("", "sustained_jobs", "count", 0, float(sustained)))
    return pd.DataFrame(rows, columns=LEDGER_COLUMNS)


# --- 2. valuing it ---------------------------------------------------------------------------
def tax_and_ni(weekly: float, cba: CbaSettings) -> dict[str, float]:
    """Income tax, employee NI and employer NI on weekly earnings (GBP per week)."""
    tax = cba.tax
    return {
        "income_tax": tax.basic_rate * max(0.0, weekly - tax.personal_allowance_weekly),
        "employee_ni": tax.employee_ni_rate * max(0.0, weekly - tax.employee_ni_threshold_weekly),
        "employer_ni": tax.employer_ni_rate * max(0.0, weekly - tax.employer_ni_threshold_weekly),
    }


def work_week_values(cba: CbaSettings) -> list[tuple[str, str, float]]:
    """What a week in work is worth to each partner: (partner, item, GBP)."""
    taxes = tax_and_ni(cba.gross_earnings_weekly, cba)
    net = cba.gross_earnings_weekly - taxes["income_tax"] - taxes["employee_ni"]
    return [
        ("person", "earnings_after_tax", net),
        ("person", "in_work_costs", -cba.in_work_costs_weekly),
        ("person", "wellbeing", cba.wellbeing_per_work_week),
        ("treasury", "tax_and_ni", sum(taxes.values())),
        ("nhs", "health_savings", cba.nhs_saving_per_work_week),
        ("housing", "housing_savings", cba.housing_saving_per_work_week),
        ("justice", "justice_savings", cba.justice_saving_per_work_week),
        (EMPLOYERS, "employer_surplus", cba.employer_surplus_per_work_week),
    ]


def job_start_values(cba: CbaSettings) -> list[tuple[str, str, float]]:
    """What a job start is worth to each partner: (partner, item, GBP).

    The employer pays to fill the post.
    """
    return [(EMPLOYERS, "recruitment_costs", -cba.employer_recruitment_cost)]


def category(partner: str, item: str) -> str:
    """Fiscal for public money, social for wellbeing, economic for the rest."""
    if item == "wellbeing":
        return "social"
    return "fiscal" if partner in PUBLIC else "economic"


def value(run_ledger: pd.DataFrame, cba: CbaSettings) -> pd.DataFrame:
    """The ledger in GBP: one line per partner, item and year, with category and flow.

    Service rows are scaled by ``service_cost_factor`` and are the ``cost`` flow;
    benefit payments and the values of weeks in work and of job starts are the
    ``outcome`` flow. Built from arrays in one go: an uncertainty analysis values
    each run's ledger at every draw's settings.
    """
    kind = run_ledger.kind.to_numpy()
    amount = run_ledger.amount.to_numpy()
    year = run_ledger.year.to_numpy()
    money = np.isin(kind, ["service", "benefit"])
    service = kind[money] == "service"
    columns: dict[str, list[np.ndarray]] = {
        "partner": [run_ledger.partner.to_numpy(dtype=object)[money]],
        "item": [run_ledger.item.to_numpy(dtype=object)[money]],
        "flow": [np.where(service, "cost", "outcome").astype(object)],
        "year": [year[money]],
        "gbp": [np.where(service, cba.service_cost_factor, 1.0) * amount[money]],
    }
    for kind_, values in (("work", work_week_values(cba)), ("starts", job_start_values(cba))):
        rows = kind == kind_
        count = int(rows.sum())
        for partner, item, each in values:
            for name, fill in (("partner", partner), ("item", item), ("flow", "outcome")):
                columns[name].append(np.full(count, fill, dtype=object))
            columns["year"].append(year[rows])
            columns["gbp"].append(amount[rows] * each)
    valued = pd.DataFrame({name: np.concatenate(parts) for name, parts in columns.items()})
    valued["category"] = [category(p, i) for p, i in zip(valued.partner, valued.item,
                                                         strict=True)]
    return valued[VALUE_COLUMNS]


# --- 3. appraising a scenario against its baseline --------------------------------------------
def discount_factors(cba: CbaSettings, years: int) -> np.ndarray:
    """Discount factor of each year: 1 for year 0, then divided by 1 + that year's rate."""
    periods = sorted((p.from_year, p.rate) for p in cba.discount_schedule)
    factors = np.ones(years)
    for year in range(1, years):
        rate = [r for start, r in periods if start <= year][-1]
        factors[year] = factors[year - 1] / (1.0 + rate)
    return factors


def differences(base: pd.DataFrame, scenario: pd.DataFrame, cba: CbaSettings,
                run_years_: int, horizon_years: int) -> pd.DataFrame:
    """Scenario minus baseline, line by line and year by year, over the horizon.

    Outcome lines go on past the run: the last simulated year's difference times
    ``persistence_per_year`` in the first year after it, times its square in the
    second, and so on (0: nothing after the run). Service costs stop with the run.
    """
    keys = ["partner", "item", "category", "flow"]
    both = pd.concat([scenario.assign(sign=1.0), base.assign(sign=-1.0)], ignore_index=True)
    both["gbp"] = both.gbp * both.sign
    table = both.groupby([*keys, "year"], sort=True).gbp.sum().unstack("year", fill_value=0.0)
    table = table.reindex(columns=range(run_years_), fill_value=0.0)
    last = table[run_years_ - 1].where(table.index.get_level_values("flow") == "outcome", 0.0)
    for year in range(run_years_, horizon_years):
        table[year] = last * cba.persistence_per_year ** (year - run_years_ + 1)
    return table[list(range(horizon_years))]


def displaced_share(extra_in_model: float, extra_in_all: float) -> float:
    """Share of a design's extra job starts that searchers outside the model lost.

    ``extra_in_model``: the design's job starts in the model less the baseline's
    (``hires_in_model``); ``extra_in_all``: the same for the borough's hires, the
    outside pool's included (``hires_total``). The share is 1 - all / model,
    held within [0, 1] (noise can put it outside); 0 when job starts in the model
    did not change. A design with fewer job starts gets the same share: the
    outside searchers take up part of what its people lose.
    """
    if extra_in_model == 0.0 or not math.isfinite(extra_in_model + extra_in_all):
        return 0.0
    return min(1.0, max(0.0, 1.0 - extra_in_all / extra_in_model))


def displacement_of(base_runs: Sequence[Mapping[str, Any]],
                    scenario_runs: Sequence[Mapping[str, Any]]) -> float:
    """:func:`displaced_share` of a design's runs against its baseline's, as a ratio of means.

    Each run is a record (or a frame's row) with ``hires_in_model`` and
    ``hires_total``; ``base_runs[i]`` and ``scenario_runs[i]`` share replication i.
    The share is taken from the mean extra job starts and the mean extra hires over
    the replications: a ratio of replication-by-replication shares would be noise
    wherever a replication adds only a few job starts.
    """
    def extra(measure: str) -> float:
        return float(sum(float(mine[measure]) - float(theirs[measure])
                         for theirs, mine in zip(base_runs, scenario_runs, strict=True))
                     / max(1, len(scenario_runs)))

    return displaced_share(extra("hires_in_model"), extra("hires_total"))


def displaced(table: pd.DataFrame, share: float, cba: CbaSettings) -> pd.DataFrame:
    """``table`` with the loss of the jobs taken from searchers outside the model.

    Each line valued by the week in work or the job start (:func:`work_week_values`,
    :func:`job_start_values`) has a counterpart item ``displaced_<item>``: ``-share``
    times it, the loss of whoever would have had it had the outside searcher kept
    the job (the employers' margin and recruitment costs are theirs either way). The person's lines
    (earnings, costs of working, wellbeing) are the outside searchers' loss
    (``OUTSIDE``: society's, not the participant's); tax and NI, and the public
    services' savings, are the loss of the partner who would have banked them.
    Benefit is not touched: the outside pool is job changers and unemployed people
    who do not claim, so DWP pays them nothing more when they miss a job.
    """
    items = [item for _, item, _ in (*work_week_values(cba), *job_start_values(cba))]
    work = table[table.index.get_level_values("item").isin(items)]
    if share == 0.0 or work.empty:
        return table
    index = work.index.to_frame(index=False)
    index["partner"] = index.partner.replace("person", OUTSIDE)
    index["item"] = DISPLACED + index["item"]
    lost = -share * work.set_axis(pd.MultiIndex.from_frame(index), axis=0)
    return pd.concat([table, lost])


def appraise(base_ledger: pd.DataFrame, scenario_ledger: pd.DataFrame, cba: CbaSettings,
             weeks: float, horizon_years: int | None = None,
             displacement: float = 0.0) -> dict[str, float | None]:
    """The appraisal of one replication: a flat record of GBP figures and ratios.

    ``displacement`` is the share of the design's extra job starts taken from
    searchers outside the model (:func:`displacement_of`);
    every figure without a suffix is net of it (:func:`displaced`). For each
    perspective, and each partner: ``pv_benefits`` (present value of the change
    in outcomes, after the optimism-bias reduction), ``pv_costs`` (present value
    of the extra cost of services; negative when the scenario costs less), ``npv``
    (their difference) and ``bcr`` (their ratio, when the scenario costs more).
    The same four for society without wellbeing (``..._society_without_wellbeing``),
    and ``wellbeing_share_of_society_benefits`` (the Exchequer's figures never
    include it). Beside them, for society (with and without wellbeing) and the
    Exchequer: the four gross of displacement (suffix ``_gross``) and over the run
    alone, benefits stopping when the run and its costs stop (``_same_horizon``).
    Also the NPV by category, the Exchequer's cost per additional sustained job
    and its payback in years (None if it does not pay back within the horizon),
    and the displacement applied (``displacement_applied``).
    """
    horizon = horizon_years or cba.horizon_years
    years = run_years(weeks)
    gross = differences(value(base_ledger, cba), value(scenario_ledger, cba), cba, years,
                        horizon)
    table = displaced(gross, displacement, cba)
    record: dict[str, float | None] = {"displacement_applied": float(displacement)}
    pv = _present_values(table, cba)
    headline = {"society": PERSPECTIVES["society"], "exchequer": PUBLIC,
                "society_without_wellbeing": PERSPECTIVES["society"]}
    by_year = _figures(pv, table.index, {**PERSPECTIVES, **headline}, "", record)
    record["payback_years_exchequer"] = payback(by_year["exchequer"],
                                                record["pv_costs_exchequer"])
    _figures(pv, table.index, {p: (p,) for p in (*PARTNERS, OUTSIDE)}, "", record)
    within = pv.copy()
    within[:, years:] = 0.0  # costs stop with the run: so do the benefits here
    _figures(within, table.index, headline, "_same_horizon", record)
    _figures(_present_values(gross, cba), gross.index, headline, "_gross", record)
    wellbeing = _is_wellbeing(table.index)
    record["wellbeing_share_of_society_benefits"] = ratio(
        float(pv[wellbeing].sum()), record["pv_benefits_society"])
    categories = table.index.get_level_values("category")
    for name in CATEGORIES:
        record[f"npv_{name}"] = float(pv[np.asarray(categories == name)].sum())
    extra_jobs = float(_count(scenario_ledger) - _count(base_ledger))
    record["additional_sustained_jobs"] = extra_jobs
    record["cost_per_additional_sustained_job"] = (
        record["pv_costs_exchequer"] / extra_jobs
        if extra_jobs > 0 and record["pv_costs_exchequer"] > 0 else None)
    return record


def _present_values(table: pd.DataFrame, cba: CbaSettings) -> np.ndarray:
    """Present value of each line by year, outcomes after the optimism-bias reduction."""
    pv = table.to_numpy() * discount_factors(cba, table.shape[1])
    pv[_outcome(table.index)] *= 1.0 - cba.optimism_bias
    return pv


def _outcome(index: pd.MultiIndex) -> np.ndarray:
    return np.asarray(index.get_level_values("flow") == "outcome")


def _is_wellbeing(index: pd.MultiIndex) -> np.ndarray:
    """The wellbeing lines: the participants' and the outside searchers' lost wellbeing."""
    return np.asarray(index.get_level_values("item").isin([WELLBEING, DISPLACED + WELLBEING]))


def _figures(pv: np.ndarray, index: pd.MultiIndex, groups: dict[str, tuple[str, ...]],
             suffix: str, record: dict[str, float | None]) -> dict[str, np.ndarray]:
    """PV of benefits and costs, NPV and BCR of each group of partners, into ``record``.

    A group named ``..._without_wellbeing`` leaves the wellbeing lines out. Returns
    each group's net present value by year.
    """
    outcome = _outcome(index)
    partners = index.get_level_values("partner")
    yearly = {}
    for name, members in groups.items():
        mask = np.isin(partners, members)
        if name.endswith("_without_wellbeing"):
            mask &= ~_is_wellbeing(index)
        benefits = float(pv[mask & outcome].sum())
        costs = -float(pv[mask & ~outcome].sum())
        record[f"pv_benefits_{name}{suffix}"] = benefits
        record[f"pv_costs_{name}{suffix}"] = costs
        record[f"npv_{name}{suffix}"] = benefits - costs
        record[f"bcr_{name}{suffix}"] = ratio(benefits, costs) if costs > 0.0 else None
        yearly[name] = pv[mask].sum(axis=0)
    return yearly


def payback(net_by_year: np.ndarray, pv_costs: float) -> float | None:
    """Years until the discounted net gain, added up, stays at zero or more.

    0 when the scenario costs less and is never behind; None when it is still
    behind at the end of the horizon.
    """
    cumulative = np.cumsum(net_by_year)
    if cumulative[-1] < 0.0:
        return None
    behind = np.nonzero(cumulative < 0.0)[0]
    if len(behind):
        return float(behind[-1] + 2)
    return 0.0 if pv_costs <= 0.0 else 1.0


def _count(run_ledger: pd.DataFrame) -> float:
    return float(run_ledger.amount[run_ledger.kind == "count"].sum())
