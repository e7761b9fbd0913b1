"""Pure functions from the run's tables to the headline measures.

Nothing here touches the model: every measure is computed from the event log
(and the people's fixed traits), so any run's outputs can be re-measured.
Durations are in days in the log and reported in weeks.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from journeysim.analysis.stats import ratio
from journeysim.sim import service_cost_mask
from journeysim.sim.services.base import COHORT_FULL, NO_ADVISER, NO_PLACE
from journeysim.vocabulary import IN_WORK, NO_BENEFIT, PROGRAMMES

DESTINATIONS = ("work", "benefit", "inactive")
OFF_FLOW_WEEKS = (13, 26, 52)
SUSTAINED_DAYS = 26 * 7.0
SUSTAINED_52_DAYS = 52 * 7.0
CYCLING_DAYS = 26 * 7.0
NOT_AGENCIES = ("benefit", "employer")
BENEFIT_KEYS = {"JSA": "JSA", "ESA": "ESA", "IS_LP": "IS", "NONE": "NONE"}
LONG_TERM_JSA_DAYS = 52 * 7.0
#: What became of an ESA claim (``wca_outcomes``): closed before its WCA, the WCA's
#: outcome, or still waiting for it at the end of the run.
WCA_OUTCOMES = ("closed_before", "fit_for_work", "support_group",
                "work_related_activity_group", "in_progress")
#: ESA claims are followed this long at least before their WCA outcome is counted.
WCA_FOLLOW_DAYS = 52 * 7.0
#: Work Programme attachments are followed this long (DWP's early cohort analysis, 2012).
ATTACHMENT_WINDOW_DAYS = 36 * 7.0
#: Lengths of a continuous break off benefit counted within that window.
BREAK_WEEKS = (13, 26)


def claims_table(events: pd.DataFrame) -> pd.DataFrame:
    """One row per claim spell: person, benefit, start day, days claimed, destination.

    ``start`` is the day the claim began (negative for the starting stock);
    ``new`` marks claims that began during the run (the inflow, returns and
    transfers); ``transfer`` marks a claim that began as another ended, moved
    from another benefit; ``spell`` numbers the person's time on benefit, which a
    transfer continues.
    """
    starts = events[events.event == "claim_start"]
    ends = events[events.event == "claim_end"]
    starts = starts.assign(k=starts.groupby("person").cumcount())
    ends = ends.assign(k=ends.groupby("person").cumcount())
    merged = starts.merge(ends, on=["person", "k"], suffixes=("_s", "_e"))
    destination = merged.detail_e.astype(str)
    previous = destination.groupby(merged.person).shift(1)
    previous_end = merged.day_e.groupby(merged.person).shift(1)
    transfer = (previous == "benefit") & (previous_end == merged.day_s)
    return pd.DataFrame(
        {
            "person": merged.person.to_numpy(),
            "benefit": merged.detail_s.astype(str).to_numpy(),
            "start": (merged.day_s - merged.value_s).to_numpy(),
            "days": merged.value_e.to_numpy(),
            "destination": destination.to_numpy(),
            "new": (merged.value_s == 0.0).to_numpy(),
            "transfer": transfer.to_numpy(),
            "spell": (~transfer).groupby(merged.person).cumsum().to_numpy(),
        }
    )


def spells_table(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per time on benefit: claims joined across transfers between benefits.

    ``benefit`` is the first claim's, ``destination`` the last's (work, inactive or
    censored; never another benefit), ``days`` the whole time on benefit, ``new``
    whether it began in the run. Off-flow off all benefits is measured on these.
    """
    grouped = claims.groupby(["person", "spell"], sort=False)
    return pd.DataFrame({
        "person": grouped.person.first().to_numpy(),
        "benefit": grouped.benefit.first().to_numpy(),
        "start": grouped.start.first().to_numpy(),
        "days": grouped.days.sum().to_numpy(),
        "destination": grouped.destination.last().to_numpy(),
        "new": grouped.new.first().to_numpy(),
    })


def kaplan_meier(days: np.ndarray, ended: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Event times and the survival just after each (share still claiming).

    Args:
        days: time on benefit of each claim (ended or censored).
        ended: True where the claim ended, False where it was still open (censored).
    """
    times, inverse = np.unique(days, return_inverse=True)
    deaths = np.bincount(inverse, weights=ended.astype(float), minlength=len(times))
    removed = np.bincount(inverse, minlength=len(times))
    at_risk = len(days) - np.concatenate(([0], np.cumsum(removed)[:-1]))
    survival = np.cumprod(1.0 - deaths / at_risk)
    return times, survival


def survival_at(times: np.ndarray, survival: np.ndarray, t: float) -> float:
    """S(t): the share still claiming at time ``t`` (1 before the first event)."""
    i = np.searchsorted(times, t, side="right") - 1
    return 1.0 if i < 0 else float(survival[i])


def restricted_mean(times: np.ndarray, survival: np.ndarray, limit: float) -> float:
    """Area under the survival curve from 0 to ``limit``: the mean time restricted to it."""
    inside = times < limit
    edges = np.concatenate(([0.0], times[inside], [limit]))
    heights = np.concatenate(([1.0], survival[inside]))
    return float(np.sum(np.diff(edges) * heights))


def off_flow(spells: pd.DataFrame, horizon_days: float,
             prefix: str = "off_flow") -> dict[str, Any]:
    """Off-flow at 13, 26 and 52 weeks (Kaplan-Meier), its destinations, median weeks.

    On spells off all benefits (``prefix`` off_flow, the headline), or on claims
    off their own benefit (``prefix`` off_benefit, where a move to another
    benefit is a destination). The median, and the mean restricted to the
    follow-up (the run's length at most), are of the headline's spells.
    """
    new = spells[spells.new]
    out: dict[str, Any] = {f"{prefix}_{w}w": None for w in OFF_FLOW_WEEKS}
    out[f"{prefix}_destinations"] = {f"{w}w": None for w in OFF_FLOW_WEEKS}
    if prefix == "off_flow":
        out["median_claim_weeks"] = None
        out["mean_claim_weeks"] = None
        out["new_claims"] = len(new)
    if new.empty:
        return out
    days = new.days.to_numpy()
    ended = (new.destination != "censored").to_numpy()
    times, survival = kaplan_meier(days, ended)
    follow = float(days.max())
    for weeks in OFF_FLOW_WEEKS:
        t = weeks * 7.0
        if t <= min(follow, horizon_days):
            out[f"{prefix}_{weeks}w"] = 1.0 - survival_at(times, survival, t)
            out[f"{prefix}_destinations"][f"{weeks}w"] = _incidence(new, times, survival, t)
    if prefix != "off_flow":
        return out
    below = np.nonzero(survival <= 0.5)[0]
    if below.size:
        out["median_claim_weeks"] = float(times[below[0]] / 7.0)
    out["mean_claim_weeks"] = restricted_mean(times, survival, min(follow, horizon_days)) / 7.0
    return out


def _incidence(new: pd.DataFrame, times: np.ndarray, survival: np.ndarray,
               t: float) -> dict[str, float]:
    """Cumulative incidence of each destination by ``t`` (Aalen-Johansen)."""
    before = np.concatenate(([1.0], survival[:-1]))
    order = np.searchsorted(times, new.days.to_numpy())
    at_risk = len(new) - np.searchsorted(np.sort(new.days.to_numpy()), times, side="left")
    result = {}
    for destination in DESTINATIONS:
        hit = (new.destination == destination).to_numpy()
        deaths = np.bincount(order[hit], minlength=len(times))
        terms = before * deaths / at_risk
        result[destination] = float(terms[times <= t].sum())
    return result


def jobs_table(events: pd.DataFrame, horizon_days: float) -> pd.DataFrame:
    """One row per job: person, start day, days in work (to the horizon if still in work)."""
    starts = events[events.event == "job_start"]
    ends = events[events.event == "job_end"]
    starts = starts.assign(k=starts.groupby("person").cumcount())
    ends = ends.assign(k=ends.groupby("person").cumcount())
    merged = starts.merge(ends[["person", "k", "day"]], on=["person", "k"], how="left",
                          suffixes=("", "_end"))
    end = merged.day_end.fillna(horizon_days)
    return pd.DataFrame({"person": merged.person.to_numpy(), "start": merged.day.to_numpy(),
                         "days": (end - merged.day).to_numpy(),
                         "kind": merged.detail.astype(str).to_numpy()})


def people_table(persons: pd.DataFrame, events: pd.DataFrame,
                 jobs: pd.DataFrame) -> pd.DataFrame:
    """One row per person: traits, outcome, days on benefit, spells, services, cost.

    ``jobs`` is the run's ``jobs_table``, made once and shared with ``headline``.
    """
    kinds = events.groupby(["person", "event"], observed=True).size().unstack(fill_value=0)
    paid = events[events.event == "benefit_paid"].groupby("person").value.sum()
    agency = events[~events.service.isin(NOT_AGENCIES) & (events.service != "")
                    & (events.event != "declined")]
    sustained = jobs[jobs.days >= SUSTAINED_DAYS].groupby("person").size()
    sustained_52 = jobs[jobs.days >= SUSTAINED_52_DAYS].groupby("person").size()
    table = persons.set_index("person")
    table["days_on_benefit"] = paid.reindex(table.index, fill_value=0.0)
    spells = spells_table(claims_table(events)).groupby("person").size()
    table["spells"] = spells.reindex(table.index, fill_value=0).astype(int)
    for column, event in (("jobs", "job_start"),
                          ("assessments", "assessment"), ("sanctions", "sanction"),
                          ("referrals", "referral"), ("handoffs", "handoff"),
                          ("referrals_lost", "referral_lost")):
        counts = kinds[event] if event in kinds else pd.Series(dtype=float)
        table[column] = counts.reindex(table.index, fill_value=0).astype(int)
    retells = events[(events.event == "assessment") & (events.detail == "retell")]
    table["retells"] = retells.groupby("person").size().reindex(
        table.index, fill_value=0).astype(int)
    table["sustained_jobs"] = sustained.reindex(table.index, fill_value=0).astype(int)
    table["sustained_jobs_52w"] = sustained_52.reindex(table.index, fill_value=0).astype(int)
    misfits = events[(events.event == "intervention") & (events.detail == "misfit")]
    table["repeat_interventions"] = misfits.groupby("person").size().reindex(
        table.index, fill_value=0).astype(int)
    waits = events[events.event.isin(["wait", "still_waiting", "handoff", "referral_lost"])]
    table["waiting_days"] = waits.groupby("person").value.sum().reindex(
        table.index, fill_value=0.0)
    table["agencies"] = agency.groupby("person").service.nunique().reindex(
        table.index, fill_value=0).astype(int)
    benefit_cost = events[events.event == "benefit_paid"].groupby("person").cost.sum()
    service_cost = events[service_cost_mask(events)].groupby("person").cost.sum()
    table["cost_benefit"] = benefit_cost.reindex(table.index, fill_value=0.0)
    table["cost_services"] = service_cost.reindex(table.index, fill_value=0.0)
    table["cost"] = table.cost_benefit + table.cost_services
    return table.reset_index()


def person_measures(people: pd.DataFrame, jobs: pd.DataFrame) -> dict[str, Any]:
    """Job entry, sustainment, cycling, spells, fragmentation and cost, per claimant.

    Args:
        people: the group's rows of the people table.
        jobs: the run's jobs marked by ``mark_returns``, any people.
    """
    claimants = people[people.spells > 0]
    n = len(claimants)
    jobs = jobs[jobs.person.isin(claimants.person)]
    cost_total = float(claimants.cost.sum())
    sustained = int((claimants.sustained_jobs > 0).sum())
    return {
        "claimants": n,
        "job_entry_rate": ratio((claimants.jobs > 0).sum(), n),
        "sustained_job_rate": ratio(sustained, n),
        "sustained_job_rate_52w": ratio((claimants.sustained_jobs_52w > 0).sum(), n),
        "in_work_at_end": ratio((claimants.state == IN_WORK).sum(), n),
        "cycling_rate": cycling_rate(jobs),
        "mean_spells": ratio(claimants.spells.sum(), n),
        "agencies_per_person": ratio(claimants.agencies.sum(), n),
        "assessments_per_person": ratio(claimants.assessments.sum(), n),
        "sanctions_per_person": ratio(claimants.sanctions.sum(), n),
        "repeat_interventions_per_person": ratio(claimants.repeat_interventions.sum(), n),
        "retells_per_person": ratio(claimants.retells.sum(), n),
        "distance_travelled": ratio((claimants.start_barrier_load
                                     - claimants.barrier_load).sum(), n),
        "motivation_gained": ratio((claimants.motivation - claimants.start_motivation).sum(), n),
        "waiting_days_per_person": ratio(claimants.waiting_days.sum(), n),
        "referrals_made": int(claimants.referrals.sum()),
        "referrals_lost": int(claimants.referrals_lost.sum()),
        "referral_loss_rate": ratio(claimants.referrals_lost.sum(), claimants.referrals.sum()),
        "cost_total": cost_total,
        "cost_benefit": float(claimants.cost_benefit.sum()),
        "cost_services": float(claimants.cost_services.sum()),
        "cost_per_person": ratio(cost_total, n),
        "cost_per_sustained_job": ratio(cost_total, sustained),
    }


def non_claimant_measures(people: pd.DataFrame, jobs: pd.DataFrame,
                          horizon_days: float) -> dict[str, Any]:
    """Work among the relatives who arrived out of work and never claimed in the run.

    ``job_entry_52w``: the share of those who arrived at least 52 weeks before the
    horizon who started a job within 52 weeks of arriving (calibration target R1:
    their chance of work without any service); ``in_work_at_end`` and
    ``retells_per_person`` (times they told their story again), of all of them.
    """
    group = people[(people.benefit == NO_BENEFIT) & (people.segment != IN_WORK)
                   & (people.spells == 0)]
    seen = group[group.arrived <= horizon_days - SUSTAINED_52_DAYS]
    first = jobs[jobs.person.isin(seen.person)].groupby("person").start.min()
    arrived = seen.set_index("person").arrived.reindex(first.index)
    entered = int((first - arrived <= SUSTAINED_52_DAYS).sum())
    return {
        "people": len(group),
        "job_entry_52w": ratio(entered, len(seen)),
        "in_work_at_end": ratio((group.state == IN_WORK).sum(), len(group)),
        "retells_per_person": ratio(group.retells.sum(), len(group)),
    }


def mark_returns(jobs: pd.DataFrame, starts: pd.DataFrame, horizon_days: float) -> pd.DataFrame:
    """The jobs table, with whether each job's return window was seen and used.

    ``seen``: the job started 26 weeks or more before the end, so the whole window
    is observed. ``returned``: a new claim began within 26 weeks of the start.
    ``return_days``: days from the start to the next claim (NaN if none).
    """
    ordered = jobs.reset_index(drop=True).assign(job=lambda f: f.index).sort_values("start")
    after = pd.merge_asof(
        ordered, starts.rename(columns={"day": "next_claim"}).sort_values("next_claim"),
        left_on="start", right_on="next_claim", by="person", direction="forward",
        allow_exact_matches=False,
    ).sort_values("job")
    marked = jobs.reset_index(drop=True)
    marked["seen"] = (marked.start <= horizon_days - CYCLING_DAYS).to_numpy()
    marked["returned"] = (after.next_claim <= after.start + CYCLING_DAYS).to_numpy()
    marked["return_days"] = (after.next_claim - after.start).to_numpy()
    return marked


def cycling_rate(jobs: pd.DataFrame) -> float | None:
    """Share of job starts followed by a new claim within 26 weeks (of jobs ``seen``)."""
    seen = jobs[jobs.seen]
    return ratio(seen.returned.sum(), len(seen))


def hires(events: pd.DataFrame) -> dict[str, Any]:
    """Job starts in the borough over the run.

    By the model's people (claimants and relatives), and, expected, by the job
    seekers outside the model, who compete for the same vacancies: a design's
    extra job starts in the model less its extra hires in all are the hires it
    took from others (displacement).
    """
    inside = int((events.event == "job_start").sum())
    outside = float(events.value[events.event == "outside_hires"].sum())
    return {"hires_in_model": inside, "hires_outside": outside, "hires_total": inside + outside}


#: The age groups job starts are counted by: the young people vacancies are pledged
#: to (Plan 500: 16-24) and everyone older.
HIRE_AGES = {"hires_under_25": (0, 24), "hires_25_49": (25, 49), "hires_50_plus": (50, 200)}


def hires_by_age(events: pd.DataFrame, people: pd.DataFrame) -> dict[str, int]:
    """Job starts in the model by the person's age group (``HIRE_AGES``).

    A design that helps one age group into work takes hires from the others
    (displacement by group): the paired differences of these counts show it.
    """
    starts = events.person[events.event == "job_start"]
    ages = people.set_index("person").age.reindex(starts.to_numpy())
    return {name: int(((ages >= low) & (ages <= high)).sum())
            for name, (low, high) in HIRE_AGES.items()}


def vacancy_flows(events: pd.DataFrame) -> dict[str, float]:
    """The vacancy stocks over the run, from the log.

    ``vacancies_<flow>`` for the stock open to everyone, ``pledged_<flow>`` for
    the one pledged to an age group; flows opened, filled and lapsed, and the
    levels at the start and the end.
    """
    logged = events[events.event == "vacancies"]
    figures = dict(zip(logged.detail.astype(str), logged.value.astype(float), strict=True))
    return {name.replace("open_", "vacancies_"): value for name, value in figures.items()}


def turned_away(events: pd.DataFrame) -> dict[str, int]:
    """What services short of staff or places turned away in the run, from the log.

    ``dropped_no_adviser``: appointments dropped because no adviser was free
    within the person's patience (the Jobcentre's adviser interventions, each
    abandoned ``no adviser free``); ``refused_full``: offers refused because the
    caseload or the year's cohort was full (``declined``: no place, cohort
    full); ``gave_up_waiting``: every other departure from a waiting list before
    being seen (left benefit, found work, no longer eligible, funding ended).
    """
    abandoned = events.detail[events.event == "abandoned"].astype(str)
    declined = events.detail[events.event == "declined"].astype(str)
    dropped = int((abandoned == NO_ADVISER).sum())
    return {"dropped_no_adviser": dropped,
            "refused_full": int(declined.isin([NO_PLACE, COHORT_FULL]).sum()),
            "gave_up_waiting": len(abandoned) - dropped}


def fit_for_work_share(events: pd.DataFrame) -> float | None:
    """Share of Work Capability Assessments that found the claimant fit for work."""
    wca = events.detail[events.event == "wca"]
    return ratio(int((wca == "fit_for_work").sum()), len(wca))


def wca_outcomes(claims: pd.DataFrame, events: pd.DataFrame,
                 horizon_days: float) -> dict[str, float | None]:
    """What became of the ESA claims that began in the run, as shares of them (``WCA_OUTCOMES``).

    Claims that began at least ``WCA_FOLLOW_DAYS`` before the end are counted
    (those begun later have had too little time to reach their assessment); a
    claim that ended before any WCA was closed before it, whatever the reason.
    """
    esa = claims[claims.new & (claims.benefit == "ESA")
                 & (claims.start <= horizon_days - WCA_FOLLOW_DAYS)].reset_index(drop=True)
    outcome = pd.Series(np.where(esa.destination == "censored", "in_progress",
                                 "closed_before"), dtype=object)
    wca = events.loc[events.event == "wca", ["person", "day", "detail"]]
    found = pd.merge_asof(
        wca.assign(detail=wca.detail.astype(str)).sort_values("day"),
        esa.assign(claim=esa.index, end=esa.start + esa.days)[
            ["person", "start", "end", "claim"]].sort_values("start"),
        left_on="day", right_on="start", by="person", direction="backward")
    assessed = found[found.day <= found.end].groupby("claim").detail.first()
    outcome[assessed.index] = assessed
    return {name: ratio((outcome == name).sum(), len(esa)) for name in WCA_OUTCOMES}


def work_programme_breaks(events: pd.DataFrame, spells: pd.DataFrame,
                          horizon_days: float) -> dict[str, float | None]:
    """Share of Work Programme attachments followed by a long break off benefit.

    For each attachment at least ``ATTACHMENT_WINDOW_DAYS`` before the end: did a
    continuous time off all benefits of 13 (26) weeks begin after it and end
    within that window? A move between benefits is no break (``spells``).
    """
    attached = events.loc[(events.event == "payment") & (events.service == "work_programme")
                          & (events.detail == "attachment"), ["person", "day"]]
    attached = attached[attached.day <= horizon_days - ATTACHMENT_WINDOW_DAYS].reset_index(
        drop=True)
    ordered = spells.sort_values(["person", "start"])
    gaps = pd.DataFrame({"person": ordered.person, "off": ordered.start + ordered.days,
                         "back": ordered.groupby("person").start.shift(-1).fillna(np.inf),
                         "ended": ordered.destination != "censored"})
    pairs = attached.assign(attachment=attached.index).merge(gaps[gaps.ended], on="person")
    pairs = pairs[pairs.off >= pairs.day]
    room = np.minimum(pairs.back, pairs.day + ATTACHMENT_WINDOW_DAYS) - pairs.off
    return {f"{weeks}w": ratio(pairs.attachment[room >= weeks * 7.0].nunique(), len(attached))
            for weeks in BREAK_WEEKS}


def stock_measures(claims: pd.DataFrame) -> dict[str, Any]:
    """Measures of the stock at the end of the run (the seeds' snapshot figures).

    ``*_count_change``: how far each benefit's number of claims open moved from the
    start to the end, relative to the start (the drift a steady state should not have).
    """
    open_claims = claims[claims.destination == "censored"]
    esa = open_claims[open_claims.benefit == "ESA"]
    jsa = open_claims[open_claims.benefit == "JSA"]
    stock = claims[~claims.new]
    result = {
        "claiming_at_end": len(open_claims),
        "esa_over_2y_share": ratio((esa.days > 104 * 7.0).sum(), len(esa)),
        "jsa_over_1y_share": ratio((jsa.days > LONG_TERM_JSA_DAYS).sum(), len(jsa)),
        "stock_still_claiming": ratio((stock.destination == "censored").sum(), len(stock)),
    }
    for benefit, key in BENEFIT_KEYS.items():
        if benefit == "NONE":
            continue
        grown = ratio((open_claims.benefit == benefit).sum(), (stock.benefit == benefit).sum())
        result[f"{key.lower()}_count_change"] = None if grown is None else grown - 1.0
    return result


def measures(claims: pd.DataFrame, spells: pd.DataFrame, people: pd.DataFrame,
             jobs: pd.DataFrame, horizon_days: float) -> dict[str, Any]:
    """Every headline measure for one group of claims and people.

    Off-flow off all benefits is measured on the group's spells that began in
    the run as new claims (a transfer continues a spell: it is neither an exit nor
    a new claim); off-flow off the claim's own benefit on every claim that began
    in the run, transfers in included, with a move to another benefit as a
    destination.
    """
    return {**off_flow(spells, horizon_days),
            **off_flow(claims, horizon_days, "off_benefit"), **person_measures(people, jobs)}


def waits_by_service(events: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Waiting lists at each service: how long people waited, who gave up, who still waits.

    A wait is a time on a list for an adviser or a place (a person seen at once
    did not wait). ``mean_wait_days`` and ``p90_wait_days`` are over every wait
    that began in the run: served, abandoned, and those still under way at the end
    (counted to the end, so long waits are understated); ``waiting_at_end`` counts
    the last, ``abandoned`` the people who left a list before being seen.
    """
    waits = events[events.event.isin(["wait", "still_waiting"])]
    gave_up = events[events.event == "abandoned"].service.astype(str).value_counts()
    still = events[events.event == "still_waiting"].service.astype(str).value_counts()
    result = {}
    for service, days in waits.groupby(waits.service.astype(str)).value:
        result[service] = {
            "waits": len(days),
            "mean_wait_days": float(days.mean()),
            "p90_wait_days": float(days.quantile(0.9)),
            "waiting_at_end": int(still.get(service, 0)),
            "abandoned": int(gave_up.get(service, 0)),
        }
    return dict(sorted(result.items()))


def headline(events: pd.DataFrame, people: pd.DataFrame, jobs: pd.DataFrame,
             horizon_days: float) -> dict[str, Any]:
    """Headline measures overall, by benefit and by segment, and of the stock.

    Costs that belong to no one (hub premises: person -1) count in the overall
    totals only, as ``cost_fixed``; groups show what their people cost. ``jobs`` is
    the run's ``jobs_table``.
    """
    claims = claims_table(events)
    spells = spells_table(claims)
    starts = events.loc[events.event == "claim_start", ["person", "day"]]
    jobs = mark_returns(jobs, starts, horizon_days)
    result = measures(claims, spells, people, jobs, horizon_days)
    fixed = float(events.cost[events.person < 0].sum())
    result["cost_fixed"] = fixed
    result["cost_services"] += fixed
    result["cost_total"] += fixed
    result["cost_per_person"] = ratio(result["cost_total"], result["claimants"])
    sustained = int((people[people.spells > 0].sustained_jobs > 0).sum())
    result["cost_per_sustained_job"] = ratio(result["cost_total"], sustained)
    result["stock"] = stock_measures(claims)
    result.update(hires(events))
    result.update(hires_by_age(events, people))
    result.update(vacancy_flows(events))
    result.update(turned_away(events))
    result["fit_for_work_share"] = fit_for_work_share(events)
    result["wca_outcomes"] = wca_outcomes(claims, events, horizon_days)
    result["work_programme_breaks"] = work_programme_breaks(events, spells, horizon_days)
    result["by_service"] = waits_by_service(events)
    result["non_claimants"] = non_claimant_measures(people, jobs, horizon_days)
    result["by_benefit"] = {}
    for benefit, key in BENEFIT_KEYS.items():
        group = people[people.benefit == benefit]
        result["by_benefit"][key] = measures(
            claims[claims.benefit == benefit], spells[spells.benefit == benefit], group, jobs,
            horizon_days)
    result["by_segment"] = {}
    for segment in sorted(people.segment.unique()):
        group = people[people.segment == segment]
        result["by_segment"][segment] = measures(
            claims[claims.person.isin(group.person)], spells[spells.person.isin(group.person)],
            group, jobs, horizon_days)
    for segment, names in GROUP_MEASURES.items():
        for name in names:
            result[f"{segment}_{name}"] = result["by_segment"].get(segment, {}).get(name)
    return _clean(result)


#: Segments' measures repeated at the top level, so that ``compare`` pairs them: young
#: people's off-flow and work (Plan 500's group) beside the older claimants' job entry,
#: which vacancies pledged to the young take from.
GROUP_MEASURES = {
    "jsa_18_24": ("off_flow_26w", "off_flow_52w", "job_entry_rate", "sustained_job_rate"),
    "jsa_25_49": ("job_entry_rate", "sustained_job_rate"),
    "jsa_50_plus": ("job_entry_rate", "sustained_job_rate"),
}


#: A journey's route: the most joined-up kind of service the claimant reached,
#: first listed first; services not named are "specialist services" (``profile``).
ROUTES = {
    "hub, budget or outreach": ("hub", "personal_budget", "family_budget",
                                "troubled_families", "outreach"),
    "Work Programme": PROGRAMMES,
    "specialist services": (),
    "Jobcentre only": ("jobcentre", "health_assessor"),
}
OUTCOMES = ("in work", "back on benefit", "still claiming", "left, not in work")
SPELLS = ("1", "2", "3", "4+")
RETURN_WEEKS = 26


def routes(events: pd.DataFrame, claimants: pd.Index) -> pd.Series:
    """Each claimant's route (``ROUTES``), by person."""
    names = list(ROUTES)
    used = events[events.person.isin(claimants) & ~events.service.isin(NOT_AGENCIES)
                  & (events.service != "") & (events.service != "post_employment")
                  & (events.event != "declined")]
    service = used.service.astype(str)
    rank = np.full(len(used), names.index("specialist services"))
    for position, (_, members) in enumerate(ROUTES.items()):
        if members:
            rank = np.where(service.isin(members), position, rank)
    best = pd.Series(rank, index=used.person.to_numpy()).groupby(level=0).min()
    best = best.reindex(claimants, fill_value=names.index("Jobcentre only"))
    return pd.Series(np.asarray(names)[best.to_numpy()], index=claimants)


def outcomes(claimants: pd.DataFrame) -> pd.Series:
    """Where each claimant is at the end: in work, back on benefit, still claiming, left."""
    return pd.Series(np.select(
        [claimants.state == "in_work", (claimants.state == "claiming") & (claimants.jobs > 0),
         claimants.state == "claiming"], list(OUTCOMES[:3]), OUTCOMES[3]),
        index=claimants.index)


def profile(events: pd.DataFrame, people: pd.DataFrame, jobs: pd.DataFrame,
            horizon_days: float, waits: dict[str, Any] | None = None) -> dict[str, Any]:
    """The shapes behind the headline measures, small enough to keep for every run.

    ``survival``: share of new claims still on benefit by week since the claim (Kaplan-Meier,
    off all benefits: a transfer continues the claim),
    to the end of the run or week 104; ``returns``: share of job starts (whole window
    seen) followed by a new claim by each week to 26 (its last value is the cycling
    rate); ``spells``: claimants by number of claim spells; ``flow``: claimants by
    route and outcome ("route|outcome"); ``segments``: claimants, agencies and
    assessments per claimant by segment; ``costs``: GBP by service, everyone's;
    ``waits``: waiting lists by service (:func:`waits_by_service`; pass them when the
    run's summary has them already).
    """
    claims = claims_table(events)
    new = spells_table(claims)
    new = new[new.new]
    times, survival = kaplan_meier(new.days.to_numpy(),
                                   (new.destination != "censored").to_numpy())
    weeks = int(min(horizon_days / 7.0, 104))
    starts = events.loc[events.event == "claim_start", ["person", "day"]]
    claimants = people[people.spells > 0].set_index("person")
    seen = mark_returns(jobs, starts, horizon_days)
    seen = seen[seen.seen & seen.person.isin(claimants.index)]
    returns = [ratio((seen.return_days <= 7.0 * w).sum(), len(seen))
               for w in range(RETURN_WEEKS + 1)]
    spells = claimants.spells.clip(upper=4).map(lambda n: SPELLS[n - 1]).value_counts()
    flow = routes(events, claimants.index) + "|" + outcomes(claimants)
    segments = claimants.groupby("segment").agg(
        claimants=("spells", "size"), agencies=("agencies", "mean"),
        assessments=("assessments", "mean"))
    return _clean({
        "survival": [survival_at(times, survival, 7.0 * w) for w in range(weeks + 1)],
        "returns": returns,
        "spells": {k: int(spells.get(k, 0)) for k in SPELLS},
        "flow": {k: int(v) for k, v in flow.value_counts().sort_index().items()},
        "segments": segments.to_dict(orient="index"),
        "costs": {str(k): float(v) for k, v in
                  events.groupby("service", observed=True).cost.sum().items() if v},
        "waits": waits_by_service(events) if waits is None else waits,
    })


def _clean(value: Any) -> Any:
    """Plain JSON types, with NaN as None and floats rounded to 10 significant digits."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(f"{float(value):.10g}")
    if isinstance(value, np.integer):
        return int(value)
    return value
