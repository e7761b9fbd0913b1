"""Household outcomes: income by a known case, and children counted once per household."""

import pandas as pd
import pytest

from journeysim.analysis.households import household_measures, incomes


def _people(start: list[str], end: list[str], renter: bool = False) -> pd.DataFrame:
    """A lone parent on Income Support with two children, and a JSA claimant aged 30
    living with a partner who does not claim, without children; renting or not."""
    return pd.DataFrame({
        "person": [1, 2, 3], "household": [1, 2, 2], "benefit": ["IS_LP", "JSA", "NONE"],
        "age": [30, 30, 31], "children": [2, 0, 0], "start_state": start, "state": end,
        "renter": [renter] * 3})


def test_a_lone_parents_income_out_of_work_and_in_work(baseline):
    people = _people(["claiming", "claiming", "inactive"], ["in_work", "claiming", "in_work"])
    money, cba = baseline.costs.family_income, baseline.cba
    kids = 2 * money.child_tax_credit_weekly + money.family_element_weekly
    child_benefit = money.child_benefit_first_weekly + money.child_benefit_other_weekly
    before = incomes(people, people.start_state, baseline)
    out_of_work = baseline.costs.benefit_weekly.IS_LP + kids + child_benefit
    assert before.income[1] == pytest.approx(out_of_work)
    assert before.poor[1] == (out_of_work / (0.67 + 2 * 0.2) < money.poverty_line_weekly)
    after = incomes(people, people.state, baseline)
    gross = cba.gross_earnings_weekly
    net = (gross - cba.tax.basic_rate * (gross - cba.tax.personal_allowance_weekly)
           - cba.tax.employee_ni_rate * (gross - cba.tax.employee_ni_threshold_weekly))
    credits = (kids + money.working_tax_credit_weekly
               - money.tax_credit_taper * (gross - money.tax_credit_threshold_weekly))
    assert after.income[1] == pytest.approx(net + credits + child_benefit)
    assert before.poor[1] and not after.poor[1], "work lifts this family over the line"
    # the couple: the claimant's JSA and the partner's earnings, no credits without children
    assert after.income[2] == pytest.approx(baseline.costs.benefit_weekly.JSA + net)
    assert before.income[2] == pytest.approx(baseline.costs.benefit_weekly.JSA)


def test_children_in_workless_and_poor_households_before_and_after(baseline):
    people = _people(["claiming", "claiming", "inactive"], ["in_work", "claiming", "in_work"])
    found = household_measures(people, baseline)
    assert found["children"] == 2
    assert found["children_workless_start"] == 1.0 and found["children_workless_end"] == 0.0
    assert found["children_poor_start"] == 1.0 and found["children_poor_end"] == 0.0
    after = incomes(people, people.state, baseline)
    assert found["household_income_in_work"] == pytest.approx(after.income.mean())


def test_housing_benefit_meets_a_renters_rent_out_of_work_and_tapers_in_work(baseline):
    people = _people(["claiming", "claiming", "inactive"], ["in_work", "claiming", "in_work"],
                     renter=True)
    money, cba = baseline.costs.family_income, baseline.cba
    owners = _people(["claiming", "claiming", "inactive"], ["in_work", "claiming", "in_work"])
    before, owned_before = (incomes(p, p.start_state, baseline) for p in (people, owners))
    # no one in work: the whole award on top of what an owner has
    assert list(before.income - owned_before.income) == pytest.approx([96.08, 96.08])
    after, owned_after = (incomes(p, p.state, baseline) for p in (people, owners))
    gross = cba.gross_earnings_weekly
    net = (gross - cba.tax.basic_rate * (gross - cba.tax.personal_allowance_weekly)
           - cba.tax.employee_ni_rate * (gross - cba.tax.employee_ni_threshold_weekly))
    # the lone parent in work with Working Tax Credit, the couple with one earner and none
    lone = max(0.0, 96.08 - 0.65 * (net + money.working_tax_credit_weekly - 67.50))
    couple = max(0.0, 96.08 - 0.65 * (net - 67.50))
    assert after.income[1] - owned_after.income[1] == pytest.approx(lone)
    assert after.income[2] - owned_after.income[2] == pytest.approx(couple)
    assert 0.0 < couple < 96.08 and lone < couple
