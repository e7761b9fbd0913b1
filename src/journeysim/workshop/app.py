"""The workshop page: two JourneyModels stepping together, drawn for a room.

Served by ``journeysim workshop`` (``solara run journeysim.workshop.app``). The
co-design the levers are set on is ``$JOURNEYSIM_WORKSHOP_DESIGN`` (default
``codesign-full``). Each browser gets its own :class:`Workshop`. Every panel is
drawn from its latest :class:`Screen` as HTML or SVG text
(:mod:`journeysim.present.svg`), so a week draws in a fraction of the time the
simulation takes, and a panel that fails shows a short message in its own place;
every control shows its value and unit; text is at least 16 px (14 px in the
pictures), for a projector.
"""

from __future__ import annotations

import html
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import solara

from journeysim.present.svg import lines_svg, network_svg
from journeysim.workshop.state import (
    BY_ID,
    CHARTS,
    PERSONAS,
    WEEKS,
    Screen,
    Workshop,
    counter_rows,
    service_rows,
)

LOG = logging.getLogger(__name__)

DESIGN = os.environ.get("JOURNEYSIM_WORKSHOP_DESIGN", "codesign-full")
#: Seconds each week stays on screen while playing (at most: drawing takes part of it).
PLAY_SECONDS = 0.3
#: The page's own look: large type for a projector, panels that never overlap, and
#: everything but the services' table above the fold at 1280x720, in an Arial-metric
#: font or in the wider DejaVu Sans, Linux's usual fallback. The counters' labels
#: keep to one line, their panel as wide as they need (up to 60% of the row) and the
#: journey beside them takes the rest: wrapped, they pushed the charts below the fold.
STYLE = """
.js-page { font-size: 17px; line-height: 1.3;
           font-family: Arial, "Liberation Sans", Helvetica, sans-serif; }
.js-page table { border-collapse: collapse; font-size: 17px; }
.js-page td, .js-page th { padding: 1px 10px 1px 0; text-align: left; }
.js-page td + td { text-align: right; }
.js-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; align-items: start; }
.js-grid.js-fit { grid-template-columns: fit-content(60%) 1fr; }
.js-counters td, .js-counters th { white-space: nowrap; }
.js-panel { min-width: 0; overflow: hidden; }
.js-journey ul { margin: 0; padding-left: 18px; max-height: 8.6em; overflow-y: auto; }
.js-two { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
.js-error { border-left: 4px solid #b35900; padding-left: 6px; color: #5a2d00; }
.js-charts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; }
.js-value { font-weight: bold; }
.js-controls { font-size: 16px; }
.js-controls h3 { margin: 0; }
.js-story { color: #333; }
.js-page .v-input--selection-controls { margin-top: 0; padding-top: 0; }
.js-page .v-input__slot { margin-bottom: 0; }
.js-page .v-messages { display: none; }
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


class Player:
    """Plays a workshop: a week every ``PLAY_SECONDS``, in a thread of its own, until stopped.

    ``advance`` takes a week and shows it; ``ended`` is called when the play
    reaches the last week by itself. One thread plays at a time (``start`` stops
    the one before), and every week is taken under the workshop's lock with the
    thread's own stop flag checked inside it. So once ``stop`` returns, the week
    in progress is finished and shown and no further week is taken or shown by
    that thread, nor is ``ended`` called: a Pause holds, and a thread left over
    from an earlier Play can never move the page on or switch a new Play off.
    """

    def __init__(self, advance: Callable[[Workshop], None],
                 ended: Callable[[Workshop], None]) -> None:
        self.advance = advance
        self.ended = ended
        self._stop = threading.Event()
        self._workshop: Workshop | None = None

    def start(self, workshop: Workshop) -> None:
        """Play ``workshop`` from its current week (after stopping any play before)."""
        self.stop()
        stop = self._stop = threading.Event()
        self._workshop = workshop
        threading.Thread(target=self._play, args=(workshop, stop), daemon=True,
                         name="workshop-play").start()

    def stop(self, wait: bool = True) -> None:
        """Stop playing; with ``wait``, return once the week in progress is shown."""
        self._stop.set()
        workshop, self._workshop = self._workshop, None
        if wait and workshop is not None:
            with workshop.lock:  # the playing thread holds it while it takes a week
                pass

    def _play(self, workshop: Workshop, stop: threading.Event) -> None:
        while True:
            start = time.monotonic()
            with workshop.lock:
                if stop.is_set():
                    return
                if workshop.week >= WEEKS:
                    self.ended(workshop)
                    return
                self.advance(workshop)
            stop.wait(max(0.0, PLAY_SECONDS - (time.monotonic() - start)))


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(cell)}</th>" for cell in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
                   for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


@solara.component
def Control(label: str, shown: str) -> None:
    """A control's name and its value with its unit, above the control itself."""
    solara.HTML(tag="div", unsafe_innerHTML=f"{html.escape(label)}: <span class='js-value'>"
                f"{html.escape(shown)}</span>")


@solara.component
def Controls(levers: solara.Reactive[Levers], persona: solara.Reactive[str],
             person: solara.Reactive[int], who: str, on_start: Callable[[], None],
             on_follow: Callable[[str, int], None]) -> None:
    """The sidebar: the levers (they apply when the weeks start again) and who to follow.

    ``who``: who the followed person is, in words.
    """
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
        solara.HTML(tag="div", unsafe_innerHTML=f"<b>Following {html.escape(who)}</b>"
                    + (f"<br>{html.escape(PERSONAS[persona.value].story)}"
                       if persona.value in PERSONAS else ""), classes=["js-story"])


def drawn(name: str, draw: Callable[[], str]) -> str:
    """A panel's HTML, or a short message in its place if drawing it failed.

    One panel's fault shows in that panel alone; the rest of the page stays live
    (the error goes to the server's log).
    """
    try:
        return draw()
    except Exception as err:  # any fault in one panel must not take the page down
        LOG.exception("the workshop's %s panel could not be drawn", name)
        return (f"<p class='js-error'>This panel could not be drawn this week "
                f"({html.escape(type(err).__name__)}); the rest of the page is live.</p>")


@solara.component
def Panel(name: str, draw: Callable[[], str], classes: tuple[str, ...] = ()) -> None:
    """One panel of the page, named for tests by ``data-panel``, failing alone."""
    solara.HTML(tag="div", unsafe_innerHTML=drawn(name, draw),
                classes=["js-panel", *classes], attributes={"data-panel": name})


@solara.component
def Page() -> None:
    """The whole screen: controls, both networks, counters, a journey, charts, services.

    The play loop runs in a thread of its own (:class:`Player`); it and the
    buttons change the :class:`Workshop` only through its methods (one at a time,
    under its lock), and every panel is drawn from ``screen``, a finished week that
    no step edits.
    """
    levers = solara.use_reactive(Levers())
    persona = solara.use_reactive(next(iter(PERSONAS)))
    person = solara.use_reactive(0)
    model = solara.use_reactive(solara.use_memo(
        lambda: Levers().build(persona.value, person.value), []))
    screen = solara.use_reactive(model.value.screen)
    playing = solara.use_reactive(False)
    drawn_in = solara.use_reactive(0.0)  # seconds the last week took, simulation and drawing

    def advance(workshop: Workshop) -> None:
        # the week and its screen under one lock: a week shown is never followed by an
        # older one, and a Pause (or Start again) that waits for the lock finds this
        # week shown and the play over
        with workshop.lock:
            start = time.monotonic()
            workshop.step()
            screen.value = workshop.screen
            drawn_in.value = time.monotonic() - start

    player = solara.use_memo(lambda: Player(advance, lambda _: playing.set(False)), [])
    # a closed page stops its play (without waiting for the week in progress)
    solara.use_effect(lambda: lambda: player.stop(wait=False), [])

    def play_or_pause() -> None:
        if playing.value:
            player.stop()
            playing.value = False
        else:
            playing.value = True
            player.start(model.value)

    def start_again() -> None:
        player.stop()
        playing.value = False
        workshop = levers.value.build(persona.value, person.value)
        model.value = workshop
        screen.value = workshop.screen

    def follow(who: str, pid: int) -> None:
        persona.value, person.value = who, pid
        workshop = model.value
        workshop.follow(who, pid)  # someone else, from this week on
        screen.value = workshop.screen

    now = screen.value
    solara.Style(STYLE)
    with solara.Row(classes=["js-page"], style={"align-items": "flex-start", "gap": "16px",
                                                "padding": "6px 8px"}):
        with solara.Column(style={"width": "290px", "flex": "none"}):
            Controls(levers, persona, person, now.who, start_again, follow)
        with solara.Column(style={"flex": "1", "min-width": "0", "gap": "8px"}):
            with solara.Row(style={"align-items": "center", "gap": "12px"}):
                solara.HTML(tag="h2", unsafe_innerHTML=f"Week {now.week}",
                            style="margin: 0; white-space: nowrap")
                solara.Button("Next week", on_click=lambda: advance(model.value),
                              color="primary", disabled=playing.value or now.week >= WEEKS)
                solara.Button("Pause" if playing.value else "Play (a week every "
                              f"{PLAY_SECONDS:g} s)",
                              on_click=play_or_pause,
                              disabled=now.week >= WEEKS)
                solara.HTML(tag="span", unsafe_innerHTML=html.escape(
                    f"left: fragmented; right: {DESIGN} with your levers (last week took "
                    f"{drawn_in.value:.2f} s)"))
            with solara.Div(classes=["js-grid"]):
                for side in now.sides:
                    Panel(f"network-{side}", lambda side=side: _network(now, side))
            with solara.Div(classes=["js-grid", "js-fit"]):
                Panel("counters", lambda: _table(["", *now.sides], counter_rows(now)),
                      classes=("js-counters",))
                Panel("journey", lambda: _journey(now), classes=("js-journey",))
            with solara.Div(classes=["js-charts"]):
                for measure in CHARTS:
                    Panel(f"chart-{measure.split()[0]}",
                          lambda measure=measure: lines_svg(CHART_TITLES[measure],
                                                            now.series[measure]))
            Panel("services", lambda: _table(["service", *now.sides], service_rows(now)))


def _network(screen: Screen, side: str) -> str:
    """One side's network diagram, on the scale both sides share."""
    largest = max(float((t.people + t.waiting).max()) for t in screen.counts.values())
    return network_svg(side, screen.counts[side], screen.week, largest)


#: How each chart is titled on the screen.
CHART_TITLES = {"still claiming": "still claiming (people)", "in work": "in work (people)",
                "cost to date (GBP m)": "cost to date (£ millions)"}
def _journey(screen: Screen) -> str:
    """The followed person's journey so far in both systems, the newest events first.

    Each side's list keeps to a fixed height (the page never grows); older events
    are further down it, a scroll away.
    """
    columns = "".join(
        f"<div><b>{html.escape(name)}</b>, newest first<ul>"
        + "".join(f"<li>{html.escape(line)}</li>" for line in journey[::-1] or ["(nothing yet)"])
        + "</ul></div>" for name, journey in screen.journeys.items())
    return f"<div class='js-two'>{columns}</div>"


page = Page
