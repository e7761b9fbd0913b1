from collections import Counter

from journeysim.sim.population import PopulationBuilder
from journeysim.vocabulary import BARRIERS, segment_of
from tests.conftest import variant


def test_stock_mix_and_inflow_rate_follow_the_config(baseline):
    scenario = baseline.with_run(people=6000, weeks=52, seed=3)
    stock, inflow = PopulationBuilder(scenario).build()
    mix = Counter(h.members[0].benefit for h in stock)
    total = 0.27 + 0.58 + 0.123
    assert abs(mix["ESA"] / 6000 - 0.58 / total) < 0.02
    assert abs(mix["JSA"] / 6000 - 0.27 / total) < 0.02
    expected = (9.0 + 2.0 + 1.2) * 6 * 52  # per 1,000 per week x thousands x weeks
    assert abs(len(inflow) - expected) < 4 * expected**0.5
    days = [h.arrival_day for h in inflow]
    assert days == sorted(days) and days[0] > 0 and days[-1] < 52 * 7


def test_same_seed_same_people_and_ids_are_unique(baseline):
    scenario = baseline.with_run(people=300, weeks=20, seed=5)
    first = PopulationBuilder(scenario).build()
    second = PopulationBuilder(scenario).build()
    assert first == second
    pids = [m.pid for group in first for h in group for m in h.members]
    assert len(pids) == len(set(pids)) == max(pids) + 1


def test_population_does_not_depend_on_service_parameters(baseline):
    other = variant({"jobcentre": {"advisers_per_1000": 9}, "labour_market": {
        "offers_per_vacancy_week": 2.0}}, people=200, weeks=20, seed=5)
    assert PopulationBuilder(other).build() == PopulationBuilder(
        baseline.with_run(people=200, weeks=20, seed=5)).build()


def test_households_lone_parents_have_no_partner_and_relatives_do_not_claim(baseline):
    stock, _ = PopulationBuilder(baseline.with_run(people=3000, seed=2)).build()
    for household in stock:
        claimant, *relatives = household.members
        assert claimant.role == "claimant"
        if claimant.benefit == "IS_LP":
            assert all(r.role != "partner" for r in relatives)
        assert all(r.benefit == "NONE" and r.state in ("in_work", "inactive") for r in relatives)
        assert all(r.household == claimant.pid for r in relatives)
    roles = Counter(r.role for h in stock for r in h.members[1:])
    assert roles["partner"] > 0 and roles["adult_child"] > 0 and roles["parent"] > 0


def test_barrier_prevalence_matches_config_for_esa(baseline):
    stock, _ = PopulationBuilder(baseline.with_run(people=8000, seed=4)).build()
    esa = [h.members[0] for h in stock if h.members[0].benefit == "ESA"]
    mental = sum(p.barriers[BARRIERS.index("mental_health")] > 0 for p in esa) / len(esa)
    assert abs(mental - 0.36) < 0.025


def test_segments():
    none = tuple(0.0 for _ in BARRIERS)
    offender = tuple(0.8 if b == "offending" else 0.0 for b in BARRIERS)
    assert segment_of("JSA", 19, none, "claiming") == "jsa_18_24"
    assert segment_of("JSA", 30, none, "claiming") == "jsa_25_49"
    assert segment_of("JSA", 55, none, "claiming") == "jsa_50_plus"
    assert segment_of("JSA", 30, offender, "claiming") == "ex_offender"
    assert segment_of("IS_LP", 30, offender, "claiming") == "lone_parent"
    assert segment_of("NONE", 19, none, "inactive") == "neet"
    assert segment_of("ESA", 40, none, "in_work") == "in_work"
