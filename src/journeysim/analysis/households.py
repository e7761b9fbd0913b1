"""Household outcomes: children in workless and in poor households, and income in work.

A household's income in a week is what its adults bring in: the net earnings of
each member in work (the appraisal's job: ``cba.gross_earnings_weekly`` less
income tax and employee NI), the benefit of each member claiming, and, with
dependent children, Child Benefit and Child Tax Credit (in or out of work) and,
with someone in work, Working Tax Credit; tax credits are withdrawn at the taper
on gross earnings above the threshold. A renting household (``renter``) has
Housing Benefit: the whole award with no one in work (an out-of-work benefit
passports it), and with someone in work the award less the taper on net
earnings and Working Tax Credit above the applicable amount. Council Tax Benefit
is left out, and a couple on JSA is paid the single rate of the claimant; read
the change between scenarios before the level.

The household is poor when its income, equivalised on the modified OECD scale
before housing costs (0.67 for the first adult, 0.33 for each other, 0.20 for
each child), is below ``costs.family_income.poverty_line_weekly``, 60% of the
median (Households Below Average Income). Each household is held at its arrival
(before) and at the end of the run (after), its members in the state they were
in then; a measure of children counts each child of the households the model
holds once.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from journeysim.analysis.costs import tax_and_ni
from journeysim.analysis.stats import ratio
from journeysim.config import Scenario
from journeysim.sim.benefits import weekly_benefit
from journeysim.vocabulary import CLAIMING, IN_WORK

#: Equivalence scale (modified OECD, before housing costs): first adult, each other
#: adult, each child (taken as under 14).
FIRST_ADULT, OTHER_ADULT, CHILD = 0.67, 0.33, 0.20


def incomes(people: pd.DataFrame, states: pd.Series, scenario: Scenario) -> pd.DataFrame:
    """Each household's weekly income with its members in ``states`` (by row of ``people``).

    Returns, by household: ``children``, ``workers``, ``income`` (GBP a week) and
    ``poor`` (equivalised income below the poverty line).
    """
    cba, money = scenario.cba, scenario.costs.family_income
    taxes = tax_and_ni(cba.gross_earnings_weekly, cba)
    net = cba.gross_earnings_weekly - taxes["income_tax"] - taxes["employee_ni"]
    working = (states == IN_WORK).to_numpy()
    claiming = (states == CLAIMING).to_numpy()
    benefit = np.array([weekly_benefit(scenario.costs, b, a) if c else 0.0 for b, a, c in
                        zip(people.benefit.astype(str), people.age, claiming, strict=True)])
    own = pd.DataFrame({"household": people.household.to_numpy(), "working": working,
                        "income": np.where(working, net, 0.0) + benefit,
                        "children": people.children.to_numpy(),
                        "renter": people.renter.to_numpy()})
    homes = own.groupby("household").agg(adults=("income", "size"), workers=("working", "sum"),
                                         income=("income", "sum"), children=("children", "first"),
                                         renter=("renter", "first"))
    kids = homes.children.to_numpy()
    some = kids > 0
    credits = np.where(some, kids * money.child_tax_credit_weekly + money.family_element_weekly,
                       0.0)
    credits += np.where(some & (homes.workers > 0), money.working_tax_credit_weekly, 0.0)
    gross = homes.workers.to_numpy() * cba.gross_earnings_weekly
    credits = np.maximum(0.0, credits - money.tax_credit_taper
                         * np.maximum(0.0, gross - money.tax_credit_threshold_weekly))
    child_benefit = np.where(some, money.child_benefit_first_weekly
                             + (kids - 1).clip(min=0) * money.child_benefit_other_weekly, 0.0)
    earners = homes.workers.to_numpy() > 0
    wtc = np.where(some & earners, np.minimum(credits, money.working_tax_credit_weekly), 0.0)
    above = np.maximum(0.0, homes.workers.to_numpy() * net + wtc
                       - money.applicable_amount_weekly)
    housing = np.where(earners, np.maximum(0.0, money.housing_benefit_weekly
                                           - money.housing_benefit_taper * above),
                       money.housing_benefit_weekly)
    housing = np.where(homes.renter.to_numpy(), housing, 0.0)
    homes["income"] = homes.income + credits + child_benefit + housing
    scale = FIRST_ADULT + OTHER_ADULT * (homes.adults - 1) + CHILD * homes.children
    homes["poor"] = homes.income / scale < money.poverty_line_weekly
    return homes


def household_measures(people: pd.DataFrame, scenario: Scenario) -> dict[str, float | None]:
    """Children in workless and in poor households at arrival and at the end, and income in work.

    ``children``: dependent children in the model's households;
    ``children_workless_start`` / ``_end``: the share of them in a household where no
    adult is in work; ``children_poor_start`` / ``_end``: the share in a household
    below the poverty line; ``household_income_in_work``: the mean weekly income of
    the households with someone in work at the end (GBP).
    """
    before = incomes(people, people.start_state, scenario)
    after = incomes(people, people.state, scenario)
    kids = after.children
    total = int(kids.sum())
    in_work = after[after.workers > 0]
    return {
        "children": total,
        "children_workless_start": ratio(int(kids[before.workers == 0].sum()), total),
        "children_workless_end": ratio(int(kids[after.workers == 0].sum()), total),
        "children_poor_start": ratio(int(kids[before.poor].sum()), total),
        "children_poor_end": ratio(int(kids[after.poor].sum()), total),
        "household_income_in_work": ratio(float(in_work.income.sum()), len(in_work)),
    }
