"""A partnership's own borough: a scenario file written from the figures it has.

``journeysim borough init`` reads claimant counts by benefit (the shape of the
DWP/ONS tables of key out-of-work benefit claimants by local authority, saved
as CSV in whatever encoding and shape a spreadsheet gives it:
:func:`read_claimants`), the live vacancies and the borough's area, and writes a
scenario that ``extends`` the baseline. Every value it sets is shown with its
arithmetic; every value it inherits is listed as inherited. A plan given in
head-counts (a hub with 6 advisers, 40 budgets a year) becomes the rates per
1,000 claimants the model runs on, and back again when it runs
(:meth:`Scenario.head_counts`). ``journeysim borough design`` writes the design
that switches the planned services on (:func:`design`).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from journeysim.config import calendar
from journeysim.config.loading import (
    MAX_EXTENDS,
    ConfigError,
    at_path,
    bundled_scenarios,
    deep_merge,
    load_raw,
    read_yaml,
    regular_bytes,
    resolve_path,
    validate,
)
from journeysim.config.schema import BASELINE, SLUG_PATTERN, Scenario
from journeysim.config.tables import nested_yaml, parameter_table

#: How the published tables name each benefit (lower case, without punctuation).
ALIASES = {
    "JSA": ("jsa", "job seekers", "jobseekers", "job seeker", "jobseeker",
            "jobseekers allowance", "jobseeker's allowance"),
    "ESA": ("esa", "esa and incapacity benefits", "incapacity benefits", "incapacity benefit",
            "esa and ib", "employment and support allowance"),
    "IS_LP": ("is_lp", "is lp", "lone parent", "lone parents", "income support lone parents"),
}
#: How a header names each column read (lower case, without punctuation; ``_key``).
COLUMNS = {
    "benefit": ("benefit", "benefits", "benefit type", "client group", "statistical group"),
    "claimants": ("claimants", "claimant count", "number of claimants", "count", "number"),
}
#: Optional columns: JSA claimants by age band (the model's JSA segments), and the headers
#: that name them ("18-24", "Aged 16-24", "50+", "age_50_plus"...), after ``_band``.
AGE_COLUMNS = {
    "age_18_24": ("18 24", "16 24"),
    "age_25_49": ("25 49",),
    "age_50_plus": ("50+", "50 plus", "50 and over", "50 or over", "50 and older", "50 64"),
}
#: The largest claimant file read: a borough's table is a few rows, a national one a few
#: thousand.
MAX_BYTES = 10 * 2**20
#: Lines searched for the header row; published downloads put title lines above it.
HEADER_LINES = 50
#: How far the JSA age bands may add up away from the JSA row's count: this share of it
#: or this many claimants, the larger (published counts are rounded to 5 or 10).
BAND_TOLERANCE = (0.02, 10)
#: Delimiters a spreadsheet saves a table with (comma, tab, semicolon).
DELIMITERS = ",\t;"
#: The first bytes of the text encodings a spreadsheet marks its files with.
BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
#: What a plan may size in head-counts: (section, what is counted, the rate it sets).
STAFF = {
    "jobcentre": "advisers_per_1000", "work_programme": "advisers_per_1000",
    "hub": "advisers_per_1000", "personal_budget": "advisers_per_1000",
    "family_budget": "advisers_per_1000", "post_employment": "advisers_per_1000",
    "outreach": "advisers_per_1000",
}
COHORTS = ("personal_budget", "family_budget")
#: The first line of a file ``borough init`` writes says so.
MARK = "written by `journeysim borough init`"


@dataclass
class Figures:
    """What a partnership knows about its borough."""

    claimants: dict[str, int]
    vacancies: float
    area_km2: float
    ages: dict[str, int] = field(default_factory=dict)
    source: str = ""
    description: str = ""
    start: dt.date | None = None
    start_source: str = ""
    #: Families the national Troubled Families programme was to take in the borough over
    #: phase one (None: the programme is left off).
    troubled_families: float | None = None

    @property
    def people(self) -> int:
        """Claimants of the three benefits: the starting stock."""
        return sum(self.claimants.values())


def _key(text: str) -> str:
    return " ".join(text.lower().replace("'", "").replace("-", " ").replace("\u2013", " ")
                    .replace("_", " ").split())


def _band(text: str) -> str | None:
    """The age band a column header names, or None ("Aged 18-24" -> ``age_18_24``)."""
    words = _key(text).split()
    while words and words[0] in ("age", "aged", "ages"):
        words = words[1:]
    phrase = " ".join("" if w == "to" else w for w in words).replace("  ", " ")
    return next((band for band, names in AGE_COLUMNS.items() if phrase in names), None)


def _flat(text: str, width: int = 40) -> str:
    """``text`` on one line of printable characters, cut to ``width``, for a message."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return flat if len(flat) <= width else flat[:width - 3] + "..."


def _shown(text: str, width: int = 40) -> str:
    """``text`` on one line, cut to ``width`` characters, quoted."""
    return repr(_flat(text, width))


@dataclass
class Claimants:
    """What a claimant file says: counts by benefit, JSA age bands, and what was set aside.

    ``notes`` say, one line each, what was skipped, dropped, ignored or rescaled.
    """

    counts: dict[str, int]
    ages: dict[str, int]
    encoding: str
    notes: list[str] = field(default_factory=list)

    def summary(self, name: str) -> str:
        """What was read from the file ``name``, and the notes, as lines to print."""
        read = ", ".join(f"{benefit} {count:,}" for benefit, count in self.counts.items())
        return "\n".join([f"read {name} ({self.encoding}): {read}",
                          *(f"  {note}" for note in self.notes)])


def _decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: by its mark, else UTF-8, else Windows-1252.

    A file without a mark holding NUL bytes is UTF-16 without its mark (little-endian
    when the NULs follow the letters). Windows-1252 (which spreadsheets call "ANSI"
    and is latin-1 but for 32 printable characters) reads every other byte, with
    latin-1 for the five bytes it leaves undefined.
    """
    for mark, encoding in BOMS:
        if data.startswith(mark):
            return data.decode(encoding, errors="replace").lstrip("\ufeff"), encoding
    if b"\x00" in data[:4096]:
        little = data[1:4096:2].count(0) > data[0:4096:2].count(0)
        encoding = "utf-16-le" if little else "utf-16-be"
        return data.decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _cells(line: str, delimiter: str) -> list[str]:
    """One line's cells ([] for a line the csv module cannot read, such as a huge field)."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _header(path: Path, lines: list[str]) -> tuple[int, str, dict[str, int], dict[str, int]]:
    """The header row: its index, delimiter, the columns read and the age-band columns.

    The first of the first ``HEADER_LINES`` lines naming a benefit and a claimants
    column (``COLUMNS``), split on the delimiter it holds most of.
    """
    names = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
    for index, line in enumerate(lines[:HEADER_LINES]):
        delimiter = max(DELIMITERS, key=line.count)
        header = _cells(line, delimiter)
        found: dict[str, int] = {}
        for i, cell in enumerate(header):
            if _key(cell) in names:
                found.setdefault(names[_key(cell)], i)
        if len(found) == len(COLUMNS):
            bands = {band: i for i, cell in enumerate(header) if (band := _band(cell))}
            return index, delimiter, found, bands
    raise ConfigError(f"{path}: no header row naming the columns 'benefit' and 'claimants' "
                      f"in its first {HEADER_LINES} lines")


def read_claimants(path: Path) -> Claimants:
    """Claimants by benefit (JSA, ESA, IS_LP) and, if given, JSA claimants by age band.

    The file is a table as a spreadsheet or a statistics site saves it: UTF-8
    (with or without its mark), Windows-1252/latin-1 or UTF-16; commas, tabs or
    semicolons; title lines above the header. The header names a ``benefit`` and
    a ``claimants`` column (or "Benefit type", "Count"...: ``COLUMNS``), and a row
    for each of JSA, ESA and IS_LP (the published tables' names are understood
    too, such as "Job seekers", "ESA and incapacity benefits", "Lone parents").
    Optional age-band columns on the JSA row ("18-24", "25-49", "50+", or
    ``age_18_24``...) give its age bands; they must add up to the JSA count
    within ``BAND_TOLERANCE``, and are then used as shares. Other rows and
    columns are set aside, and :attr:`Claimants.notes` says which.

    Raises:
        ConfigError: one line naming the file (and the line) and what is wrong.
    """
    text, encoding = _decode(regular_bytes(path, MAX_BYTES, "the table as a CSV file"))
    lines = text.splitlines()
    start, delimiter, columns, bands = _header(path, lines)
    notes = [f"skipped {start} title line(s) above the header"] if start else []
    header = _cells(lines[start], delimiter)
    used = {*columns.values(), *bands.values()}
    ignored = [_shown(c, 20) for i, c in enumerate(header) if i not in used and c.strip()]
    if ignored:
        notes.append(f"ignored column(s) {', '.join(ignored)}")
    notes += [f"read column {_shown(header[i], 20)} as {band}" for band, i in bands.items()
              if header[i] != band]
    try:
        rows = list(csv.reader(lines[start + 1:], delimiter=delimiter))
    except csv.Error as err:
        raise ConfigError(f"{path}: not a table a spreadsheet saves ({err})") from None
    counts, ages, dropped = _rows(path, rows, start + 2, columns, bands)
    if dropped:
        notes.append(f"dropped {len(dropped)} row(s) the model does not take: "
                     + ", ".join(dropped))
    missing = [b for b in ALIASES if b not in counts]
    if missing:
        raise ConfigError(f"{path}: no row for {', '.join(missing)} (rows named JSA, ESA and "
                          "IS_LP, or as the published tables name them, are needed)")
    if sum(counts.values()) <= 0:
        raise ConfigError(f"{path}: no claimants at all")
    notes += _check_bands(path, counts["JSA"], ages)
    return Claimants(counts, ages, encoding, notes)


def _rows(path: Path, rows: list[list[str]], first: int, columns: dict[str, int],
          bands: dict[str, int]) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """Counts by benefit, the JSA row's age bands, and each row dropped (as text)."""
    names = {_key(alias): benefit for benefit, aliases in ALIASES.items() for alias in aliases}
    counts: dict[str, int] = {}
    ages: dict[str, int] = {}
    dropped = []

    def cell(row: list[str], index: int) -> str:
        return row[index].strip() if index < len(row) else ""

    for number, row in enumerate(rows, start=first):
        label = cell(row, columns["benefit"])
        benefit = names.get(_key(label))
        if benefit is None:
            if label or any(c.strip() for c in row):
                value = cell(row, columns["claimants"])
                dropped.append(_shown(label or ",".join(row))
                               + (f" ({_flat(value, 12)})" if value else ""))
            continue
        if benefit in counts:
            raise ConfigError(f"{path}, line {number}: a second row for {benefit}")
        counts[benefit] = _count(path, number, "claimants", cell(row, columns["claimants"]))
        if benefit == "JSA":
            ages = {band: _count(path, number, band, cell(row, i)) for band, i in bands.items()
                    if cell(row, i)}
    return counts, ages, dropped


def _check_bands(path: Path, jsa: int, ages: dict[str, int]) -> list[str]:
    """Refuse JSA age bands that are partial or do not add up to the JSA count; notes."""
    if not ages:
        return []
    total = sum(ages.values())
    if len(ages) != len(AGE_COLUMNS) or total <= 0:
        raise ConfigError(f"{path}: give all three JSA age bands ({', '.join(AGE_COLUMNS)}, "
                          "or 18-24, 25-49, 50+) or none")
    share, claimants = BAND_TOLERANCE
    if abs(total - jsa) > max(share * jsa, claimants):
        raise ConfigError(f"{path}: the JSA age bands add up to {total:,} but the JSA row "
                          f"says {jsa:,} claimants: they must agree within {share:.0%} (or "
                          f"{claimants} claimants); correct one of them, or leave the age "
                          "columns out to use the baseline's bands")
    if total != jsa:
        return [f"JSA age bands add up to {total:,}, not {jsa:,}: used as shares"]
    return []


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


def borough_scenario(figures: Figures, name: str, base: str, raw: dict[str, Any],
                     staff: dict[str, float],
                     cohorts: dict[str, float]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The scenario's own values as a nested mapping, and (path, arithmetic) for each.

    ``raw`` is the scenario extended (``base``) as one mapping. Each benefit's inflow
    is scaled with its share of the stock, so that new claims per claimant of that
    benefit stay as fitted and each benefit's stock holds as it does in ``base``.
    Raises :class:`ConfigError` for a name, a service or a figure the model cannot use.
    """
    services = raw.get("services", {})
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
    mix, inflow = raw["population"]["stock_mix"], raw["population"]["inflow_per_1000_week"]
    whole = sum(mix[b] for b in ALIASES)
    put("population.inflow_per_1000_week",
        {b: _round(inflow[b] * (counts[b] / people) / (mix[b] / whole)) for b in ALIASES},
        f"{base}'s inflow x this stock share / {base}'s share: " + ", ".join(
            f"{b} {inflow[b]:g} x {counts[b] / people:.4f} / {mix[b] / whole:.4f}"
            for b in ALIASES))
    if figures.ages:
        total = sum(figures.ages.values())
        shares = {band: _round(n / total) for band, n in figures.ages.items()}
        shares["age_50_plus"] = _round(1.0 - shares["age_18_24"] - shares["age_25_49"])
        put("population.jsa_age_bands", shares, "JSA claimants by age band / " + f"{total:,}")
    per_vacancy = counts["JSA"] / figures.vacancies
    put("labour_market.claimants_per_vacancy", _round(per_vacancy),
        f"JSA claimants {counts['JSA']:,} / vacancies {figures.vacancies:,g}")
    if figures.start is not None:
        _dated(figures.start, figures.start_source, put)
    if figures.troubled_families is not None:
        _troubled_families(figures.troubled_families, people, raw["troubled_families"], put)
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


def _troubled_families(families: float, people: int, base: dict[str, Any], put: Any) -> None:
    """Turn the national programme on at the borough's share of its families.

    Phase one's families are spread evenly over its three years (the calendar gives
    its weeks); key workers are sized to hold a year's families for a case's weeks.
    Both rates keep every digit, so that the model sizes them back to these counts.
    """
    a_year = families / calendar.TROUBLED_FAMILIES_YEARS
    open_cases = a_year * base["case_weeks"] / 52.0
    workers = open_cases / base["caseload_per_adviser"]
    put("troubled_families.enabled", True, "the national programme, in this family place")
    put("troubled_families.cohort_per_1000_year", a_year / people * 1000.0,
        f"{families:,g} families over phase one / {calendar.TROUBLED_FAMILIES_YEARS} years "
        f"/ {people:,} claimants x 1,000")
    put("troubled_families.advisers_per_1000", workers / people * 1000.0,
        f"{a_year:,.1f} families a year x {base['case_weeks']:g} / 52 weeks open / "
        f"{base['caseload_per_adviser']:g} a key worker = {workers:.2f} key workers / "
        f"{people:,} x 1,000")


def _dated(start: dt.date, source: str, put: Any) -> None:
    """Put the run's start date and the national policy in force from it (the calendar)."""
    try:
        policy = calendar.dated_policy(start)
    except ValueError as err:
        raise ConfigError(f"--start: {err}") from None
    put("run.start", start.isoformat(), "week 0 of the run" + (f": {source}" if source else ""))
    for dated in policy:
        put(dated.path, dated.value, dated.arithmetic)


def write_borough(figures: Figures, name: str, base: str, staff: dict[str, float],
                  cohorts: dict[str, float]) -> tuple[str, Scenario]:
    """The scenario file's text, and the scenario it loads as (checked before writing)."""
    raw = load_raw(base)
    delta, why = borough_scenario(figures, name, base, raw, staff, cohorts)
    merged = deep_merge(raw, {**delta, "name": name})
    scenario = validate(merged, f"the borough {name}")
    set_paths = {path for path, _ in why}
    source = f" ({_flat(figures.source, 80)})" if figures.source else ""
    shown = _flat(base, 80)
    lines = [
        f"# {name}: {MARK} from the borough's figures{source}.",
        f"# It extends {shown}; each value below says how it was worked out. Everything else",
        f"# is inherited from {shown} and listed at the end. The fitted parameters",
        "# (docs/model.md, section 10) were fitted to Wakefield 2010-12, not to this borough:",
        "# `journeysim calibrate` refits them to this borough's own targets.",
        f"extends: {json.dumps(base)}",
        f"name: {name}",
        "description: >-",
        *(f"  {line}" for line in _wrapped(figures.description
                                          or f"{name}: {figures.people:,} claimants, "
                                          f"{figures.vacancies:,g} vacancies, "
                                          f"{figures.area_km2:g} km2.")),
    ]
    comments = dict(why)
    lines += nested_yaml(delta, comments)
    lines += ["", f"# Inherited from {shown} (path = value [unit]):"]
    for row in parameter_table(scenario):
        if not any(row["parameter"] == p or row["parameter"].startswith(p + ".")
                   for p in set_paths) and at_path(delta, row["parameter"]) is None:
            lines.append(f"#   {row['parameter']} = {row['default']}  [{row['unit']}]")
    return "\n".join(lines) + "\n", scenario


def _wrapped(text: str, width: int = 86) -> list[str]:
    """``text`` on lines of at most ``width`` characters (one word longer stays whole)."""
    lines: list[str] = []
    for word in _flat(text, 10_000).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


#: The design file ``borough design`` writes, a template (``string.Template``) in the package.
DESIGN = Path(__file__).parents[1] / "data" / "borough_design.yaml"


def design(borough: Path, out: Path, name: str | None = None) -> tuple[str, Scenario]:
    """The text of a design that switches on the hub and budgets a borough file sized.

    ``borough`` is the file ``borough init`` wrote; the design extends it by its
    path from ``out``'s folder and is named ``name`` (default: the borough's name
    with ``-hub``). The design is checked, as it would load, before it is returned.
    """
    raw = load_raw(str(borough))
    chosen = name or f"{raw.get('name', 'borough')}-hub"
    if not re.fullmatch(SLUG_PATTERN, chosen):
        raise ConfigError(f"--name {chosen!r}: letters, digits, '-', '_' and '.', not "
                          "starting with a dot, at most 64 characters")
    extends = os.path.relpath(borough.resolve(), out.resolve().parent)
    text = string.Template(DESIGN.read_text(encoding="utf-8")).substitute(
        borough=_flat(str(raw.get("name", borough.stem)), 64), extends=_flat(extends, 80),
        extends_value=json.dumps(extends), name=chosen)
    delta = yaml.safe_load(text)
    merged = deep_merge(raw, {k: v for k, v in delta.items() if k != "extends"})
    return text, validate(merged, f"the design {chosen}")


#: The bundled places: a file of each borough's published figures, by name.
PLACES_DIR = Path(__file__).parents[1] / "data" / "places"
#: How a place's figure is known, best first: from the seed documents; published (a
#: stored public page); recalled (a named official statistic not checked against its
#: table here); an estimate (worked out as its source says).
GRADES = ("seed", "published", "recalled", "estimate")
#: The figures a place file gives, as dotted paths; ``jsa_ages`` is optional.
PLACE_FIGURES = ("claimants.JSA", "claimants.ESA", "claimants.IS_LP", "vacancies", "area_km2")


@dataclass(frozen=True)
class Figure:
    """One published or estimated figure of a place, with its period, grade and source."""

    path: str
    value: float
    period: str
    grade: str
    source: str


@dataclass(frozen=True)
class Place:
    """A borough's figures for the pilot period, each with its source."""

    name: str
    title: str
    description: str
    figures: dict[str, Figure]
    file: Path
    start: dt.date | None = None
    start_source: str = ""

    def borough_figures(self) -> Figures:
        """The figures ``borough init`` makes a scenario from."""
        ages = {path.removeprefix("jsa_ages."): round(f.value)
                for path, f in self.figures.items() if path.startswith("jsa_ages.")}
        return Figures({b: round(self.figures[f"claimants.{b}"].value) for b in ALIASES},
                       self.figures["vacancies"].value, self.figures["area_km2"].value,
                       ages, f"journeysim/data/places/{self.file.name}", self.description,
                       self.start, self.start_source,
                       self.figures["troubled_families"].value
                       if "troubled_families" in self.figures else None)


def place_names() -> list[str]:
    """The bundled places, by name."""
    return sorted(p.stem for p in PLACES_DIR.glob("*.yaml"))


def _figure(path: Path, dotted: str, entry: Any, known: dict[str, Figure]) -> Figure:
    """One figure: its own value, or ``of`` another figure ``times`` a share or ``per`` a ratio."""
    where = f"{path}: figure '{dotted}'"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: give value (or of with times or per), period, grade, source")
    if entry.get("grade") not in GRADES:
        raise ConfigError(f"{where}: grade = {entry.get('grade')!r}; one of {', '.join(GRADES)}")
    if not entry.get("source") or not entry.get("period"):
        raise ConfigError(f"{where}: every figure needs its period and source")
    if "of" in entry:
        base = known.get(str(entry["of"]))
        if base is None:
            raise ConfigError(f"{where}: of = {entry['of']!r} is not a figure of this file "
                              "(or the figures refer to each other in a circle)")
        factor = entry.get("times", 1.0)
        if "per" in entry:
            factor = 1.0 / float(entry["per"])
        value = float(round(base.value * float(factor)))
    else:
        value = entry.get("value")
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise ConfigError(f"{where}: value = {value!r}: a number above 0")
    return Figure(dotted, float(value), str(entry["period"]), entry["grade"], str(entry["source"]))


def _flat_entries(node: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """A place's figures as (dotted path, entry), in the file's order."""
    found = []
    for key, value in node.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and not {"value", "of"} & set(value):
            found += _flat_entries(value, dotted + ".")
        else:
            found.append((dotted, value))
    return found


def read_place(name_or_path: str | Path) -> Place:
    """A place's figures: a bundled place's name (``lewisham``) or a file of the same shape.

    Raises:
        ConfigError: one line naming the file, the figure and what is wrong.
    """
    text = str(name_or_path)
    path = PLACES_DIR / f"{text}.yaml" if text in place_names() else Path(text)
    if not path.is_file():
        raise ConfigError(f"{text}: no such place file or bundled place (bundled: "
                          f"{', '.join(place_names())})")
    data = read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("figures"), dict):
        raise ConfigError(f"{path}: a place file gives place, title, description and figures")
    known: dict[str, Figure] = {}
    entries = pending = _flat_entries(data["figures"])
    while pending:  # a figure worked out from another comes after it, in any file order
        ready = [(d, e) for d, e in pending if not isinstance(e, dict) or "of" not in e
                 or str(e["of"]) in known]
        for dotted, entry in ready or pending[:1]:
            known[dotted] = _figure(path, dotted, entry, known)
        pending = [(d, e) for d, e in pending if d not in known]
    known = {dotted: known[dotted] for dotted, _ in entries}  # in the file's order
    missing = [p for p in PLACE_FIGURES if p not in known]
    if missing:
        raise ConfigError(f"{path}: no figure for {', '.join(missing)}")
    start, why = _start(path, data.get("start"))
    return Place(str(data.get("place", path.stem)), str(data.get("title", path.stem)),
                 " ".join(str(data.get("description", "")).split()), known, path, start, why)


def _start(path: Path, entry: Any) -> tuple[dt.date | None, str]:
    """A place's start date and why it was chosen: ``{date: YYYY-MM-DD, source: ...}``."""
    if entry is None:
        return None, ""
    given = entry.get("date") if isinstance(entry, dict) else None
    try:
        start = given if isinstance(given, dt.date) else dt.date.fromisoformat(str(given))
    except ValueError:
        raise ConfigError(f"{path}: start = {entry!r}: give date (YYYY-MM-DD) and "
                          "source") from None
    if not entry.get("source"):
        raise ConfigError(f"{path}: start: give the source of the date")
    return start, " ".join(str(entry["source"]).split())


def place_scenario(place: Place) -> tuple[str, Scenario]:
    """The bundled scenario of ``place``: ``borough init``'s file from its figures."""
    return write_borough(place.borough_figures(), place.name, BASELINE, {}, {})


def place_of(name_or_path: str | Path) -> str | None:
    """The bundled place a scenario is, or extends on its chain; None if none."""
    bundled = {path.resolve(): name for name, path in bundled_scenarios().items()}
    places = set(place_names())
    path = resolve_path(name_or_path).resolve()
    for _ in range(MAX_EXTENDS):
        if bundled.get(path) in places:
            return bundled[path]
        data = read_yaml(path)
        parent = data.get("extends") if isinstance(data, dict) else None
        if not isinstance(parent, str):
            return None
        path = resolve_path(parent, relative_to=path.parent).resolve()
    return None


def places_markdown() -> str:
    """Every bundled place's figures as Markdown tables: value, period, grade, source."""
    out = []
    for name in place_names():
        place = read_place(name)
        people = place.borough_figures().people
        out += [f"### {place.title} (`{name}`): {people:,} claimants", "",
                "| figure | value | period | grade | source |", "|---|---:|---|---|---|"]
        out += [f"| {f.path} | {f.value:,.10g} | {f.period} | {f.grade} | "
                f"{f.source.replace('|', '/')} |" for f in place.figures.values()]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
