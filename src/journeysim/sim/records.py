"""The event log: one record per journey event, turned into a DataFrame at the end.

One row per journey event, as in a queueing network's visit records: who, when,
what, where, a short detail and what it cost. The model only appends (a record
is never changed once written); the table is built once, after the run.
"""

from __future__ import annotations

from array import array

import numpy as np
import pandas as pd

from journeysim.vocabulary import PROGRAMMES

#: Every event the model writes, with what its ``detail`` and ``cost`` hold.
EVENT_TYPES = {
    "claim_start": "a claim spell begins; detail: benefit; value: days already claimed",
    "claim_end": "a claim spell ends; detail: destination (work, benefit, inactive, censored)",
    "benefit_paid": "benefit paid over a spell; cost: GBP; value: days paid",
    "reviews": "routine reviews over a spell; detail: count; cost: adviser time",
    "wait": "waited for an adviser, or for a place (detail: place); value: days",
    "interview": "the new-claim interview; cost: adviser time",
    "assessment": "an assessment by a service (WCA: detail wca); value: hours; cost: staff time",
    "intervention": "an adviser or provider session; detail: fit or misfit; cost: staff time",
    "referral": "referred to a service; detail: source:warm or source:cold; value: hours of "
                "the referrer's time (a warm handoff's); cost",
    "handoff": "arrives at the service referred to; value: days of delay",
    "referral_lost": "a referral that never arrived; detail: reason; value: days of delay",
    "episode_start": "a place at a specialist or GBW service is taken: the episode begins",
    "episode_end": "an episode at a specialist or GBW service ends; detail: completed or "
                   "left; value: sessions attended; cost: staff time and episode cost",
    "contact": "first contact with a hub, case worker, broker or outreach; cost: staff time",
    "purchase": "a budget buys down a barrier; detail: barrier index; value: severity; cost",
    "payment": "a Work Programme fee; detail: attachment, outcome or sustainment; cost",
    "post_employment": "in-work support for a new job; value: hours; cost",
    "fixed_cost": "a cost of no one person (person -1, service hub_premises): detail setup "
                  "(day 0) or premises "
                  "(one a year, from its first day); value: weeks; cost",
    "sanction": "a sanction; value: weeks withheld",
    "wca": "Work Capability Assessment outcome; detail: fit_for_work, support_group or "
           "work_related_activity_group",
    "ib_reassessment": "an Incapacity Benefit claim reassessed through the WCA; detail as wca",
    "lone_parent_rule": "a lone parent's Income Support ends (they move to JSA); value: the "
                        "youngest child's age in years",
    "caseload": "a place on a caseload (outreach, a case worker, in-work support) freed, or "
                "still held when the run ends; value: weeks held; cost: its share of an "
                "adviser's week (none for in-work support, whose contacts are costed)",
    "declined": "an offer that came to nothing (budgets, outreach, in-work support, an "
                "employer's guaranteed interview); detail: not taken up, no place (the "
                "caseload is full), cohort full or employer dropped out",
    "still_waiting": "on a waiting list when the run ends (logged at the end); detail: "
                     "for what; value: days waited so far",
    "abandoned": "left a waiting list before being seen; detail: why (left benefit, in work, "
                 "no longer eligible, funding ended, or no adviser free: an appointment "
                 "dropped for want of an adviser); value: days waited",
    "outside_hires": "expected hires of the job seekers outside the model over the run "
                     "(person -1, at the end); value: hires",
    "vacancies": "the vacancy stocks at the end (person -1): detail <stock>_<flow>, the "
                 "stock open (to everyone) or pledged (to one age group), the flow opened, "
                 "filled or lapsed over the run, or end (the level then); open_start is the "
                 "open stock at the start; value: vacancies",
    "job_start": "starts work; detail: temporary or sustained, or subsidised:<service> for a "
                 "job a service provides",
    "job_end": "leaves work; detail: reclaim or inactive",
    "job_offer": "a service has a job for the person (taken at their next contact); value: "
                 "weeks; cost: the job's cost to the service (a wage subsidy), booked when "
                 "offered",
    "job_kept": "a service's job ends and the employer keeps the person on; detail: the job's "
                "kind from then on",
    "job_lapsed": "a service's job ends and the person leaves work",
}

#: The person and household of records that belong to no one (hub premises, hires
#: outside the model).
NOBODY = -1
#: Services paid by fees recorded in the log (the providers of the Work Programme and of
#: the programmes it replaced): their own
#: staff time is the provider's cost, paid for by the fees, so it is not a service cost
#: of the run as well (it stays in the log for the cost ledger by partner).
FEE_FUNDED = PROGRAMMES
#: The service the hubs' site costs are logged under (they have a payer of their own).
PREMISES = "hub_premises"

COLUMNS = ["person", "household", "day", "event", "service", "detail", "value", "cost"]
#: How each column is stored while the run goes on: typed arrays for numbers
#: (8 bytes a value, no object each), lists for the few distinct strings.
STORAGE = {"person": "q", "household": "q", "day": "d", "value": "d", "cost": "d"}


class EventLog:
    """An append-only log of events, stored column by column.

    Typed arrays of numbers and lists of (shared) strings keep a borough-sized
    log compact and out of the garbage collector's way.
    """

    def __init__(self) -> None:
        self.columns: tuple[array | list, ...] = tuple(
            array(STORAGE[name]) if name in STORAGE else [] for name in COLUMNS)
        self._append = tuple(column.append for column in self.columns)

    def add(
        self, person: int, household: int, day: float, event: str, service: str = "",
        detail: str = "", value: float = 0.0, cost: float = 0.0,
    ) -> None:
        """Record one event."""
        a = self._append
        a[0](person)
        a[1](household)
        a[2](day)
        a[3](event)
        a[4](service)
        a[5](detail)
        a[6](value)
        a[7](cost)

    def __len__(self) -> int:
        return len(self.columns[0])

    def service_costs_since(self, start: int) -> float:
        """Service costs of the events from position ``start`` on (see :func:`is_service_cost`)."""
        events, services, costs = self.columns[3], self.columns[4], self.columns[7]
        total = 0.0  # left to right, the same on every Python (3.12 changed sum())
        for event, service, cost in zip(events[start:], services[start:], costs[start:],
                                        strict=True):
            if is_service_cost(event, service):
                total += cost
        return total

    def frame(self) -> pd.DataFrame:
        """The log as a DataFrame with categorical text columns, in the order written."""
        data = {
            name: np.array(column, dtype="int64" if STORAGE.get(name) == "q" else "float64")
            if name in STORAGE else pd.Categorical(column)
            for name, column in zip(COLUMNS, self.columns, strict=True)
        }
        return pd.DataFrame(data)


def is_service_cost(event: str, service: str) -> bool:
    """Whether an event's cost is a service cost of the run.

    Not benefit (paid to people), and not the staff time of a fee-funded provider:
    the fees it is paid already count.
    """
    return event != "benefit_paid" and (service not in FEE_FUNDED or event == "payment")


def service_cost_mask(events: pd.DataFrame) -> pd.Series:
    """:func:`is_service_cost` for every row of an event log frame."""
    return (events.event != "benefit_paid") & (
        ~events.service.isin(FEE_FUNDED) | (events.event == "payment"))
