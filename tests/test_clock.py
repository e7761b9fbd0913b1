"""The run's clock and its resources take events in exactly SimPy's order."""

from __future__ import annotations

import math
import random

import pytest
import simpy

from journeysim.sim.clock import Clock
from journeysim.sim.services.base import Pool, PriorityPool


def _trace(env: simpy.Environment, pool: simpy.Resource) -> list[tuple]:
    """A busy day: ties, waits of days and of forever, interrupts, a shared resource
    whose queue people join and leave."""
    seen: list[tuple] = []
    draw = random.Random(7)
    sleepers: list[simpy.Process] = []
    asleep: set[int] = set()

    def person(n: int):
        while True:
            wait = draw.choice([0.0, 0.25, 1.0, draw.random() * 30, math.inf])
            asleep.add(n)
            try:
                yield env.timeout(wait)
            except simpy.Interrupt:
                seen.append(("woken", n, env.now))
                continue
            finally:
                asleep.discard(n)
            with pool.request(**({"priority": n % 3} if isinstance(
                    pool, simpy.PriorityResource) else {})) as request:
                yield request | env.timeout(draw.choice([0.5, 2.0, math.inf]))
                if not request.triggered:  # gave up: leaving the ``with`` cancels it
                    seen.append(("gave up", n, env.now, len(pool.queue)))
                    continue
                seen.append(("served", n, env.now, pool.count))
                yield env.timeout(draw.choice([0.5, 1.0, 2.0]))

    def waker():
        while True:
            yield env.timeout(3.0)
            for n in draw.sample(range(len(sleepers)), 5):
                if n in asleep:
                    asleep.discard(n)
                    sleepers[n].interrupt()

    sleepers.extend(env.process(person(n)) for n in range(60))
    env.process(waker())
    for week in range(1, 9):
        env.run(until=7.0 * week)
        seen.append(("week", week, env.now, env.peek()))
    return seen


@pytest.mark.parametrize("kinds", [(simpy.Resource, Pool), (simpy.PriorityResource, PriorityPool)])
def test_the_clock_and_pools_take_events_in_simpys_order(kinds):
    simpys, ours = kinds
    plain = simpy.Environment()
    expected = _trace(plain, simpys(plain, capacity=4))
    clock = Clock()
    found = _trace(clock, ours(clock, capacity=4))
    assert len(expected) > 200
    assert {row[0] for row in expected} >= {"woken", "gave up", "served"}
    assert max(row[3] for row in expected if row[0] == "gave up") >= 10  # a long queue
    assert found == expected


def test_an_empty_clock_says_so():
    env = Clock()
    assert env.peek() == math.inf
    with pytest.raises(simpy.core.EmptySchedule):
        env.step()
    env.timeout(math.inf)
    assert env.peek() == math.inf
    env.run(until=5.5)
    assert env.now == 5.5
