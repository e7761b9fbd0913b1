"""A read-only view of a running model: what a live display may show.

The workshop steps a model a week at a time and shows, each week, how many
people are with and waiting for each service, a few counters, the event log so
far and one person's journey. It reads all of that here, as plain values and
frames, never the model's agents, queues or services themselves.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from journeysim.sim.network import Network
from journeysim.sim.person import Person
from journeysim.sim.records import EventLog
from journeysim.sim.services.support import SupportProvider
from journeysim.sim.world import DAYS_PER_WEEK, Register
from journeysim.vocabulary import CLAIMING, IN_WORK

#: Services whose people stay on their books for good (``service_counts``).
MEMBERSHIPS = frozenset({"hub", "personal_budget", "family_budget", "troubled_families",
                         "outreach"})


@dataclass(frozen=True)
class PersonView:
    """One person as they are now: who they are, their state and barriers."""

    pid: int
    role: str
    age: int
    benefit: str
    state: str
    barriers: tuple[float, ...]
    jobs: int
    #: Day of the person's next Jobcentre contact (inf: none planned).
    next_contact: float = math.inf

    def worst_barrier(self) -> int | None:
        """Index of the most severe barrier, or None with no barriers."""
        worst = max(range(len(self.barriers)), key=self.barriers.__getitem__)
        return worst if self.barriers[worst] > 0.0 else None


def _look(person: Person, next_contact: float = math.inf) -> PersonView:
    return PersonView(person.pid, person.role, person.age, person.benefit, person.state,
                      tuple(person.barriers), person.jobs, next_contact)


class View:
    """A running model, read-only.

    Args:
        people: every person in the model so far.
        network: the model's services.
        register: the claimant register.
        log: the event log so far.
        weekly: the weekly panel so far.
        now: the model's clock (days).
    """

    def __init__(self, people: Sequence[Person], network: Network, register: Register,
                 log: EventLog, weekly: Sequence[dict[str, float]], now: float) -> None:
        self._people = people
        self._network = network
        self._register = register
        self._log = log
        self._weekly = weekly
        self.week = int(now // DAYS_PER_WEEK)
        #: The model's clock (days).
        self.now = now
        #: The barriers the Jobcentre's own standard product addresses.
        self.jobcentre_remit = network.jobcentre.addresses

    def events(self) -> pd.DataFrame:
        """The event log so far, as a frame."""
        return self._log.frame()

    def claimants(self) -> list[PersonView]:
        """Everyone claiming now, with the day of their next Jobcentre contact."""
        plans, now = self._network.jobcentre.plans, self.now
        return [_look(p, math.inf if (plan := plans.get(p.pid)) is None else plan.upcoming(now))
                for p in self._people if p.state == CLAIMING]

    def person(self, pid: int) -> PersonView | None:
        """One person, or None if they have not arrived."""
        for person in self._people:
            if person.pid == pid:
                return _look(person)
        return None

    def counters(self) -> dict[str, float]:
        """The live counters: people claiming, in work and back on benefit, and more.

        Still claiming; in work (found in the run); back on benefit; children in
        workless households (no adult in work now); cost to date (GBP).
        """
        people = self._people
        working = {p.hid for p in people if p.state == IN_WORK}
        homes = {p.hid: p.household.children for p in people}
        return {
            "still claiming": sum(1 for p in people if p.state == CLAIMING),
            "in work": sum(1 for p in people if p.state == IN_WORK and p.jobs > 0),
            "back on benefit": sum(1 for p in people if p.state == CLAIMING and p.jobs > 0),
            "children in workless households": sum(
                children for hid, children in homes.items() if hid not in working),
            "cost to date": self._weekly[-1]["cost_to_date"] if self._weekly else 0.0,
        }

    def households(self) -> pd.DataFrame:
        """Everyone so far, one row a person, as a household measure reads them.

        Columns: household, benefit, age, children and renter (of their household),
        state now.
        """
        people = self._people
        return pd.DataFrame({
            "household": [p.hid for p in people],
            "benefit": [p.benefit for p in people],
            "age": [p.age for p in people],
            "children": [p.household.children for p in people],
            "renter": [p.household.renter for p in people],
            "state": [p.state for p in people],
        })

    def service_counts(self) -> pd.DataFrame:
        """People with each service now, and waiting for it: service, people, waiting.

        With a service (``people``): on its books now: referred and on the way, waiting
        for a place, or in an episode (someone who has just found work stays until
        their next session). Hubs, budgets and outreach keep people for good, so only
        their members not in work count. The Jobcentre has everyone claiming,
        employers everyone who found work in the run and is still in it. ``waiting``:
        queueing for an adviser or a place.
        """
        network = self._network
        nodes = {"jobcentre": network.jobcentre}
        nodes.update({programme.name: programme for programme in network.programmes})
        if network.hub is not None:
            nodes["hub"] = network.hub
        nodes.update({budget.name: budget for budget in network.budgets})
        if network.config.outreach.enabled:
            nodes["outreach"] = network.outreach
        nodes.update(network.services)
        with_service = dict.fromkeys(nodes, 0)
        claiming = in_work = 0
        active = network.router.active
        for person in self._people:
            working = person.state == IN_WORK
            in_work += working and person.jobs > 0
            claiming += person.state == CLAIMING
            for name in active.get(person.pid, ()):
                if name in with_service and not (working and name in MEMBERSHIPS):
                    with_service[name] += 1
        with_service["jobcentre"] = claiming
        rows = []
        for name, service in nodes.items():
            queue = service.places.queue if isinstance(service, SupportProvider) else getattr(
                getattr(service, "advisers", None), "queue", [])
            rows.append({"service": name, "people": with_service[name], "waiting": len(queue)})
        rows.append({"service": "employers", "people": in_work, "waiting": 0})
        return pd.DataFrame(rows)
