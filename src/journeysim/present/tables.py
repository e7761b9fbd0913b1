"""Plain-text tables: a run's summary, a comparison and an appraisal.

Rows, labels and formats come from the registry of measures
(:mod:`journeysim.analysis.registry`); :func:`cell` is the one way a value is
written, here and in the HTML report.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from journeysim.analysis import costs
from journeysim.analysis.impacts import MIN_TREATED
from journeysim.analysis.registry import (
    APPRAISAL,
    COMPARED,
    COMPARISON,
    MEASURES,
    STOCK,
    SUMMARY_ROWS,
    lookup,
)
from journeysim.config import head_count_text
from journeysim.runs.experiment import Appraisal
from journeysim.vocabulary import PARTNERS


def cell(value: Any, unit: str, digits: int, half: Any = None, difference: bool = False) -> str:
    """A value, and ± its half-width when there is one, in its unit.

    Shares show as percentages (a ``difference`` of shares in points), GBP with
    a pound sign, anything else as a number; ``digits`` decimals (of the
    percentage, for a share). A negative value has a true minus sign ("−£846,389");
    one that rounds to zero has none. None or NaN shows as "n/a".
    """
    if value is None or pd.isna(value):
        return "n/a"
    scale, suffix = (100.0, " pts" if difference else "%") if unit == "share" else (1.0, "")
    number = value * scale
    sign = "−" if round(number, digits) < 0 else ""  # a true minus; none on a rounded zero
    if unit == "GBP":
        text = f"{sign}£{abs(number):,.{digits}f}"
    else:
        text = f"{sign}{abs(number):,.{digits}f}{suffix}"
    if half is not None and not pd.isna(half):
        text += f" ± {half * scale:,.{digits}f}{suffix}"
    return text


def span(low: Any, high: Any, unit: str, digits: int, difference: bool = False) -> str:
    """An interval in its unit, written as :func:`cell` writes each end.

    "1.0 to 6.0 pts" for a difference of shares (the unit once), "−£5,000 to
    £12,000" for money; "n/a" unless both ends are known.
    """
    if any(end is None or pd.isna(end) for end in (low, high)):
        return "n/a"
    first = cell(low, unit, digits, difference=difference)
    if unit == "share":
        first = first.removesuffix(" pts" if difference else "%")
    return f"{first} to {cell(high, unit, digits, difference=difference)}"


def format_summary(summary: dict[str, Any]) -> str:
    """A run's headline measures as a plain-text table: overall and by benefit."""
    groups = ["all", *[k for k, v in summary["by_benefit"].items() if v["claimants"]]]
    columns = [summary, *[summary["by_benefit"][g] for g in groups[1:]]]
    width = max(len(m.label) for m in SUMMARY_ROWS)
    header = f"{'':{width}}  " + "  ".join(f"{g:>12}" for g in groups)
    lines = [
        f"{summary['scenario']}  (config {summary['config_hash']}, seed {summary['seed']}, "
        f"{summary['people']:,} claimants at the start, {summary['agents']:,} people, "
        f"{summary['weeks']} weeks)",
        "",
        header,
        "-" * len(header),
    ]
    for m in SUMMARY_ROWS:
        cells = "  ".join(f"{cell(c.get(m.name), m.unit, m.digits):>12}" for c in columns)
        lines.append(f"{m.label:{width}}  {cells}")
    stock = summary["stock"]
    lines += ["", "; ".join(f"{m.label}: {cell(stock[m.name], m.unit, m.digits)}"
                            for m in STOCK.values() if m.summary)]
    waits = format_waits(summary.get("by_service", {}))
    heads = head_count_text(summary.get("head_counts", []), summary["people"])
    return "\n".join(lines + (["", waits] if waits else []) + (["", heads] if heads else []))


#: The columns of the waits table: (key in ``by_service``, heading, digits).
WAIT_COLUMNS = (("waits", "waits", 0), ("mean_wait_days", "mean days", 1),
                ("p90_wait_days", "90th pct days", 1), ("waiting_at_end", "waiting at end", 0),
                ("abandoned", "gave up", 0))


def format_waits(by_service: dict[str, dict[str, Any]]) -> str:
    """Waiting lists by service as a plain-text table ('' when nobody waited)."""
    if not by_service:
        return ""
    width = max(len("Waits by service"), *(len(name) for name in by_service))
    header = f"{'Waits by service':{width}}  " + "  ".join(
        f"{heading:>14}" for _, heading, _ in WAIT_COLUMNS)
    lines = [header, "-" * len(header)]
    for name, row in by_service.items():
        cells = "  ".join(f"{cell(row[key], 'number', digits):>14}"
                          for key, _, digits in WAIT_COLUMNS)
        lines.append(f"{name:{width}}  {cells}")
    return "\n".join(lines)


def format_table(table: pd.DataFrame) -> str:
    """A comparison as text: mean ± 95% half-width, and the paired difference to the first.

    Measures by their labels, in their units (percentages, points, GBP, weeks).
    """
    names = [n for n in (*COMPARED, *COMPARISON) if (table.measure == n).any()]
    width = max([len("measure"), *(len((MEASURES.get(n) or COMPARISON[n]).label)
                                   for n in names)])
    place = max([len("scenario"), *(len(str(s)) for s in table.scenario)])
    lines = [f"{'measure':<{width}}  {'scenario':<{place}}  {'mean':>24}  "
             f"{'difference to first':>26}"]
    for name in names:
        measure = MEASURES.get(name) or COMPARISON[name]
        unit, digits = measure.unit, measure.digits
        for row in table[table.measure == name].itertuples():
            difference = getattr(row, "difference", math.nan)
            change = "" if pd.isna(difference) else cell(
                difference, unit, digits, row.difference_half_width, difference=True)
            mean = cell(row.mean, unit, digits, row.half_width)
            lines.append(f"{measure.label:<{width}}  {row.scenario:<{place}}  {mean:>24}  "
                         f"{change:>26}")
    return "\n".join(lines)


#: The impacts shown in a comparison's text (all horizons are in impacts.csv and --json).
IMPACT_WEEKS = (26, 52)


def format_impacts(impacts: pd.DataFrame) -> str:
    """Impacts on the treated as text: each added service's treated against themselves.

    One line per scenario, service and outcome: the treated's share at 26 and 52
    weeks after they started, the same people's in the baseline, and the impact
    in points with its 95% interval; fewer treated than can be quoted are marked.
    """
    if impacts.empty:
        return ""
    lines = ["Impacts on the treated (the same people in the baseline; share at weeks after "
             "starting, impact in points ± 95% interval; n = treated, all replications)"]
    header = f"{'scenario':<28} {'service':<18} {'outcome':<11}" + "".join(
        f" {f'{weeks}w: treated / baseline / impact':>40}" for weeks in IMPACT_WEEKS)
    lines += [header, "-" * len(header)]
    few = False
    for (scenario, service, outcome), group in impacts.groupby(
            ["scenario", "service", "outcome"], sort=False):
        cells = []
        for weeks in IMPACT_WEEKS:
            row = group[group.weeks == weeks]
            if row.empty:
                cells.append(f" {'n/a':>40}")
                continue
            r = row.iloc[0]
            mark = "*" if r.too_few else ""
            few = few or bool(r.too_few)
            text = (f"{cell(r.treated_share, 'share', 0)} / {cell(r.baseline_share, 'share', 0)}"
                    f" / {cell(r.impact, 'share', 1, r.impact_half_width, difference=True)}"
                    f" n={int(r.treated):,}{mark}")
            cells.append(f" {text:>40}")
        lines.append(f"{scenario:<28} {service:<18} {outcome.replace('_', ' '):<11}"
                     + "".join(cells))
    if few:
        lines.append(f"* fewer than {MIN_TREATED:,} treated: too few to quote; run more "
                     "replications or a larger --people")
    return "\n".join(lines)


def impact_records(impacts: pd.DataFrame) -> list[dict[str, Any]]:
    """Impacts on the treated as plain records for ``--json`` (shares as fractions)."""
    return json.loads(impacts.to_json(orient="records"))


def table_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """A comparison as plain records for ``--json``: each measure's name, label and unit.

    Shares stay fractions (``unit`` says so); a missing value is None.
    """
    records = []
    for row in table.to_dict(orient="records"):
        measure = MEASURES.get(row["measure"]) or COMPARISON.get(row["measure"])
        records.append({
            "scenario": row["scenario"], "measure": row["measure"],
            "label": measure.label if measure else row["measure"],
            "unit": measure.unit if measure else "number",
            **{key: None if pd.isna(row.get(key, math.nan)) else float(row[key])
               for key in ("mean", "half_width", "difference", "difference_half_width")},
            "replications": int(row["replications"]) if "replications" in row else None,
        })
    return records


def format_appraisal(appraisal: Appraisal) -> str:
    """An appraisal as text: perspectives, categories, partners, and the ranges."""
    blocks = [_format_scenario(str(scenario), group.set_index("measure"),
                               appraisal.ranges[appraisal.ranges.scenario == scenario],
                               appraisal.settings)
              for scenario, group in appraisal.table.groupby("scenario", sort=False)]
    return "\n\n".join(blocks)


def _figure(figures: pd.DataFrame, name: str, unit: str = "GBP", digits: int = 0) -> str:
    """One appraisal figure's mean ± half-width (GBP unless told), "n/a" if absent."""
    if name not in figures.index:
        return "n/a"
    return cell(figures.at[name, "mean"], unit, digits, figures.at[name, "half_width"])


def _named(figures: pd.DataFrame, name: str) -> str:
    """A figure of the appraisal registry, with its label."""
    m = APPRAISAL[name]
    return f"{m.label}: {_figure(figures, name, m.unit, m.digits)}"


def money(value: Any) -> str:
    """GBP for a sentence: whole pounds below a million ("−£846,389"), then "£1.2m".

    A negative sum has a true minus sign; None or NaN is "n/a".
    """
    if value is None or pd.isna(value):
        return "n/a"
    size = round(abs(value))
    sign = "−" if round(value) < 0 else ""
    return sign + (f"£{size / 1e6:,.1f}m" if size >= 1_000_000 else f"£{size:,.0f}")


def swings(ranges: pd.DataFrame) -> pd.DataFrame:
    """One scenario's one-at-a-time ranges, the largest swing of the society NPV first."""
    return ranges.sort_values("npv_society_swing", ascending=False, kind="stable")


def choices(npv: pd.Series, ranges: pd.DataFrame, settings: dict[str, Any]) -> list[
        tuple[str, float | None]]:
    """The society NPV under the appraisal's two big choices, as (case, GBP) rows.

    The central case (net of displacement), the same gross of it and without the
    value of wellbeing, and persistence at its low and high ends (when
    ``cba.ranges`` varies it). ``npv`` holds the mean
    of each appraisal figure, by name; ``ranges`` is one scenario's.
    """
    rows = [(f"central case: persistence {settings['persistence_per_year']:g} a year, "
             f"wellbeing {money(settings['wellbeing_per_work_week'])} a week in work, net "
             "of displacement", npv.get("npv_society")),
            ("gross (no displacement)", npv.get("npv_society_gross")),
            ("without wellbeing", npv.get("npv_society_without_wellbeing"))]
    for row in ranges[ranges.parameter == "persistence_per_year"].itertuples():
        for end, level, value in (("low", row.low, row.npv_society_low),
                                  ("high", row.high, row.npv_society_high)):
            stop = " (effects stop with the run)" if level == 0 else ""
            rows.append((f"{end} persistence: {level:g} a year{stop}", value))
    return rows


def top_driver(ranges: pd.DataFrame) -> str:
    """A sentence naming the uncertain value that moves the society NPV most."""
    if not len(ranges):
        return "No value is varied (cba.ranges is empty)."
    top = swings(ranges).iloc[0]
    turns = (", so whether the NPV is positive turns on it"
             if (top.npv_society_low < 0) != (top.npv_society_high < 0) else "")
    return (f"The result depends most on {top.parameter}: it moves the society NPV by "
            f"{money(top.npv_society_swing)}, from {money(top.npv_society_low)} at "
            f"{top.low:g} to {money(top.npv_society_high)} at {top.high:g}{turns}.")


#: The rows of the perspectives table: (label, figure name), net of displacement first.
PERSPECTIVE_ROWS = (
    ("society", "society"),
    ("society without wellbeing", "society_without_wellbeing"),
    ("exchequer", "exchequer"),
    ("participant", "participant"),
    ("society, gross (no displacement)", "society_gross"),
    ("  without wellbeing", "society_without_wellbeing_gross"),
    ("exchequer, gross (no displacement)", "exchequer_gross"),
    ("society, same horizon as costs", "society_same_horizon"),
    ("  without wellbeing", "society_without_wellbeing_same_horizon"),
    ("exchequer, same horizon as costs", "exchequer_same_horizon"),
)


def headline(figures: pd.DataFrame) -> str:
    """Society's and the Exchequer's NPV and BCR net of displacement, gross beside them."""
    bcr = APPRAISAL["bcr_society"]

    def pair(name: str) -> str:
        return (f"NPV {_figure(figures, f'npv_{name}')}, BCR "
                f"{_figure(figures, f'bcr_{name}', bcr.unit, bcr.digits)}")

    return (f"Net of displacement: society {pair('society')}; Exchequer "
            f"{pair('exchequer')}.\n"
            f"Gross (no displacement): society {pair('society_gross')}; Exchequer "
            f"{pair('exchequer_gross')}.")


def _perspectives(figures: pd.DataFrame) -> list[str]:
    bcr = APPRAISAL["bcr_society"]
    lines = [f"{'perspective':<36}{'PV benefits':>26}{'PV costs':>26}{'NPV':>26}{'BCR':>16}"]
    for label, name in PERSPECTIVE_ROWS:
        if f"npv_{name}" not in figures.index:
            continue
        lines.append(f"{label:<36}{_figure(figures, f'pv_benefits_{name}'):>26}"
                     f"{_figure(figures, f'pv_costs_{name}'):>26}"
                     f"{_figure(figures, f'npv_{name}'):>26}"
                     f"{_figure(figures, f'bcr_{name}', bcr.unit, bcr.digits):>16}")
    share = APPRAISAL["wellbeing_share_of_society_benefits"]
    wellbeing = cell(figures.at[share.name, "mean"], share.unit, share.digits)
    moved = APPRAISAL["displacement_applied"]
    return [*lines, "",
            "Net of displacement: the share of the design's extra job starts that job "
            "seekers outside the model lost (measured by its runs: "
            f"{cell(figures.at[moved.name, 'mean'], moved.unit, moved.digits)}) is their loss of "
            "earnings and wellbeing (society's, not the participant's) and the Treasury's and "
            "public services' loss of tax and savings; DWP's benefit saving stands, as the "
            "outside pool does not claim. Same horizon as costs: benefits stop with the run, "
            "as the services' costs do.",
            f"Wellbeing, net of displacement: {_figure(figures, 'npv_social')}, {wellbeing} of "
            "society's PV benefits (it is the person's, so the participant's figures include "
            "it); the Exchequer's figures never include it."]


def _partners(figures: pd.DataFrame) -> list[str]:
    lines = [f"{'partner':<30}{'PV benefits':>26}{'PV costs':>26}{'NPV':>26}"]
    for partner, label in [*PARTNERS.items(), (costs.OUTSIDE, costs.OUTSIDE_LABEL)]:
        if f"pv_benefits_{partner}" not in figures.index:
            continue
        if figures.at[f"pv_benefits_{partner}", "mean"] or figures.at[f"pv_costs_{partner}",
                                                                      "mean"]:
            lines.append(f"{label:<30}{_figure(figures, f'pv_benefits_{partner}'):>26}"
                         f"{_figure(figures, f'pv_costs_{partner}'):>26}"
                         f"{_figure(figures, f'npv_{partner}'):>26}")
    return lines


def _drivers(figures: pd.DataFrame, ranges: pd.DataFrame, settings: dict[str, Any]) -> list[
        str]:
    lines = [f"What drives the result: the society NPV, mean of {settings['replications']} "
             "replications"]
    rows = choices(figures["mean"], ranges, settings)
    width = max(70, *(len(case) for case, _ in rows))
    lines += [f"  {case:<{width}}{money(value):>14}" for case, value in rows]
    if len(ranges):
        lines += ["", f"  {'one value at a time, largest swing first':<42}{'low':>8}"
                      f"{'NPV society':>14}{'high':>10}{'NPV society':>14}{'swing':>14}"]
        lines += [f"  {row.parameter:<42}{row.low:>8g}{money(row.npv_society_low):>14}"
                  f"{row.high:>10g}{money(row.npv_society_high):>14}"
                  f"{money(row.npv_society_swing):>14}" for row in swings(ranges).itertuples()]
    return [*lines, "", top_driver(ranges)]


def _format_scenario(scenario: str, figures: pd.DataFrame, ranges: pd.DataFrame,
                     settings: dict[str, Any]) -> str:
    reps = settings["replications"]
    paid_back = figures.at["payback_years_exchequer", "replications"]
    payback = _named(figures, "payback_years_exchequer") + (
        f" (in the {paid_back} of {reps} replications that pay back within the horizon)"
        if 0 < paid_back < reps else "")
    lines = [
        f"{scenario} against {settings['baseline']}: {settings['horizon_years']} years, "
        f"{settings['price_year']} prices, {settings['discount_schedule_version']} "
        f"discounting, benefits less {100 * settings['optimism_bias']:g}% optimism bias, "
        f"effects carried on at {100 * settings['persistence_per_year']:g}% a year after the "
        f"run, {reps} replications (mean ± 95% half-width)",
        "",
        headline(figures),
        "",
        *_perspectives(figures),
        "",
        "NPV by category: " + ", ".join(
            f"{name} {_figure(figures, f'npv_{name}')}" for name in costs.CATEGORIES),
        "",
        *_partners(figures),
        "",
        _named(figures, "additional_sustained_jobs"),
        _named(figures, "cost_per_additional_sustained_job"),
        payback,
        "",
        *_drivers(figures, ranges, settings),
    ]
    return "\n".join(lines)


#: The differences ``journeysim uncertainty`` prints, in order.
UNCERTAIN_ROWS = ("off_flow_13w", "job_entry_rate", "sustained_job_rate", "cycling_rate",
                  "cost_total", "npv_society", "npv_society_gross", "npv_exchequer",
                  "npv_exchequer_gross", "bcr_society", "bcr_society_gross")


def format_uncertainty(table: pd.DataFrame, drivers: pd.DataFrame,
                       designs: dict[str, dict[str, Any]], settings: dict[str, Any]) -> str:
    """Each design's differences with both intervals, its chances of paying back, its drivers."""
    blocks = []
    width = max(len(lookup(m).label) for m in UNCERTAIN_ROWS)
    for name, summary in designs.items():
        mine = table[(table.scenario == name) & (table.kind == "difference")].set_index("measure")
        lines = [f"{name} against {settings['baseline']}", "",
                 f"{'difference':<{width}}  {'mean':>14}  {'95% interval, evidence + noise':>34}"
                 f"  {'noise only':>34}"]
        for measure in UNCERTAIN_ROWS:
            m, row = lookup(measure), mine.loc[measure]
            lines.append(
                f"{m.label:<{width}}  {cell(row['mean'], m.unit, m.digits, difference=True):>14}"
                f"  {span(row.low, row.high, m.unit, m.digits, difference=True):>34}"
                f"  {span(row.mc_low, row.mc_high, m.unit, m.digits, difference=True):>34}")
        bcr = summary["bcr_society"]
        lines += ["", "Chance the NPV is above zero, net of displacement: society "
                  f"{summary['p_npv_society_positive']:.0%}, Exchequer "
                  f"{summary['p_npv_exchequer_positive']:.0%} (gross, no displacement: "
                  f"society {summary['p_npv_society_gross_positive']:.0%}, Exchequer "
                  f"{summary['p_npv_exchequer_gross_positive']:.0%}); benefit-cost ratio "
                  f"(society) median {cell(bcr['median'], 'number', 2)}, 95% of draws "
                  f"{cell(bcr['low'], 'number', 2)} to {cell(bcr['high'], 'number', 2)}"]
        top = drivers[(drivers.scenario == name) & (drivers.measure == "off_flow_13w")].head(5)
        if len(top) and top.first_order.notna().any():
            lines.append("Drivers of the off-flow difference (share of its variance, "
                         f"{top.method.iloc[0]}): " + ", ".join(
                             f"{r.parameter} {r.first_order:.0%}" for r in top.itertuples()))
        checks = [c for c in settings.get("emulator", []) if c["scenario"] == name]
        if checks:
            lines.append("Emulator's held-out R squared (indices given from 0.5): " + ", ".join(
                f"{lookup(c['measure']).label} {c['r2']:.2f}" for c in checks))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
