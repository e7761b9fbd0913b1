"""A partnership's own borough: a scenario file written from the figures it has.

``journeysim borough init`` reads claimant counts by benefit (the shape of the
DWP/ONS tables of key out-of-work benefit claimants by local authority, saved
as CSV), the live vacancies and the borough's area, and writes a scenario that
``extends`` the baseline. Every value it sets is shown with its arithmetic;
every value it inherits is listed as inherited. A plan given in head-counts (a
hub with 6 advisers, 40 budgets a year) becomes the rates per 1,000 claimants
the model runs on, and back again when it runs (:meth:`Scenario.head_counts`).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeysim.config.loading import ConfigError, at_path, deep_merge, load_raw, validate
from journeysim.config.schema import SLUG_PATTERN, Scenario
from journeysim.config.tables import nested_yaml, parameter_table

#: How the published tables name each benefit (lower case, without punctuation).
ALIASES = {
    "JSA": ("jsa", "job seekers", "jobseekers", "job seeker", "jobseeker",
            "jobseekers allowance", "jobseeker's allowance"),
    "ESA": ("esa", "esa and incapacity benefits", "incapacity benefits", "incapacity benefit",
            "esa and ib", "employment and support allowance"),
    "IS_LP": ("is_lp", "is lp", "lone parent", "lone parents", "income support lone parents"),
}
#: Optional columns: JSA claimants by age band (the model's JSA segments).
AGE_COLUMNS = {"age_18_24": "age_18_24", "age_25_49": "age_25_49", "age_50_plus": "age_50_plus"}
#: What a plan may size in head-counts: (section, what is counted, the rate it sets).
STAFF = {
    "jobcentre": "advisers_per_1000", "work_programme": "advisers_per_1000",
    "hub": "advisers_per_1000", "personal_budget": "advisers_per_1000",
    "family_budget": "advisers_per_1000", "post_employment": "advisers_per_1000",
    "outreach": "advisers_per_1000",
}
COHORTS = ("personal_budget", "family_budget")


@dataclass
class Figures:
    """What a partnership knows about its borough."""

    claimants: dict[str, int]
    vacancies: float
    area_km2: float
    ages: dict[str, int] = field(default_factory=dict)
    source: str = ""

    @property
    def people(self) -> int:
        """Claimants of the three benefits: the starting stock."""
        return sum(self.claimants.values())


def _key(text: str) -> str:
    return " ".join(text.lower().replace("'", "").replace("-", " ").replace("_", " ").split())


def read_claimants(path: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Claimants by benefit (JSA, ESA, IS_LP) and, if given, JSA claimants by age band.

    The CSV needs the columns ``benefit`` and ``claimants`` and a row for each of
    JSA, ESA and IS_LP (the published tables' names are understood too, such as
    "Job seekers", "ESA and incapacity benefits", "Lone parents"). Optional
    columns ``age_18_24``, ``age_25_49`` and ``age_50_plus`` on the JSA row give
    its age bands; other rows and columns are ignored.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise ConfigError(f"{path}: cannot read it: {err.strerror}") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    columns = {_key(c): c for c in (rows[0].keys() if rows else [])}
    for needed in ("benefit", "claimants"):
        if needed not in columns:
            raise ConfigError(f"{path}: needs a column '{needed}' (columns: "
                              f"{', '.join(columns.values()) or 'none'})")
    names = {_key(alias): benefit for benefit, aliases in ALIASES.items() for alias in aliases}
    counts: dict[str, int] = {}
    ages: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        benefit = names.get(_key(row[columns["benefit"]] or ""))
        if benefit is None:
            continue
        if benefit in counts:
            raise ConfigError(f"{path}, line {number}: a second row for {benefit}")
        counts[benefit] = _count(path, number, "claimants", row[columns["claimants"]])
        if benefit == "JSA":
            for column, band in AGE_COLUMNS.items():
                given = columns.get(_key(column))
                if given is not None and (row[given] or "").strip():
                    ages[band] = _count(path, number, column, row[given])
    missing = [b for b in ALIASES if b not in counts]
    if missing:
        raise ConfigError(f"{path}: no row for {', '.join(missing)} (rows named JSA, ESA and "
                          "IS_LP, or as the published tables name them, are needed)")
    if sum(counts.values()) <= 0:
        raise ConfigError(f"{path}: no claimants at all")
    if ages and (len(ages) != len(AGE_COLUMNS) or sum(ages.values()) <= 0):
        raise ConfigError(f"{path}: give all three JSA age bands ({', '.join(AGE_COLUMNS)}) "
                          "or none")
    return counts, ages


def _count(path: Path, line: int, column: str, text: str | None) -> int:
    try:
        value = float((text or "").replace(",", "").strip())
    except ValueError:
        raise ConfigError(f"{path}, line {line}: {column} = {text!r} is not a number") from None
    if not math.isfinite(value) or value < 0 or value != int(value):
        raise ConfigError(f"{path}, line {line}: {column} = {text!r} must be a whole number "
                          "of at least 0")
    return int(value)


def plan(pairs: tuple[str, ...], what: str) -> dict[str, float]:
    """``SERVICE=N`` pairs (``--staff hub=6``) as a mapping, each N at least 0."""
    found = {}
    for pair in pairs:
        name, _, number = pair.partition("=")
        try:
            value = float(number)
        except ValueError:
            raise ConfigError(f"{what} {pair!r}: give SERVICE=NUMBER, e.g. hub=6") from None
        if not math.isfinite(value) or value < 0:
            raise ConfigError(f"{what} {pair!r}: the number must be at least 0")
        found[name.strip()] = value
    return found


def _round(value: float) -> float:
    """A derived share or length, to 6 decimals.

    A rate from a head-count keeps every digit instead, so that the model sizes the
    service back to exactly that head-count.
    """
    return round(value, 6)


def borough_scenario(figures: Figures, name: str, base: str, services: dict[str, Any],
                     staff: dict[str, float],
                     cohorts: dict[str, float]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The scenario's own values as a nested mapping, and (path, arithmetic) for each.

    Raises :class:`ConfigError` for a name, a service or a figure the model cannot use.
    """
    if not re.fullmatch(SLUG_PATTERN, name):
        raise ConfigError(f"--name {name!r}: letters, digits, '-', '_' and '.', not starting "
                          "with a dot, at most 64 characters")
    if figures.vacancies <= 0 or figures.area_km2 <= 0:
        raise ConfigError("--vacancies and --area-km2 must be above 0")
    if figures.claimants["JSA"] <= 0:
        raise ConfigError("the borough needs some JSA claimants: vacancies are set from them")
    people = figures.people
    counts = figures.claimants
    delta: dict[str, Any] = {}
    why: list[tuple[str, str]] = []

    def put(path: str, value: Any, arithmetic: str) -> None:
        node = delta
        *parents, leaf = path.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
        why.append((path, arithmetic))

    put("run.people", people, "claimants: " + " + ".join(
        f"{b} {counts[b]:,}" for b in ALIASES) + f" = {people:,}")
    put("population.stock_mix", {b: _round(counts[b] / people) for b in ALIASES},
        "each benefit's claimants / " + f"{people:,}")
    if figures.ages:
        total = sum(figures.ages.values())
        shares = {band: _round(n / total) for band, n in figures.ages.items()}
        shares["age_50_plus"] = _round(1.0 - shares["age_18_24"] - shares["age_25_49"])
        put("population.jsa_age_bands", shares, "JSA claimants by age band / " + f"{total:,}")
    per_vacancy = counts["JSA"] / figures.vacancies
    put("labour_market.claimants_per_vacancy", _round(per_vacancy),
        f"JSA claimants {counts['JSA']:,} / vacancies {figures.vacancies:,g}")
    side = math.sqrt(figures.area_km2)
    put("geography.borough_km", _round(side), f"the side of a square of {figures.area_km2:g} "
        f"km2: sqrt({figures.area_km2:g})")
    put("hub.sites", [[_round(side / 2), _round(side / 2)]], "the centre of the borough "
        "(move it, or add sites, to where the hubs will be)")
    for service, count in staff.items():
        if service in STAFF:
            path = f"{service}.{STAFF[service]}"
        elif service in services:
            path = f"services.{service}.advisers_per_1000"
        else:
            raise ConfigError(f"--staff {service}: not a service of {base} (sized in "
                              f"head-counts: {', '.join(STAFF)}, or a service under "
                              "services:)")
        if count <= 0:
            raise ConfigError(f"--staff {service}={count:g}: a service needs staff above 0; "
                              "switch it off in the scenario instead")
        put(path, count / people * 1000.0, f"{count:g} staff / {people:,} claimants x 1,000")
    for service, count in cohorts.items():
        if service not in COHORTS:
            raise ConfigError(f"--cohort {service}: budgets are {', '.join(COHORTS)}")
        put(f"{service}.cohort_per_1000_year", count / people * 1000.0,
            f"{count:g} budgets a year / {people:,} claimants x 1,000")
    return delta, why


def write_borough(figures: Figures, name: str, base: str, staff: dict[str, float],
                  cohorts: dict[str, float]) -> tuple[str, Scenario]:
    """The scenario file's text, and the scenario it loads as (checked before writing)."""
    raw = load_raw(base)
    delta, why = borough_scenario(figures, name, base, raw.get("services", {}), staff, cohorts)
    merged = deep_merge(raw, {**delta, "name": name})
    scenario = validate(merged, f"the borough {name}")
    set_paths = {path for path, _ in why}
    lines = [
        f"# {name}: written by `journeysim borough init` from the partnership's figures"
        + (f" ({figures.source})" if figures.source else "") + ".",
        f"# It extends {base}; each value below says how it was worked out. Everything else",
        f"# is inherited from {base} and listed at the end. The fitted parameters",
        "# (docs/model.md, section 10) were fitted to Wakefield 2010-12, not to this borough:",
        "# `journeysim calibrate` refits them to this borough's own targets.",
        f"extends: {base}",
        f"name: {name}",
        "description: >-",
        f"  {name}: {figures.people:,} claimants, {figures.vacancies:,g} vacancies, "
        f"{figures.area_km2:g} km2.",
    ]
    comments = dict(why)
    lines += nested_yaml(delta, comments)
    lines += ["", f"# Inherited from {base} (path = value [unit]):"]
    for row in parameter_table(scenario):
        if not any(row["parameter"] == p or row["parameter"].startswith(p + ".")
                   for p in set_paths) and at_path(delta, row["parameter"]) is None:
            lines.append(f"#   {row['parameter']} = {row['default']}  [{row['unit']}]")
    return "\n".join(lines) + "\n", scenario
