"""One person's journey as a readable timeline, from a run's tables."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from matplotlib.figure import Figure

from journeysim.present import plots
from journeysim.vocabulary import BARRIERS

Sentence = Callable[[pd.Series], str]

SENTENCES: dict[str, Sentence] = {
    "claim_start": lambda e: f"starts claiming {e.detail}" + (
        f" (already claiming for {e.value / 7:.0f} weeks)" if e.value > 0 else ""),
    "interview": lambda e: f"new-claim interview at the {e.service} ({e.value:g} h)",
    "assessment": lambda e: f"assessed by {e.service}",
    "wait": lambda e: (f"waits {e.value:.1f} days for a place at {e.service}"
                       if e.detail == "place"
                       else f"waits {e.value:.1f} days for a free adviser at {e.service}"),
    "intervention": lambda e: f"adviser session at {e.service}: " + (
        "fitted to their needs" if e.detail == "fit" else "the standard product again"),
    "referral": lambda e: f"referred to {e.service} ({_handoff(e.detail)})",
    "referral_lost": lambda e: f"referral to {e.service} lost: {e.detail}",
    "handoff": lambda e: f"arrives at {e.service} after {e.value:.0f} days",
    "episode_end": lambda e: (
        f"finishes at {e.service} ({e.value:g} sessions)" if e.detail == "completed"
        else f"stops going to {e.service} after {e.value:g} sessions (left benefit)"),
    "contact": lambda e: f"first contact with {e.service}",
    "abandoned": lambda e: f"leaves the waiting list at {e.service}: {e.detail}",
    "declined": lambda e: f"offered {e.service.replace('_', ' ')}: {e.detail}",
    "caseload": lambda e: f"off {e.service.replace('_', ' ')}'s caseload after {e.value:.0f} weeks",
    "purchase": lambda e: f"{e.service} buys help with {BARRIERS[int(e.detail)]}",
    "sanction": lambda e: f"sanctioned: {e.value:g} weeks of benefit withheld",
    "wca": lambda e: "Work Capability Assessment: " + e.detail.replace("_", " "),
    "payment": lambda e: f"{e.service} paid its {e.detail} fee",
    "job_start": lambda e: f"starts a {e.detail} job",
    "post_employment": lambda e: "gets in-work support",
    "job_end": lambda e: "leaves work and " + (
        "claims again" if e.detail == "reclaim" else "does not claim"),
    "claim_end": lambda e: f"claim ends after {e.value / 7:.1f} weeks: " + {
        "work": "into work", "benefit": "moves to another benefit",
        "inactive": "stops claiming", "censored": "still claiming at the end of the run",
    }.get(e.detail, e.detail),
    "benefit_paid": lambda e: f"benefit paid over the claim: {e.value / 7:.1f} weeks",
    "reviews": lambda e: f"routine reviews over the claim: {e.detail}",
}


def sentence(event: pd.Series) -> str:
    """One event of the log in words (its type, service and detail if none is written)."""
    return SENTENCES.get(event.event, lambda e: f"{e.event} {e.service} {e.detail}")(event)


def _handoff(detail: str) -> str:
    source, _, kind = detail.partition(":")
    return f"{kind} handoff from {source}" if kind else f"from {source}"


def _person(people: pd.DataFrame, person: int) -> pd.Series:
    if person not in set(people.person):
        raise KeyError(f"no person {person} in this run (ids run from 0 to "
                       f"{int(people.person.max())})")
    return people.set_index("person").loc[person]


def picture(events: pd.DataFrame, people: pd.DataFrame, person: int, weeks: float) -> Figure:
    """The person's journey as a figure: claims and jobs as bars, services as lanes."""
    me = _person(people, person)
    title = (f"Person {person}: {me.role}, aged {me.age}, {me.benefit}, segment {me.segment}"
             f" — ends {me.state.replace('_', ' ')}")
    mine = events[events.person == person].sort_values("day", kind="stable")
    return plots.timeline_figure(mine, title, weeks)


def timeline(events: pd.DataFrame, people: pd.DataFrame, person: int) -> str:
    """The person's journey, one line per event, with week, day and cost."""
    me = _person(people, person)
    household = people[(people.household == me.household) & (people.person != person)]
    relatives = ", ".join(f"{r.role} aged {r.age} ({r.state.replace('_', ' ')})"
                          for r in household.itertuples()) or "lives alone"
    lines = [
        f"Person {person}: {me.role}, aged {me.age}, {me.benefit}, segment {me.segment}",
        f"Household {me.household}: {relatives}",
        "",
        f"{'week':>6} {'day':>7}  {'event':<60} {'cost':>7}",
    ]
    mine = events[events.person == person].sort_values("day", kind="stable")
    for event in mine.itertuples():
        cost = f"£{event.cost:,.0f}" if event.cost else ""
        text = sentence(event)
        lines.append(f"{event.day / 7:>6.1f} {event.day:>7.1f}  {text:<60} {cost:>7}")
    lines += ["", f"Outcome: {me.state.replace('_', ' ')}; {me.spells} claim spells, "
              f"{me.agencies} agencies, {me.assessments} assessments, "
              f"{me.referrals_lost} referrals lost; cost £{me.cost:,.0f}"]
    return "\n".join(lines)
