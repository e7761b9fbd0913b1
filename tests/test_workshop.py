"""The workshop: its data against the models, and the app in a real browser."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from journeysim.analysis.households import incomes
from journeysim.present.svg import network_nodes
from journeysim.sim import JourneyModel
from journeysim.sim.services.support import SupportProvider
from journeysim.vocabulary import BARRIERS, CLAIMING, IN_WORK
from journeysim.workshop.app import PLAY_SECONDS, Player, drawn
from journeysim.workshop.state import (
    AGENCIES,
    BY_ID,
    COUNTERS,
    LOOKAHEAD,
    PERSONAS,
    POOR,
    Screen,
    Workshop,
    counter_rows,
    counters,
    describe,
    follow,
    scenario_pair,
    service_rows,
)


@pytest.fixture(scope="module")
def stepped() -> Workshop:
    workshop = Workshop(people=400, seed=3)
    for _ in range(6):
        workshop.step()
    return workshop


def test_counts_per_service_are_the_models_state(stepped):
    for name, model in stepped.sides.items():
        table = model.view().service_counts().set_index("service")
        assert table.equals(stepped.screen.counts[name].set_index("service"))  # on the screen
        claiming = sum(n for (state, _), n in model.register.counts.items() if state == CLAIMING)
        assert table.at["jobcentre", "people"] == claiming
        assert table.at["employers", "people"] == sum(
            1 for p in model.people if p.state == IN_WORK and p.jobs > 0)
        for name, service in model.network.services.items():
            assert isinstance(service, SupportProvider)
            assert table.at[name, "waiting"] == len(service.places.queue)
            # everyone holding or queueing for a place is on its books
            assert table.at[name, "people"] >= service.places.count + len(service.places.queue)
        assert table.people.sum() > 0
    frag = stepped.sides["fragmented"].view().service_counts().service
    assert "hub" not in set(frag) and "personal_budget" not in set(frag)


def test_counters_agree_with_the_weekly_record(stepped):
    for name, model in stepped.sides.items():
        view = model.view()
        shown = counters(view, view.events(), stepped.scenarios[name])
        assert shown == stepped.screen.latest[name]
        people = pd.DataFrame({"household": [p.hid for p in model.people],
                               "benefit": [p.benefit for p in model.people],
                               "age": [p.age for p in model.people],
                               "children": [p.household.children for p in model.people],
                               "renter": [p.household.renter for p in model.people]})
        states = pd.Series([p.state for p in model.people])
        homes = incomes(people, states, stepped.scenarios[name])
        assert shown[POOR] == homes.children[homes.poor].sum()
        assert 0 < shown[POOR] <= homes.children.sum()
        last = model.weekly_rows[-1]
        assert shown["still claiming"] == last["claiming"]
        assert shown["cost to date (GBP m)"] == pytest.approx(last["cost_to_date"] / 1e6)
        assert 0 <= shown["back on benefit"] <= shown["still claiming"]
    frame = stepped.datacollector.get_model_vars_dataframe()
    assert len(frame) == 7  # week 0 and six steps
    assert frame["still claiming (fragmented)"].iloc[-1] == stepped.screen.latest["fragmented"][
        "still claiming"]
    assert stepped.screen.series["still claiming"]["fragmented"] == list(
        frame["still claiming (fragmented)"])


def test_the_left_side_is_the_plain_baseline_and_the_sides_share_their_people(stepped):
    base, _ = scenario_pair(400, 3, True, True, 500, True, 0.02)
    alone = JourneyModel(base)
    for _ in range(6):
        alone.step()
    assert alone.weekly_rows == stepped.sides["fragmented"].weekly_rows
    left, right = (stepped.sides[s] for s in ("fragmented", "co-designed"))
    stock = [(p.pid, p.age, p.first_benefit) for p in left.people[:300]]
    assert stock == [(p.pid, p.age, p.first_benefit) for p in right.people[:300]]


def test_levers_change_only_the_right_hand_system():
    on = Workshop(people=300, seed=2)
    off = Workshop(people=300, seed=2, hub=False, personal_budget=0, post_employment=False)
    assert on.sides["fragmented"].config == off.sides["fragmented"].config
    right_on, right_off = on.sides["co-designed"].config, off.sides["co-designed"].config
    assert right_on.hub.enabled and not right_off.hub.enabled
    assert right_on.personal_budget.amount == 500 and not right_off.personal_budget.enabled
    assert not right_off.post_employment.enabled
    leaky = Workshop(people=300, seed=2, leakage=0.4).sides["co-designed"].config.system
    assert leaky.leakage_cold == leaky.leakage_warm == 0.4
    assert "hub" in {row[0] for row in service_rows(on.screen)}
    assert "hub" not in {row[0] for row in service_rows(off.screen)}


def test_a_replaced_workshop_frees_its_models():
    import gc
    import weakref

    workshop = Workshop(people=200, seed=4)
    workshop.step()
    side = weakref.ref(workshop.sides["co-designed"])
    del workshop
    gc.collect()  # the workshop goes, and its finalizer lets Mesa forget its models
    gc.collect()  # then the models' own cycles go
    assert side() is None


def test_the_followed_journey_is_the_persons_own_events(stepped):
    for name, model in stepped.sides.items():
        events = model.log.frame()
        mine = events[events.person == stepped.followed]
        assert len(stepped.screen.journeys[name]) == len(mine) > 0
        assert stepped.screen.journeys[name][0].startswith("week  0.0: starts claiming")


def test_personas_find_people_their_stories_happen_to():
    workshop = Workshop(people=1500, seed=1)
    model = workshop.sides["fragmented"]
    left = model.view()
    people = {p.pid: p for p in model.people}
    ahead = workshop.ahead()
    assert all(frame.day.max() < LOOKAHEAD * 7 for frame in ahead.values())
    lone = people[follow(left, "lone parent told to wait", 0, ahead)]
    assert lone.benefit == "IS_LP" and BARRIERS[lone.worst_barrier()] == "childcare"
    cv = people[follow(left, "third CV course", 0, ahead)]
    assert cv.benefit == "JSA" and cv.worst_barrier() not in model.network.jobcentre.addresses
    carer = people[follow(left, "carer on a carpentry course", 0, ahead)]
    assert BARRIERS[carer.worst_barrier()] == "caring"
    assert workshop.followed == lone.pid, "the workshop follows the first persona at the start"
    assert follow(left, "a person by id", 17) == 17
    with pytest.raises(ValueError, match="unknown persona"):
        follow(left, "nobody", 0)
    who = describe(left, lone.pid)
    assert who.startswith(f"person {lone.pid}: claimant, aged {lone.age}, Income Support "
                          "(lone parent)"), who
    assert describe(left, 10**9) == f"person {10**9} has not arrived yet"
    assert len(PERSONAS) == 3
    assert counter_rows(workshop.screen)[0][0] == "still claiming"


def _lines(screen: Screen, side: str, since: float = 0.0) -> str:
    """The followed person's events on one side from week ``since``, as one text."""
    return " | ".join(line for line in screen.journeys[side]
                      if float(line.split(":")[0].removeprefix("week")) >= since)


@pytest.mark.slow  # 20 s or more: four pairs of systems, up to 34 weeks each
def test_the_session_script_in_the_docs_happens_with_the_defaults():
    """docs/workshop.md, "A 20-minute session", line by line, on the app's defaults."""
    room = Workshop(persona="third CV course")  # 3-7 min: his two timelines at week 8
    for _ in range(8):
        room.step()
    left, right = (_lines(room.screen, side) for side in room.screen.sides)
    assert "the standard product again" in left and "lost: never arrived" in left, left
    assert "warm handoff" in right and "fitted to their needs" in right, right
    assert "warm handoff" not in left and "lost" not in right, (left, right)
    without = Workshop(post_employment=False, persona=BY_ID)
    leaky = Workshop(leakage=0.4, persona=BY_ID)
    for _ in range(18):  # 7-10 min: play to week 26
        room.step()
    for _ in range(26):
        without.step()
        leaky.step()
    nodes = {side: network_nodes(table).set_index("service")
             for side, table in room.screen.counts.items()}
    specialists = {side: table.loc["specialist services"] for side, table in nodes.items()}
    assert specialists["co-designed"].people > 2 * specialists["fragmented"].people
    assert specialists["co-designed"].waiting > 0 and nodes["co-designed"].at["hub", "people"] > 0
    shown = room.screen.latest  # 10-13 min: the counters
    assert shown["co-designed"][AGENCIES.label] > 2 * shown["fragmented"][AGENCIES.label]
    # 13-17 min: in-work support barely moves "back on benefit" by week 26 on one seed;
    # losing four referrals in ten loses them by the hundred and saves their cost, and
    # moves work and claiming by less than one seed's noise
    back = [w.screen.latest["co-designed"]["back on benefit"] for w in (room, without)]
    assert abs(back[0] - back[1]) <= 0.1 * back[0], back
    lost = [(w.sides["co-designed"].log.frame().event == "referral_lost").sum()
            for w in (room, leaky)]
    assert lost[1] > 10 * lost[0] and lost[1] > 300, lost
    cost = "cost to date (GBP m)"
    assert leaky.screen.latest["co-designed"][cost] < shown["co-designed"][cost]
    for counter in ("in work", "still claiming"):
        assert abs(leaky.screen.latest["co-designed"][counter] - shown["co-designed"][counter]) \
            < 0.05 * shown["co-designed"][counter], counter
    room.follow("lone parent told to wait")  # 17-20 min: 2% lost again, her next weeks
    for _ in range(LOOKAHEAD):
        room.step()
    left, right = (_lines(room.screen, side, since=26) for side in room.screen.sides)
    assert not any(word in left for word in ("referred", "adviser session", "assessed")), left
    assert "referred to" in right, right


def test_a_screen_is_never_changed_by_a_later_week():
    workshop = Workshop(people=300, seed=5)
    first = workshop.screen
    rows = (counter_rows(first), service_rows(first), dict(first.series["in work"]))
    workshop.step()
    assert workshop.screen is not first and workshop.screen.week == first.week + 1
    assert (counter_rows(first), service_rows(first), dict(first.series["in work"])) == rows


def test_a_page_can_read_while_another_thread_steps():
    """What crashed the page: reading the screen while the play thread steps the models."""
    workshop = Workshop(people=300, seed=6)
    reading = threading.Event()

    def play() -> None:  # as Play does: a week, then a pause in which the page may read
        reading.wait()
        for _ in range(15):
            workshop.step()
            time.sleep(0.01)

    player = threading.Thread(target=play)
    player.start()
    read = 0
    while player.is_alive() or read == 0:
        reading.set()
        screen = workshop.screen
        assert len(counter_rows(screen)) == len(COUNTERS) == 7 and service_rows(screen)
        assert {len(values) for line in screen.series.values() for values in line.values()} == {
            screen.week + 1}
        workshop.follow("third CV course" if read % 2 else "a person by id", read)
        read += 1
    player.join()
    assert workshop.screen.week == 15 and read > 1


def test_a_panel_that_fails_shows_a_message_in_its_place():
    assert drawn("journey", lambda: "<p>fine</p>") == "<p>fine</p>"
    message = drawn("journey", lambda: {}["co-designed"])
    assert "could not be drawn" in message and "KeyError" in message
    assert "Traceback" not in message


class _Weeks:
    """A stand-in for a Workshop as the Player sees it: a lock and a week."""

    def __init__(self, week: int = 0) -> None:
        self.lock = threading.RLock()
        self.week = week


class _Recorder:
    """The page's side of a Player: each week taken (slowly, like a real one) and who took it."""

    def __init__(self, seconds: float = 0.05) -> None:
        self.seconds = seconds
        self.weeks: list[tuple[int, threading.Thread]] = []
        self.ended = 0

    def advance(self, workshop: _Weeks) -> None:
        with workshop.lock:
            time.sleep(self.seconds)
            workshop.week += 1
            self.weeks.append((workshop.week, threading.current_thread()))

    def end(self, workshop: _Weeks) -> None:
        self.ended += 1


def _until(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_paused_player_holds_its_week_and_shows_the_one_in_progress():
    page, workshop = _Recorder(seconds=0.2), _Weeks()
    player = Player(page.advance, page.end)
    player.start(workshop)
    _until(lambda: len(page.weeks) >= 2)
    time.sleep(0.1)  # into the next week, most likely
    player.stop()
    held = workshop.week
    assert page.weeks[-1][0] == held, "the week in progress finished and was shown"
    time.sleep(4 * PLAY_SECONDS)
    assert workshop.week == held and len(page.weeks) == held
    assert page.ended == 0


def test_play_again_at_once_never_leaves_two_threads_playing():
    """Pause and Play pressed together, over and over: one thread plays, the last one."""
    page, workshop = _Recorder(seconds=0.02), _Weeks()
    player = Player(page.advance, page.end)
    for _ in range(20):
        player.start(workshop)
        time.sleep(0.03)
        player.stop()
        player.start(workshop)  # without a stop between: start stops the play before
    before = len(page.weeks)
    _until(lambda: len(page.weeks) >= before + 3)
    player.stop()
    last = {thread for _, thread in page.weeks[before:]}
    assert len(last) == 1, last
    assert [week for week, _ in page.weeks] == list(range(1, len(page.weeks) + 1))


def test_a_player_ends_at_the_last_week_once_and_a_stopped_one_never_ends():
    from journeysim.workshop.state import WEEKS

    page = _Recorder(seconds=0.0)
    player = Player(page.advance, page.end)
    workshop = _Weeks(week=WEEKS - 3)
    player.start(workshop)
    _until(lambda: page.ended)
    time.sleep(2 * PLAY_SECONDS)
    assert workshop.week == WEEKS and page.ended == 1
    stopped = _Weeks(week=WEEKS - 1)
    player.start(stopped)
    player.stop()  # before or after its last week: it never reports the end
    time.sleep(2 * PLAY_SECONDS)
    assert page.ended == 1 and stopped.week <= WEEKS


# --- the app in a browser ----------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("localhost", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def workshop_url(tmp_path_factory):
    """``journeysim workshop`` on a free local port, stopped after the tests."""
    pytest.importorskip("solara", reason="Solara is not installed")
    port = _free_port()
    # to a file, not a pipe: nothing reads a pipe while the tests run, and a server
    # that filled one (a few tracebacks) would stop at its next write
    output = tmp_path_factory.mktemp("workshop") / "server.log"
    with output.open("wb") as log:  # the server writes to its own copy of the file
        server = subprocess.Popen(
            [sys.executable, "-m", "journeysim", "workshop", "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://localhost:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the workshop did not start:\n"
                            + output.read_text(errors="replace")[-3000:])
            time.sleep(0.5)
    yield url
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def _tables(page) -> list[list[list[str]]]:
    """Every table on the page: rows of cell texts (header rows left out)."""
    return [[[cell.strip() for cell in row.split("\t")] for row in text.split("\n")[1:]]
            for text in page.locator("table").all_inner_texts()]


def _week(page, week: int) -> None:
    page.get_by_role("heading", name=f"Week {week}", exact=True).wait_for(timeout=60_000)


def _panel(page, name: str):
    return page.locator(f"[data-panel='{name}']")


#: The panels a room reads; no two may overlap, and none may be cut off.
PANELS = ("network-fragmented", "network-co-designed", "counters", "journey", "chart-still",
          "chart-in", "chart-cost", "services")


@pytest.mark.slow
def test_the_workshop_steps_in_the_browser_and_matches_the_model(workshop_url, browser,
                                                                  tmp_path):
    page = browser.new_page(viewport={"width": 1600, "height": 1300})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(workshop_url)
    _week(page, 0)
    mirror = Workshop()  # the app's defaults: the same people, seed and levers
    assert _tables(page) == [counter_rows(mirror.screen), service_rows(mirror.screen)]
    network = _panel(page, "network-co-designed").inner_html()
    chart = _panel(page, "chart-in").inner_html()
    for week in (1, 2, 3):
        page.get_by_role("button", name="Next week").click()
        _week(page, week)
        mirror.step()
    assert _tables(page) == [counter_rows(mirror.screen), service_rows(mirror.screen)]
    assert _panel(page, "network-co-designed").inner_html() != network, "the diagram moved"
    assert _panel(page, "chart-in").inner_html() != chart, "the chart moved"
    shot = tmp_path / "workshop.png"  # the artefact: week 3, as a room would see it
    page.screenshot(path=str(shot), full_page=True)
    keep = os.environ.get("JOURNEYSIM_SCREENSHOT")
    if keep:
        shutil.copy(shot, Path(keep))
    assert shot.stat().st_size > 30_000

    # follow another persona: no need to start again
    page.get_by_label("Whose journey").click(force=True)
    page.get_by_role("option", name="third CV course").click()
    page.get_by_role("heading", name="Week 3", exact=True).wait_for()
    mirror.follow("third CV course")
    page.get_by_text(f"Following {mirror.screen.who}").wait_for(timeout=30_000)

    # switch the hub off and start again: only the right-hand system loses its hub
    page.get_by_text("A community hub: on", exact=True).click()
    page.get_by_text("A community hub: off", exact=True).wait_for()
    page.get_by_role("button", name="Start again", exact=True).click()
    _week(page, 0)
    page.get_by_role("button", name="Next week").click()
    _week(page, 1)
    without, with_hub = Workshop(hub=False), Workshop()
    without.step()
    with_hub.step()
    shown = _tables(page)
    assert shown == [counter_rows(without.screen), service_rows(without.screen)]
    assert "hub" not in {row[0] for row in shown[1]}
    assert shown[1] != service_rows(with_hub.screen)
    assert [row[1] for row in shown[1]] == [row[1] for row in service_rows(with_hub.screen)
                                             if row[0] != "hub"]  # the left is untouched
    assert errors == []
    page.close()


def test_every_control_shows_its_value_and_changes_with_it(workshop_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(workshop_url)
    _week(page, 0)
    for text in ("Claimants at the start: 1,500 people", "Seed (both sides): 1",
                 "A community hub: on", "One assessment, shared: on", "Personal budget: £500",
                 "Support after a job starts: on", "Referrals lost on the way: 2%"):
        page.get_by_text(text, exact=True).wait_for(timeout=10_000)
    people = page.get_by_role("slider").first
    people.focus()
    people.press("ArrowRight")
    page.get_by_text("Claimants at the start: 1,600 people", exact=True).wait_for()
    for mesa_control in ("PAGE 0", "Render Interval", "Use Threads", "Step"):
        assert page.get_by_text(mesa_control, exact=True).count() == 0, mesa_control
    page.close()


#: Linux's usual fallback when no Arial-metric font is installed: wider than Arial.
FALLBACK = "DejaVu Sans"


def _installed(font: str) -> bool:
    """Whether fontconfig knows the font (so Chromium would draw in it)."""
    listing = shutil.which("fc-list")
    return listing is not None and bool(
        subprocess.run([listing, font], capture_output=True, text=True).stdout.strip())


@pytest.mark.parametrize("size, font", [((1280, 720), None), ((1920, 1080), None),
                                        ((1280, 720), FALLBACK)])
def test_the_panels_never_overlap_and_the_room_can_read_them(workshop_url, browser, size,
                                                              font):
    width, height = size
    if font is not None and not _installed(font):
        pytest.skip(f"{font} is not installed (Debian's fonts-dejavu-core)")
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(workshop_url)
    _week(page, 0)
    suffix = ""
    if font is not None:  # as a machine without Arial or Liberation Sans draws the page
        suffix = "-" + font.replace(" ", "")
        page.add_style_tag(content=f'* {{ font-family: "{font}" !important; }}')
        page.evaluate("() => document.fonts.ready")
    boxes = {name: _panel(page, name).bounding_box() for name in PANELS}
    assert all(boxes.values()), boxes
    for a, first in boxes.items():
        assert first["x"] >= 0 and first["x"] + first["width"] <= width + 1, f"{a} cut off"
        for b, second in boxes.items():
            if a < b:
                apart = (first["x"] + first["width"] <= second["x"] + 1
                         or second["x"] + second["width"] <= first["x"] + 1
                         or first["y"] + first["height"] <= second["y"] + 1
                         or second["y"] + second["height"] <= first["y"] + 1)
                assert apart, f"{a} and {b} overlap at {size}"
    for name in PANELS[:-1]:  # all but the services' table: the room never scrolls
        box = boxes[name]
        assert box["y"] + box["height"] <= height, (
            f"{name} is below the fold at {size} in {font or 'the font the page asks for'}")
    small = page.evaluate("""() => [...document.querySelectorAll('.js-page *')]
        .filter(e => !e.closest('svg') && e.children.length === 0 && e.innerText
                && e.innerText.trim() && parseFloat(getComputedStyle(e).fontSize) < 16)
        .map(e => e.innerText.trim().slice(0, 40))""")
    assert small == [], f"text under 16 px at {size}: {small}"
    # text in the diagrams and charts, as drawn on the screen: its size times the scale
    shown = page.evaluate("""() => [...document.querySelectorAll(
            '[data-panel^=network] svg, [data-panel^=chart] svg')]
        .map(svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width
             * Math.min(...[...svg.querySelectorAll('text')].map(
                 t => parseFloat(t.getAttribute('font-size')))))""")
    assert len(shown) == 5 and min(shown) >= 14, shown
    page.screenshot(path=str(Path(os.environ.get("JOURNEYSIM_SHOTS", "/tmp")) /
                             f"workshop-{width}x{height}{suffix}.png"))
    page.close()


def _shown_week(page) -> int:
    """The week in the page's heading."""
    return int(page.get_by_role("heading", name="Week ", exact=False).inner_text().split()[1])


def _reach(page, week: int) -> None:
    """Wait until the page shows ``week`` or a later one.

    Not the heading ``Week {week}`` itself: while playing a week is on screen for
    about ``PLAY_SECONDS``, less than Playwright's 500 ms between looks, so a wait
    for one exact week can miss it and then wait on while the page plays past it.
    Generous: this is not a speed test (benchmarks/workshop.py measures speed).
    """
    page.wait_for_function("""n => [...document.querySelectorAll('h2')].some(
        h => /^Week \\d+$/.test(h.innerText) && parseInt(h.innerText.slice(5)) >= n)""",
                           arg=week, timeout=240_000)


@pytest.mark.slow
def test_play_after_next_week_reaches_week_20_and_pause_holds_it(workshop_url, browser):
    """Next week ten times, Play at once, Pause, Play again: what a room does."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(workshop_url)
    _week(page, 0)
    for week in range(1, 11):
        page.get_by_role("button", name="Next week").click()
        _week(page, week)
    page.get_by_role("button", name=PLAY).click()
    _reach(page, 20)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name=PLAY).wait_for(timeout=60_000)
    held = _shown_week(page)
    assert held >= 20
    page.wait_for_timeout(int(5 * PLAY_SECONDS * 1000))  # five weeks' worth of play
    assert _shown_week(page) == held, "Pause held the week"
    assert page.get_by_role("button", name="Next week").is_enabled()
    page.get_by_role("button", name=PLAY).click()
    _reach(page, held + 2)
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name=PLAY).wait_for(timeout=60_000)
    _no_traceback(page, "after Play, Pause and Play again")
    page.close()


#: The Play button's name.
PLAY = f"Play (a week every {PLAY_SECONDS:g} s)"


def _no_traceback(page, when: str) -> None:
    """The page is whole: no Python traceback, and the week's heading is there."""
    body = page.locator("body").inner_text()
    assert "Traceback" not in body, f"{when}: {body[body.find('Traceback'):][:800]}"
    assert page.get_by_role("heading", name="Week ", exact=False).count() == 1, when


@pytest.mark.slow  # about a minute: twenty rounds of play, each stopped
def test_play_pause_and_start_again_twenty_times_never_break_the_page(workshop_url, browser):
    """Pause after Play, and Start again while playing: each once broke the whole page."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(workshop_url)
    _week(page, 0)
    for attempt in range(20):
        page.get_by_role("button", name=PLAY).click()
        page.wait_for_timeout(200 + 97 * attempt % 900)  # pressed at every point of a week
        if attempt % 4 == 3:
            page.get_by_role("button", name="Start again", exact=True).click()
            _week(page, 0)
        else:
            page.get_by_role("button", name="Pause").click()
            page.get_by_role("button", name=PLAY).wait_for(timeout=30_000)
        _no_traceback(page, f"attempt {attempt}")
    page.get_by_role("button", name="Next week").click()
    _no_traceback(page, "after the attempts")
    page.close()


def test_the_session_script_plays_in_the_browser(workshop_url, browser):
    """docs/workshop.md's personas, as the room sees them on the screen."""
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(workshop_url)
    _week(page, 0)
    page.get_by_label("Whose journey").click(force=True)
    page.get_by_role("option", name="third CV course").click()
    page.get_by_text("Following person", exact=False).wait_for()
    for week in range(1, 9):
        page.get_by_role("button", name="Next week").click()
        _week(page, week)
    left, right = (column.inner_text() for column in
                   _panel(page, "journey").locator(".js-two > div").all())
    assert "the standard product again" in left and "lost: never arrived" in left, left
    assert "warm handoff" in right, right
    box = _panel(page, "journey").bounding_box()
    assert box["y"] + box["height"] <= 720, "the journey fits the screen"
    weeks = [float(line.split(":")[0].removeprefix("week")) for line in left.splitlines()[1:]
             if line.startswith("week")]
    assert weeks == sorted(weeks, reverse=True), f"newest first: {weeks}"
    page.close()
