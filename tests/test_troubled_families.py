"""The national Troubled Families programme: who it takes, when, how many, and where it runs.

Each test reads the event log, a place's scenario or the calendar's arithmetic,
not the service's bookkeeping.
"""

import datetime as dt

import pytest

from journeysim import config
from journeysim.config import borough, calendar
from journeysim.runs.results import simulate
from journeysim.sim.services.troubled_families import problems
from tests.conftest import variant

SIZE = {"people": 1500, "weeks": 80, "seed": 3}
WINDOW = {"enabled": True, "start_week": 20, "end_week": 60, "cohort_per_1000_year": 40.0,
          "advisers_per_1000": 3.0}


class Member:
    """A household member as the eligibility rule sees one: barriers and a household."""

    def __init__(self, barriers, household):
        self.barriers = barriers
        self.household = household
        household.append(self)

    def members(self):
        return self.household


def referrals(output):
    events = output.events
    return events[(events.event == "referral") & (events.service == "troubled_families")]


def test_problems_counts_different_barriers_across_the_household():
    home = []
    one = Member([0.4, 0.0, 0.0, 0.0], home)
    assert problems(one) == 1
    Member([0.2, 0.0, 0.5, 0.0], home)  # the same first barrier, and a third
    assert problems(one) == 2


def test_calendar_dates_the_programme_from_april_2012():
    start = dt.date(2011, 4, 1)
    dated = {d.path: d.value for d in calendar.dated_policy(start)}
    assert dated["troubled_families.start_week"] == round(366 / 7, 2) == 52.29
    assert dated["troubled_families.end_week"] == round((dt.date(2015, 3, 31) - start).days / 7, 2)
    later = {d.path: d.value for d in calendar.dated_policy(dt.date(2013, 1, 7))}
    assert later["troubled_families.start_week"] == 0.0  # already running at the start


@pytest.mark.parametrize("place", ["south-tyneside", "bradford"])
def test_the_family_places_run_it_at_their_share_of_the_120000_families(place):
    scenario = config.load(place)
    figures = borough.read_place(place).figures
    families = round(figures["population"].value * 0.0022636)
    tf = scenario.troubled_families
    assert tf.enabled and tf.start_week == 52.29
    people = scenario.run.people
    assert tf.cohort_per_1000_year * people / 1000 == pytest.approx(families / 3)
    assert tf.advisers_per_1000 * people / 1000 == pytest.approx(
        families / 3 * tf.case_weeks / 52 / tf.caseload_per_adviser)


def test_places_without_a_family_pilot_and_the_baseline_leave_it_off():
    for name in ("fragmented", "swindon", "wakefield", "lewisham", "birmingham"):
        assert not config.load(name).troubled_families.enabled, name
    pilot = config.load("south-tyneside-family-works")
    assert pilot.troubled_families.enabled  # the pilot is compared with it running anyway


def test_it_takes_workless_families_only_while_it_runs_and_within_its_cohort():
    out = simulate(variant({"troubled_families": WINDOW}, **SIZE))
    taken = referrals(out)
    assert len(taken) > 20
    assert taken.day.min() >= 20 * 7 and taken.day.max() < 60 * 7
    assert taken.household.is_unique  # one case a household
    cohort = WINDOW["cohort_per_1000_year"] * SIZE["people"] / 1000
    assert (taken.groupby(taken.day // 364).size() <= cohort).all()
    none = simulate(variant({"troubled_families": {**WINDOW, "min_problems": 10}}, **SIZE))
    assert referrals(none).empty  # no household has ten different barriers
