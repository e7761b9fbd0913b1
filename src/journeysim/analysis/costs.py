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
   carried past the run by the persistence assumption and discounted: net
   present value, benefit-cost ratio, cost per additional sustained job and
   payback, for each perspective and each partner.

The method and every unit cost are in docs/costs.md.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from journeysim.analysis.measures import SUSTAINED_DAYS
from journeysim.analysis.stats import ratio
from journeysim.config import CbaSettings, Scenario
from journeysim.sim import PREMISES
from journeysim.vocabulary import PARTNERS

#: A year of the appraisal: 52 weeks, so a 104-week run is exactly two years.
YEAR_DAYS = 364.0
#: Partners whose money is public: the Exchequer perspective.
PUBLIC = ("dwp", "treasury", "council", "nhs", "housing", "justice", "skills_funding")
PERSPECTIVES = {"society": tuple(PARTNERS), "exchequer": PUBLIC, "participant": ("person",)}
#: The value of being in work to the person (the one ``social`` line): society's figures
#: are also given without it, so that this choice can be seen on its own.
WELLBEING = ("person", "wellbeing")
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
              "health_assessor": {"dwp": 1.0}, "work_programme": {"wp_provider": 1.0},
              "hub": scenario.hub.payer, PREMISES: scenario.hub.premises_payer,
              "personal_budget": scenario.personal_budget.payer,
              "family_budget": scenario.family_budget.payer,
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
    the ``count`` row is the number of people with a sustained job. Every cost in
    the log appears exactly once, split between the partners who pay for it;
    Work Programme fees appear twice, paid by DWP and received by the provider.
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

    book("", "work_weeks", "work",
         spread(jobs.start, jobs.start + jobs.days, jobs.days / 7.0, years))
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
    ]


def category(partner: str, item: str) -> str:
    """Fiscal for public money, social for wellbeing, economic for the rest."""
    if item == "wellbeing":
        return "social"
    return "fiscal" if partner in PUBLIC else "economic"


def value(run_ledger: pd.DataFrame, cba: CbaSettings) -> pd.DataFrame:
    """The ledger in GBP: one line per partner, item and year, with category and flow.

    Service rows are scaled by ``service_cost_factor`` and are the ``cost`` flow;
    benefit payments and the values of weeks in work are the ``outcome`` flow.
    """
    money = run_ledger[run_ledger.kind.isin(["service", "benefit"])]
    lines = pd.DataFrame({
        "partner": money.partner, "item": money.item,
        "flow": np.where(money.kind == "service", "cost", "outcome"),
        "year": money.year,
        "gbp": np.where(money.kind == "service", cba.service_cost_factor, 1.0) * money.amount,
    })
    work = run_ledger[run_ledger.kind == "work"]
    parts = [lines] + [
        pd.DataFrame({"partner": partner, "item": item, "flow": "outcome", "year": work.year,
                      "gbp": work.amount * per_week})
        for partner, item, per_week in work_week_values(cba)]
    valued = pd.concat(parts, ignore_index=True)
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
    table = both.pivot_table(index=keys, columns="year", values="gbp", aggfunc="sum",
                             fill_value=0.0)
    table = table.reindex(columns=range(run_years_), fill_value=0.0)
    last = table[run_years_ - 1].where(table.index.get_level_values("flow") == "outcome", 0.0)
    for year in range(run_years_, horizon_years):
        table[year] = last * cba.persistence_per_year ** (year - run_years_ + 1)
    return table[list(range(horizon_years))]


def appraise(base_ledger: pd.DataFrame, scenario_ledger: pd.DataFrame, cba: CbaSettings,
             weeks: float, horizon_years: int | None = None) -> dict[str, float | None]:
    """The appraisal of one replication: a flat record of GBP figures and ratios.

    For each perspective, and each partner: ``pv_benefits`` (present value of the
    change in outcomes, after the optimism-bias reduction), ``pv_costs`` (present
    value of the extra cost of services; negative when the scenario costs less),
    ``npv`` (their difference) and ``bcr`` (their ratio, when the scenario costs
    more). The same four for society without the wellbeing line
    (``..._society_without_wellbeing``), and ``wellbeing_share_of_society_benefits``
    (its share of society's ``pv_benefits``; the Exchequer's figures never include it).
    Also the NPV by category, the Exchequer's cost per additional sustained job and
    its payback in years (None if it does not pay back within the horizon).
    """
    horizon = horizon_years or cba.horizon_years
    years = run_years(weeks)
    table = differences(value(base_ledger, cba), value(scenario_ledger, cba), cba, years,
                        horizon)
    factors = discount_factors(cba, horizon)
    keep = 1.0 - cba.optimism_bias
    outcome = table.index.get_level_values("flow") == "outcome"
    yearly = table.to_numpy() * factors  # present values by line and year
    yearly[outcome] *= keep
    partners = table.index.get_level_values("partner")
    record: dict[str, float | None] = {}

    def sums(mask: np.ndarray, prefix: str) -> np.ndarray:
        benefits = float(yearly[mask & outcome].sum())
        costs = -float(yearly[mask & ~outcome].sum())
        record[f"pv_benefits_{prefix}"] = benefits
        record[f"pv_costs_{prefix}"] = costs
        record[f"npv_{prefix}"] = benefits - costs
        record[f"bcr_{prefix}"] = ratio(benefits, costs) if costs > 0.0 else None
        return yearly[mask].sum(axis=0)

    for name, members in PERSPECTIVES.items():
        net = sums(np.isin(partners, members), name)
        if name == "exchequer":
            record["payback_years_exchequer"] = payback(net, record["pv_costs_exchequer"])
    for partner in PARTNERS:
        sums(np.asarray(partners == partner), partner)
    wellbeing = np.asarray((partners == WELLBEING[0])
                           & (table.index.get_level_values("item") == WELLBEING[1]))
    sums(~wellbeing, "society_without_wellbeing")
    record["wellbeing_share_of_society_benefits"] = ratio(
        float(yearly[wellbeing & outcome].sum()), record["pv_benefits_society"])
    categories = table.index.get_level_values("category")
    for name in CATEGORIES:
        record[f"npv_{name}"] = float(yearly[np.asarray(categories == name)].sum())
    extra_jobs = float(_count(scenario_ledger) - _count(base_ledger))
    record["additional_sustained_jobs"] = extra_jobs
    record["cost_per_additional_sustained_job"] = (
        record["pv_costs_exchequer"] / extra_jobs
        if extra_jobs > 0 and record["pv_costs_exchequer"] > 0 else None)
    return record


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
