"""The HTML report: one self-contained file from a run, compare, validate or uncertainty folder.

:func:`load` reads what ``run``, ``compare``, ``validate`` or ``uncertainty``
wrote (never re-running anything), :func:`make_figures` draws them,
:func:`render` writes the page with every figure embedded, and
:func:`write_report` saves the page and each figure as PNG and SVG.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from journeysim import config
from journeysim.analysis import measures as metrics
from journeysim.analysis.costs import OUTSIDE, OUTSIDE_LABEL
from journeysim.analysis.registry import (
    APPRAISAL,
    COMPARISON,
    MAIN_DIFFERENCES,
    MEASURES,
    SUMMARY_ROWS,
    lookup,
)
from journeysim.present import plots
from journeysim.present.tables import (
    IMPACT_WEEKS,
    MIN_TREATED,
    WAIT_COLUMNS,
    cell,
    choices,
    money,
    span,
    swings,
    top_driver,
)
from journeysim.runs import files, uncertainty, validation
from journeysim.vocabulary import PARTNERS

LIMITATIONS = (
    "Almost every parameter of the service network (leakage, delays, how often barriers "
    "are found, what a session achieves, budget sizes, capacities) is an assumption: the "
    "source documents describe these mechanisms in words, not numbers. Only three "
    "parameters are fitted, to Wakefield's JSA off-flow and incapacity-benefit figures.",
    "The co-designed scenarios change how services work, not how many staff they have: "
    "where joined-up working sends more people to specialists, waiting lists grow.",
    "Job offers depend on a fixed number of local vacancies, so claimants compete for "
    "them; effects on the wider labour market and on people outside the borough are not "
    "modelled.",
    "The population is a synthetic borough built from Wakefield's figures, not a forecast "
    "for any real place.",
    "Costs are in 2011/12 prices. In the cost–benefit appraisal, what a week in work is "
    "worth outside DWP and HM Treasury, and how long job effects last after the run, are "
    "judgements (persistence between what the ERA and Future Jobs Fund evaluations found); "
    "society's figures are also given without wellbeing, and the low and high runs show "
    "how much each choice matters.",
    "The intervals show how results vary from run to run with the same assumptions, not "
    "how uncertain the assumptions are: sweeps and sensitivity analysis explore those.",
)
#: In an uncertainty report, in place of the last limitation (run-to-run intervals only).
UNCERTAINTY_LIMITATION = (
    "The wide intervals are only as good as the ranges they draw from "
    "(src/journeysim/data/evidence.yaml): a range is itself a judgement, most are "
    "assumptions with no UK evaluation behind them, and a relation between parameters that "
    "the ranges do not state is not drawn.")
#: The kind of folder ``journeysim uncertainty`` seals, and the columns of its tables.
UNCERTAINTY = uncertainty.KIND
UNCERTAINTY_TABLES = {
    "uncertainty.csv": ("scenario", "kind", "measure", "mean", "low", "high", "mc_low",
                        "mc_high"),
    "drivers.csv": ("scenario", "measure", "parameter", "first_order", "first_order_conf",
                    "total", "total_conf", "method"),
}
#: The settings of ``uncertainty.json`` the report cannot do without.
UNCERTAINTY_SETTINGS = ("baseline", "designs", "draws", "reps", "people", "weeks", "seed",
                        "design", "parameters")


#: Written into the report and its figures: a file carrying it may be written over by
#: the next report without --force.
MARK = "journeysim report"


class ReportError(Exception):
    """A directory a report cannot be made from; the message says why."""


@dataclass
class Results:
    """What a run, a comparison, a validation or an uncertainty analysis wrote, read back."""

    kind: str
    scenarios: list[str]
    configs: dict[str, dict[str, Any]]
    settings: dict[str, Any]
    table: pd.DataFrame
    profiles: dict[str, list[dict[str, Any]]]
    cba: dict[str, Any] | None = None
    cba_table: pd.DataFrame | None = None
    cba_ledger: pd.DataFrame | None = None
    validation: pd.DataFrame | None = None
    impacts: pd.DataFrame | None = None
    uncertainty: pd.DataFrame | None = None
    drivers: pd.DataFrame | None = None
    uncertainty_json: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)


def _json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError(f"{path} is missing") from None
    except (OSError, ValueError):
        raise ReportError(f"{path} cannot be read as JSON") from None


def load(directory: Path) -> Results:
    """Read a complete ``run``, ``compare`` (or ``cba``), ``validate`` or ``uncertainty`` directory.

    Only a sealed folder whose files are as they were written is read (see
    :mod:`journeysim.runs.files`): never one left half-written by a killed run.
    """
    if files.kind_of(directory) is None:
        raise ReportError(f"{directory} holds neither a run (events.parquet) nor a "
                          "comparison (manifest.json)")
    try:
        kind = files.complete(directory)
    except files.FolderError as err:
        raise ReportError(str(err)) from None
    if kind == "compare":
        return _load_comparison(directory)
    if kind == "run":
        return _load_run(directory)
    if kind == validation.KIND:
        return _load_validation(directory)
    if kind == UNCERTAINTY:
        return _load_uncertainty(directory)
    raise ReportError(f"{directory} holds a {kind} result; a report is made from a run, "
                      "a compare, a validate or an uncertainty folder")


def _load_run(directory: Path) -> Results:
    summary = _json(directory / "summary.json")
    scenario = _json(directory / "scenario.json")
    events = pd.read_parquet(directory / "events.parquet")
    people = pd.read_parquet(directory / "people.parquet")
    horizon = summary["weeks"] * 7.0
    profile = metrics.profile(events, people, metrics.jobs_table(events, horizon), horizon)
    name = summary["scenario"]
    table = pd.DataFrame([{"scenario": name, "measure": m.name, "mean": summary.get(m.name),
                           "half_width": math.nan} for m in SUMMARY_ROWS])
    settings = {key: summary[key] for key in ("people", "weeks", "seed", "version")}
    settings["replications"] = 1
    settings["staffing_rounded"] = {name: summary.get("staffing_rounded", [])}
    baseline = config.load(config.BASELINE).model_dump(mode="json")
    return Results("run", [name], {name: scenario, config.BASELINE: baseline}, settings,
                   table, {name: [profile]})


def _load_comparison(directory: Path) -> Results:
    manifest = _json(directory / "manifest.json")
    summary = _json(directory / "summary.json")
    names = summary["scenarios"]
    runs = [_json(path) for path in sorted((directory / "runs").glob("*.json"))]
    reps = summary["replications"]
    profiles: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for run in runs:
        if run["scenario"] in profiles and run["replication"] < reps:
            if "profile" not in run:
                raise ReportError(f"{directory} was made by an older journeysim without the "
                                  "figures' data; run the comparison again in a new directory")
            profiles[run["scenario"]].append(run["profile"])
    settings = {key: summary[key] for key in ("people", "weeks", "seed", "replications")}
    settings["version"] = manifest.get("version", "")
    settings["staffing_rounded"] = summary.get("staffing_rounded", {})
    results = Results("compare", names, manifest.get("configs", {}), settings,
                      pd.DataFrame(summary["table"]), profiles,
                      impacts=pd.DataFrame(summary.get("impacts", [])))
    if (directory / "cba.json").exists():
        results.cba = _json(directory / "cba.json")
        if "persistence_per_year" not in results.cba.get("settings", {}):
            raise ReportError(f"{directory} was appraised by an older journeysim (effects "
                              "fading by effect_decay_per_year); run the comparison again "
                              "with --cba in a new directory")
        if "displacement" not in results.cba["settings"]:
            raise ReportError(f"{directory} was appraised by an older journeysim (every extra "
                              "job counted as new, none net of displacement); run the "
                              "comparison again with --cba")
        results.cba_table = pd.read_csv(directory / "cba.csv")
        results.cba_ledger = pd.read_csv(directory / "cba_ledger.csv")
    return results


def _load_validation(directory: Path) -> Results:
    table, settings = validation.read(directory)
    return Results(validation.KIND, list(dict.fromkeys(table.scenario)), {}, settings,
                   pd.DataFrame(), {}, validation=table)


def _csv(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """A table with at least ``columns``; refused, saying why, if it cannot be read."""
    try:
        table = pd.read_csv(path)
    except FileNotFoundError:
        raise ReportError(f"{path} is missing") from None
    except (OSError, ValueError):
        raise ReportError(f"{path} cannot be read as CSV") from None
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ReportError(f"{path} lacks the column(s) {', '.join(missing)}")
    return table


def _load_uncertainty(directory: Path) -> Results:
    """The intervals, drivers and probabilities ``journeysim uncertainty`` wrote."""
    table, drivers = (_csv(directory / name, columns)
                      for name, columns in UNCERTAINTY_TABLES.items())
    body = _json(directory / "uncertainty.json")
    try:
        settings, designs = dict(body["settings"]), dict(body["designs"])
        names = [str(settings["baseline"]), *map(str, settings["designs"])]
    except (KeyError, TypeError, ValueError):
        raise ReportError(f"{directory}/uncertainty.json lacks its settings (baseline, "
                          "designs) or its designs") from None
    missing = [key for key in UNCERTAINTY_SETTINGS if key not in settings]
    if missing:
        raise ReportError(f"{directory}/uncertainty.json lacks the setting(s) "
                          f"{', '.join(missing)}")
    for frame, text in ((table, ["scenario", "kind", "measure"]),
                        (drivers, ["scenario", "measure", "parameter", "method"])):
        frame[text] = frame[text].fillna("").astype(str)
    return Results(UNCERTAINTY, names, {}, settings, pd.DataFrame(), {}, uncertainty=table,
                   drivers=drivers, uncertainty_json={"settings": settings, "designs": designs})


# --- figures -----------------------------------------------------------------------------------
def _rows(results: Results, key: str) -> dict[str, np.ndarray]:
    """One row per replication of a profile's list, per scenario (ragged rows padded)."""
    out = {}
    for name, profiles in results.profiles.items():
        rows = [[math.nan if v is None else v for v in p[key]] for p in profiles]
        width = max(len(r) for r in rows)
        out[name] = np.array([r + [math.nan] * (width - len(r)) for r in rows])
    return out


def _mean_flow(profiles: list[dict[str, Any]]) -> dict[str, float]:
    keys = sorted(set().union(*(p["flow"] for p in profiles)))
    return {k: sum(p["flow"].get(k, 0) for p in profiles) / len(profiles) for k in keys}


#: The parts of a scenario's total cost the cost figure builds it from, as the table names them.
COST_PARTS = (("cost_benefit", "benefit payments"),
              ("cost_services", "services (with budgets and premises)"))


def waterfall_steps(results: Results) -> dict[str, list[plots.Step]]:
    """Each scenario's cost over the run, built up from the headline table's own numbers.

    A run: its benefit payments and services, then its total. A comparison, per
    design: the baseline's total, the change in each part (in one step, for a
    comparison made before the parts were compared), the design's total (each the
    mean over replications, as the table shows it), and with an appraisal the tax,
    NI and savings the extra work brings in, to the total net of them.
    """
    table = results.table.set_index(["scenario", "measure"])["mean"]
    names = results.scenarios

    def total(name: str) -> plots.Step:
        return plots.Step(name, table[(name, "cost_total")], total=True)

    if results.kind == "run":
        return {names[0]: [*(plots.Step(label, table[(names[0], key)]) for key, label in
                             COST_PARTS), total(names[0])]}
    steps = {}
    for name in names[1:]:
        items = [total(names[0])]
        if all((n, key) in table.index for n in (name, names[0]) for key, _ in COST_PARTS):
            items += [plots.Step(f"{label}: change", table[(name, key)] - table[(names[0], key)])
                      for key, label in COST_PARTS]
        else:
            items.append(plots.Step("change", table[(name, "cost_total")] - items[0].gbp))
        items.append(total(name))
        if results.cba_ledger is not None:
            lines = results.cba_ledger  # public money the extra work brings in: not benefit
            ledger = lines[(lines.flow == "outcome") & (lines.category == "fiscal")
                           & (lines.item != "benefit")]
            gained = ledger.groupby("scenario").gbp.sum()
            returned = gained.get(name, 0.0) - gained.get(names[0], 0.0)
            items += [plots.Step("fiscal return (tax, NI, savings)", -returned),
                      plots.Step(f"{name}, net of the fiscal return",
                                 table[(name, "cost_total")] - returned, total=True)]
        steps[name] = items
    return steps


def partner_tables(results: Results) -> dict[str, pd.DataFrame]:
    """Present values by partner, per appraised scenario (partners with any money)."""
    if results.cba_table is None:
        return {}
    tables = {}
    for name, group in results.cba_table.groupby("scenario", sort=False):
        figures = group.set_index("measure")["mean"]
        rows = [{"partner": label, "pv_benefits": figures[f"pv_benefits_{key}"],
                 "pv_costs": figures[f"pv_costs_{key}"]}
                for key, label in [*PARTNERS.items(), (OUTSIDE, OUTSIDE_LABEL)]
                if figures.get(f"pv_benefits_{key}") or figures.get(f"pv_costs_{key}")]
        tables[str(name)] = pd.DataFrame(rows)
    return tables


def appraisal_ranges(results: Results) -> dict[str, pd.DataFrame]:
    """Each appraised scenario's one-at-a-time ranges, the largest swing first."""
    if results.cba is None or not results.cba["ranges"]:
        return {}
    ranges = pd.DataFrame(results.cba["ranges"])
    return {str(name): swings(group) for name, group in ranges.groupby("scenario", sort=False)}


def _central(results: Results, measure: str) -> dict[str, float]:
    """The mean of one appraisal figure, per appraised scenario."""
    if results.cba_table is None:
        return {}
    rows = results.cba_table[results.cba_table.measure == measure]
    return dict(zip(rows.scenario.astype(str), rows["mean"], strict=True))


def _chance_level(settings: dict[str, Any]) -> float | None:
    """The first-order share an unrelated parameter reaches by chance, if known."""
    level = settings.get("chance_level")
    return None if level is None or pd.isna(level) else float(level)


def uncertainty_figures(results: Results) -> dict[str, tuple[str, Figure]]:
    """The figures of an uncertainty analysis: intervals, drivers, acceptability."""
    designs = (results.uncertainty_json or {}).get("designs", {})
    return {
        "intervals": ("Each design's difference from the baseline: the mean (diamond), the "
                      "95% interval over the parameters' evidence ranges and the simulation "
                      "together (wide, light), and over the simulation alone (thin, dark).",
                      plots.uncertainty_intervals_figure(results.uncertainty)),
        "drivers": ("What drives each difference: the share of its variance each uncertain "
                    "parameter explains on its own (first order) and, where the method gives "
                    "it, with its interactions (total); a parameter with no effect passes the "
                    "dashed line by chance one time in twenty.",
                    plots.drivers_figure(results.drivers, _chance_level(results.settings))),
        "acceptability": ("The probability each design's extra people in sustained work are "
                          "worth what it costs the Exchequer, against what one extra person "
                          "in sustained work is judged to be worth.",
                          plots.acceptability_figure(designs)),
    }


def make_figures(results: Results) -> dict[str, tuple[str, Figure]]:
    """Every figure of the report: file stem -> (caption, figure)."""
    if results.uncertainty is not None:
        return uncertainty_figures(results)
    if results.validation is not None:
        return {"validation": (
            "Where the model lands in each band: the grey bar is the band (scaled to run "
            "from 0 to 1, whatever the unit), the open diamond the observed figure, the dot "
            "the model's mean over the seeds with its 95% interval; a cross is outside the "
            "band.", plots.validation_figure(results.validation))}
    spells = {name: np.array([[p["spells"][k] for k in metrics.SPELLS] for p in profiles],
                             dtype=float) for name, profiles in results.profiles.items()}
    spells = {name: rows / rows.sum(axis=1, keepdims=True) for name, rows in spells.items()}
    segments = {name: pd.concat([pd.DataFrame(p["segments"]).T for p in profiles])
                .groupby(level=0).mean() for name, profiles in results.profiles.items()}
    figures = {
        "off_flow": ("How fast people leave benefit: the share of new claims still open, "
                     "week by week. Lower is faster; the bands are 95% intervals over "
                     "replications.", plots.off_flow_figure(_rows(results, "survival"))),
        "journeys": ("Where people went: the services each claimant reached (the most "
                     "joined-up kind) and where they were at the end of the run.",
                     plots.flow_figure({name: _mean_flow(p)
                                        for name, p in results.profiles.items()})),
        "cycling": ("Cycling: how many claims each claimant made, and how soon people who "
                    "found work were back on benefit (week 26 is the cycling rate).",
                    plots.cycling_figure(spells, _rows(results, "returns"))),
        "costs": ("Cost over the run, from the baseline to each scenario (the headline "
                  "table's total cost and its parts, mean over replications): benefit "
                  "payments and services, and (with a cost–benefit appraisal) the tax, NI "
                  "and public-service savings the extra work brings in.",
                  plots.waterfall_figure(waterfall_steps(results))),
        "fragmentation": ("Fragmentation: agencies each claimant dealt with, and how often "
                          "they were assessed, by segment.",
                          plots.fragmentation_figure(segments)),
    }
    partners = partner_tables(results)
    if partners:
        figures["partners"] = ("Who pays and who saves: each partner's present value of "
                               "benefits and of extra costs against the baseline.",
                               plots.partner_figure(partners))
    ranges = appraisal_ranges(results)
    if ranges:
        figures["drivers"] = ("What drives the result: the society NPV with each uncertain "
                              "value at its low and its high end, the others central, "
                              "largest swing first.",
                              plots.tornado_figure(ranges, _central(results, "npv_society")))
    return figures


def figure_bytes(figure: Figure, kind: str) -> bytes:
    """The figure as PNG or SVG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format=kind, dpi=110, bbox_inches="tight",
                   metadata={"Creator": MARK})
    return buffer.getvalue()


# --- the page ----------------------------------------------------------------------------------
def differences(base: dict[str, Any], other: dict[str, Any]) -> list[str]:
    """How ``other`` differs from ``base``, one plain sentence per parameter."""
    try:
        rows = [{r["parameter"]: r for r in config.parameter_table(config.validate(c, "report"))}
                for c in (base, other)]
    except config.ConfigError as err:
        return [f"(cannot compare the configurations: {err})"]
    changed = []
    for path, row in rows[1].items():
        before = rows[0].get(path)
        if before is None or before["default"] != row["default"]:
            old = before["default"] if before else "absent"
            changed.append(f"{row['meaning']} ({path}): {old} → {row['default']}")
    return changed


def _uncalibrated(raw: dict[str, Any]) -> list[str]:
    """The warning for a scenario that moves the calibrated place without refitting."""
    try:
        return config.uncalibrated(config.validate(raw, "report")) if raw else []
    except config.ConfigError:
        return []


def headline_html(results: Results) -> str:
    """The headline table: each scenario's mean ± 95% half-width, and its difference.

    A measure of a comparison (displacement: a design's own, against the
    baseline) has no value for the baseline and no difference column.
    """
    table = results.table.set_index(["scenario", "measure"])
    names = results.scenarios
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    head += "".join(f"<th>{html.escape(n)} − {html.escape(names[0])}</th>" for n in names[1:])
    body = []
    for m in (*SUMMARY_ROWS, *COMPARISON.values()):
        key = m.name
        if not any((n, key) in table.index for n in names):
            continue
        cells = [cell(table.at[(n, key), "mean"], m.unit, m.digits,
                      table.at[(n, key), "half_width"]) if (n, key) in table.index else "n/a"
                 for n in names]
        cells += [cell(table.at[(n, key), "difference"], m.unit, m.digits,
                       table.at[(n, key), "difference_half_width"], difference=True)
                  if key in MEASURES and (n, key) in table.index else "" for n in names[1:]]
        body.append(f"<tr><th>{html.escape(m.label)}</th>"
                    + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return (f"<table class='numbers'><thead><tr><th>measure</th>{head}</tr></thead>"
            f"<tbody>{''.join(body)}</tbody></table>")


def waits_html(results: Results) -> str:
    """Waiting lists by service and scenario: mean over replications of each figure."""
    rows = []
    for name in results.scenarios:
        runs = [profile.get("waits", {}) for profile in results.profiles.get(name, [])]
        for service in sorted({s for waits in runs for s in waits}):
            values = [waits.get(service) for waits in runs]
            cells = [cell(float(np.mean([v[key] if v else 0.0 for v in values])), "number",
                          digits) for key, _, digits in WAIT_COLUMNS]
            rows.append(_row(*cells, head=(name, service)))
    if not rows:
        return ""
    head = ("scenario", "service", *(heading for _, heading, _ in WAIT_COLUMNS))
    return ("<h2>Waits by service</h2><p class='small'>People who had to wait for an adviser "
            "or a place (a person seen at once did not wait): mean and 90th percentile of "
            "their waits in days, those still waiting at the end, and those who gave up; "
            "mean over replications.</p>" + _numbers(head, rows))


def impacts_html(results: Results) -> str:
    """Impacts on the treated of each service a design adds, 26 and 52 weeks after starting."""
    table = results.impacts
    if table is None or table.empty:
        return ""
    rows = []
    for row in table[table.weeks.isin(IMPACT_WEEKS)].itertuples():
        impact = cell(row.impact, "share", 1, row.impact_half_width, difference=True)
        rows.append(_row(
            f"{row.weeks} weeks", f"{int(row.treated):,}" + (" (too few to quote)"
                                                            if row.too_few else ""),
            cell(row.treated_share, "share", 1), cell(row.baseline_share, "share", 1), impact,
            head=(row.scenario, row.service, row.outcome.replace("_", " "))))
    head = ("scenario", "service", "outcome", "after starting", "treated (people)",
            "treated", "same people in the baseline", "impact")
    return ("<h2>Impacts on the people each service treated</h2><p class='small'>For each "
            "service a design adds, the people it treated: their share on benefit and in "
            f"work some weeks after they started, against the same people in "
            f"{html.escape(results.scenarios[0])} (common random numbers: the model's own "
            "comparison group), and the impact in points with its 95% interval over the "
            f"replications. Fewer than {MIN_TREATED} treated are too few to quote. The whole "
            "design acts on a service's people, not the service alone; impacts.csv has 104 "
            "weeks too.</p>" + _numbers(head, rows))


def cba_html(results: Results) -> str:
    """The appraisal's main figures per scenario, if there is one."""
    if results.cba_table is None or results.cba is None:
        return ""
    settings = results.cba["settings"]
    table = results.cba_table.set_index(["scenario", "measure"])
    names = list(dict.fromkeys(results.cba_table.scenario))
    body = []
    for m in APPRAISAL.values():
        cells = []
        for name in names:
            value = table.at[(name, m.name), "mean"] if (name, m.name) in table.index else None
            half = (table.at[(name, m.name), "half_width"] if (name, m.name) in table.index
                    else None)
            cells.append(cell(value, m.unit, m.digits, half))
        body.append(f"<tr><th>{html.escape(m.label)}</th>"
                    + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    return (
        "<h2>Cost–benefit against the baseline</h2>"
        f"<p>Over {settings['horizon_years']} years, in {html.escape(settings['price_year'])} "
        f"prices, discounted by the {html.escape(settings['discount_schedule_version'])} "
        f"schedule, with benefits reduced by {100 * settings['optimism_bias']:g}% for optimism "
        f"bias and job effects carried on at {100 * settings['persistence_per_year']:g}% a "
        "year after the run (cba.persistence_per_year). Society's and the Exchequer's "
        "figures are net of displacement (the jobs the scenario's people took from job "
        "seekers outside the model count as a loss), with the gross figures (no "
        "displacement) and those with benefits stopping with the run, as the costs do, "
        "beside them. Society's figures are given with "
        f"and without wellbeing ({html.escape(money(settings['wellbeing_per_work_week']))} "
        "a week in work, valued to the person); the Exchequer's never include it. n/a: no "
        "ratio (the scenario costs less) or no payback within the horizon.</p>"
        f"<table class='numbers'><thead><tr><th>figure</th>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>" + drivers_html(results))


def drivers_html(results: Results) -> str:
    """What drives the result: the two big choices, and every range by its swing."""
    if results.cba_table is None or results.cba is None:
        return ""
    ranges = appraisal_ranges(results)
    settings = results.cba["settings"]
    parts = ["<h3>What drives the result</h3><p class='small'>The society NPV (mean over "
             "replications) in the central case (net of displacement), gross of it, without "
             "the value of wellbeing, and with "
             "persistence at its low and high ends; then each uncertain value at its low and "
             "its high end, the others central, largest swing first (figure "
             "<a href='#drivers'>drivers</a>).</p>"]
    for name, group in results.cba_table.groupby("scenario", sort=False):
        npv = group.set_index("measure")["mean"]
        mine = ranges.get(str(name), pd.DataFrame(columns=["parameter"]))
        rows = "".join(f"<tr><th>{html.escape(case)}</th><td>{html.escape(money(value))}</td>"
                       "</tr>" for case, value in choices(npv, mine, settings))
        swing = "".join(
            f"<tr><th>{html.escape(r.parameter)}</th><td>{r.low:g}</td>"
            f"<td>{html.escape(money(r.npv_society_low))}</td><td>{r.high:g}</td>"
            f"<td>{html.escape(money(r.npv_society_high))}</td>"
            f"<td>{html.escape(money(r.npv_society_swing))}</td></tr>"
            for r in mine.itertuples())
        parts.append(
            f"<h4>{html.escape(str(name))}</h4>"
            f"<table class='numbers'><thead><tr><th>case</th><th>NPV, society</th></tr>"
            f"</thead><tbody>{rows}</tbody></table>"
            "<table class='numbers'><thead><tr><th>value</th><th>low</th><th>NPV</th>"
            "<th>high</th><th>NPV</th><th>swing</th></tr></thead>"
            f"<tbody>{swing}</tbody></table><p>{html.escape(top_driver(mine))}</p>")
    return "".join(parts)


def validation_html(table: pd.DataFrame, settings: dict[str, Any]) -> str:
    """The validation: the table (misses marked), which fail, and each figure's note."""
    head = ("id", "kind", "scenario", "measure", "observed", "band", "model", "source",
            "verdict")
    body = []
    for row in table.itertuples():
        observed, band, model = validation.cells(row)
        cells = (row.id, row.kind, validation.compared(row), row.measure, observed, band,
                 model, row.source, row.verdict)
        marked = " class='miss'" if row.verdict != validation.PASS else ""
        body.append(f"<tr{marked}>" + "".join(f"<td>{html.escape(str(c))}</td>"
                                              for c in cells) + "</tr>")
    notes = "".join(
        f"<dt>{html.escape(row.id)} ({html.escape(row.source)})</dt><dd>Observed: "
        f"{html.escape(row.observed)}" + (f" <em>Differs:</em> {html.escape(row.note)}"
                                          if row.note else "") + "</dd>"
        for row in table.itertuples())
    return (
        "<h2>Validation against observed figures</h2>"
        f"<p>{html.escape(validation.heading(settings))}</p>"
        "<p class='small'>Targets are the figures the fragmented baseline is calibrated to: "
        "one outside its band is missed. Checks were not used for fitting: one outside its "
        "band is something the model does not reproduce, reported as it is, never tuned "
        "away. Rows outside their band are in bold.</p>"
        f"<p><strong>{html.escape(validation.verdicts(table))}</strong></p>"
        f"<table class='numbers validation'><thead><tr>"
        + "".join(f"<th>{h}</th>" for h in head) + f"</tr></thead><tbody>{''.join(body)}"
        "</tbody></table>"
        f"<h3>What each figure is, and how the model's measure differs</h3><dl>{notes}</dl>")


#: How each sampling design and drivers method reads in the report.
SAMPLING = {"lhs": "a Latin hypercube", "sobol": "a Sobol sequence"}
DRIVERS_METHODS = {
    "rank regression": (
        "Shares are first order only, from a rank regression over the draws of a Latin "
        "hypercube: the share of a difference's variance a parameter explains on its own, "
        "assuming only that the result rises or falls with it; what parameters do together "
        "is not separated, so there is no total index."),
    "sobol": (
        "Shares are Sobol indices: first order is the share of a difference's variance a "
        "parameter explains on its own, total adds what it explains together with others; "
        "a total well above its first order means the parameter matters through "
        "interactions."),
    "emulator": (
        "Shares are Sobol indices of an emulator (a Gaussian process fitted to the draws), "
        "first order and total as for a Sobol design; given only where the emulator "
        "predicted held-out draws well (R squared 0.5 or more: uncertainty.json), rank "
        "regression elsewhere. Their half-widths are the estimators' error on the emulator, "
        "not the emulator's own."),
}
#: How many drivers the report lists per design and measure (the figure shows more).
TOP_DRIVERS = 5
#: Where measures come in the uncertainty report's tables: the main ones first.
ORDER = list(dict.fromkeys([*MAIN_DIFFERENCES, *MEASURES, *COMPARISON, *APPRAISAL]))


def _ordered(names: pd.Series) -> list[str]:
    """The distinct measure names, in ``ORDER`` (unknown names last, as they come)."""
    distinct = list(dict.fromkeys(names))
    return sorted(distinct, key=lambda n: ORDER.index(n) if n in ORDER else len(ORDER))


def _chance(probability: Any) -> str:
    """A probability as a whole percentage, never rounded to a certainty it is not."""
    if probability is None or pd.isna(probability):
        return "n/a"
    if 0 < probability < 0.005:
        return "<1%"
    if 0.995 <= probability < 1:
        return ">99%"
    return cell(probability, "share", 0)


def _row(*cells: str, head: str | tuple[str, ...]) -> str:
    """A table row: heading cells (one, or several; may be empty), then data cells."""
    heads = (head,) if isinstance(head, str) else head
    return ("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in heads)
            + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")


def _numbers(head: tuple[str, ...], rows: list[str]) -> str:
    """A table of numbers with the given column headings."""
    heading = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return (f"<table class='numbers'><thead><tr>{heading}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def uncertainty_how(settings: dict[str, Any]) -> str:
    """What the uncertainty analysis ran, in a sentence."""
    sampling = SAMPLING.get(str(settings.get("design")), str(settings.get("design")))
    return (f"{settings['draws']:,} draws of the {settings['parameters']} uncertain "
            f"parameters from their evidence ranges ({sampling}); at every draw each scenario "
            f"was run {settings['reps']} time(s) with {settings['people']:,} claimants in the "
            f"starting stock, followed for {settings['weeks']} weeks, from seed "
            f"{settings['seed']}, so that each design is compared with the baseline at the "
            f"same parameters; journeysim {settings.get('version', '')}.")


READING = (
    "Each difference from the baseline has two 95% intervals. The wide one is what the "
    "evidence allows: every uncertain parameter is drawn from its range, and the "
    "simulation's own noise is carried too. The narrow one is simulation noise only, the "
    "spread that would remain if every parameter were known exactly. Where the wide "
    "interval crosses zero, the evidence does not say whether the design does better or "
    "worse than the baseline; more or longer runs would not settle it (they narrow only the "
    "narrow interval), better evidence on the parameters that drive the result would.")


def differences_html(table: pd.DataFrame, designs: list[str]) -> str:
    """Each design's differences: mean, the full interval and the simulation-only one."""
    rows = table[table.kind == "difference"]
    parts = []
    for design in designs:
        mine = rows[rows.scenario == design].set_index("measure")
        body = []
        for name in _ordered(mine.index.to_series()):
            m, row = lookup(name), mine.loc[name]
            row = row.iloc[0] if isinstance(row, pd.DataFrame) else row
            body.append(_row(cell(row["mean"], m.unit, m.digits, difference=True),
                             span(row.low, row.high, m.unit, m.digits, difference=True),
                             span(row.mc_low, row.mc_high, m.unit, m.digits, difference=True),
                             head=m.label))
        parts.append(f"<h3>{html.escape(design)}</h3>" + _numbers(
            ("measure", "mean difference", "95% interval: evidence and simulation",
             "95% interval: simulation only"), body))
    return "".join(parts)


def levels_html(table: pd.DataFrame, names: list[str]) -> str:
    """Each scenario's own value of the main measures, with its full interval."""
    rows = table[(table.kind == "level") & table.measure.isin(MAIN_DIFFERENCES)]
    rows = rows.drop_duplicates(["scenario", "measure"]).set_index(["scenario", "measure"])
    body = []
    for name in _ordered(rows.index.get_level_values("measure").to_series()):
        m = lookup(name)
        cells = []
        for scenario in names:
            if (scenario, name) not in rows.index:
                cells.append("n/a")
                continue
            row = rows.loc[(scenario, name)]
            cells.append(f"{cell(row['mean'], m.unit, m.digits)} "
                         f"({span(row.low, row.high, m.unit, m.digits)})")
        body.append(_row(*cells, head=m.label))
    if not body:
        return ""
    return ("<h3>Each scenario's own values</h3><p class='small'>Mean (95% interval over "
            "the evidence and the simulation).</p>" + _numbers(("measure", *names), body))


def _method_words(drivers: pd.DataFrame, settings: dict[str, Any]) -> str:
    """What the drivers' shares are, in words, and the share reached by chance."""
    methods = list(dict.fromkeys(drivers.method)) or [str(settings.get("drivers_method", ""))]
    words = " ".join(DRIVERS_METHODS.get(m, f"Shares are estimated by {m}.") for m in methods)
    level = _chance_level(settings)
    if level is not None:
        words += (f" With these draws, a parameter that has no effect at all explains more "
                  f"than {cell(level, 'share', 1)} one time in twenty, by chance; among "
                  f"{settings.get('parameters', 'many')} parameters a few will, so a share "
                  "near that says nothing.")
    return words


def uncertainty_drivers_html(drivers: pd.DataFrame, designs: list[str]) -> str:
    """The top drivers of each design's main differences, with their shares."""
    rows = drivers[drivers.measure.isin(MAIN_DIFFERENCES)]
    totals = bool(rows.total.notna().any())
    head = ("measure", "parameter, by rank", "first order", *(("total",) if totals else ()))
    parts = []
    for design in designs:
        body = []
        mine = rows[rows.scenario == design]
        for name in _ordered(mine.measure):
            top = mine[mine.measure == name].sort_values(
                "first_order", ascending=False, kind="stable").head(TOP_DRIVERS)
            for rank, row in enumerate(top.itertuples(), start=1):
                shares = [cell(row.first_order, "share", 1, row.first_order_conf)]
                if totals:
                    shares.append(cell(row.total, "share", 1, row.total_conf))
                label = lookup(name).label if rank == 1 else ""
                body.append(_row(*shares, head=(label, f"{rank}. {row.parameter}")))
        parts.append(f"<h3>{html.escape(design)}</h3>" + _numbers(head, body))
    return "".join(parts)


def worth_html(designs: dict[str, dict[str, Any]]) -> str:
    """Per design: the chance each NPV is positive, and the society BCR."""
    body = []
    for name, design in designs.items():
        bcr = design.get("bcr_society") or {}
        body.append(_row(_chance(design.get("p_npv_society_positive")),
                         _chance(design.get("p_npv_exchequer_positive")),
                         cell(bcr.get("median"), "number", 2),
                         span(bcr.get("low"), bcr.get("high"), "number", 2),
                         _chance(bcr.get("p_above_one")), head=name))
    return _numbers(("design", "society NPV positive", "Exchequer NPV positive",
                     "BCR, society: median", "BCR, society: 95% interval", "BCR above one"), body)


def uncertainty_html(results: Results) -> str:
    """The body of an uncertainty report, before its figures."""
    settings, designs = results.settings, results.scenarios[1:]
    assessed = (results.uncertainty_json or {}).get("designs", {})
    return (
        "<h2>What was analysed, and how</h2>"
        f"<p>{html.escape(', '.join(designs))} against {html.escape(results.scenarios[0])} "
        f"(the baseline): {html.escape(uncertainty_how(settings))}</p>"
        f"<h2>How to read this</h2><p>{html.escape(READING)}</p>"
        "<h2>Differences from the baseline</h2><p class='small'>Mean over the draws; shares "
        "in percentage points, money in GBP over the run (NPVs over the appraisal's "
        "horizon). See figure <a href='#intervals'>intervals</a>.</p>"
        + differences_html(results.uncertainty, designs)
        + levels_html(results.uncertainty, results.scenarios)
        + "<h2>What drives the differences</h2><p class='small'>"
        f"{html.escape(_method_words(results.drivers, settings))} The {TOP_DRIVERS} largest "
        "first-order shares of each difference, as a share of its variance (± the half-width "
        "of a 95% confidence interval, where the method gives one); figure "
        "<a href='#drivers'>drivers</a> shows more.</p>"
        + uncertainty_drivers_html(results.drivers, designs)
        + "<h2>Is it worth it?</h2><p class='small'>The share of draws in which each design's "
        "net present value is positive, for society and for the Exchequer, and the society "
        "benefit–cost ratio's median and 95% interval over the draws (n/a: no ratio). Figure "
        "<a href='#acceptability'>acceptability</a> gives the probability each design is "
        "worth its cost to the Exchequer for any value of an extra person in sustained work."
        "</p>"
        + worth_html(assessed))


#: Fewer replications than this, and a report says its intervals are not to be quoted.
MIN_REPLICATIONS = 5
#: Fewer uncertainty draws than this, and its intervals and chances are not to be quoted;
#: fewer than the second, and its drivers are a rough ranking (docs/uncertainty.md, "What
#: D and N give stable answers").
MIN_DRAWS, MIN_DRAWS_DRIVERS = 40, 80


@dataclass(frozen=True)
class Finding:
    """One design's difference from the baseline in one main measure, with its 95% interval."""

    design: str
    measure: str
    mean: float
    low: float
    high: float

    @property
    def clear(self) -> bool | None:
        """Whether the interval leaves zero out (None: no interval)."""
        if any(pd.isna(v) for v in (self.low, self.high)):
            return None
        return self.low > 0 or self.high < 0

    def shown(self) -> str:
        """The difference and its 95% interval, in the measure's unit."""
        m = lookup(self.measure)
        value = cell(self.mean, m.unit, m.digits, difference=True)
        if self.clear is None:
            return f"{value} (no interval)"
        return f"{value} ({span(self.low, self.high, m.unit, m.digits, difference=True)})"


def findings(results: Results) -> list[Finding]:
    """Each design's main differences from the baseline, from the report's own tables.

    A comparison's come from its headline table (the paired difference ± its
    half-width) and, for the NPVs, its appraisal; an uncertainty analysis's from its
    intervals over the evidence and the simulation.
    """
    if results.uncertainty is not None:
        rows = results.uncertainty[results.uncertainty.kind == "difference"]
        return [Finding(r.scenario, r.measure, r["mean"], r.low, r.high)
                for design in results.scenarios[1:] for name in MAIN_DIFFERENCES
                for _, r in rows[(rows.scenario == design) & (rows.measure == name)].iterrows()]
    if results.kind != "compare":
        return []
    table = results.table.set_index(["scenario", "measure"])
    found = []
    for design in results.scenarios[1:]:
        for name in MAIN_DIFFERENCES:
            if (design, name) in table.index:
                row = table.loc[(design, name)]
                mean, half = row["difference"], row["difference_half_width"]
            elif results.cba_table is not None and name in APPRAISAL:
                rows = results.cba_table[(results.cba_table.scenario == design)
                                         & (results.cba_table.measure == name)]
                if rows.empty:
                    continue
                mean, half = rows["mean"].iloc[0], rows["half_width"].iloc[0]
            else:
                continue
            found.append(Finding(design, name, mean, mean - half, mean + half))
    return found


def banners(results: Results) -> list[str]:
    """What makes the report's numbers too few to quote, one warning each ([] if none)."""
    if results.uncertainty is not None:
        draws, parameters = int(results.settings["draws"]), results.settings["parameters"]
        warned = []
        if draws < MIN_DRAWS:
            warned.append(f"Only {draws:,} draws: too few to quote. The intervals and the "
                          f"chances of paying back need {MIN_DRAWS} draws or more "
                          "(docs/uncertainty.md, \"What D and N give stable answers\"); "
                          "run again with --draws 40.")
        if draws < MIN_DRAWS_DRIVERS:
            warned.append(f"{draws:,} draws for {parameters} uncertain parameters: what "
                          "drives the differences is a rough ranking at best; read only "
                          "shares well above the chance level, and rank the rest with "
                          f"{MIN_DRAWS_DRIVERS} draws or more (or --design sobol on a few "
                          "named parameters).")
        return warned
    reps = results.settings.get("replications")
    if results.validation is not None or reps is None or reps >= MIN_REPLICATIONS:
        return []
    runs = ("One run has no interval: run it with `journeysim compare` and --reps "
            f"{MIN_REPLICATIONS} or more" if reps == 1 else
            f"With {reps} replications a 95% interval is unreliable (\"± 0.0\" means they "
            f"happened to agree, not that the value is certain): run again with --reps "
            f"{MIN_REPLICATIONS} or more, or --reps auto,")
    return [f"Only {reps} replication{'s' * (reps > 1)}: too few to quote. {runs} before "
            "quoting any figure here."]


def answer_html(results: Results) -> str:
    """The first screen: the warnings, then the answer in words and numbers with intervals.

    A sentence per design names the main differences that stand out (their 95%
    interval leaves zero out); a table gives every main difference with its
    interval and says whether it stands out or could be zero.
    """
    warned = "".join(f"<p class='banner'>{html.escape(text)}</p>" for text in banners(results))
    found = findings(results)
    if not found:
        return warned
    uncertain = results.uncertainty is not None
    noise = ("what the evidence allows and the simulation's noise" if uncertain
             else "the run-to-run noise")
    designs, base = results.scenarios[1:], results.scenarios[0]
    words = []
    for design in designs:
        clear = [f for f in found if f.design == design and f.clear]
        named = "; ".join(f"{lookup(f.measure).label} {f.shown()}" for f in clear)
        words.append(f"<p class='answer'><strong>{html.escape(design)}</strong> against "
                     f"{html.escape(base)}: " + html.escape(
                         f"{len(clear)} of the {sum(f.design == design for f in found)} main "
                         f"differences stand{'s' * (len(clear) == 1)} out from {noise}"
                         + (f": {named}." if clear else "; none can be told from zero.")) + "</p>")
    rows = []
    for name in dict.fromkeys(f.measure for f in found):
        cells = []
        for design in designs:
            mine = [f for f in found if f.design == design and f.measure == name]
            verdict = ("" if not mine or mine[0].clear is None
                       else " — stands out" if mine[0].clear else " — could be zero")
            cells.append(mine[0].shown() + verdict if mine else "n/a")
        rows.append(_row(*cells, head=lookup(name).label))
    scale = ("Mean over the draws." if uncertain else
             f"Mean over {results.settings['replications']} replication(s) of "
             f"{results.settings['people']:,} claimants at the start over "
             f"{results.settings['weeks']} weeks; money over the run, NPVs over the "
             "appraisal's horizon.")
    return (f"{warned}<h2>The answer</h2>{''.join(words)}"
            + _numbers(("difference from the baseline (95% interval)",
                        *(f"{d} − {base}" for d in designs)), rows)
            + f"<p class='small'>{html.escape(scale)} A difference stands out when its 95% "
            f"interval leaves zero out.</p>")


STYLE = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #111; line-height: 1.45; }
h1, h2 { font-family: Helvetica, Arial, sans-serif; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #bbb; padding: 0.25rem 0.6rem; text-align: left; }
table.numbers td { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1.5rem 0; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.9rem; color: #333; }
.small { font-size: 0.85rem; color: #444; }
.warning { border-left: 4px solid #b35900; padding-left: 0.6rem; color: #5a2d00; }
.banner { border: 2px solid #b35900; background: #fff3e0; padding: 0.4rem 0.6rem;
          color: #5a2d00; font-weight: bold; }
.answer { font-size: 1.05rem; }
table.validation td { text-align: left; }
tr.miss td { font-weight: bold; background: #e6e6e6; }
dd { margin: 0 0 0.6rem 1.5rem; font-size: 0.9rem; }
"""


def _images(figures: dict[str, tuple[str, Figure]]) -> str:
    """Each figure as an embedded PNG with its caption."""
    images = []
    for stem, (caption, figure) in figures.items():
        data = base64.b64encode(figure_bytes(figure, "png")).decode("ascii")
        images.append(f"<figure id='{stem}'><img alt='{html.escape(caption)}' "
                      f"src='data:image/png;base64,{data}'>"
                      f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    return "".join(images)


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="generator" content="{MARK}">
<title>{html.escape(title)}</title>
<style>{STYLE}</style></head><body>
<h1>{html.escape(title)}</h1>
{body}
</body></html>
"""


def render(results: Results, figures: dict[str, tuple[str, Figure]]) -> str:
    """The whole report as one HTML page, figures embedded as PNG."""
    limits = "".join(f"<li>{html.escape(text)}</li>" for text in LIMITATIONS)
    if results.uncertainty is not None:
        limits = "".join(f"<li>{html.escape(text)}</li>"
                         for text in (*LIMITATIONS[:-1], UNCERTAINTY_LIMITATION))
        return _page(f"journeysim: uncertainty, {' vs '.join(results.scenarios)}",
                     answer_html(results) + uncertainty_html(results)
                     + f"<h2>Figures</h2>{_images(figures)}"
                     f"<h2>What this model does not know</h2><ul>{limits}</ul>")
    if results.validation is not None:
        return _page("journeysim: validation",
                     validation_html(results.validation, results.settings) + _images(figures)
                     + f"<h2>What this model does not know</h2><ul>{limits}</ul>")
    settings = results.settings
    names = results.scenarios
    base_name = names[0] if results.kind == "compare" else config.BASELINE
    base = results.configs.get(base_name)
    described = []
    for name in names:
        cfg = results.configs.get(name, {})
        words = html.escape(cfg.get("description", "") or "")
        if base is None or name == base_name:
            changes = "<p class='small'>The baseline.</p>" if name == base_name else ""
        else:
            items = differences(base, cfg)
            changes = ("<ul class='small'>" + "".join(f"<li>{html.escape(i)}</li>"
                                                       for i in items) + "</ul>"
                       if items else "<p class='small'>No parameter differs.</p>")
            changes = f"<p class='small'>Differs from {html.escape(base_name)} in:</p>" + changes
        described.append(f"<h3>{html.escape(name)}</h3><p>{words}</p>{changes}"
                         + "".join(f"<p class='warning'>Warning: {html.escape(line)}</p>"
                                   for line in _uncalibrated(cfg)))
    how = (f"{settings['people']:,} claimants in the starting stock and the people who "
           f"claim later, followed for {settings['weeks']} weeks; "
           f"{settings['replications']} replication(s) from seed {settings['seed']}"
           + (", with common random numbers, so that differences are paired run by run"
              if results.kind == "compare" else "")
           + f"; journeysim {html.escape(str(settings.get('version', '')))}.")
    rounded = config.rounded_staffing_line(settings.get("staffing_rounded", {}),
                                           settings["people"])
    if rounded:
        how += f"</p><p class='warning'>{html.escape(rounded)}"
    title = (f"journeysim: {' vs '.join(names)}" if results.kind == "compare"
             else f"journeysim: {names[0]}")
    return _page(title, f"""{answer_html(results)}
<h2>Headline measures</h2>
<p class="small">Mean over replications ± the half-width of its 95% interval; for each
scenario after the first, the paired difference from it. Off-flow counts claims that
began during the run.</p>
{headline_html(results)}
<h2>What was compared, and how</h2>
<p>{how}</p>
{''.join(described)}
{impacts_html(results)}
{waits_html(results)}
{cba_html(results)}
<h2>Figures</h2>
{_images(figures)}
<h2>What this model does not know</h2>
<ul>{limits}</ul>""")


def write_report(directory: Path, out: Path | None = None,
                 force: bool = False) -> tuple[Path, list[Path]]:
    """Write the report (default ``DIRECTORY/report.html``) and its figures as PNG and SVG.

    The figures go to ``figures/`` beside the report. A file already at one of
    these names is written over only if an earlier report wrote it (it carries
    :data:`MARK`) or ``force``; never a device, pipe, folder or link. Returns the
    report's path and the figures' paths.
    """
    results = load(directory)
    out = out or directory / "report.html"
    folder = out.parent / "figures"
    try:
        files.replaceable(out, MARK, force)
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
            raise files.FolderError(f"{folder} is not a folder; choose another --out")
        figures = make_figures(results)
        paths = {(stem, kind): folder / f"{stem}.{kind}" for stem in figures
                 for kind in ("png", "svg")}
        for path in paths.values():
            files.replaceable(path, MARK, force)
    except files.FolderError as err:
        raise ReportError(str(err)) from None
    folder.mkdir(parents=True, exist_ok=True)
    written = [files.write_atomic(path, figure_bytes(figures[stem][1], kind))
               for (stem, kind), path in paths.items()]
    files.write_atomic(out, render(results, figures))
    return out, written
