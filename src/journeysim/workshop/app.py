"""The workshop page: two JourneyModels stepping together, drawn for a room.

Served by ``journeysim workshop`` (``solara run journeysim.workshop.app``). The
co-design the levers are set on is ``$JOURNEYSIM_WORKSHOP_DESIGN`` (default
``codesign-full``). Each browser gets its own :class:`Workshop`. Every panel is
drawn from it as HTML or SVG text (:mod:`journeysim.present.svg`), so a week
draws in a fraction of the time the simulation takes; every control shows its
value and unit; text is at least 16 px, for a projector.
"""

from __future__ import annotations

import html
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
import solara

from journeysim.present.svg import lines_svg, network_svg
from journeysim.workshop.state import (
    BY_ID,
    PERSONAS,
    WEEKS,
    Workshop,
    counter_rows,
    service_rows,
)

DESIGN = os.environ.get("JOURNEYSIM_WORKSHOP_DESIGN", "codesign-full")
#: Seconds each week stays on screen while playing (at most: drawing takes part of it).
PLAY_SECONDS = 0.5
#: The page's own look: large type for a projector, panels that never overlap.
STYLE = """
.js-page { font-size: 17px; line-height: 1.35; font-family: sans-serif; }
.js-page table { border-collapse: collapse; font-size: 17px; }
.js-page td, .js-page th { padding: 2px 10px 2px 0; text-align: left; }
.js-page td + td { text-align: right; }
.js-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; align-items: start; }
.js-panel { min-width: 0; overflow: hidden; }
.js-charts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; }
.js-value { font-weight: bold; }
.js-controls { font-size: 16px; }
.js-page .v-btn, .js-page .v-label, .js-page .v-select__selection,
.js-page .v-list-item__title, .js-page input { font-size: 16px !important; }
"""


@dataclass(frozen=True)
class Levers:
    """The trainer's settings: a new pair of systems is built from them."""

    people: int = 1500
    seed: int = 1
    hub: bool = True
    common_assessment: bool = True
    personal_budget: int = 500
    post_employment: bool = True
    leakage: float = 0.02

    def build(self, persona: str, person: int) -> Workshop:
        """The two systems these settings give, following ``persona``."""
        return Workshop(people=self.people, seed=self.seed, hub=self.hub,
                        common_assessment=self.common_assessment,
                        personal_budget=self.personal_budget,
                        post_employment=self.post_employment, leakage=self.leakage,
                        persona=persona, person=person, design=DESIGN)


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _series(model: Workshop, frame: pd.DataFrame, measure: str) -> dict[str, list[float]]:
    return {side: frame[f"{measure} ({side})"].tolist() for side in model.sides}


@solara.component
def Control(label: str, shown: str) -> None:
    """A control's name and its value with its unit, above the control itself."""
    solara.HTML(tag="div", unsafe_innerHTML=f"{html.escape(label)}: <span class='js-value'>"
                f"{html.escape(shown)}</span>")


@solara.component
def Controls(levers: solara.Reactive[Levers], persona: solara.Reactive[str],
             person: solara.Reactive[int], on_start: Callable[[], None],
             on_follow: Callable[[str, int], None]) -> None:
    """The sidebar: the levers (they apply when the weeks start again) and who to follow."""
    current = levers.value

    def change(**update: object) -> None:
        levers.value = replace(current, **update)

    with solara.Column(classes=["js-controls"], style={"gap": "6px"}):
        solara.HTML(tag="h3", unsafe_innerHTML="Levers of the co-designed side")
        Control("Claimants at the start", f"{current.people:,} people")
        solara.SliderInt("", value=current.people, min=200, max=5000, step=100,
                         on_value=lambda v: change(people=v), thumb_label=False)
        Control("Seed (both sides)", f"{current.seed}")
        solara.SliderInt("", value=current.seed, min=1, max=99,
                         on_value=lambda v: change(seed=v), thumb_label=False)
        solara.Checkbox(label=f"A community hub: {'on' if current.hub else 'off'}",
                        value=current.hub, on_value=lambda v: change(hub=v))
        solara.Checkbox(label="One assessment, shared: "
                        f"{'on' if current.common_assessment else 'off'}",
                        value=current.common_assessment,
                        on_value=lambda v: change(common_assessment=v))
        Control("Personal budget", f"£{current.personal_budget:,}" if current.personal_budget
                else "none")
        solara.SliderInt("", value=current.personal_budget, min=0, max=3000, step=100,
                         on_value=lambda v: change(personal_budget=v),
                         thumb_label=False)
        solara.Checkbox(label="Support after a job starts: "
                        f"{'on' if current.post_employment else 'off'}",
                        value=current.post_employment,
                        on_value=lambda v: change(post_employment=v))
        Control("Referrals lost on the way", f"{100 * current.leakage:.0f}%")
        solara.SliderFloat("", value=current.leakage, min=0.0, max=0.5, step=0.01,
                           on_value=lambda v: change(leakage=v), thumb_label=False)
        solara.Button("Start again", on_click=on_start, color="primary")
        solara.HTML(tag="div", unsafe_innerHTML="(the levers apply when the weeks start again)")
        solara.HTML(tag="h3", unsafe_innerHTML="Follow one person")
        solara.Select(label="Whose journey", values=[*PERSONAS, BY_ID], value=persona.value,
                      on_value=lambda v: on_follow(v, person.value))
        if persona.value == BY_ID:
            Control("Person id", f"{person.value}")
            solara.SliderInt("", value=person.value, min=0, max=5000, thumb_label=False,
                             on_value=lambda v: on_follow(persona.value, v))


@solara.component
def Page() -> None:
    """The whole screen: controls, both networks, counters, services, charts, a journey."""
    levers = solara.use_reactive(Levers())
    persona = solara.use_reactive(next(iter(PERSONAS)))
    person = solara.use_reactive(0)
    model = solara.use_reactive(solara.use_memo(
        lambda: Levers().build(persona.value, person.value), []))
    week = solara.use_reactive(model.value.week)
    playing = solara.use_reactive(False)
    drawn = solara.use_reactive(0.0)  # seconds the last week took, simulation and drawing

    def next_week() -> None:
        start = time.monotonic()
        model.value.step()
        week.value = model.value.week
        drawn.value = time.monotonic() - start

    def play() -> None:
        while playing.value and model.value.week < WEEKS:
            start = time.monotonic()
            next_week()
            time.sleep(max(0.0, PLAY_SECONDS - (time.monotonic() - start)))
        playing.value = False

    solara.lab.use_task(play, dependencies=[playing.value], prefer_threaded=True)

    def start_again() -> None:
        playing.value = False
        model.value = levers.value.build(persona.value, person.value)
        week.value = model.value.week

    def follow(who: str, pid: int) -> None:
        persona.value, person.value = who, pid

    current = model.value
    if current.persona != persona.value or (persona.value == BY_ID
                                            and current.followed != person.value):
        current.follow(persona.value, person.value)  # someone else, from this week on
    solara.Style(STYLE)
    with solara.Row(classes=["js-page"], style={"align-items": "flex-start", "gap": "16px",
                                                "padding": "8px"}):
        with solara.Column(style={"width": "290px", "flex": "none"}):
            Controls(levers, persona, person, start_again, follow)
        with solara.Column(style={"flex": "1", "min-width": "0", "gap": "10px"}):
            with solara.Row(style={"align-items": "center", "gap": "12px"}):
                solara.HTML(tag="h2", unsafe_innerHTML=f"Week {week.value}",
                            style="margin: 0; white-space: nowrap")
                solara.Button("Next week", on_click=next_week, color="primary",
                              disabled=playing.value or current.week >= WEEKS)
                solara.Button("Pause" if playing.value else "Play (a week every "
                              f"{PLAY_SECONDS:g} s)",
                              on_click=lambda: playing.set(not playing.value),
                              disabled=current.week >= WEEKS)
                solara.HTML(tag="span", unsafe_innerHTML=html.escape(
                    f"left: fragmented; right: {DESIGN} with your levers (last week took "
                    f"{drawn.value:.2f} s)"))
            largest = max(float((t.people + t.waiting).max()) for t in current.counts.values())
            with solara.Div(classes=["js-grid"]):
                for side in current.sides:
                    solara.HTML(tag="div", unsafe_innerHTML=network_svg(
                        side, current.counts[side], current.week, largest),
                        classes=["js-panel"], attributes={"data-panel": f"network-{side}"})
            with solara.Div(classes=["js-grid"]):
                solara.HTML(tag="div", unsafe_innerHTML=_table(
                    ["", *current.sides], counter_rows(current)),
                    classes=["js-panel"], attributes={"data-panel": "counters"})
                solara.HTML(tag="div", unsafe_innerHTML=_journey(current),
                            classes=["js-panel"], attributes={"data-panel": "journey"})
            with solara.Div(classes=["js-charts"]):
                frame = current.datacollector.get_model_vars_dataframe()
                for measure in ("still claiming", "in work", "cost to date (GBP m)"):
                    title = "cost to date (£ millions)" if "cost" in measure else measure
                    solara.HTML(tag="div", unsafe_innerHTML=lines_svg(
                        title, _series(current, frame, measure)), classes=["js-panel"],
                        attributes={"data-panel": f"chart-{measure.split()[0]}"})
            solara.HTML(tag="div", unsafe_innerHTML=_table(
                ["service", *current.sides], service_rows(current)),
                classes=["js-panel"], attributes={"data-panel": "services"})


def _journey(model: Workshop) -> str:
    """The followed person's journey so far, in both systems, newest last."""
    story = (f"<p>{html.escape(PERSONAS[model.persona].story)}</p>"
             if model.persona in PERSONAS else "")
    columns = "".join(
        f"<div><b>{html.escape(name)}</b><ul>"
        + "".join(f"<li>{html.escape(line)}</li>" for line in (journey[-6:] or
                                                                ["(nothing yet)"]))
        + "</ul></div>" for name, journey in model.journeys.items())
    return (f"<h3 style='margin:0'>Following {html.escape(model.who)}</h3>{story}"
            f"<div style='display:grid;grid-template-columns:1fr 1fr;gap:8px'>{columns}</div>")


page = Page
