"""The Service base: a node of the network with advisers as a SimPy resource."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Generator
from operator import attrgetter

import simpy

from journeysim.config import head_count, places
from journeysim.sim.world import DAYS_PER_WEEK, Claimant, World

#: Why an offer came to nothing (the detail of a ``declined`` event).
NOT_TAKEN = "not taken up"
NO_PLACE = "no place"
COHORT_FULL = "cohort full"
#: Why an appointment was dropped (the detail of an ``abandoned`` event): nobody was
#: free within the person's patience (the Jobcentre's interventions).
NO_ADVISER = "no adviser free"


class Pool(simpy.Resource):
    """A SimPy resource whose slots are freed in constant time.

    SimPy keeps a resource's users in a list and frees a slot by searching it,
    so with thousands of places (a caseload at 50,000 claimants) each release
    costs as much as the places held. Here ``users`` is a dict whose keys are
    the requests holding a slot, in the order they were granted (its length is
    still ``count``): the same requests are granted and released on the same
    days as with :class:`simpy.Resource`.
    """

    def __init__(self, env: simpy.Environment, capacity: int = 1) -> None:
        super().__init__(env, capacity)
        self.users: dict[simpy.Event, None] = {}  # type: ignore[assignment]

    def _do_put(self, event: simpy.resources.resource.Request) -> None:
        if len(self.users) < self.capacity:
            self.users[event] = None
            event.usage_since = self._env.now
            event.succeed()

    def _do_get(self, event: simpy.resources.resource.Release) -> None:
        self.users.pop(event.request, None)
        event.succeed()


class _Queue(list):
    """Requests in order of their keys, each inserted where it belongs.

    SimPy's ``SortedQueue`` appends a request and sorts the whole queue again,
    so a queue of hundreds (the Jobcentre's, when a design sends many people
    to it) costs that many key lookups for every request. Inserting after every
    request whose key is not greater leaves the queue as that stable sort would.
    """

    _key = attrgetter("key")

    def append(self, item: simpy.resources.resource.PriorityRequest) -> None:
        bisect.insort_right(self, item, key=self._key)


class PriorityPool(Pool, simpy.PriorityResource):
    """A :class:`Pool` whose queue is served by priority, lower first, as SimPy's."""

    PutQueue = _Queue


class Service:
    """A service whose advisers see people one appointment at a time.

    Adviser time is spread evenly over the week: an adviser offering
    ``hours_per_week`` interview hours holds one appointment of ``h`` hours for
    ``h * 7 / hours_per_week`` days of the simulation clock. People queue first
    come, first served when every adviser is busy, or by priority, lower first,
    when the advisers are ``prioritised``.
    """

    def __init__(
        self, world: World, name: str, advisers: int, hours_per_week: float, hour_cost: float,
        prioritised: bool = False,
    ) -> None:
        self.world = world
        self.env = env = world.env
        self.log = world.log
        self.name = name
        pool = PriorityPool if prioritised else Pool
        self.advisers = pool(env, capacity=advisers)
        self.days_per_hour = DAYS_PER_WEEK / hours_per_week
        self.hour_cost = hour_cost

    @staticmethod
    def staff(per_1000: float, claimants: int) -> int:
        """Advisers for a caseload: ``per_1000`` per 1,000 claimants, at least one."""
        return head_count(per_1000, claimants)

    def caseload(self, session_hours: float, interval_days: float) -> simpy.Resource:
        """Places on a rota of sessions every ``interval_days``.

        The people the advisers can keep on at once: advisers x interview hours a
        week / (session_hours x sessions a week), at least one.
        """
        weekly = session_hours * DAYS_PER_WEEK / max(interval_days, DAYS_PER_WEEK)
        places = int(self.advisers.capacity * DAYS_PER_WEEK / self.days_per_hour / weekly)
        return Pool(self.env, capacity=max(1, places))

    def wait_for(self, request: simpy.Event, person: Claimant, what: str,
                 eligible_until: float = math.inf,
                 leave: Callable[[], simpy.Event] | None = None,
                 why_until: str = "no longer eligible",
                 ) -> Generator[simpy.Event, None, bool]:
        """Wait on a list for ``request``, or leave it when the person departs.

        A person leaves the list when they depart (leave benefit, or find work
        while searching), on ``eligible_until``, or when the event ``leave()``
        makes fires (a claimant's own exit while they queue at the Jobcentre;
        made only if they have to queue), whichever comes first. Logs the wait
        (``what`` says for what) and, when the person leaves the list, an
        ``abandoned`` event with the reason (``why_until`` for ``eligible_until``).
        True when served.
        """
        arrived = self.env.now
        if not request.triggered:
            key = object()
            self.world.waiting[key] = (person.pid, person.hid, self.name, what, arrived)
            departure = self.world.departure(person)
            events = [request, departure]
            if eligible_until < math.inf:
                events.append(self.env.timeout(max(0.0, eligible_until - arrived), why_until))
            if leave is not None:
                events.append(leave())
            fired = yield self.env.any_of(events)
            self.world.waiting.pop(key, None)
            if not request.triggered:
                waited = self.env.now - arrived
                reason = next(iter(fired.values()))
                self.log.add(person.pid, person.hid, arrived, "wait", self.name, what, waited)
                self.log.add(person.pid, person.hid, self.env.now, "abandoned", self.name,
                             str(reason), waited)
                return False
        yield request
        if self.env.now > arrived:
            self.log.add(person.pid, person.hid, arrived, "wait", self.name, what,
                         self.env.now - arrived)
        return True

    def appointment(
        self, person: Claimant, hours: float, event: str, detail: str = "",
        leave: Callable[[], simpy.Event] | None = None, priority: int = 0,
        patience: float = math.inf,
    ) -> Generator[simpy.Event, None, bool]:
        """Wait for a free adviser and hold them for ``hours``, and log it.

        False when the person left the queue first (left benefit, or found work;
        ``leave`` as in :meth:`wait_for`), or nobody was free within ``patience``
        days. ``priority`` (lower first) needs ``prioritised`` advisers.
        """
        request = self.advisers.request(priority=priority) if priority else \
            self.advisers.request()
        with request:
            if not (yield from self.wait_for(request, person, event, self.env.now + patience,
                                             leave, NO_ADVISER)):
                return False
            yield self.env.timeout(hours * self.days_per_hour)
        self.log.add(person.pid, person.hid, self.env.now, event, self.name, detail, hours,
                     hours * self.hour_cost)
        return True


class Caseload:
    """Places on a team's caseload: each held for a while, and costed for the time it takes.

    ``per_1000`` staff per 1,000 claimants each hold ``caseload`` people at once
    (sized from the exact staffing, not the rounded head-count; at least one
    place). A place held costs its share of an adviser's week (the service's
    interview hours a week / ``caseload``) for as long as it is held, recorded
    as a ``caseload`` event when it is freed or the run ends; with ``costed``
    off (the contacts themselves are costed instead) it costs nothing.
    """

    def __init__(self, service: Service, per_1000: float, caseload: float, claimants: int,
                 costed: bool = True) -> None:
        self.service = service
        self.env = service.env
        self.places = Pool(self.env, capacity=places(per_1000, claimants, caseload))
        hours_a_week = DAYS_PER_WEEK / service.days_per_hour / caseload if costed else 0.0
        self.cost_per_day = hours_a_week * service.hour_cost / DAYS_PER_WEEK
        self.open: dict[simpy.Event, tuple[Claimant, float]] = {}

    def room(self) -> bool:
        """Whether a place is free now, with nobody waiting for it."""
        return has_room(self.places)

    def take(self, person: Claimant, days: float,
             ends: simpy.Event | None = None) -> Generator[simpy.Event, None, bool]:
        """Wait for a place (or give up, see :meth:`Service.wait_for`), then hold it.

        The place is held for ``days`` from when it is granted, or until ``ends``
        fires, whichever is first. True when the person got a place.
        """
        request = self.places.request()
        if not (yield from self.service.wait_for(request, person, "place")):
            request.cancel()
            return False
        self._hold(person, request, days, ends)
        return True

    def give(self, person: Claimant, days: float) -> None:
        """Hold a place for ``days`` now: only when there is :meth:`room`."""
        self._hold(person, self.places.request(), days, None)

    def _hold(self, person: Claimant, request: simpy.Event, days: float,
              ends: simpy.Event | None) -> None:
        self.open[request] = (person, self.env.now)
        self.env.process(self._release(request, days, ends))

    def _release(self, request: simpy.Event, days: float,
                 ends: simpy.Event | None) -> Generator[simpy.Event, None, None]:
        timeout = self.env.timeout(days)
        yield timeout if ends is None else self.env.any_of([timeout, ends])
        self.places.release(request)
        self._cost(request)

    def _cost(self, request: simpy.Event) -> None:
        person, start = self.open.pop(request)
        held = self.env.now - start
        self.service.log.add(person.pid, person.hid, self.env.now, "caseload",
                             self.service.name, "", held / DAYS_PER_WEEK,
                             held * self.cost_per_day)

    def close(self) -> None:
        """Record the places still held when the run ends, up to now."""
        for request in list(self.open):
            self._cost(request)


def has_room(places: simpy.Resource) -> bool:
    """Whether a place is free now, with nobody waiting for it."""
    return places.count < places.capacity and not places.queue
