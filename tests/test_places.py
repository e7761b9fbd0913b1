"""Places: each borough's baseline from its published figures, and its pilots.

Each bundled place is exactly the file `borough init --place` writes from its
figures; each reproduces its sourced size and claimant mix; each pilot extends
its place, and compare or cba given a pilot alone compare it with that place.
"""

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from journeysim import config
from journeysim.cli import main
from journeysim.config import borough, calendar
from journeysim.runs.results import simulate

PLACES = ("birmingham", "bradford", "lewisham", "south-tyneside", "swindon", "wakefield")
PILOTS = {"birmingham-person-centred": "birmingham", "bradford-think-family": "bradford",
          "lewisham-personal-budget": "lewisham",
          "south-tyneside-family-works": "south-tyneside", "swindon-plan-500": "swindon",
          "wakefield-new-journey": "wakefield"}
#: A figure from each place's sources: (benefit, claimants, all claimants), as published or
#: worked out by hand from the figures' sources (docs/places.md).
SOURCED = {
    "wakefield": ("ESA", 18937, 31769),      # 58% (P4) of 32,650 (P1); P4 + P5 + P6 = 97.3%
    "lewisham": ("JSA", 9618, 24016),        # P28, March 2011
    "bradford": ("JSA", 16305, 43908),       # February 2010 count
    "swindon": ("JSA", 4819, 15735),         # 2,737 / 0.568 from May 2010
    "south-tyneside": ("JSA", 3556, 11509),  # 152,400 (C9) x 0.614 x 3.8% (P21)
    "birmingham": ("ESA", 44143, 81038),     # 1,073,045 x 0.614 x 6.7% (P24)
}


def test_the_places_are_the_six_seed_boroughs_and_each_pilot_extends_its_own():
    assert tuple(borough.place_names()) == PLACES
    for place in PLACES:
        assert borough.place_of(place) == place
    for pilot, place in PILOTS.items():
        assert borough.place_of(pilot) == place, pilot
    assert borough.place_of(config.BASELINE) is None
    assert borough.place_of("codesign-hub") is None


@pytest.mark.parametrize("place", PLACES)
def test_each_bundled_place_is_what_borough_init_writes_from_its_figures(place):
    text, scenario = borough.place_scenario(borough.read_place(place))
    assert (config.CONFIG_DIR / f"{place}.yaml").read_text(encoding="utf-8") == text, (
        f"configs/{place}.yaml is stale: journeysim borough init --place {place} "
        f"--out configs/{place}.yaml --force")
    assert config.load(place).config_hash() == scenario.config_hash()


@pytest.mark.parametrize("place", PLACES)
def test_each_place_runs_at_its_sourced_size_with_its_sourced_mix(place):
    benefit, count, total = SOURCED[place]
    scenario = config.load(place)
    assert scenario.run.people == total
    mix = scenario.population.stock_mix
    whole = mix.JSA + mix.ESA + mix.IS_LP
    assert getattr(mix, benefit) / whole * total == pytest.approx(count, abs=0.5)
    assert scenario.labour_market.claimants_per_vacancy == pytest.approx(5.3, abs=0.01)
    small = simulate(scenario.with_run(people=2000, weeks=1, seed=3))
    starts = small.events[(small.events.event == "claim_start") & (small.events.day == 0)]
    stock = starts.drop_duplicates("person").detail.value_counts()
    share = stock.get(benefit, 0) / stock[["JSA", "ESA", "IS_LP"]].sum()
    assert share == pytest.approx(count / total, abs=0.035), (place, dict(stock))


def test_the_places_differ_as_their_figures_do():
    loaded = {p: config.load(p) for p in PLACES}
    sizes = {p: s.run.people for p, s in loaded.items()}
    assert sizes["birmingham"] > 2.5 * sizes["wakefield"] > 6 * sizes["south-tyneside"]

    def jsa(place):
        mix = loaded[place].population.stock_mix
        return mix.JSA / (mix.JSA + mix.ESA + mix.IS_LP)

    assert jsa("lewisham") > jsa("bradford") > jsa("birmingham") > jsa("wakefield")
    bands = loaded["bradford"].population.jsa_age_bands  # 4,700 of 15,985 aged 18-24
    assert bands.age_18_24 == pytest.approx(4700 / 15985, abs=1e-6)
    assert loaded["lewisham"].geography.borough_km == pytest.approx(34.71 ** 0.5, rel=1e-5)
    inflow = loaded["lewisham"].population.inflow_per_1000_week  # per JSA claimant as fitted
    base = config.load(config.BASELINE).population
    per_jsa = base.inflow_per_1000_week.JSA / (base.stock_mix.JSA / (
        base.stock_mix.JSA + base.stock_mix.ESA + base.stock_mix.IS_LP))
    assert inflow.JSA / jsa("lewisham") == pytest.approx(per_jsa, rel=1e-4)


def test_every_figure_has_a_grade_period_and_source_and_estimates_are_their_arithmetic():
    for place in PLACES:
        for figure in borough.read_place(place).figures.values():
            assert figure.grade in borough.GRADES and figure.source and figure.period
    tyneside = borough.read_place("south-tyneside").figures
    assert tyneside["claimants.JSA"].value == round(round(152400 * 0.614) * 0.038)
    assert tyneside["claimants.JSA"].grade == "estimate"
    assert borough.read_place("lewisham").figures["claimants.JSA"].grade == "seed"


def test_a_place_file_without_a_source_or_with_an_unknown_base_is_refused(tmp_path):
    good = yaml.safe_load((borough.PLACES_DIR / "wakefield.yaml").read_text())
    bad = tmp_path / "bad.yaml"
    good["figures"]["area_km2"].pop("source")
    bad.write_text(yaml.safe_dump(good))
    with pytest.raises(config.ConfigError, match="area_km2.*period and source"):
        borough.read_place(bad)
    good = yaml.safe_load((borough.PLACES_DIR / "wakefield.yaml").read_text())
    good["figures"]["vacancies"]["of"] = "claimants.JSB"
    bad.write_text(yaml.safe_dump(good))
    with pytest.raises(config.ConfigError, match="'claimants.JSB' is not a figure of this file"):
        borough.read_place(bad)


def test_borough_init_place_writes_the_bundled_file_and_refuses_mixed_options(tmp_path):
    out = tmp_path / "lewisham.yaml"
    result = CliRunner().invoke(main, ["borough", "init", "--place", "lewisham", "--out",
                                       str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text() == (config.CONFIG_DIR / "lewisham.yaml").read_text()
    mixed = CliRunner().invoke(main, ["borough", "init", "--place", "lewisham", "--area-km2",
                                      "3", "--out", str(tmp_path / "x.yaml")])
    assert mixed.exit_code != 0 and "leave out" in mixed.output
    neither = CliRunner().invoke(main, ["borough", "init", "--out", str(tmp_path / "x.yaml")])
    assert neither.exit_code != 0 and "or --place" in neither.output


def test_compare_given_a_pilot_alone_compares_it_with_its_place(tmp_path):
    result = CliRunner().invoke(main, [
        "compare", "south-tyneside-family-works", "--people", "200", "--weeks", "8",
        "--reps", "2", "--quiet", "--json", "--out", str(tmp_path / "c")])
    assert result.exit_code == 0, result.output
    table = json.loads(result.stdout)["table"]
    assert {row["scenario"] for row in table} == {"south-tyneside",
                                                  "south-tyneside-family-works"}


def test_scenarios_lists_each_place_with_its_size_and_its_pilots_beneath():
    lines = CliRunner().invoke(main, ["scenarios"]).output.splitlines()
    for pilot, place in PILOTS.items():
        at = next(i for i, line in enumerate(lines) if line.split()[:1] == [place])
        assert f"{config.load(place).run.people:,} claimants" in lines[at]
        beneath = []
        for line in lines[at + 1:]:
            if not line.startswith("    "):
                break
            beneath.append(line.split()[0])
        assert pilot in beneath, (place, beneath)


def test_the_docs_show_every_places_figures_as_borough_places_prints_them():
    docs = (Path(__file__).resolve().parents[1] / "docs" / "places.md").read_text(
        encoding="utf-8")
    assert borough.places_markdown() in docs


def test_the_calendar_turns_the_periods_national_policy_into_weeks_of_the_run():
    april = {d.path: d.value for d in calendar.dated_policy(dt.date(2011, 4, 1))}
    assert april["ib_reassessment.start_week"] == 0.0
    assert april["ib_reassessment.end_week"] == round((dt.date(2014, 3, 31)
                                                       - dt.date(2011, 4, 1)).days / 7, 2)
    assert april["ib_reassessment.claims_older_than_weeks"] == 126.57  # 886 days
    assert april["lone_parents.age_limits"] == [{"from_week": 0.0, "age": 7.0},
                                                {"from_week": 59.43, "age": 5.0}]  # 416 days
    assert april["services.future_jobs_fund.funding_ends_week"] == 0.0  # closed on 31 March
    august = {d.path: d.value for d in calendar.dated_policy(dt.date(2010, 8, 1))}
    assert august["ib_reassessment.start_week"] == 34.71  # 243 days to 1 April 2011
    assert [limit["age"] for limit in august["lone_parents.age_limits"]] == [10.0, 7.0, 5.0]
    assert august["services.future_jobs_fund.funding_ends_week"] == 34.57
    assert april["work_programme.start_week"] == 8.71  # 61 days to 1 June 2011
    assert april["flexible_new_deal.enabled"] and april["flexible_new_deal.end_week"] == 8.71
    assert not april["pathways_to_work.enabled"], "closed on 31 March 2011"
    assert august["work_programme.start_week"] == 43.43  # 304 days
    assert august["flexible_new_deal.end_week"] == 43.43
    assert august["pathways_to_work.end_week"] == 34.57  # 242 days
    july = {d.path: d.value for d in calendar.dated_policy(dt.date(2011, 7, 1))}
    assert july["work_programme.start_week"] == 0.0
    assert not july["flexible_new_deal.enabled"] and not july["pathways_to_work.enabled"]
    assert "flexible_new_deal.end_week" not in july
    with pytest.raises(ValueError, match="outside the calendar"):
        calendar.dated_policy(dt.date(2015, 1, 1))


@pytest.mark.parametrize("place", PLACES)
def test_every_place_starts_on_a_date_with_the_policy_of_that_date(place):
    scenario = config.load(place)
    assert scenario.run.start is not None
    assert scenario.ib_reassessment.enabled and scenario.lone_parents.enabled
    assert scenario.labour_market.other_exits.IS_LP.transfer_per_week == 0.0
    policy = {d.path: d.value for d in calendar.dated_policy(scenario.run.start)}
    assert scenario.ib_reassessment.start_week == policy["ib_reassessment.start_week"]
    better_off = scenario.services["better_off_calculation"]
    assert better_off.enabled and better_off.booked
    assert better_off.eligibility.benefits == ["IS_LP"] and better_off.routine_referral == 0.5
    wp = policy["work_programme.start_week"]
    assert scenario.work_programme.start_week == wp > 0.0, "every place starts before June 2011"
    assert scenario.flexible_new_deal.enabled and scenario.flexible_new_deal.end_week == wp
    assert scenario.pathways_to_work.enabled == (scenario.run.start < dt.date(2011, 3, 31))
    baseline = config.load(config.BASELINE)
    assert not baseline.ib_reassessment.enabled, "the calibrated system"
    assert baseline.work_programme.start_week == 0.0
    assert not baseline.flexible_new_deal.enabled and not baseline.pathways_to_work.enabled
    assert not baseline.services["better_off_calculation"].enabled


@pytest.fixture(scope="module")
def swindon_run():
    """Swindon from August 2010 for 60 weeks: the Work Programme starts in week 43.43."""
    return simulate(config.load("swindon").with_run(people=1500, weeks=60, seed=2))


def test_a_place_run_reassesses_and_moves_lone_parents_from_the_calendars_weeks(swindon_run):
    out = swindon_run
    reassessed = out.events[out.events.event == "ib_reassessment"]
    assert len(reassessed) > 20 and reassessed.day.min() >= 34.71 * 7
    moved = out.events[out.events.event == "lone_parent_rule"]
    assert len(moved) > 5
    calculated = out.events[(out.events.event == "referral")
                            & (out.events.service == "better_off_calculation")]
    assert len(calculated) > 20 and (calculated.detail == "jobcentre:warm").all()
    benefit = out.people.set_index("person").benefit
    assert (benefit.loc[calculated.person.unique()] == "IS_LP").mean() > 0.9


def test_borough_init_start_outside_the_calendar_is_refused(tmp_path):
    result = CliRunner().invoke(main, ["borough", "init", "--place", "swindon", "--start",
                                       "2016-01-01", "--out", str(tmp_path / "s.yaml")])
    assert result.exit_code != 0 and "outside the calendar" in result.output
    assert not (tmp_path / "s.yaml").exists()


def test_before_june_2011_claims_go_to_the_programmes_it_replaced_then_to_it(swindon_run):
    events, start, pathways_end = swindon_run.events, 43.43 * 7.0, 34.57 * 7.0
    referred = events[events.event == "referral"]
    fnd = referred[referred.service == "flexible_new_deal"]
    pathways = referred[referred.service == "pathways_to_work"]
    wp = referred[referred.service == "work_programme"]
    assert len(fnd) > 20 and fnd.day.max() < start
    assert len(pathways) > 20 and pathways.day.max() < pathways_end
    claims = events[events.event == "claim_start"][["day", "person", "detail"]]
    claims = claims.astype({"detail": str}).sort_values("day")
    for programme, benefit in ((fnd, "JSA"), (pathways, "ESA")):
        claim = pd.merge_asof(programme[["day", "person"]].sort_values("day"), claims,
                              on="day", by="person")
        assert (claim.detail == benefit).all(), "referred from the claim it is for"
    assert len(wp) > 20 and wp.day.min() == pytest.approx(start)
    # the claims already past their referral point are referred on the first day
    assert (wp.day == wp.day.min()).sum() > len(wp) / 4
    for name, end in (("flexible_new_deal", start), ("pathways_to_work", pathways_end)):
        sessions = events[(events.service == name) & (events.event == "intervention")]
        assert len(sessions) > 0 and sessions.day.max() < end, f"{name} ends at its close"
    assert set(fnd.person) & set(wp.person), "people on FND go on to the Work Programme"


def test_a_start_after_june_2011_has_no_programme_before_the_work_programme(tmp_path):
    out = tmp_path / "later.yaml"
    result = CliRunner().invoke(main, ["borough", "init", "--place", "swindon", "--start",
                                       "2011-09-01", "--out", str(out)])
    assert result.exit_code == 0, result.output
    scenario = config.load(out)
    assert scenario.work_programme.start_week == 0.0
    assert not scenario.flexible_new_deal.enabled and not scenario.pathways_to_work.enabled
    run = simulate(scenario.with_run(people=600, weeks=20, seed=3))
    assert not run.events.service.isin(["flexible_new_deal", "pathways_to_work"]).any()
    assert (run.events.service == "work_programme").any()
