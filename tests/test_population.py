import math
from collections import Counter

import numpy as np
import pytest

from journeysim import config
from journeysim.sim import population
from journeysim.sim.population import PopulationBuilder
from journeysim.vocabulary import BARRIERS, segment_of
from tests.conftest import variant


def test_stock_mix_and_inflow_rate_follow_the_config(baseline):
    scenario = baseline.with_run(people=6000, weeks=52, seed=3)
    builder = PopulationBuilder(scenario)
    stock, inflow = builder.build()
    mix = Counter(h.members[0].benefit for h in stock)
    total = 0.27 + 0.58 + 0.123
    assert abs(mix["ESA"] / 6000 - 0.58 / total) < 0.02
    assert abs(mix["JSA"] / 6000 - 0.27 / total) < 0.02
    market, days_run = baseline.labour_market, 52 * 7.0
    lengths = (7.0 * market.sustained_job_weeks, 7.0 * market.temporary_job_weeks)
    expected = 0.0
    for benefit in ("JSA", "ESA", "IS_LP"):
        expected += getattr(baseline.population.inflow_per_1000_week, benefit) * 6 * 52
        per_day = market.return_probability * builder.hazards.job_starts[benefit] * 6000 / 7
        share = builder.hazards.sustained[benefit]
        expected += per_day * sum(p * m * -math.expm1(-days_run / m) for p, m in zip(
            (share, 1 - share), lengths, strict=True))
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
    other = variant({"jobcentre": {"advisers_per_1000": 9}, "work_programme": {
        "offer_factor": 2.0}, "hub": {"enabled": True}}, people=200, weeks=20, seed=5)
    assert PopulationBuilder(other).build() == PopulationBuilder(
        baseline.with_run(people=200, weeks=20, seed=5)).build()


def test_scenarios_with_one_population_key_draw_the_same_households():
    """The key names every part a population is drawn from: scenarios that share it
    (a place and its pilot, the national designs) have equal households, drawn once."""
    groups: dict[tuple[str, int], list[config.Scenario]] = {}
    for name in config.bundled_scenarios():
        scenario = config.load(name).with_run(people=150, weeks=30, seed=4)
        groups.setdefault(population.population_key(scenario, 1), []).append(scenario)
    shared = [group for group in groups.values() if len(group) > 1]
    assert len(shared) >= 3 and any(len(group) >= 5 for group in shared)
    for group in shared:
        first = PopulationBuilder(group[0], 1).build()
        assert all(PopulationBuilder(s, 1).build() == first for s in group[1:]), [
            s.name for s in group]


def test_households_are_drawn_once_for_runs_that_share_them(monkeypatch):
    drawn = []
    build = PopulationBuilder.build

    def counted(self):
        drawn.append(self.scenario.name)
        return build(self)

    monkeypatch.setattr(PopulationBuilder, "build", counted)
    monkeypatch.setattr(population, "_DRAWN", {})
    size = {"people": 150, "weeks": 30, "seed": 4}
    full, hub = (config.load(n).with_run(**size) for n in ("codesign-full", "codesign-hub"))
    first = population.households(full, 1)
    assert population.households(hub, 1) == first and drawn == ["codesign-full"]
    assert population.households(hub, 2) != first, "another replication, other people"
    assert population.households(hub.with_run(people=160), 2)[0] != first[0]
    assert drawn == ["codesign-full", "codesign-hub", "codesign-hub"]
    assert len(population._DRAWN) == 1, "only the last households are kept"


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


def _mental_health(households) -> float:
    esa = [h.members[0] for h in households if h.members[0].benefit == "ESA"]
    return sum(p.barriers[BARRIERS.index("mental_health")] > 0 for p in esa) / len(esa)


def test_new_claims_have_the_configured_barriers_and_the_stock_more_of_them(baseline):
    """New ESA claims carry mental-health barriers at the configured 36%; the stock, which
    holds the slow leavers in proportion to their stay, more of them."""
    stock, inflow = PopulationBuilder(baseline.with_run(people=8000, weeks=104, seed=4)).build()
    assert abs(_mental_health(inflow) - 0.36) < 0.03
    assert _mental_health(stock) > _mental_health(inflow) + 0.04


def test_the_stock_has_claimed_for_as_long_as_its_own_hazard_says(baseline):
    """Selection in the stock: those already claiming a year or more leave more slowly
    than new claims, and their time already claimed follows their hazard."""
    scenario = baseline.with_run(people=6000, weeks=26, seed=3)
    builder = PopulationBuilder(scenario)
    stock, _ = builder.build()
    hazards = builder.hazards
    jsa = [h.members[0] for h in stock if h.members[0].benefit == "JSA"]
    old = [p for p in jsa if p.elapsed_days >= 364]
    assert 0.08 < len(old) / len(jsa) < 0.30, "about T7's 17.4% out of work over a year"
    esa = [h.members[0] for h in stock if h.members[0].benefit == "ESA"]
    assert all(p.age < 65 and p.elapsed_days / 364 <= p.age - 15 for p in esa), (
        "no claim runs past 65 or began in childhood")
    pilot = builder.pilot("JSA")

    def leave_13w(people, elapsed_weeks):
        kept = [hazards.kept("JSA", p, e + 13) / hazards.kept("JSA", p, e)
                * math.exp(-hazards.other["JSA"] * 13) for p, e in zip(
                    people, elapsed_weeks, strict=True)]
        return 1 - sum(kept) / len(kept)

    new = leave_13w(pilot, [0.0] * len(pilot))
    # the stock's motivation has already decayed: start the hazard from the claim's start
    starts = [p.motivation * math.exp(baseline.motivation.decay_per_week * p.elapsed_days / 7)
              for p in old]
    # ... and at the age the claim began
    undecayed = [p.__class__(p.pid, p.household, p.role, p.age - int(p.elapsed_days / 364),
                             p.benefit, p.state, p.barriers, min(1.0, m), p.elapsed_days,
                             p.location)
                 for p, m in zip(old, starts, strict=True)]
    stayers = leave_13w(undecayed, [p.elapsed_days / 7 for p in old])
    assert stayers < 0.75 * new, f"13-week exit: stock a year in {stayers:.2f}, new {new:.2f}"


def test_the_stock_depends_on_the_labour_market_it_starts_in(baseline):
    tight = variant({"labour_market": {"matching_efficiency": 0.05}}, people=2000, weeks=20,
                    seed=5)
    loose = baseline.with_run(people=2000, weeks=20, seed=5)
    mean = [sum(h.members[0].elapsed_days for h in PopulationBuilder(s).build()[0]) / 2000
            for s in (tight, loose)]
    assert mean[0] > mean[1], "fewer hires, longer claims already"


def test_the_steady_state_is_shared_by_scenarios_that_differ_only_in_their_services(baseline):
    """Worked out afresh for a co-design, it is the baseline's: so one is kept for both."""
    base = baseline.with_run(people=200, weeks=20, seed=5)
    design = config.load("codesign-full").with_run(people=200, weeks=20, seed=5)
    assert design.config_hash() != base.config_hash()

    def steady(scenario):
        builder = PopulationBuilder(scenario)
        builder.build()
        return builder.hazards

    population._CACHE.clear()
    fresh = steady(design)
    population._CACHE.clear()
    mine = steady(base)
    assert (fresh.kappa, fresh.job_starts, fresh.sustained) == (
        mine.kappa, mine.job_starts, mine.sustained)
    assert steady(design) is mine
    tight = variant({"labour_market": {"matching_efficiency": 0.05}}, people=200, weeks=20,
                    seed=5)
    assert steady(tight).kappa < mine.kappa


def test_the_fixed_point_skips_only_exponentials_that_count_for_nothing(baseline):
    """The stock's mean weight, exponentials taken only where a claim can still be open,
    is to the last bit that of the whole grid's, written out in full."""
    builder = PopulationBuilder(baseline)
    hazards = population.StockHazards(baseline, builder)
    grid = population.GRID
    out = np.empty((population.PILOT, grid.size))
    for benefit in ("JSA", "ESA"):
        table = hazards._pilot_table(benefit, builder.pilot(benefit))
        base, motivation, effort, assessed, _, chance = table
        assert 0.3 < chance.mean() < 0.9  # weeks past 65 are a real part of the grid
        for kappa in (0.02, hazards.kappa):
            other = hazards.other[benefit]
            alive = np.exp(-other * grid - kappa * base[:, None] * effort) * assessed
            weights = alive * base[:, None] * motivation
            expected = float(weights.sum()) / float(alive.sum())
            assert hazards._stock(table, kappa, other, out) == expected
            assert np.array_equal(out, weights)


def test_the_stock_is_the_same_when_the_steady_state_differs_in_its_last_bits(baseline,
                                                                              monkeypatch):
    """numpy's exponentials can differ in the last bit between processors: rounded,
    the steady state's rates give the same people either way."""
    scenario = baseline.with_run(people=300, weeks=52, seed=7)
    exact = population.settled

    def drawn(ulps: int) -> tuple:
        def nudged(value: float) -> float:
            for _ in range(abs(ulps)):
                value = math.nextafter(value, math.copysign(math.inf, ulps))
            return exact(value)

        monkeypatch.setattr(population, "settled", nudged)
        monkeypatch.setattr(population, "_CACHE", {})
        builder = PopulationBuilder(scenario, 0)
        stock, inflow = builder.build()
        return builder.hazards.kappa, builder.hazards.job_starts, stock, inflow

    same = drawn(0)
    assert same[0] == population.settled(same[0]) == float(f"{same[0]:.10g}")
    for ulps in (3, -3):
        assert drawn(ulps) == same, ulps


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


@pytest.mark.slow
def test_people_in_work_at_the_start_return_as_their_jobs_end(baseline):
    """New claims include the returns of people in work at the start: as many a week as
    the steady state's job leavers who claim again at first, thinning as their jobs end."""
    scenario = baseline.with_run(people=20000, weeks=520, seed=2)
    builder = PopulationBuilder(scenario)
    _, inflow = builder.build()
    days = np.array([h.arrival_day for h in inflow])
    per_week = 20000 * sum(getattr(baseline.population.inflow_per_1000_week, b)
                           for b in ("JSA", "ESA", "IS_LP")) / 1000
    returns = 20000 * baseline.labour_market.return_probability * sum(
        builder.hazards.job_starts.values())
    first = ((days < 28).sum()) / 4
    late = ((days >= 500 * 7) & (days < 520 * 7)).sum() / 20
    assert first == pytest.approx(per_week + returns, rel=0.08)
    assert late < per_week + 0.3 * returns, "the start's returns have mostly run out"
    assert late > per_week * 0.9
