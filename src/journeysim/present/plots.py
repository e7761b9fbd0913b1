"""Figures from tables: no I/O here, the caller saves them.

Every figure reads in greyscale: scenarios differ by line style, marker and
hatching as well as by shade, and every axis says its unit. Figures are made
without pyplot, so importing this module chooses no backend and a figure needs
no closing: saving one draws it with the renderer its format needs.
"""

from __future__ import annotations

import textwrap
import warnings
from itertools import product
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from journeysim.analysis.measures import OUTCOMES, ROUTES, SPELLS
from journeysim.analysis.registry import MAIN_DIFFERENCES, Measure, lookup
from journeysim.analysis.stats import t_half_width
from journeysim.present.tables import cell

#: One look per scenario, distinguishable without colour.
LOOKS = (
    {"color": "black", "linestyle": "-", "marker": "o", "hatch": ""},
    {"color": "0.45", "linestyle": "--", "marker": "s", "hatch": "///"},
    {"color": "0.70", "linestyle": ":", "marker": "^", "hatch": "..."},
    {"color": "0.25", "linestyle": "-.", "marker": "D", "hatch": "xxx"},
    {"color": "0.55", "linestyle": (0, (5, 1)), "marker": "v", "hatch": "\\\\\\"},
    {"color": "0.85", "linestyle": (0, (1, 1)), "marker": "P", "hatch": "ooo"},
    {"color": "0.35", "linestyle": (0, (3, 1, 1, 1)), "marker": "X", "hatch": "---"},
    {"color": "0.60", "linestyle": (0, (8, 2)), "marker": "*", "hatch": "+++"},
)
OUTCOME_SHADES = dict(zip(OUTCOMES, ("0.15", "0.45", "0.70", "0.88"), strict=True))


def _pounds(value: float, signed: bool = False) -> str:
    """GBP as the tables write it ("£309,332", "−£1,200"), "+" before a gain if ``signed``."""
    return ("+" if signed and round(value) > 0 else "") + cell(value, "GBP", 0)


@FuncFormatter
def _money_millions(value: float, _position: int) -> str:
    """An axis in £ millions: "£1.5m", "−£0.5m", "£0"."""
    if value == 0:
        return "£0"
    return f"{'−' if value < 0 else ''}£{abs(value):,.4g}m"


def look(i: int) -> dict[str, object]:
    """The look of the ``i``-th scenario."""
    return LOOKS[i % len(LOOKS)]


def _subplots(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float],
              **kwargs: Any) -> tuple[Figure, Any]:
    """A new figure and its axes (``Figure.subplots`` arguments), outside pyplot."""
    figure = Figure(figsize=figsize)
    return figure, figure.subplots(nrows, ncols, **kwargs)


def band(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean of each column and its 95% interval (Student t); no width for one row.

    NaN cells (a replication without that value) are left out of their column; a
    column with no value at all (a week no replication reached) is NaN and not
    drawn, without numpy's warning about it.
    """
    rows = np.asarray(rows, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns: NaN, as meant
        mean = np.nanmean(rows, axis=0)
        if rows.shape[0] < 2:
            return mean, mean, mean
        spread = np.nanstd(rows, axis=0, ddof=1)
    half = t_half_width(spread, np.sum(~np.isnan(rows), axis=0))
    return mean, mean - half, mean + half


def _banded_lines(axis: Axes, curves: dict[str, np.ndarray], markevery: int,
                  first: int = 0) -> None:
    """One line per scenario (in %, by week) with its 95% band over replications.

    ``first`` is the look of the first curve (the scenarios' order in the figure).
    """
    for i, (name, rows) in enumerate(curves.items(), start=first):
        mean, low, high = band(rows)
        weeks = np.arange(len(mean))
        style = look(i)
        axis.fill_between(weeks, 100 * low, 100 * high, color=style["color"], alpha=0.25,
                          linewidth=0)
        axis.plot(weeks, 100 * mean, color=style["color"], linestyle=style["linestyle"],
                  marker=style["marker"], markevery=markevery, label=name)


def off_flow_figure(curves: dict[str, np.ndarray]) -> Figure:
    """Share of new claims still open by week since the claim, and each design's difference.

    ``curves`` holds, per scenario, one row per replication of the Kaplan-Meier
    share still claiming at weeks 0, 1, 2, ...; the band is the 95% interval. With
    more than one scenario, a second panel shows each one's paired difference
    from the first, replication by replication (common random numbers), since the
    levels lie almost on one line.
    """
    compared = len(curves) > 1
    figure, axes = _subplots(2 if compared else 1, 1, figsize=(8.5, 7.8 if compared else 4.4),
                             squeeze=False)
    axis = axes[0, 0]
    _banded_lines(axis, curves, markevery=13)
    for week in (13, 26, 52):
        axis.axvline(week, color="0.8", linewidth=0.8, zorder=0)
    axis.set_xlabel("weeks since the claim began")
    axis.set_ylabel("new claims still open (%)")
    axis.set_ylim(0, 100)
    axis.set_xlim(0, None)
    axis.set_title("Share of new claims still open (Kaplan–Meier, 95% band)", loc="left",
                   fontsize=10)
    if compared:
        names = list(curves)
        base = np.asarray(curves[names[0]], dtype=float)
        gaps = {}
        for name in names[1:]:
            rows = np.asarray(curves[name], dtype=float)
            reps, weeks = min(len(rows), len(base)), min(rows.shape[1], base.shape[1])
            gaps[name] = rows[:reps, :weeks] - base[:reps, :weeks]
        right = axes[1, 0]
        _banded_lines(right, gaps, markevery=13, first=1)
        right.axhline(0, color="black", linewidth=0.8)
        for week in (13, 26, 52):
            right.axvline(week, color="0.8", linewidth=0.8, zorder=0)
        right.set_xlabel("weeks since the claim began")
        right.set_ylabel(f"difference from {names[0]} (points)")
        right.set_xlim(0, None)
        right.set_title(f"Difference from {names[0]}: below zero, people leave faster",
                        loc="left", fontsize=10)
    handles, labels = axis.get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)), frameon=False,
                  fontsize=9)
    figure.tight_layout(rect=(0, 0.05 if compared else 0.08, 1, 1))
    return figure


def _ribbon(axis: Axes, x0: float, x1: float, y0: tuple[float, float],
            y1: tuple[float, float], shade: str) -> None:
    """A band from the span ``y0`` at ``x0`` to the span ``y1`` at ``x1``, S-shaped."""
    t = np.linspace(0.0, 1.0, 40)
    ease = 3 * t ** 2 - 2 * t ** 3
    x = x0 + (x1 - x0) * t
    bottom = y0[0] + (y1[0] - y0[0]) * ease
    top = y0[1] + (y1[1] - y0[1]) * ease
    axis.fill_between(x, bottom, top, color=shade, alpha=0.55, linewidth=0.3,
                      edgecolor="black")


def _stack(sizes: dict[str, float], gap: float) -> dict[str, tuple[float, float]]:
    """Spans of blocks stacked from the top, with a gap between them."""
    spans, top = {}, 1.0 + gap * (len(sizes) - 1)
    for name, size in sizes.items():
        spans[name] = (top - size, top)
        top -= size + gap
    return spans


def _percent(share: float) -> str:
    return "<1%" if 0 < share < 0.005 else f"{100 * share:.0f}%"


def flow_figure(flows: dict[str, dict[str, float]]) -> Figure:
    """Where people went: claim, then the route through services, then where they ended.

    ``flows`` holds, per scenario, claimants by "route|outcome" (a mean over
    replications is fine). Ribbons are shaded by outcome. One scenario a row, the
    baseline first, drawn as wide as the report shows it so that its labels keep their
    size.
    """
    names = list(flows)
    figure, axes = _subplots(len(names), 1, figsize=(8.5, 3.6 * len(names)), squeeze=False)
    panels = list(zip(axes[:, 0], names, strict=True))
    for axis, name in panels:
        flow = flows[name]
        total = sum(flow.values()) or 1.0
        share = {key: value / total for key, value in flow.items()}
        by_route = {r: sum(v for k, v in share.items() if k.split("|")[0] == r) for r in ROUTES}
        by_outcome = {o: sum(v for k, v in share.items() if k.split("|")[1] == o)
                      for o in OUTCOMES}
        by_route = {k: v for k, v in by_route.items() if v > 0}
        by_outcome = {k: v for k, v in by_outcome.items() if v > 0}
        gap = 0.05
        routes, outcomes = _stack(by_route, gap), _stack(by_outcome, gap)
        middle = (1.0 + gap * (len(by_route) - 1)) / 2
        start = (middle - 0.5, middle + 0.5)
        top = start[1]
        for low, high in routes.values():
            _ribbon(axis, 0.08, 0.42, (top - (high - low), top), (low, high), "0.6")
            top -= high - low
        route_top = {route: span[1] for route, span in routes.items()}
        outcome_top = {outcome: span[1] for outcome, span in outcomes.items()}
        for route in routes:
            for outcome in outcomes:
                size = share.get(f"{route}|{outcome}", 0.0)
                if size <= 0:
                    continue
                _ribbon(axis, 0.50, 0.84, (route_top[route] - size, route_top[route]),
                        (outcome_top[outcome] - size, outcome_top[outcome]),
                        OUTCOME_SHADES[outcome])
                route_top[route] -= size
                outcome_top[outcome] -= size
        axis.bar(0.04, 1.0, bottom=start[0], width=0.08, color="0.3")
        axis.text(0.0, start[1] + 0.02, f"claimants\n{total:,.0f} people", fontsize=8,
                  va="bottom")
        label = {"boxstyle": "round,pad=0.15", "facecolor": "white", "alpha": 0.8,
                 "linewidth": 0}
        for route, (low, high) in routes.items():
            axis.bar(0.46, high - low, bottom=low, width=0.08, color="0.3")
            axis.text(0.415, (low + high) / 2, f"{route} {_percent(high - low)}", fontsize=8,
                      ha="right", va="center", bbox=label)
        for outcome, (low, high) in outcomes.items():
            axis.bar(0.88, high - low, bottom=low, width=0.08,
                     color=OUTCOME_SHADES[outcome], edgecolor="black")
            axis.text(0.93, (low + high) / 2, f"{outcome} {_percent(high - low)}",
                      fontsize=8, va="center")
        axis.set_xlim(-0.02, 1.25)
        axis.set_ylim(-0.05, 1.05 + gap * max(len(routes), len(outcomes)))
        axis.axis("off")
        axis.set_title(f"{name}: claim → services reached → at the end of the run "
                       "(share of claimants)", loc="left", fontsize=10)
    figure.tight_layout()
    return figure


def cycling_figure(spells: dict[str, np.ndarray], returns: dict[str, np.ndarray]) -> Figure:
    """Spells per claimant, and the share of job starts back on benefit by week since.

    ``spells``: per scenario, one row per replication of claimant shares with 1,
    2, 3 and 4+ spells. ``returns``: per scenario, one row per replication of the
    share of job starts followed by a new claim by weeks 0 to 26.
    """
    figure, (left, right) = _subplots(1, 2, figsize=(8.5, 4))
    width = 0.8 / max(len(spells), 1)
    for i, (name, rows) in enumerate(spells.items()):
        mean, low, high = band(rows)
        x = np.arange(len(SPELLS)) + (i - (len(spells) - 1) / 2) * width
        style = look(i)
        left.bar(x, 100 * mean, width=width, color=style["color"], hatch=style["hatch"],
                 edgecolor="black", label=name,
                 yerr=[100 * (mean - low), 100 * (high - mean)], capsize=2)
    left.set_xticks(np.arange(len(SPELLS)), SPELLS)
    left.set_xlabel("claim spells in the run")
    left.set_ylabel("claimants (%)")
    left.set_title("Claim spells per claimant", loc="left", fontsize=10)
    _banded_lines(right, returns, markevery=5)
    right.set_xlabel("weeks since the job started")
    right.set_ylabel("job starts followed by a new claim (%)")
    right.set_title("Time to return: back on benefit after a job", loc="left", fontsize=10)
    right.set_ylim(0, None)
    handles, labels = left.get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)),
                  frameon=False, fontsize=8)
    figure.tight_layout(rect=(0, 0.08, 1, 1))
    return figure


class Step(NamedTuple):
    """One bar of a cost waterfall: a change from the level so far, or a total (GBP)."""

    label: str
    gbp: float
    total: bool = False


def waterfall_figure(steps: dict[str, list[Step]]) -> Figure:
    """From the baseline's cost to each scenario's, one change at a time (GBP millions).

    ``steps`` holds, per scenario, its bars in order: a total stands on zero at its
    own value and the changes after it start from there; a total is labelled with
    its value and, after the first, its difference from the first.
    """
    figure, axes = _subplots(len(steps), 1, figsize=(8.5, 3.6 * len(steps)), squeeze=False)
    for axis, (name, items) in zip(axes[:, 0], steps.items(), strict=True):
        level, first = 0.0, next((s.gbp for s in items if s.total), 0.0)
        for i, step in enumerate(items):
            if step.total:
                axis.bar(i, step.gbp / 1e6, color="0.35", edgecolor="black")
                label = _pounds(step.gbp) + ("" if i == 0 else
                                             f"\n({_pounds(step.gbp - first, signed=True)})")
                axis.text(i, step.gbp / 1e6, label, ha="center", va="bottom", fontsize=9)
                level = step.gbp
                continue
            axis.bar(i, step.gbp / 1e6, bottom=level / 1e6,
                     color="white" if step.gbp < 0 else "0.6", edgecolor="black",
                     hatch="///" if step.gbp < 0 else "")
            axis.text(i, (level + max(step.gbp, 0)) / 1e6, _pounds(step.gbp, signed=True),
                      ha="center", va="bottom", fontsize=9)
            level += step.gbp
        axis.set_xticks(range(len(items)), [s.label for s in items], rotation=20, ha="right",
                        fontsize=9)
        axis.set_ylabel("£ millions over the run")
        axis.yaxis.set_major_formatter(_money_millions)
        axis.set_ylim(0, axis.get_ylim()[1] * 1.18)
        axis.set_title(f"Cost over the run (benefit and services): {items[0].label} → {name} "
                       "(hatched: savings)", loc="left", fontsize=10)
        axis.axhline(0, color="black", linewidth=0.6)
    figure.tight_layout()
    return figure


def partner_figure(partners: dict[str, pd.DataFrame]) -> Figure:
    """Who pays and who saves: present values by partner, one panel per scenario.

    ``partners`` holds, per scenario, rows of partner label, ``pv_benefits`` and
    ``pv_costs`` (GBP); bars show benefits right and costs left, a mark the NPV.
    """
    figure, axes = _subplots(len(partners), 1, figsize=(8.5, 1.3 + 0.42 * max(
        (len(p) for p in partners.values()), default=1) * len(partners)), squeeze=False,
        sharex=True)
    for axis, (name, table) in zip(axes[:, 0], partners.items(), strict=True):
        y = np.arange(len(table))
        axis.barh(y, table.pv_benefits / 1e6, color="0.75", edgecolor="black",
                  label="present value of benefits")
        axis.barh(y, -table.pv_costs / 1e6, color="white", edgecolor="black", hatch="///",
                  label="present value of extra costs")
        axis.plot((table.pv_benefits - table.pv_costs) / 1e6, y, "kD", label="net present value")
        axis.set_yticks(y, table.partner)
        axis.invert_yaxis()
        axis.axvline(0, color="black", linewidth=0.6)
        axis.xaxis.set_major_formatter(_money_millions)
        axis.set_title(f"{name}: who pays and who saves, against the baseline", loc="left",
                       fontsize=10)
    axes[-1, 0].set_xlabel("present value, £ millions (the same scale in every panel)")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=3, frameon=False, fontsize=8)
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    return figure


def tornado_figure(ranges: dict[str, pd.DataFrame], central: dict[str, float]) -> Figure:
    """What moves the society NPV most: one bar per uncertain value, one panel per scenario.

    ``ranges`` holds, per scenario, rows of ``parameter``, ``low``, ``high``,
    ``npv_society_low`` and ``npv_society_high`` (GBP), largest swing first;
    ``central`` its society NPV in the central case. Each bar runs from the NPV
    with the value at its low end (light) to the NPV at its high end (dark,
    hatched), through the central case (a solid line); each end says the value.
    """
    rows = max((len(r) for r in ranges.values()), default=1)
    figure, axes = _subplots(len(ranges), 1, figsize=(8.5, 1.1 + 0.4 * rows * len(ranges)),
                             squeeze=False)
    for axis, (name, table) in zip(axes[:, 0], ranges.items(), strict=True):
        middle = central[name] / 1e6
        y = np.arange(len(table))
        for end, shade, hatch in (("low", "0.85", ""), ("high", "0.35", "///")):
            npv = table[f"npv_society_{end}"].to_numpy() / 1e6
            axis.barh(y, npv - middle, left=middle, color=shade, hatch=hatch,
                      edgecolor="black", label=f"value at its {end} end")
            for row, (x, setting) in enumerate(zip(npv, table[end], strict=True)):
                axis.annotate(f"{setting:g}", (x, row), xytext=(3 if x >= middle else -3, 0),
                              textcoords="offset points", va="center", fontsize=8,
                              ha="left" if x >= middle else "right")
        axis.axvline(middle, color="black", linewidth=1.2)
        axis.axvline(0, color="black", linewidth=0.6, linestyle=":")
        axis.set_yticks(y, table.parameter)
        axis.invert_yaxis()
        axis.margins(x=0.12)
        axis.set_xlabel("society NPV, £ millions (dotted: zero)")
        sign = "−" if middle < 0 else ""
        axis.set_title(f"{name}: what moves the society NPV (central case "
                       f"{sign}£{abs(middle):,.2f}m, solid line)", loc="left", fontsize=10)
        axis.xaxis.set_major_formatter(_money_millions)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=2, frameon=False, fontsize=8)
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    return figure


def fragmentation_figure(segments: dict[str, pd.DataFrame]) -> Figure:
    """Agencies touched and assessments per claimant, by segment and scenario.

    ``segments`` holds, per scenario, a table indexed by segment with columns
    ``agencies`` and ``assessments`` (means per claimant).
    """
    figure, axes = _subplots(1, 2, figsize=(8.5, 4.2))
    names = sorted(set().union(*(set(t.index) for t in segments.values())))
    width = 0.8 / max(len(segments), 1)
    for axis, column, label in ((axes[0], "agencies", "agencies touched per claimant"),
                                (axes[1], "assessments", "assessments per claimant")):
        for i, (name, table) in enumerate(segments.items()):
            style = look(i)
            values = table.reindex(names)[column].fillna(0.0)
            x = np.arange(len(names)) + (i - (len(segments) - 1) / 2) * width
            axis.bar(x, values, width=width, color=style["color"], hatch=style["hatch"],
                     edgecolor="black", label=name)
        axis.set_xticks(np.arange(len(names)), [n.replace("_", " ") for n in names],
                        rotation=30, ha="right", fontsize=8)
        axis.set_ylabel(label)
        axis.set_title(label[0].upper() + label[1:] + ", by segment", loc="left", fontsize=10)
    handles, labels = axes[0].get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=min(4, len(labels)),
                  frameon=False, fontsize=8)
    figure.tight_layout(rect=(0, 0.07, 1, 1))
    return figure


#: What a timeline draws for each event: marker and the lane it goes in.
TIMELINE_MARKS = {
    "referral": ("o", "referred"), "handoff": ("s", "arrives"),
    "referral_lost": ("X", "referral lost"), "assessment": ("^", "assessed"),
    "intervention": ("d", "adviser session"), "contact": ("P", "first contact"),
    "episode_end": ("*", "episode ends"), "purchase": ("p", "budget buys help"),
    "sanction": ("v", "sanction"), "payment": ("$", "provider paid"),
    "interview": ("h", "interview"), "post_employment": ("H", "in-work support"),
    "declined": ("x", "offer not taken"),
}


def timeline_figure(events: pd.DataFrame, title: str, weeks: float) -> Figure:
    """One person's journey: claims and jobs as bars, services as lanes of marks.

    ``events`` is the person's rows of the event log.
    """
    lanes = ["benefit", "work"] + [s for s in dict.fromkeys(events.service.astype(str))
                                   if s not in ("benefit", "employer", "")]
    figure, axis = _subplots(figsize=(9, 1.2 + 0.42 * len(lanes)))
    y = {lane: i for i, lane in enumerate(lanes)}
    for lane, (begin, finish), shade in (("benefit", ("claim_start", "claim_end"), "0.75"),
                                          ("work", ("job_start", "job_end"), "0.3")):
        starts = events.day[events.event == begin]
        ends = list(events.day[events.event == finish]) + [weeks * 7.0] * len(starts)
        for start, end in zip(starts, ends, strict=False):  # still open: to the end
            axis.barh(y[lane], (end - start) / 7, left=start / 7, height=0.5, color=shade,
                      edgecolor="black")
    shown = set()
    for event in events.itertuples():
        if event.event not in TIMELINE_MARKS or str(event.service) not in y:
            continue
        marker, label = TIMELINE_MARKS[event.event]
        axis.plot(event.day / 7, y[str(event.service)], marker=marker, color="black",
                  markerfacecolor="white" if event.event == "referral_lost" else "0.4",
                  linestyle="none", markersize=8,
                  label=None if label in shown else label)
        shown.add(label)
    axis.set_yticks(range(len(lanes)), [lane.replace("_", " ") for lane in lanes])
    axis.invert_yaxis()
    axis.set_xlim(0, weeks)
    axis.set_xlabel("week of the run")
    axis.set_title(title, loc="left", fontsize=10)
    if shown:
        axis.legend(frameon=False, fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.tight_layout()
    return figure


def sensitivity_figure(indices: pd.DataFrame) -> Figure:
    """Bars of each parameter's index, one panel per measure, with confidence whiskers.

    Morris tables show mu* (the mean absolute elementary effect, in the measure's
    own units); Sobol tables show the total-order index ST (share of variance).
    """
    morris = "mu_star" in indices.columns
    value, conf = ("mu_star", "mu_star_conf") if morris else ("ST", "ST_conf")
    measures = list(dict.fromkeys(indices.measure))
    figure, axes = _subplots(len(measures), 1, figsize=(7, 1.2 + 1.6 * len(measures)),
                                squeeze=False)
    for axis, measure in zip(axes[:, 0], measures, strict=True):
        rows = indices[indices.measure == measure]
        axis.barh(rows.parameter, rows[value], xerr=rows[conf], color="0.55",
                  edgecolor="black", capsize=3)
        axis.set_title(measure, fontsize=10, loc="left")
        axis.set_xlabel("mu* (units of the measure)" if morris else "total-order Sobol index")
        axis.invert_yaxis()
    figure.tight_layout()
    return figure


#: How far outside its band (in band widths) a validation figure is drawn; beyond, at the edge.
VALIDATION_REACH = (-2.0, 3.0)


def validation_figure(table: pd.DataFrame) -> Figure:
    """Where the model lands in each figure's band: targets and checks, one row each.

    ``table`` is the validation table (``validation.csv``). Each band is scaled to
    run from 0 (its low end) to 1 (its high end), so figures in any unit share an
    axis: the grey bar is the band, the open diamond the observed value, the dot
    the model's mean over the seeds with its 95% interval (a cross outside the band).
    Values further out than ``VALIDATION_REACH`` are drawn at its edge.
    """
    rows = table.iloc[::-1].reset_index(drop=True)
    width = (rows.high - rows.low).where(rows.high > rows.low, 1.0)

    def scaled(values: pd.Series) -> np.ndarray:
        return np.clip(((values - rows.low) / width).to_numpy(dtype=float), *VALIDATION_REACH)

    model, observed = scaled(rows.model), scaled(rows.value)
    low = scaled(rows.model - rows.half_width.fillna(0.0))
    high = scaled(rows.model + rows.half_width.fillna(0.0))
    inside = (rows.verdict == "pass").to_numpy()
    figure, axis = _subplots(figsize=(9.0, 1.2 + 0.3 * len(rows)))
    y = np.arange(len(rows))
    axis.barh(y, 1.0, left=0.0, height=0.6, color="0.85", edgecolor="0.6", linewidth=0.5,
              label="band")
    axis.hlines(y, low, high, color="black", linewidth=1.2)
    axis.plot(observed, y, linestyle="none", marker="D", markerfacecolor="white",
              markeredgecolor="black", label="observed")
    axis.plot(model[inside], y[inside], linestyle="none", marker="o", color="black",
              label="model, inside the band")
    axis.plot(model[~inside], y[~inside], linestyle="none", marker="X", markersize=9,
              color="black", label="model, outside the band")
    axis.set_yticks(y, [f"{row.id} ({row.kind})" for row in rows.itertuples()])
    axis.set_xlim(VALIDATION_REACH[0] - 0.1, VALIDATION_REACH[1] + 0.1)
    axis.set_xlabel("position in the band (0: its low end, 1: its high end; "
                    f"drawn from {VALIDATION_REACH[0]:g} to {VALIDATION_REACH[1]:g})")
    axis.set_title("Validation: the model against each target's and check's band",
                   loc="left", fontsize=10)
    axis.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.tight_layout()
    return figure


def _shown(names: pd.Series, order: tuple[str, ...]) -> list[str]:
    """The names of ``order`` found in ``names``, in that order; all found if none is."""
    present = list(dict.fromkeys(names.astype(str)))
    wanted = [name for name in order if name in present]
    return wanted or present


def _axis_unit(axis: Axes, unit: str, which: str = "x") -> str:
    """Tick labels for a difference in ``unit``; returns the words for the axis label."""
    ticks = axis.xaxis if which == "x" else axis.yaxis
    if unit == "share":
        ticks.set_major_formatter(FuncFormatter(lambda v, _: f"{100 * v:g}".replace("-", "−")))
        return "percentage points"
    if unit == "GBP":
        ticks.set_major_formatter(FuncFormatter(
            lambda v, _: ("−" if round(v) < 0 else "") + f"£{abs(v):,.0f}"))
        return "GBP"
    return "ratio" if unit == "number" else unit


def _interval_panel(axis: Axes, rows: pd.DataFrame, m: Measure) -> None:
    """One measure's differences: a design per row, full and Monte Carlo intervals."""
    y = np.arange(len(rows))
    full = rows[["low", "high"]].to_numpy(dtype=float)
    noise = rows[["mc_low", "mc_high"]].to_numpy(dtype=float)
    axis.barh(y, full[:, 1] - full[:, 0], left=full[:, 0], height=0.5, color="0.82",
              edgecolor="black", linewidth=0.6)
    axis.barh(y, noise[:, 1] - noise[:, 0], left=noise[:, 0], height=0.16, color="0.15")
    axis.plot(rows["mean"], y, linestyle="none", marker="D", markersize=6,
              markerfacecolor="white", markeredgecolor="black", zorder=3)
    axis.axvline(0, color="black", linewidth=0.8, linestyle="--", zorder=2.5)
    for row, (mean, high) in enumerate(zip(rows["mean"], full[:, 1], strict=True)):
        end = mean if np.isnan(high) else high
        axis.annotate(cell(mean, m.unit, m.digits, difference=True),
                      (0.0 if np.isnan(end) else end, row), xytext=(4, 0),
                      textcoords="offset points", va="center", fontsize=8)
    axis.set_yticks(y, rows.scenario.astype(str))
    axis.set_ylim(len(rows) - 0.4, -0.6)
    axis.use_sticky_edges = False  # room for the values beside the bars
    axis.margins(x=0.22)
    axis.xaxis.set_major_locator(MaxNLocator(5))
    axis.set_xlabel(f"difference from the baseline, {_axis_unit(axis, m.unit)}", fontsize=8)
    axis.tick_params(labelsize=8)
    axis.set_title(m.label, loc="left", fontsize=10)


def uncertainty_intervals_figure(
        table: pd.DataFrame, measures: tuple[str, ...] = MAIN_DIFFERENCES) -> Figure:
    """Each design's difference from the baseline, with what the evidence allows.

    ``table`` is an uncertainty table (``uncertainty.csv``); its ``difference``
    rows are drawn, one panel per measure of ``measures`` present (every measure
    when none is). Per design: the mean (diamond, its value beside), the 95%
    interval over parameters and simulation (wide, light) and the Monte Carlo-only
    interval (thin, dark); dashed: no difference.
    """
    rows = table[table.kind == "difference"]
    names = _shown(rows.measure, measures) if len(rows) else []
    designs = max(rows.scenario.nunique(), 1) if len(rows) else 1
    figure, axes = _subplots(max(len(names), 1), 1, figsize=(8.0, 0.6 + (
        1.0 + 0.45 * designs) * max(len(names), 1)), squeeze=False)
    for axis, name in zip(axes[:, 0], names, strict=False):
        _interval_panel(axis, rows[rows.measure == name], lookup(name))
    if not names:
        axes[0, 0].axis("off")
        axes[0, 0].text(0.5, 0.5, "no design differences in the table", ha="center")
    handles = [Patch(facecolor="0.82", edgecolor="black",
                     label="95% interval: parameters and simulation"),
               Patch(facecolor="0.15", label="95% interval: simulation only"),
               Line2D([], [], linestyle="none", marker="D", markerfacecolor="white",
                      markeredgecolor="black", label="mean"),
               Line2D([], [], color="black", linestyle="--", linewidth=0.8,
                      label="no difference")]
    figure.legend(handles=handles, loc="lower center", ncol=4, frameon=False, fontsize=8)
    figure.tight_layout(rect=(0, 0.4 / figure.get_figheight(), 1, 1))
    return figure


def _tornado_panel(axis: Axes, rows: pd.DataFrame, chance_level: float | None) -> bool:
    """Bars of first-order (and, beside, total) shares, largest first; True if totals."""
    y = np.arange(len(rows))
    first = 100 * rows.first_order.to_numpy(dtype=float)
    total = 100 * rows.total.to_numpy(dtype=float)
    totals = bool(np.any(~np.isnan(total)))
    offset, height = (0.2, 0.38) if totals else (0.0, 0.6)
    axis.barh(y - offset, first, height=height, color="0.3", edgecolor="black",
              xerr=100 * rows.first_order_conf.fillna(0.0), capsize=2)
    if totals:
        axis.barh(y + offset, total, height=height, color="0.85", edgecolor="black",
                  hatch="///", xerr=100 * rows.total_conf.fillna(0.0), capsize=2)
    if chance_level is not None:
        axis.axvline(100 * chance_level, color="black", linestyle="--", linewidth=0.9)
    axis.axvline(0, color="black", linewidth=0.6)
    axis.set_yticks(y, rows.parameter.astype(str), fontsize=8)
    axis.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    axis.tick_params(axis="x", labelsize=8)
    return totals


def drivers_figure(drivers: pd.DataFrame, chance_level: float | None = None,
                   top: int = 8, measures: tuple[str, ...] = MAIN_DIFFERENCES) -> Figure:
    """What drives each difference: a tornado of the ``top`` parameters per design and measure.

    ``drivers`` is a drivers table (``drivers.csv``). Designs are columns and
    measures rows; each panel's bars are the first-order share of the
    difference's variance (dark, largest first) and, beside it when the method
    gives one, the total index (hatched), with their confidence whiskers. The
    dashed line is ``chance_level``, the share a parameter with no effect passes
    by chance one time in twenty.
    """
    rows = drivers.dropna(subset=["first_order"])
    designs = list(dict.fromkeys(rows.scenario.astype(str))) or [""]
    names = _shown(rows.measure, measures) if len(rows) else [""]
    figure, axes = _subplots(len(names), len(designs), figsize=(
        min(7.8, 0.8 + 4.4 * len(designs)), 0.7 + (0.8 + 0.24 * top) * len(names)),
        squeeze=False, sharex=True)
    totals = False
    for (i, name), (j, design) in product(enumerate(names), enumerate(designs)):
        mine = rows[(rows.scenario.astype(str) == design) & (rows.measure == name)]
        mine = mine.sort_values("first_order", ascending=False, kind="stable").head(top)
        totals |= _tornado_panel(axes[i, j], mine, chance_level)
        axes[i, j].set_title(textwrap.fill(f"{design}: {lookup(name).label}", 52), loc="left",
                             fontsize=9)
    for axis in axes[-1]:
        axis.set_xlabel("share of the difference's variance (%)", fontsize=8)
    handles = [Patch(facecolor="0.3", edgecolor="black", label="first order (alone)")]
    if totals:
        handles.append(Patch(facecolor="0.85", edgecolor="black", hatch="///",
                             label="total (with interactions)"))
    if chance_level is not None:
        handles.append(Line2D([], [], color="black", linestyle="--", linewidth=0.9,
                              label=f"passed by chance 1 time in 20 ({100 * chance_level:.1f}%)"))
    figure.legend(handles=handles, loc="lower center", ncol=3, frameon=False, fontsize=8)
    figure.tight_layout(rect=(0, 0.4 / figure.get_figheight(), 1, 1))
    return figure


def acceptability_figure(designs: dict[str, dict]) -> Figure:
    """Cost-effectiveness acceptability curves, one line per design.

    ``designs`` holds, per design, its entry of ``uncertainty.json``: the
    ``acceptability`` list of ``willingness_to_pay`` (GBP per extra sustained
    job) and ``probability`` (0 to 1) that the design is worth its cost at that
    price.
    """
    figure, axis = _subplots(figsize=(7.5, 4.2))
    for i, (name, design) in enumerate(designs.items()):
        curve = pd.DataFrame(design.get("acceptability", []),
                             columns=["willingness_to_pay", "probability"])
        style = look(i)
        axis.plot(curve.willingness_to_pay, curve.probability, color=style["color"],
                  linestyle=style["linestyle"], marker=style["marker"],
                  markevery=max(len(curve) // 8, 1), label=name)
    axis.axhline(0.5, color="0.8", linewidth=0.8, zorder=0)
    axis.xaxis.set_major_locator(MaxNLocator(6))
    _axis_unit(axis, "GBP")
    axis.set_xlim(0, None)
    axis.set_ylim(-0.02, 1.02)  # a curve at 0 or 1 stays in sight, not under the frame
    axis.set_xlabel("willingness to pay for one extra person in sustained work (GBP)")
    axis.set_ylabel("probability worth the Exchequer's cost")
    axis.set_title("Cost-effectiveness acceptability: chance each design is worth it",
                   loc="left", fontsize=10)
    axis.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.tight_layout()
    return figure
