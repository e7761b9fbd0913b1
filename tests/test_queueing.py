"""Queueing theory against the Service base: M/M/c waits (Erlang C) and Little's law."""

import math
import statistics
from types import SimpleNamespace

import pytest

from journeysim.sim.services.base import Service
from journeysim.sim.streams import Stream
from journeysim.sim.world import World

ARRIVALS_PER_DAY, SERVICE_RATE, ADVISERS = 2.4, 1.0, 3
WARM_UP, HORIZON = 500.0, 8500.0


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C)."""
    a = lam / mu
    rho = a / c
    top = a**c / math.factorial(c) / (1 - rho)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return p_wait / (c * mu - lam)


def simulate(seed: int) -> tuple[float, float, float]:
    """Mean wait, arrival rate and time-average queue length after the warm-up."""
    world = World()
    env, log = world.env, world.log
    service = Service(world, "desk", ADVISERS, hours_per_week=7.0, hour_cost=0.0)
    arrivals = Stream(seed, 0, -1, "arrivals")
    lengths = Stream(seed, 0, -1, "service")
    counted: list[float] = []
    queue: list[int] = []

    def customer(n: int):
        person = SimpleNamespace(pid=n, hid=n)
        # with 7 interview hours a week an hour of service is one day
        yield from service.appointment(person, lengths.exponential(SERVICE_RATE), "served")

    def source():
        n = 0
        while True:
            yield env.timeout(arrivals.exponential(ARRIVALS_PER_DAY))
            if env.now > WARM_UP:
                counted.append(env.now)
            env.process(customer(n))
            n += 1

    def monitor():
        yield env.timeout(WARM_UP)
        while True:
            queue.append(len(service.advisers.queue))
            yield env.timeout(0.05)

    env.process(source())
    env.process(monitor())
    env.run(until=HORIZON)
    frame = log.frame()
    waits = frame[(frame.event == "wait") & (frame.day > WARM_UP)].value
    n = len(counted)
    return float(waits.sum()) / n, n / (HORIZON - WARM_UP), statistics.fmean(queue)


@pytest.fixture(scope="module")
def runs():
    return [simulate(seed) for seed in range(1, 11)]


@pytest.mark.slow
def test_mmc_mean_wait_matches_erlang_c(runs):
    theory = erlang_c_wait(ARRIVALS_PER_DAY, SERVICE_RATE, ADVISERS)
    waits = [w for w, _, _ in runs]
    mean, se = statistics.fmean(waits), statistics.stdev(waits) / math.sqrt(len(waits))
    half = 2.262 * se  # t(0.975, 9)
    assert mean - half <= theory <= mean + half, (
        f"M/M/{ADVISERS} mean wait {mean:.3f} +/- {half:.3f} days; Erlang C says {theory:.3f}")
    assert theory == pytest.approx(1.0787, abs=1e-3)  # the formula itself, by hand


@pytest.mark.slow
def test_littles_law_holds_on_the_log(runs):
    for wait, rate, length in runs:
        assert length == pytest.approx(rate * wait, rel=0.05), (
            f"time-average queue {length:.3f} vs arrival rate x mean wait {rate * wait:.3f}")


def test_infinite_capacity_means_no_wait():
    world = World()
    env, log = world.env, world.log
    service = Service(world, "desk", 10_000, hours_per_week=7.0, hour_cost=0.0)
    for n in range(500):
        env.process(service.appointment(SimpleNamespace(pid=n, hid=n), 1.0, "served"))
    env.run()
    assert (log.frame().event == "wait").sum() == 0


def test_waits_by_service_count_everyone_served_abandoned_or_still_waiting():
    from journeysim.runs.results import simulate as run
    from tests.conftest import variant

    budget = {"enabled": True, "take_up": 1.0, "cohort_per_1000_year": 500.0,
              "advisers_per_1000": 0.001, "caseload_per_adviser": 1, "case_weeks": 30,
              "eligibility": {"benefits": ["JSA", "ESA", "IS_LP"], "min_claim_weeks": 0,
                              "max_claim_weeks": None, "min_age": 18, "max_age": 64}}
    out = run(variant({"personal_budget": budget}, people=800, weeks=60, seed=2))
    waits = out.summary["by_service"]["personal_budget"]
    events = out.events[out.events.service == "personal_budget"]
    still = events[events.event == "still_waiting"]
    assert waits["waiting_at_end"] == len(still) > 0
    assert waits["abandoned"] == (events.event == "abandoned").sum() > 0
    assert waits["waits"] == (events.event == "wait").sum() + len(still)
    # one place held 30 weeks at a time: most of the queue waits for months
    assert waits["mean_wait_days"] > 60 and waits["p90_wait_days"] > waits["mean_wait_days"]
    people = out.people.set_index("person")
    assert (people.loc[still.person, "state"] == "claiming").all(), "still in support"
    assert still.day.eq(60 * 7).all()
