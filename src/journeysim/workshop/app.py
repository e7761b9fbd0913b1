"""The workshop page: Mesa's SolaraViz around two JourneyModels stepping together.

Served by ``journeysim workshop`` (``solara run journeysim.workshop.app``). The
co-design the levers are set on is ``$JOURNEYSIM_WORKSHOP_DESIGN`` (default
``codesign-full``). Every panel is a function of the :class:`Workshop` model;
SolaraViz wraps each in a component that redraws after every step.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable

import solara
from mesa.visualization import SolaraViz, make_plot_component

from journeysim.present import plots
from journeysim.workshop.state import (
    BY_ID,
    PERSONAS,
    Workshop,
    counter_rows,
    service_rows,
)

DESIGN = os.environ.get("JOURNEYSIM_WORKSHOP_DESIGN", "codesign-full")

MODEL_PARAMS = {
    "people": {"type": "SliderInt", "value": 1500, "label": "Claimants at the start",
               "min": 200, "max": 5000, "step": 100},
    "seed": {"type": "SliderInt", "value": 1, "label": "Seed (both sides)", "min": 1,
             "max": 99, "step": 1},
    "hub": {"type": "Checkbox", "value": True, "label": "Lever: a community hub"},
    "common_assessment": {"type": "Checkbox", "value": True,
                          "label": "Lever: one common assessment, shared"},
    "personal_budget": {"type": "SliderInt", "value": 500,
                        "label": "Lever: personal budget, GBP (0: none)", "min": 0,
                        "max": 3000, "step": 100},
    "post_employment": {"type": "Checkbox", "value": True,
                        "label": "Lever: support after a job starts"},
    "leakage": {"type": "SliderFloat", "value": 0.02,
                "label": "Lever: share of referrals lost on the way", "min": 0.0, "max": 0.5,
                "step": 0.01},
    "persona": {"type": "Select", "value": next(iter(PERSONAS)), "label": "Follow",
                "values": [*PERSONAS, BY_ID]},
    "person": {"type": "SliderInt", "value": 0, "label": "Person id (to follow by id)",
               "min": 0, "max": 5000, "step": 1},
    "design": DESIGN,
}


def _table(header: list[str], rows: list[list[str]]) -> None:
    """An HTML table (Solara's Markdown would fetch a maths renderer from the web)."""
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
                   for row in rows)
    solara.HTML(tag="table", unsafe_innerHTML=f"<thead><tr>{head}</tr></thead><tbody>{body}"
                "</tbody>", style="border-collapse: collapse; font-size: 0.9rem")


def _text(tag: str, text: str) -> None:
    solara.HTML(tag=tag, unsafe_innerHTML=html.escape(text))


def network(side: str) -> Callable[[Workshop], None]:
    """The service network of one side, on the scale both sides share."""

    def Network(model: Workshop) -> None:
        largest = max(float((t.people + t.waiting).max()) for t in model.counts.values())
        figure = plots.network_figure(side, model.counts[side], model.week, largest)
        solara.FigureMatplotlib(figure, format="png", dependencies=[model.week, id(model)])

    return Network


def Counters(model: Workshop) -> None:
    """The week, the live counters, and the count at every service, side by side."""
    with solara.Column():
        _text("h2", f"Week {model.week}")
        _table(["", *model.sides], counter_rows(model))
        _table(["service", *model.sides], service_rows(model))


def Journey(model: Workshop) -> None:
    """The followed person's journey so far, in both systems."""
    with solara.Column():
        _text("h3", f"Following {model.who}")
        if model.persona in PERSONAS:
            _text("p", PERSONAS[model.persona].story)
        with solara.Row():
            for name, journey in model.journeys.items():
                lines = journey or ["(nothing yet)"]
                items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
                solara.HTML(tag="div",
                            unsafe_innerHTML=f"<b>{html.escape(name)}</b><ul>{items}</ul>")


page = SolaraViz(
    Workshop(design=DESIGN),
    components=[
        (network("fragmented"), 0), (network("co-designed"), 0), (Counters, 0), (Journey, 0),
        make_plot_component({"still claiming (fragmented)": "black",
                             "still claiming (co-designed)": "grey"}),
        make_plot_component({"in work (fragmented)": "black",
                             "in work (co-designed)": "grey"}),
        make_plot_component({"cost to date (GBP m) (fragmented)": "black",
                             "cost to date (GBP m) (co-designed)": "grey"}),
    ],
    model_params=MODEL_PARAMS,
    name=f"journeysim workshop: fragmented (left) and {DESIGN} with your levers (right)",
    play_interval=400,
)
