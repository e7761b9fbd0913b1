"""Impacts on the treated: what a service did for the people it served.

Evaluations of welfare-to-work services measure a service by the people it
treated: their benefit receipt and employment some weeks after they started,
against a comparison group who did not get it. The model has a perfect
comparison group: the same people in the baseline run of the same seed and
replication (common random numbers), who meet the same luck wherever their
journeys coincide. So for each service a scenario adds, its impact at ``h``
weeks is the treated's share on benefit (in work) ``h`` weeks after they
started, minus the same people's share on the same day in the baseline.

Each run reports who each service treated and when, with their own outcomes
(:func:`treated`); the baseline's runs also report everyone's time on benefit
and in work (:func:`spells`), so their outcomes on any day can be looked up
(:func:`status`). :func:`impacts` pairs them, replication by replication.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from journeysim.analysis.measures import claims_table, jobs_table
from journeysim.analysis.stats import interval
from journeysim.vocabulary import PROGRAMMES

#: Weeks after a person starts at which their outcomes are compared.
HORIZONS = (26, 52, 104)
#: Outcomes compared: on benefit (claiming any benefit) and in work, on the day.
OUTCOMES = ("on_benefit", "in_work")
#: Fewer treated people than this (all replications together) is too few to quote.
MIN_TREATED = 100
#: Services that are not a treatment a scenario adds (the claim, the labour market).
NOT_SERVICES = ("jobcentre", "benefit", "employer", "health_assessor", "premises")
#: A service treats someone more often than in the baseline by this factor (and by
#: ``MIN_TREATED`` people) for the scenario to count as adding it.
ADDED_FACTOR = 1.2


def starts(events: pd.DataFrame) -> pd.DataFrame:
    """Each person's first start with each service: person, service, day.

    A start is a person's first contact with a hub, a budget's case worker or
    outreach (only people outreach found itself: those a family broker took on
    are the broker's), the start of a specialist service's episode, attachment
    to the Work Programme (or a programme it replaced), or in-work support taken up.
    """
    kind = events.event
    service = events.service.astype(str)
    begun = (
        ((kind == "contact") & ((service != "outreach") | (events.detail == "outreach")))
        | (kind == "episode_start") | (kind == "post_employment")
        | ((kind == "referral") & service.isin(PROGRAMMES))
    ) & ~service.isin(NOT_SERVICES) & (events.person >= 0)
    first = (events.loc[begun, ["person", "day"]].assign(service=service[begun])
             .groupby(["service", "person"], sort=True).day.min().reset_index())
    return first[["person", "service", "day"]]


def spells(events: pd.DataFrame, horizon_days: float) -> dict[str, list[list[float]]]:
    """Everyone's time on benefit and in work: ``claims`` and ``jobs``, as [person, start, end].

    Claims open at the end run to the horizon, as do jobs; the stock's claims
    start before day 0. Days are rounded to a hundredth, which no weekly horizon
    can tell apart.
    """
    claims = claims_table(events)
    jobs = jobs_table(events, horizon_days)
    return {
        "claims": _columns(claims.person, claims.start, claims.start + claims.days),
        "jobs": _columns(jobs.person, jobs.start, jobs.start + jobs.days),
    }


def _columns(person: pd.Series, start: pd.Series, end: pd.Series) -> list[list[float]]:
    return [person.astype(int).tolist(), np.round(start.to_numpy(), 2).tolist(),
            np.round(end.to_numpy(), 2).tolist()]


def status(table: Mapping[str, list[list[float]]], people: np.ndarray,
           days: np.ndarray) -> dict[str, np.ndarray]:
    """Whether each person was on benefit and in work on their day (from :func:`spells`)."""
    asked = pd.DataFrame({"row": np.arange(len(people)), "person": people, "day": days})
    found = {}
    for outcome, name in (("on_benefit", "claims"), ("in_work", "jobs")):
        person, start, end = table[name]
        spans = pd.DataFrame({"person": person, "start": start, "end": end})
        both = asked.merge(spans, on="person")
        inside = both.row[(both.start <= both.day) & (both.day < both.end)].unique()
        flags = np.zeros(len(people), dtype=bool)
        flags[inside] = True
        found[outcome] = flags
    return found


def treated(events: pd.DataFrame, horizon_days: float,
            table: Mapping[str, list[list[float]]] | None = None,
            horizons: Sequence[int] = HORIZONS) -> dict[str, dict[str, list]]:
    """Who each service treated, when, and their outcomes ``horizons`` weeks on.

    By service: ``person``, ``day`` and, for each horizon and outcome,
    ``<outcome>_<h>w`` as 1 or 0, or None where the run ended first.
    """
    begun = starts(events)
    if table is None:
        table = spells(events, horizon_days)
    result: dict[str, dict[str, list]] = {}
    for service, group in begun.groupby("service", sort=True):
        people, day = group.person.to_numpy(), group.day.to_numpy()
        record: dict[str, list] = {"person": people.astype(int).tolist(),
                                   "day": np.round(day, 2).tolist()}
        for weeks in horizons:
            when = day + 7.0 * weeks
            seen = when <= horizon_days
            flags = status(table, people, when)
            for outcome in OUTCOMES:
                record[f"{outcome}_{weeks}w"] = [int(f) if s else None
                                                 for f, s in zip(flags[outcome], seen,
                                                                 strict=True)]
        result[str(service)] = record
    return result


def added(mine: Mapping[str, Mapping[str, list]], base: Mapping[str, Mapping[str, list]],
          ) -> list[str]:
    """The services a run treats notably more people with than its baseline run does."""
    return sorted(
        service for service, record in mine.items()
        if len(record["person"]) >= ADDED_FACTOR * len(base.get(service, {}).get("person", ()))
        + MIN_TREATED / 10)


def impacts(runs: Iterable[Mapping[str, Any]], baseline: str,
            horizons: Sequence[int] = HORIZONS) -> pd.DataFrame:
    """Impacts on the treated of every service each scenario adds, paired with the baseline.

    ``runs`` are finished runs (each with ``scenario``, ``replication``,
    ``treated``; the baseline's with ``spells``). One row per scenario, service,
    outcome and horizon: the treated's mean share, the same people's in the
    baseline (each the mean over the replications), the impact (their
    difference) with its 95% interval over the replications, the number of
    treated whose horizon the run reached, and ``too_few`` when they are fewer
    than ``MIN_TREATED``.
    """
    runs = list(runs)
    bases = {run["replication"]: run for run in runs if run["scenario"] == baseline}
    pairs: dict[tuple[str, str, str, int], list[tuple[float, float, int]]] = {}
    for run in runs:
        base = bases.get(run["replication"])
        if run["scenario"] == baseline or base is None or "spells" not in base:
            continue
        mine = run.get("treated") or {}
        for service in added(mine, base.get("treated") or {}):
            record = mine[service]
            people = np.asarray(record["person"], dtype=int)
            days = np.asarray(record["day"], dtype=float)
            for weeks in horizons:
                flags = status(base["spells"], people, days + 7.0 * weeks)
                for outcome in OUTCOMES:
                    own = np.asarray([np.nan if v is None else v
                                      for v in record[f"{outcome}_{weeks}w"]], dtype=float)
                    seen = ~np.isnan(own)
                    if not seen.any():
                        continue
                    key = (run["scenario"], service, outcome, weeks)
                    pairs.setdefault(key, []).append(
                        (float(own[seen].mean()), float(flags[outcome][seen].mean()),
                         int(seen.sum())))
    rows = []
    for (scenario, service, outcome, weeks), values in pairs.items():
        own, base, counts = (np.asarray(v) for v in zip(*values, strict=True))
        impact, half = interval(pd.Series(own - base))
        rows.append({
            "scenario": scenario, "service": service, "outcome": outcome, "weeks": weeks,
            "treated": int(counts.sum()), "replications": len(values),
            "treated_share": float(own.mean()), "baseline_share": float(base.mean()),
            "impact": impact, "impact_half_width": half,
            "too_few": int(counts.sum()) < MIN_TREATED,
        })
    columns = ["scenario", "service", "outcome", "weeks", "treated", "replications",
               "treated_share", "baseline_share", "impact", "impact_half_width", "too_few"]
    return pd.DataFrame(rows, columns=columns)
