"""The cost ledger and the cost-benefit appraisal, against independent calculations."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from journeysim import config
from journeysim.analysis import costs
from journeysim.runs.results import simulate
from journeysim.sim.records import EventLog
from journeysim.vocabulary import PARTNERS
from tests.conftest import variant

SMALL = {"people": 800, "weeks": 104}
CO_DESIGN = {"system": {"common_assessment": True, "warm_handoffs": True, "lead_worker": True},
             "hub": {"enabled": True}, "post_employment": {"enabled": True},
             "outreach": {"enabled": True}, "family_budget": {"enabled": True}}


@pytest.fixture(scope="module")
def pair():
    """A baseline and a co-designed variant: scenario, run output and ledger of each."""
    out = {}
    for name, changes in (("base", {}), ("codesign", CO_DESIGN)):
        scenario = variant(changes, **SMALL)
        output = simulate(scenario)
        out[name] = (scenario, output, costs.ledger(output.events, output.jobs, scenario))
    return out


def _paid(ledger: pd.DataFrame) -> float:
    """What the partners paid for services: every cost once (fees received left out)."""
    service = ledger[ledger.kind == "service"]
    received = ((service.partner == "wp_provider") & (service.item == "work_programme_fees")
                | (service.item == costs.WAGE_SUBSIDY))
    return -float(service.amount[~received].sum())


def test_employers_receive_a_subsidised_jobs_subsidy_and_gain_from_the_post(baseline):
    """One six-month subsidised job (the Future Jobs Fund's GBP 6,500): DWP pays the
    subsidy, the employers receive it, pay to fill the post and keep their margin on
    its 26 weeks; with the baseline's values that is close to the GBP 6,850 per
    participant DWP's evaluation found for the Fund's employers."""
    log = EventLog()
    log.add(1, 1, 10.0, "job_offer", "future_jobs_fund", "", 26.0, 6500.0)
    scenario = baseline.model_copy(update={"services": {
        **baseline.services,
        "future_jobs_fund": baseline.services["future_jobs_fund"].model_copy(
            update={"enabled": True})}})
    jobs = pd.DataFrame({"person": [1], "start": [10.0], "days": [182.0]})
    ledger = costs.ledger(log.frame(), jobs, scenario)
    lines = ledger.set_index(["partner", "item"]).amount
    assert lines["dwp", "future_jobs_fund"] == -6500.0
    assert lines["employers", costs.WAGE_SUBSIDY] == 6500.0
    assert lines["", "job_starts"] == 1.0
    valued = costs.value(ledger, scenario.cba)
    employers = valued[valued.partner == "employers"].gbp.sum()
    cba = scenario.cba
    assert employers == pytest.approx(
        6500.0 + 26 * cba.employer_surplus_per_work_week - cba.employer_recruitment_cost)
    assert 5000.0 < employers < 8000.0


def test_the_ledger_balances_against_the_event_log(pair):
    for _, output, ledger in pair.values():
        events = output.events
        spent = events.cost[events.event != "benefit_paid"].sum()
        assert _paid(ledger) == pytest.approx(spent, rel=1e-12)
        benefit = ledger[ledger.kind == "benefit"]
        assert benefit.amount.sum() == pytest.approx(0.0, abs=1e-6)  # a transfer
        assert -benefit[benefit.partner == "dwp"].amount.sum() == pytest.approx(
            output.summary["cost_benefit"], rel=1e-9)
        assert set(ledger.partner) - {""} <= set(PARTNERS)
    # in the baseline only claimants use services, so the summary agrees too, once the
    # provider's own staff time (which its fees pay for) is left out of the summary
    _, output, ledger = pair["base"]
    events = output.events
    provider = events.cost[(events.service == "work_programme") & (events.event != "payment")]
    assert provider.sum() > 0
    assert _paid(ledger) - provider.sum() == pytest.approx(output.summary["cost_services"],
                                                          rel=1e-9)
    # the co-designed services are paid for by the partners the scenario names
    scenario, _, ledger = pair["codesign"]
    hub = ledger[(ledger.item == "hub")]
    assert set(hub.partner) == {"council"}
    assert set(ledger[ledger.item == "mental_health"].partner) == {"nhs"}


def test_benefit_payments_are_days_times_the_weekly_rate(pair):
    scenario, output, ledger = pair["base"]
    events = output.events
    paid = events[events.event == "benefit_paid"].merge(
        output.people[["person", "age"]], on="person")
    sanctioned = set(events.person[events.event == "sanction"])
    clean = paid[~paid.person.isin(sanctioned)]
    assert len(clean) > 1000
    rate = np.array([67.50 if b == "JSA" and a >= 25 else 53.45 if b == "JSA" else
                     {"ESA": 94.25, "IS_LP": 67.50}[b]
                     for b, a in zip(clean.detail.astype(str), clean.age, strict=True)])
    assert np.allclose(clean.cost, clean.value * rate / 7.0, rtol=1e-12)
    # sanctions only ever take benefit away
    docked = paid[paid.person.isin(sanctioned)]
    assert (docked.cost <= docked.value * 94.25 / 7.0 + 1e-9).all()


def test_benefit_per_claimant_year_is_near_the_seed_anchor(pair):
    """Seed 004: 'each person on working age benefit costing an average of £3,971'."""
    _, output, _ = pair["base"]
    paid = output.events[output.events.event == "benefit_paid"]
    per_year = paid.cost.sum() / (paid.value.sum() / 364.0)
    assert 3971 * 0.85 < per_year < 3971 * 1.15


def test_spread_shares_an_interval_between_years_by_days():
    totals = costs.spread(np.array([300.0, 10.0, 364.0]), np.array([400.0, 10.0, 700.0]),
                          np.array([100.0, 7.0, 5.0]), 2)
    # 64 of 100 days fall in year 0; a point in time counts where it is
    assert totals.tolist() == pytest.approx([64.0 + 7.0, 36.0 + 5.0])
    assert costs.run_years(104) == 2 and costs.run_years(105) == 3 and costs.run_years(10) == 1


def test_hub_costs_set_up_once_and_premises_year_by_year(baseline):
    from journeysim.sim.services.hub import Hub

    hub = Hub.__new__(Hub)
    hub.settings = baseline.hub.model_copy(update={"sites": [(1.0, 1.0), (2.0, 2.0)]})
    rows = list(hub.fixed_costs(78))
    assert rows == [(0.0, "setup", 0.0, 40000.0), (0.0, "premises", 52.0, 120000.0),
                    (364.0, "premises", 26.0, 60000.0)]


def test_tax_and_ni_on_a_minimum_wage_job_by_hand(baseline):
    taxes = costs.tax_and_ni(182.40, baseline.cba)
    assert taxes["income_tax"] == pytest.approx(0.20 * (182.40 - 143.75))
    assert taxes["employee_ni"] == pytest.approx(0.12 * (182.40 - 139.0))
    assert taxes["employer_ni"] == pytest.approx(0.138 * (182.40 - 136.0))
    assert costs.tax_and_ni(100.0, baseline.cba) == {
        "income_tax": 0.0, "employee_ni": 0.0, "employer_ni": 0.0}


def test_discounting_follows_the_green_book_schedule_by_hand(baseline):
    factors = costs.discount_factors(baseline.cba, 35)
    assert factors[0] == 1.0
    assert factors[1] == pytest.approx(1 / 1.035)
    assert factors[30] == pytest.approx(1.035 ** -30)
    assert factors[31] == pytest.approx(1.035 ** -30 / 1.03)
    assert factors[34] == pytest.approx(1.035 ** -30 / 1.03 ** 4)
    flat = baseline.cba.model_copy(
        update={"discount_schedule": [config.DiscountPeriod(from_year=0, rate=0.1)]})
    assert costs.discount_factors(flat, 3).tolist() == pytest.approx([1, 1 / 1.1, 1 / 1.21])


def test_a_scenario_against_itself_is_worth_exactly_nothing(pair):
    scenario, _, ledger = pair["codesign"]
    record = costs.appraise(ledger, ledger, scenario.cba, SMALL["weeks"])
    for key, figure in record.items():
        if key.startswith(("npv_", "pv_")):
            assert figure == 0.0, key
    assert record["additional_sustained_jobs"] == 0.0
    assert record["bcr_society"] is None and record["payback_years_exchequer"] == 0.0


def _work_weeks(ledger: pd.DataFrame, years: int) -> np.ndarray:
    work = ledger[ledger.kind == "work"].set_index("year").amount
    return work.reindex(range(years), fill_value=0.0).to_numpy()


def _discounted_extra_work_weeks(base_ledger: pd.DataFrame, ledger: pd.DataFrame,
                                 cba: config.CbaSettings) -> float:
    """Extra weeks in work, carried past the two-year run by persistence, discounted at 3.5%."""
    extra = _work_weeks(ledger, 2) - _work_weeks(base_ledger, 2)
    later = [extra[-1] * cba.persistence_per_year ** k
             for k in range(1, cba.horizon_years - 1)]
    weeks = np.concatenate([extra, later])
    return sum(w / 1.035 ** t for t, w in enumerate(weeks))


def test_doubling_a_value_moves_npv_by_the_discounted_quantity(pair):
    """NPV(2v) - NPV(v) = (1 - optimism bias) x v x sum of discounted extra work weeks."""
    scenario, _, base_ledger = pair["base"]
    _, _, ledger = pair["codesign"]
    cba = scenario.cba
    discounted = _discounted_extra_work_weeks(base_ledger, ledger, cba)
    for field in ("nhs_saving_per_work_week", "wellbeing_per_work_week"):
        once = costs.appraise(base_ledger, ledger, cba, 104)
        twice = costs.appraise(base_ledger, ledger, cba.model_copy(
            update={field: 2 * getattr(cba, field)}), 104)
        moved = twice["npv_society"] - once["npv_society"]
        assert moved == pytest.approx(
            (1 - cba.optimism_bias) * getattr(cba, field) * discounted, rel=1e-9)


def test_doubling_the_price_of_staff_time_moves_npv_by_the_discounted_staff_cost():
    """Prices change no one's journey, so the runs differ only in what staff time costs."""
    runs = {}
    for hour in (30.0, 60.0):
        for name, changes in (("base", {}), ("codesign", CO_DESIGN)):
            scenario = variant({**changes, "costs": {"adviser_hour": hour}},
                               people=300, weeks=104)
            runs[name, hour] = (scenario, simulate(scenario))
    cba = runs["base", 30.0][0].cba
    staff = {}
    for name in ("base", "codesign"):
        cheap, dear = runs[name, 30.0][1].events, runs[name, 60.0][1].events
        pd.testing.assert_frame_equal(cheap.drop(columns="cost"), dear.drop(columns="cost"))
        time_cost = dear.cost - cheap.cost  # the staff time in each event, at GBP 30 an hour
        years = np.minimum(cheap.day // costs.YEAR_DAYS, 1).astype(int)
        staff[name] = time_cost.groupby(years).sum().reindex(range(2), fill_value=0.0)
    npv = {hour: costs.appraise(*(costs.ledger(runs[n, hour][1].events, runs[n, hour][1].jobs,
                                               runs[n, hour][0]) for n in ("base", "codesign")),
                                cba, 104)["npv_society"]
           for hour in (30.0, 60.0)}
    extra = staff["codesign"] - staff["base"]
    assert extra.abs().sum() > 1000
    assert npv[60.0] - npv[30.0] == pytest.approx(-(extra[0] + extra[1] / 1.035), rel=1e-9)


def test_perspectives_partners_and_categories_add_up(pair):
    scenario, _, base_ledger = pair["base"]
    _, _, ledger = pair["codesign"]
    record = costs.appraise(base_ledger, ledger, scenario.cba, 104, displacement=0.3)
    assert record["npv_outside_searchers"] < 0, "the outside searchers lose the jobs taken"
    by_partner = sum(record[f"npv_{p}"] for p in (*PARTNERS, costs.OUTSIDE))
    assert by_partner == pytest.approx(record["npv_society"], rel=1e-9)
    by_category = sum(record[f"npv_{c}"] for c in costs.CATEGORIES)
    assert by_category == pytest.approx(record["npv_society"], rel=1e-9)
    public = sum(record[f"npv_{p}"] for p in costs.PUBLIC)
    assert public == pytest.approx(record["npv_exchequer"], rel=1e-9)
    assert record["npv_fiscal"] == pytest.approx(record["npv_exchequer"], rel=1e-9)
    assert record["npv_participant"] == pytest.approx(record["npv_person"], rel=1e-9)
    # the council pays for the hub and saves nothing in benefit
    assert record["additional_sustained_jobs"] > 0
    assert record["npv_council"] < 0
    # benefits are a transfer: what DWP saves the person loses, so society nets nothing
    transfer = costs.appraise(base_ledger[base_ledger.kind == "benefit"],
                              ledger[ledger.kind == "benefit"], scenario.cba, 104)
    assert transfer["npv_dwp"] != 0.0
    assert transfer["npv_dwp"] == pytest.approx(-transfer["npv_person"], rel=1e-9)
    assert transfer["npv_society"] == pytest.approx(0.0, abs=1e-6 * abs(transfer["npv_dwp"]))


def test_without_wellbeing_is_the_npv_less_the_discounted_wellbeing(pair):
    """Society without wellbeing = society - (1 - optimism bias) x GBP 100 x discounted weeks."""
    scenario, _, base_ledger = pair["base"]
    _, _, ledger = pair["codesign"]
    cba = scenario.cba
    wellbeing = ((1 - cba.optimism_bias) * cba.wellbeing_per_work_week
                 * _discounted_extra_work_weeks(base_ledger, ledger, cba))
    record = costs.appraise(base_ledger, ledger, cba, 104)
    assert wellbeing > 0
    assert record["npv_society_without_wellbeing"] == pytest.approx(
        record["npv_society"] - wellbeing, rel=1e-9)
    assert record["npv_social"] == pytest.approx(wellbeing, rel=1e-9)
    assert record["bcr_society_without_wellbeing"] == pytest.approx(
        (record["pv_benefits_society"] - wellbeing) / record["pv_costs_society"], rel=1e-9)
    assert record["wellbeing_share_of_society_benefits"] == pytest.approx(
        wellbeing / record["pv_benefits_society"], rel=1e-9)
    # the Exchequer's figures never include it; with no wellbeing, with and without agree
    none = costs.appraise(base_ledger, ledger,
                          cba.model_copy(update={"wellbeing_per_work_week": 0.0}), 104)
    assert none["npv_exchequer"] == record["npv_exchequer"]
    assert none["npv_society"] == pytest.approx(none["npv_society_without_wellbeing"],
                                                rel=1e-12)
    assert none["bcr_society"] == pytest.approx(none["bcr_society_without_wellbeing"],
                                                rel=1e-12)
    assert none["wellbeing_share_of_society_benefits"] == 0.0


def test_persistence_zero_stops_every_effect_with_the_run(pair):
    scenario, _, base_ledger = pair["base"]
    _, _, ledger = pair["codesign"]
    stop_cba = scenario.cba.model_copy(update={"persistence_per_year": 0.0})
    table = costs.differences(costs.value(base_ledger, stop_cba),
                              costs.value(ledger, stop_cba), stop_cba, 2, 10)
    assert table.shape[1] == 10 and table[1].abs().sum() > 0
    assert (table[list(range(2, 10))] == 0.0).all().all(), "nothing may follow the run"
    stop = costs.appraise(base_ledger, ledger, stop_cba, 104)
    short = costs.appraise(base_ledger, ledger, scenario.cba, 104, horizon_years=2)
    assert stop["npv_society"] == pytest.approx(short["npv_society"], rel=1e-12)


def test_more_persistence_never_lowers_the_npv_of_a_lasting_gain(pair):
    scenario, _, base_ledger = pair["base"]
    _, _, ledger = pair["codesign"]
    cba = scenario.cba
    table = costs.differences(costs.value(base_ledger, cba), costs.value(ledger, cba), cba, 2,
                              2)
    last = table[1][table.index.get_level_values("flow") == "outcome"].sum()
    assert last > 0, "the test needs a design whose outcomes are ahead in the last year"
    npv = [costs.appraise(base_ledger, ledger, cba.model_copy(
        update={"persistence_per_year": p}), 104)["npv_society"]
           for p in (0.0, 0.3, 0.6, 0.85, 1.0)]
    assert npv == sorted(npv) and npv[0] < npv[-1], (
        f"society NPV by persistence 0, 0.3, 0.6, 0.85, 1: {npv}; a gain that lasts longer "
        "must be worth more")


def test_payback_counts_years_until_the_discounted_sum_turns():
    assert costs.payback(np.array([-10.0, 4.0, 4.0, 4.0]), 10.0) == 4.0  # -10, -6, -2, +2
    assert costs.payback(np.array([-10.0, 4.0, 4.0]), 10.0) is None
    assert costs.payback(np.array([5.0, 1.0]), -3.0) == 0.0
    assert costs.payback(np.array([5.0, 1.0]), 3.0) == 1.0


def test_funding_shares_split_a_service_and_must_add_up(baseline):
    shared = variant({"hub": {"enabled": True, "payer": {"dwp": 0.5, "council": 0.5}}},
                     people=300, weeks=52)
    output = simulate(shared)
    ledger = costs.ledger(output.events, output.jobs, shared)
    hub = ledger[ledger.item == "hub"].groupby("partner").amount.sum()
    assert hub["dwp"] == pytest.approx(hub["council"]) and hub["dwp"] < 0
    with pytest.raises(config.ConfigError, match="add up to 1"):
        variant({"hub": {"payer": {"dwp": 0.5, "council": 0.6}}})
    with pytest.raises(config.ConfigError, match="possible persistence_per_year"):
        variant({"cba": {"ranges": {"persistence_per_year": [1.5, 0.0]}}})
    assert math.isclose(sum(shared.hub.payer.values()), 1.0)


@pytest.mark.parametrize("old", [{"effect_decay_per_year": 0.4},
                                 {"ranges": {"effect_decay_per_year": [1.0, 0.2]}}])
def test_the_old_decay_field_is_refused_naming_its_replacement(old):
    with pytest.raises(config.ConfigError) as caught:
        variant({"cba": old})
    message = str(caught.value)
    assert "field 'cba'" in message and "is now persistence_per_year" in message
    assert "\n" not in message


def _work_only(ledger: pd.DataFrame) -> pd.DataFrame:
    """The lines displacement nets: weeks in work and job starts."""
    return ledger[ledger.kind.isin(["work", "starts"])]


@pytest.mark.parametrize(("extra_in_model", "extra_in_all", "share"), [
    (100.0, 60.0, 0.4),     # 40 of the 100 extra job starts were someone else's
    (100.0, 100.0, 0.0),    # every extra job start is an extra hire in the borough
    (100.0, 120.0, 0.0),    # noise: more extra hires than job starts; never below 0
    (100.0, -20.0, 1.0),    # noise: fewer hires in all; never above 1
    (-50.0, -30.0, 0.4),    # fewer job starts: outsiders take up 20 of the 50 lost
    (0.0, 5.0, 0.0),        # no change in job starts: nothing to displace
])
def test_the_displaced_share_is_one_minus_extra_hires_over_extra_job_starts(
        extra_in_model, extra_in_all, share):
    assert costs.displaced_share(extra_in_model, extra_in_all) == pytest.approx(share)
    # over replications, from the mean extra job starts and hires: a replication that
    # adds few job starts does not make the share noise
    base = [{"hires_in_model": 1000, "hires_total": 2000.0}] * 2
    mine = [{"hires_in_model": 1000 + extra_in_model + lean, "hires_total": 2000.0
             + extra_in_all + lean} for lean in (-5.0, 5.0)]
    assert costs.displacement_of(base, mine) == pytest.approx(share)


def test_no_displacement_gives_net_equal_to_gross(pair):
    scenario, _, base_ledger = pair["base"]
    _, _, ledger = pair["codesign"]
    record = costs.appraise(base_ledger, ledger, scenario.cba, 104)
    assert record["displacement_applied"] == 0.0
    for name in ("society", "society_without_wellbeing", "exchequer"):
        for figure in ("pv_benefits", "pv_costs", "npv", "bcr"):
            assert record[f"{figure}_{name}"] == record[f"{figure}_{name}_gross"], (
                figure, name)
    assert record["npv_outside_searchers"] == 0.0


def test_half_displaced_halves_the_value_of_work_to_society_and_the_exchequer(pair):
    """With half the extra jobs taken from outside searchers, society and the Exchequer
    keep half of what the extra weeks in work are worth; the participant keeps all of it,
    DWP's benefit saving stands (the outside pool does not claim), and no cost moves."""
    scenario, _, base_ledger = pair["base"]
    _, _, ledger = pair["codesign"]
    cba = scenario.cba
    gross = costs.appraise(base_ledger, ledger, cba, 104)
    half = costs.appraise(base_ledger, ledger, cba, 104, displacement=0.5)
    work = costs.appraise(_work_only(base_ledger), _work_only(ledger), cba, 104)
    assert work["pv_benefits_society"] > 0, "the test needs a design with extra work"
    for name in ("society", "exchequer", "society_without_wellbeing"):
        assert half[f"npv_{name}"] == pytest.approx(
            gross[f"npv_{name}"] - 0.5 * work[f"pv_benefits_{name}"], rel=1e-9), name
        assert half[f"npv_{name}_gross"] == gross[f"npv_{name}"]
    for name in ("society", "exchequer", "participant", "council", "dwp"):
        assert half[f"pv_costs_{name}"] == gross[f"pv_costs_{name}"], (
            f"displacement moved the cost of services to {name}")
    assert half["npv_participant"] == gross["npv_participant"]
    assert half["npv_dwp"] == gross["npv_dwp"], "benefit saving and DWP's costs stand"
    assert half["npv_treasury"] == pytest.approx(0.5 * gross["npv_treasury"], rel=1e-9)
    assert half["npv_social"] == pytest.approx(0.5 * gross["npv_social"], rel=1e-9)
    assert half["npv_outside_searchers"] == pytest.approx(
        -0.5 * work["pv_benefits_person"], rel=1e-9)
    assert half["bcr_society"] < gross["bcr_society"]
    # every extra job someone else's: the extra work is worth nothing to society
    every = costs.appraise(_work_only(base_ledger), _work_only(ledger), cba, 104,
                           displacement=1.0)
    assert every["pv_benefits_society"] == pytest.approx(
        0.0, abs=1e-9 * work["pv_benefits_society"])


def test_same_horizon_stops_benefits_with_the_run_as_costs_stop(pair):
    scenario, _, base_ledger = pair["base"]
    _, _, ledger = pair["codesign"]
    cba = scenario.cba
    record = costs.appraise(base_ledger, ledger, cba, 104, displacement=0.3)
    stop = costs.appraise(base_ledger, ledger,
                          cba.model_copy(update={"persistence_per_year": 0.0}), 104,
                          displacement=0.3)
    for name in ("society", "exchequer", "society_without_wellbeing"):
        for figure in ("pv_benefits", "pv_costs", "npv", "bcr"):
            assert record[f"{figure}_{name}_same_horizon"] == pytest.approx(
                stop[f"{figure}_{name}"], rel=1e-12), (figure, name)
    assert record["pv_costs_society_same_horizon"] == record["pv_costs_society"]
    assert record["npv_society_same_horizon"] < record["npv_society"], (
        "a design ahead at the end of the run gains from persistence")
