"""Light pictures for a live screen: the service network and small line charts, as SVG text.

The workshop redraws every week; Matplotlib took seconds a week for what these
write in milliseconds. They read the workshop's tables and lay the
network out by :func:`network_places`.
"""

from __future__ import annotations

import html
import math

import pandas as pd

#: Where each node of the workshop's network diagram sits (x, y in 0..1).
NETWORK_PLACES = {
    "jobcentre": (0.12, 0.55), "outreach": (0.02, 0.06), "hub": (0.30, 0.84),
    "work_programme": (0.64, 0.94), "flexible_new_deal": (0.84, 0.94),
    "pathways_to_work": (0.46, 0.94),
    "personal_budget": (0.36, 0.12),
    "family_budget": (0.64, 0.02), "troubled_families": (0.82, 0.06),
    "specialist services": (0.50, 0.62),
    "work measures": (0.74, 0.28), "employers": (0.94, 0.62),
}
#: Services shown together as "work measures"; any other service not
#: in ``NETWORK_PLACES`` is one of the "specialist services".
WORK_MEASURES = frozenset({
    "work_club", "work_experience", "volunteering", "enterprise", "mentoring",
    "better_off_calculation", "employer_gateway", "future_jobs_fund", "apprenticeships"})


def network_nodes(table: pd.DataFrame) -> pd.DataFrame:
    """The diagram's nodes: services by name, the specialists and work measures summed.

    A room cannot read thirteen specialist services on a projector; the table
    beside the diagram has each one.
    """
    group = [s if s in NETWORK_PLACES else "work measures" if s in WORK_MEASURES
             else "specialist services" for s in table.service]
    nodes = table.assign(service=group).groupby("service", sort=False)[
        ["people", "waiting"]].sum().reset_index()
    return nodes


#: Grey levels of the series of a line chart, and their dash patterns.
SERIES = (("#111111", ""), ("#777777", "8 4"), ("#444444", "2 3"))


def _text(x: float, y: float, body: str, size: int, anchor: str = "middle",
          weight: str = "normal") -> str:
    """Text with a white halo, so it stays readable over lines and circles."""
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" paint-order="stroke" stroke="white" stroke-width="4" '
            f'fill="#111">{html.escape(body)}</text>')


def network_svg(name: str, table: pd.DataFrame, week: int, largest: float,
                width: int = 500, height: int = 300) -> str:
    """One system's service network: people with each service (a disc), and waiting (a ring).

    ``table`` has rows of ``service``, ``people`` and ``waiting``; specialist
    services and work measures are drawn as one node each (:func:`network_nodes`).
    A disc's area grows with its people on a scale where ``largest`` fills the
    biggest (give both sides the same ``largest``); a dashed ring around it holds
    those waiting. Labels sit beside or below the discs, never under them.
    """
    nodes = network_nodes(table)
    top, bottom, side = 34, 46, 60
    biggest = min(width, height) * 0.12

    def at(service: str) -> tuple[float, float]:
        x, y = NETWORK_PLACES[service]
        return side + x * (width - 2 * side), top + (1.0 - y) * (height - top - bottom)

    def radius(count: float) -> float:
        return 4.0 + biggest * math.sqrt(max(count, 0.0) / max(largest, 1.0))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{html.escape(name)} network, week {week}" '
             'style="width:100%;max-width:700px;height:auto;font-family:sans-serif">',
             _text(4, 22, f"{name}: people with each service", 19, "start", "bold")]
    for service in nodes.service:
        if service not in ("jobcentre", "employers"):
            for end in ("jobcentre", "employers"):
                (x0, y0), (x1, y1) = at(service), at(end)
                parts.append(f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" '
                             'stroke="#d0d0d0" stroke-width="1.5"/>')
    for row in nodes.itertuples():
        x, y = at(row.service)
        if row.waiting:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" '
                         f'r="{radius(row.people + row.waiting):.1f}" fill="white" '
                         'stroke="#111" stroke-dasharray="4 3"/>')
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius(row.people):.1f}" '
                     'fill="#555" stroke="#111"/>')
    for row in nodes.itertuples():
        x, y = at(row.service)
        below = y + radius(row.people + row.waiting) + 18
        count = f"{row.people:,}" + (f" (+{row.waiting:,} waiting)" if row.waiting else "")
        parts += [_text(x, below, row.service.replace("_", " "), 17),
                  _text(x, below + 19, count, 17, weight="bold")]
    parts.append("</svg>")
    return "".join(parts)


#: Text sizes of a line chart (in its own units: it is drawn about 300 px wide at
#: 1280x720, where these come to 14-16 px on the screen).
CHART_TEXT, CHART_TITLE = 20, 22


def lines_svg(title: str, series: dict[str, list[float]], unit: str = "",
              width: int = 420, height: int = 190) -> str:
    """A small line chart: one line per series by week, a key below it."""
    left, right, top, bottom = 66, 12, 40, 50
    values = [v for line in series.values() for v in line]
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    low = min(low, 0.0)
    high = high if high > low else low + 1.0
    weeks = max((len(line) for line in series.values()), default=1)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = left + (width - left - right) * i / max(weeks - 1, 1)
        y = top + (height - top - bottom) * (1.0 - (v - low) / (high - low))
        return x, y

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{html.escape(title)}" '
             'style="width:100%;max-width:640px;height:auto;font-family:sans-serif">',
             _text(4, 22, title, CHART_TITLE, "start", "bold")]
    base = height - bottom
    parts.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" '
                 'stroke="#888"/>')
    for v in (low, high):
        _, y = xy(0, v)
        parts.append(_text(left - 6, y + 7, f"{v:,.0f}{unit}" if high >= 10 else
                           f"{v:,.2f}{unit}", CHART_TEXT, "end"))
    parts.append(_text(width - right, base + 20, f"week {weeks - 1}", CHART_TEXT, "end"))
    for k, (name, line) in enumerate(series.items()):
        colour, dash = SERIES[k % len(SERIES)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(line)))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="2.5" stroke-dasharray="{dash}"/>')
        lx = 4 + k * width / max(len(series), 1)
        parts.append(f'<line x1="{lx:.1f}" y1="{height - 10}" x2="{lx + 26:.1f}" '
                     f'y2="{height - 10}" stroke="{colour}" stroke-width="3" '
                     f'stroke-dasharray="{dash}"/>')
        parts.append(_text(lx + 30, height - 3, name, CHART_TEXT, "start"))
    parts.append("</svg>")
    return "".join(parts)
