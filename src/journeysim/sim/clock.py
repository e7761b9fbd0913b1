"""The run's clock: SimPy's environment with its events filed by day.

SimPy keeps every scheduled event in one heap, ordered by (time, priority,
order of scheduling). A run holds one pending event for nearly every person
(a claim walked to its next decision, a search, a job until it ends), so at
50,000 claimants the heap holds about a hundred thousand events, and popping
from it costs twice as much per event as at 5,000: the heap no longer fits in
the processor's cache. Here the same entries are filed in one small heap per
day of the clock, and the days with events in a heap of their own. Every
event with a time in ``[d, d + 1)`` is in day ``d``'s heap, and days are
taken in order, so events are processed in exactly SimPy's order: a run's
results are the same with either clock. An event beyond the run's end
(a job lasting years) sits in its day's heap and is never touched again.

About half of a run's events are due the moment they are scheduled: a
process started, a place granted, a wait's condition met, a person woken.
Each would go to the top of the day's heap and come straight off it again.
They wait instead in two queues in the order they came, one for each of
SimPy's two priorities; all they hold is due now, so each queue is in
SimPy's order already, and the next event is the first of the two queues'
heads and the heap's top.
"""

from __future__ import annotations

from collections import deque
from heapq import heappop, heappush

import simpy
from simpy.core import EmptySchedule, Infinity, StopSimulation
from simpy.events import NORMAL, URGENT, Event, EventPriority

#: The day every event at or beyond it is filed under (never reached by a run).
LAST_DAY = 1 << 40


class Clock(simpy.Environment):
    """A :class:`simpy.Environment` whose queue is a heap per day (see the module's text)."""

    def __init__(self, initial_time: float = 0) -> None:
        super().__init__(initial_time)
        self._days: dict[int, list[tuple[float, EventPriority, int, Event]]] = {}
        self._order: list[int] = []  # the days with a heap, earliest first
        self._today: list[tuple[float, EventPriority, int, Event]] = []  # the heap in use
        #: Events due now, in the order scheduled: urgent ones, then normal ones.
        self._urgent: deque[tuple[float, EventPriority, int, Event]] = deque()
        self._normal: deque[tuple[float, EventPriority, int, Event]] = deque()

    def schedule(self, event: Event, priority: EventPriority = NORMAL,
                 delay: float = 0) -> None:
        """Schedule an *event* with a given *priority* and a *delay* (as SimPy does)."""
        if not delay and (priority is NORMAL or priority is URGENT):
            # due now: after everything due now already, so last in its queue
            due = self._normal if priority is NORMAL else self._urgent
            due.append((self._now, priority, next(self._eid), event))
            return
        at = self._now + delay
        try:
            heappush(self._days[int(at)], (at, priority, next(self._eid), event))
        except (KeyError, OverflowError):  # a day not yet filed, or never (infinity)
            day = int(at) if at < LAST_DAY else LAST_DAY
            heap = self._days.get(day)
            if heap is None:
                self._days[day] = heap = []
                heappush(self._order, day)
            heappush(heap, (at, priority, next(self._eid), event))

    def _first(self) -> list[tuple[float, EventPriority, int, Event]] | None:
        """The earliest day's heap that holds an event; days emptied are dropped."""
        order, days = self._order, self._days
        while order:
            heap = days[order[0]]
            if heap:
                return heap
            del days[heappop(order)]
        return None

    def peek(self) -> float:
        """The time of the next scheduled event, or infinity when there is none."""
        if self._urgent or self._normal:
            return self._now
        heap = self._first()
        return Infinity if heap is None else heap[0][0]

    def step(self) -> None:
        """Process the next event, exactly as :meth:`simpy.Environment.step` does.

        The heap in use is the day of the last event taken: nothing can be
        scheduled before it, so while it holds events the next is in it. An
        event due now comes first unless the heap's top is due now too and
        sorts before it (scheduled earlier, or more urgent).
        """
        heap = self._today or self._first()
        due = self._urgent or self._normal
        if due and not (heap and heap[0] < due[0]):
            event = due.popleft()[3]
        elif heap:
            self._today = heap  # only once an event is taken from it: time is on its day
            self._now, _, _, event = heappop(heap)
        else:
            raise EmptySchedule
        callbacks, event.callbacks = event.callbacks, None
        try:
            for callback in callbacks:
                callback(event)
        except StopSimulation:
            event.callbacks = callbacks[callbacks.index(callback) + 1:]
            self.schedule(event, EventPriority(-1))
            raise
        if not event._ok and not hasattr(event, "_defused"):
            exc = type(event._value)(*event._value.args)
            exc.__cause__ = event._value
            raise exc
