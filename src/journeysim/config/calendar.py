"""The period's national policy by the calendar: dated changes as weeks of a run.

The model's national policies are switched and timed in weeks of the run
(``ib_reassessment.start_week``, ``lone_parents.age_limits``,
``services.future_jobs_fund.funding_ends_week``, ``troubled_families.start_week``,
``work_programme.start_week``, and the ``end_week`` of the programmes it replaced),
or in force throughout the period (the better-off calculation for lone parents).
A place's run starts on a date
(``run.start``); :func:`dated_policy` turns each dated change of 2008-14 into
those weeks, with its arithmetic, and ``borough init`` writes them into the
place's file (docs/places.md says which dates are the seeds' and which public).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

#: ESA replaced Incapacity Benefit for new claims (public: DWP, 27 October 2008).
ESA_STARTS = dt.date(2008, 10, 27)
#: National reassessment of Incapacity Benefit claims, April 2011 to spring 2014 (public:
#: DWP; trials in Aberdeen and Burnley from October 2010).
REASSESSMENT = (dt.date(2011, 4, 1), dt.date(2014, 3, 31))
#: Lone Parent Obligations: Income Support ends when the youngest child reaches this age,
#: from these dates (public: DWP, 7 from 25 October 2010, 5 from 21 May 2012; seed 001,
#: T13, names the ages 7 and 5).
LONE_PARENT_AGES = ((dt.date(2010, 10, 25), 7.0), (dt.date(2012, 5, 21), 5.0))
#: The Future Jobs Fund closed to new jobs (seed 001, O5: "FJF closed on 31st March").
FJF_CLOSES = dt.date(2011, 3, 31)
#: The Work Programme began in June 2011, taken as 1 June (public: DWP). It replaced Flexible
#: New Deal, whose providers took JSA claimants until it began (public: the Employment
#: Minister's statement of 10 June 2010, Regeneration & Renewal, 11 June 2010: existing
#: programmes would not end until the Work Programme was in place, with no gap).
WORK_PROGRAMME_STARTS = dt.date(2011, 6, 1)
#: Provider-led Pathways to Work, for claimants of incapacity benefits and ESA, ended in
#: March 2011, before the Work Programme (public: PSI, "PL Pathways started in December 2007
#: and ended in March/April 2011"; Knight et al. 2013, DWP Working Paper 113).
PATHWAYS_CLOSES = dt.date(2011, 3, 31)
#: Phase one of the Troubled Families programme, April 2012 to March 2015 (public: DCLG;
#: House of Commons Committee of Public Accounts, "Troubled families: progress review",
#: 2016: "phase one of the programme, which lasted from 2012 to 2015").
TROUBLED_FAMILIES = (dt.date(2012, 4, 1), dt.date(2015, 3, 31))
#: Phase one's years, over which its families are spread evenly (2012-13 to 2014-15).
TROUBLED_FAMILIES_YEARS = 3
#: Jobcentre Plus offered lone parents on Income Support an in-work benefit ("better-off")
#: calculation at their Work Focused Interviews throughout the period (public: DWP's lone
#: parent interviews and In Work Credit, national from April 2008); the share of those
#: offered one is an assumption (docs/evidence.md).
BETTER_OFF_SHARE = 0.5
#: The earliest and latest start dates the calendar covers (from 26 October 2009 the
#: lone-parent age was 10: public, DWP).
FIRST, LAST = dt.date(2009, 10, 26), dt.date(2014, 3, 31)


@dataclass(frozen=True)
class Dated:
    """One field set by the calendar: its dotted path, value and how it was worked out."""

    path: str
    value: Any
    arithmetic: str


def weeks(start: dt.date, day: dt.date) -> float:
    """Weeks from ``start`` to ``day`` (negative when ``day`` is earlier), to 2 decimals."""
    return round((day - start).days / 7.0, 2)


def dated_policy(start: dt.date) -> list[Dated]:
    """The national policy in force from ``start`` on, as the fields of a run's weeks.

    Raises:
        ValueError: a start outside the calendar (``FIRST`` to ``LAST``).
    """
    if not FIRST <= start <= LAST:
        raise ValueError(f"run.start {start.isoformat()} is outside the calendar of national "
                         f"policy ({FIRST.isoformat()} to {LAST.isoformat()})")
    begin, end = (max(0.0, weeks(start, d)) for d in REASSESSMENT)
    older = weeks(ESA_STARTS, start)
    limits = _age_limits(start)
    shown = ", ".join(f"{age:g} from week {week:g}" for week, age in limits)
    fjf = max(0.0, weeks(start, FJF_CLOSES))
    tf_begin, tf_end = (max(0.0, weeks(start, d)) for d in TROUBLED_FAMILIES)
    return [
        Dated("ib_reassessment.enabled", True, "national, April 2011 to spring 2014"),
        Dated("ib_reassessment.start_week", begin, f"1 April 2011 is week {begin:g}"),
        Dated("ib_reassessment.end_week", end, f"31 March 2014 is week {end:g}"),
        Dated("ib_reassessment.claims_older_than_weeks", older,
              f"claims begun before ESA (27 October 2008): {older:g} weeks before the start"),
        Dated("lone_parents.enabled", True, "national: the youngest child's age, by date"),
        Dated("lone_parents.age_limits", [{"from_week": w, "age": a} for w, a in limits],
              f"7 from 25 October 2010, 5 from 21 May 2012: {shown}"),
        Dated("labour_market.other_exits.IS_LP.transfer_per_week", 0.0,
              "the rule moves lone parents to JSA in place of the aggregate hazard"),
        Dated("services.future_jobs_fund.funding_ends_week", fjf,
              f"the Fund closed on 31 March 2011: week {fjf:g}"),
        Dated("troubled_families.start_week", tf_begin,
              f"Troubled Families from 1 April 2012: week {tf_begin:g}"),
        Dated("troubled_families.end_week", tf_end,
              f"phase one took families to 31 March 2015: week {tf_end:g}"),
        Dated("services.better_off_calculation.enabled", True,
              "Jobcentre Plus offered lone parents an in-work benefit calculation at their "
              "interviews throughout the period (public: DWP)"),
        Dated("services.better_off_calculation.eligibility.benefits", ["IS_LP"],
              "lone parents on Income Support, whose interviews included it"),
        Dated("services.better_off_calculation.routine_referral", BETTER_OFF_SHARE,
              "assumption: half of them offered one (no published share found)"),
        Dated("services.better_off_calculation.booked", True,
              "the Jobcentre's own adviser does it on the day: a warm referral"),
        *_programmes(start),
    ]


def _programmes(start: dt.date) -> list[Dated]:
    """The Work Programme's start week, and the programmes it replaced while they ran.

    A claim past its Work Programme referral point at the start week is referred
    then (the programme's first months took the stock of long claims); Flexible
    New Deal and Pathways to Work run, if the run starts before they closed,
    until they closed, and their attachments end then (their contracts ended).
    """
    wp = max(0.0, weeks(start, WORK_PROGRAMME_STARTS))
    fields = [Dated("work_programme.start_week", wp,
                    f"the Work Programme began in June 2011 (1 June): week {wp:g}; claims "
                    "already past their referral point are referred that week")]
    for name, what, closes, day in (
            ("flexible_new_deal", "Flexible New Deal", WORK_PROGRAMME_STARTS, "1 June 2011"),
            ("pathways_to_work", "Pathways to Work", PATHWAYS_CLOSES, "31 March 2011")):
        end = weeks(start, closes)
        if end <= 0.0:
            fields.append(Dated(f"{name}.enabled", False,
                                f"{what} had closed ({day}) before the run starts"))
        else:
            fields += [Dated(f"{name}.enabled", True, f"{what} ran until {day}"),
                       Dated(f"{name}.end_week", end, f"it closed on {day}: week {end:g}")]
    return fields


def _age_limits(start: dt.date) -> list[tuple[float, float]]:
    """(from week, age) of each lone-parent age in force during a run from ``start``."""
    limits: list[tuple[float, float]] = []
    for day, age in LONE_PARENT_AGES:
        week = max(0.0, weeks(start, day))
        if week == 0.0:
            limits = []  # a change before the start replaces the ones before it
        limits.append((week, age))
    if not limits or limits[0][0] > 0.0:  # before October 2010: the age was 10 (public: DWP)
        limits.insert(0, (0.0, 10.0))
    return limits
