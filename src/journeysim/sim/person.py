"""People and households: the Mesa agents whose journeys SimPy times.

A claimant's journey is one SimPy process: claim -> interviews, reviews and
interventions -> a job, another benefit, or stopping claiming -> maybe back.
Rare events are not polled: at each contact the person's competing hazards
(a job offer, stopping claiming, moving to another benefit) are sampled once as
one waiting time, and the person sleeps until that time or the next scheduled
contact, whichever is sooner. Rates are constant between contacts, so this is
exact for the model as stated; a change made by someone else (a relative's
job lead) takes effect at the person's next contact.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING

import mesa
import simpy

from journeysim.sim.benefits import benefit_paid, weekly_benefit
from journeysim.sim.population import PersonSpec
from journeysim.sim.streams import Stream
from journeysim.vocabulary import CLAIMING, IN_WORK, INACTIVE, segment_of

if TYPE_CHECKING:
    from journeysim.sim.model import JourneyModel

WORK = "work"
BENEFIT = "benefit"
CENSORED = "censored"
SEARCH_CONTACT_DAYS = 28.0
Journey = Generator[simpy.Event, None, None]


class Household(mesa.Agent):
    """The people who live together: the unit family influence works through."""

    __slots__ = ("hid", "members", "family_budget")

    def __init__(self, model: JourneyModel, hid: int) -> None:
        super().__init__(model)
        self.hid = hid
        self.members: list[Person] = []
        self.family_budget = False

    def others_motivation(self, person: Person) -> float | None:
        """Mean motivation of the other members, or None for someone living alone."""
        members = self.members
        if len(members) == 1:
            return None
        if len(members) == 2:  # the common case, kept quick: this runs at every contact
            first, second = members
            return second.motivation if first is person else first.motivation
        total = 0.0
        for member in members:
            total += member.motivation
        return (total - person.motivation) / (len(members) - 1)

    def job_started(self, person: Person, now: float) -> None:
        """A member starts work: the others gain motivation and job leads."""
        settings = self.model.config.motivation
        for member in self.members:
            if member is person or member.state == IN_WORK:
                continue
            member.settle(now)
            member.motivation += settings.family_work_boost * (1.0 - member.motivation)
            member.lead_until = now + settings.job_lead_weeks * 7.0


class Person(mesa.Agent):
    """A working-age person: a claimant, or a relative the family links act through."""

    # Slots keep a borough of agents compact; Mesa's own attributes stay in __dict__.
    __slots__ = (
        "pid", "motivation_rules", "hid", "household", "role", "age", "benefit", "state",
        "barriers", "load", "placement", "motivation", "settled", "lead_until", "misfits",
        "reviews", "claim_start", "sanctioned_days", "segment", "arrived", "first_benefit",
        "first_segment", "location", "known", "assessments", "active", "offered",
        "boost_factor", "boost_until", "wp_until", "wp_factor", "hub_member", "engaged", "jobs",
        "_streams", "exit_draw", "jobcentre_draw", "work_draw",
    )

    def __init__(self, model: JourneyModel, spec: PersonSpec, household: Household) -> None:
        super().__init__(model)
        self.pid = spec.pid
        self.motivation_rules = model.config.motivation
        self.hid = spec.household
        self.household = household
        self.role = spec.role
        self.age = spec.age
        self.benefit = spec.benefit
        self.state = spec.state
        self.barriers = list(spec.barriers)
        self.load = model.market.barrier_load(self.barriers)
        self.placement = model.market.placement(self)
        self.motivation = spec.motivation
        self.settled = model.env.now
        self.lead_until = -math.inf
        self.misfits = 0
        self.reviews = 0
        self.claim_start = 0.0
        self.sanctioned_days = 0.0
        self.segment = segment_of(self.benefit, self.age, spec.barriers, self.state)
        self.arrived = model.env.now
        self.first_benefit = self.benefit
        self.first_segment = self.segment
        self.location = spec.location
        self.known: dict[str, set[int]] = {}
        self.assessments = 0
        self.active: set[str] = set()
        self.offered: set[str] = set()
        self.boost_factor = 1.0
        self.boost_until = -math.inf
        self.wp_until = -math.inf
        self.wp_factor = 1.0
        self.hub_member = False
        self.engaged = False
        self.jobs = 0
        self._streams: dict[str, Stream] | None = None  # most relatives never draw
        model.tally(None, (self.state, self.segment))
        household.members.append(self)

    # --- state -------------------------------------------------------------------------
    def set_state(self, state: str, benefit: str | None = None) -> None:
        """Change state (and benefit), keeping the model's weekly counts in step."""
        old = (self.state, self.segment)
        self.state = state
        if benefit is not None:
            self.benefit = benefit
            self.placement = self.model.market.placement(self)
        self.segment = segment_of(self.benefit, self.age, tuple(self.barriers), state)
        self.model.tally(old, (self.state, self.segment))

    def worst_barrier(self) -> int | None:
        """Index of the most severe barrier, or None with no barriers."""
        worst = max(range(len(self.barriers)), key=self.barriers.__getitem__)
        return worst if self.barriers[worst] > 0.0 else None

    def draw(self, purpose: str) -> Stream:
        """This person's stream for one purpose (created on first use)."""
        if self._streams is None:
            self._streams = {}
        stream = self._streams.get(purpose)
        if stream is None:
            model = self.model
            stream = Stream(model.config.run.seed, model.replication, self.pid, purpose)
            self._streams[purpose] = stream
        return stream

    def claim_weeks(self, now: float) -> float:
        """Weeks into the current claim (0 when not claiming)."""
        return (now - self.claim_start) / 7.0 if self.state == CLAIMING else 0.0

    def in_support(self) -> bool:
        """Whether services still work with the person (claiming, or engaged and not in work)."""
        return self.state == CLAIMING or (self.engaged and self.state != IN_WORK)

    def encourage(self, share: float) -> None:
        """Motivation gains ``share`` of its gap to 1."""
        self.motivation += share * (1.0 - self.motivation)

    def boost(self, factor: float, weeks: float, now: float) -> None:
        """Offers multiplied by ``factor`` for ``weeks`` (employer contacts, work experience)."""
        if factor > 1.0 and weeks > 0.0:
            self.boost_factor = max(factor, self.boost_factor if now < self.boost_until else 1.0)
            self.boost_until = now + weeks * 7.0

    def reduce_barrier(self, index: int, amount: float) -> None:
        """Progress on a barrier: severity falls, motivation rises with the progress."""
        removed = min(amount, self.barriers[index])
        self.barriers[index] -= removed
        self.load = self.model.market.barrier_load(self.barriers)
        self.placement = self.model.market.placement(self)
        settings = self.motivation_rules
        gain = settings.fitting_support_boost * (1.0 - self.motivation)
        self.motivation = min(1.0, self.motivation + gain + settings.barrier_progress_boost
                              * removed)

    def misfit(self) -> None:
        """Sent on the standard product again: each repeat costs more motivation."""
        self.misfits += 1
        settings = self.motivation_rules
        self.motivation = max(settings.floor,
                              self.motivation - settings.repeat_penalty * self.misfits)

    def settle(self, now: float) -> None:
        """Bring motivation up to ``now``: decay out of work, drift toward the household."""
        weeks = (now - self.settled) / 7.0
        self.settled = now
        if weeks <= 0.0 or self.state != CLAIMING:
            return
        settings = self.motivation_rules
        m = self.motivation * math.exp(-settings.decay_per_week * weeks)
        family = self.household.others_motivation(self)
        if family is not None:
            m += (1.0 - math.exp(-settings.family_drift_per_week * weeks)) * (family - m)
        self.motivation = max(settings.floor, m)

    # --- the journey ---------------------------------------------------------------------
    def start(self, elapsed_days: float) -> None:
        """Begin this claimant's journey as a SimPy process."""
        self.exit_draw = self.draw("exits")
        self.jobcentre_draw = self.draw("jobcentre")
        self.work_draw = self.draw("work")
        self.model.env.process(self.journey(elapsed_days))

    def start_search(self) -> None:
        """Begin looking for work without claiming (after outreach or a family broker)."""
        self.exit_draw = self.draw("exits")
        self.work_draw = self.draw("work")
        self.model.env.process(self.search())

    def search(self) -> Journey:
        """Job search by an engaged non-claimant: offers until a job, contacts every 4 weeks."""
        env, market = self.model.env, self.model.market
        while self.engaged and self.state == INACTIVE:
            wait = self.exit_draw.exponential(market.offer_rate(self, env.now))
            if wait >= SEARCH_CONTACT_DAYS:
                yield env.timeout(SEARCH_CONTACT_DAYS)
                continue
            yield env.timeout(wait)
            yield from self.work()

    def journey(self, elapsed_days: float) -> Journey:
        """Claims and jobs, one after another, until the person stops claiming."""
        benefit = self.benefit
        while True:
            destination, benefit = yield from self.claim(benefit, elapsed_days)
            elapsed_days = 0.0
            if destination == WORK:
                if not (yield from self.work()):
                    return
            elif destination != BENEFIT:
                return

    def claim(self, benefit: str, elapsed_days: float) -> Generator[simpy.Event, None,
                                                                   tuple[str, str]]:
        """One claim spell; returns (destination, benefit of any next claim)."""
        model, env = self.model, self.model.env
        network, jcp = model.network, model.network.jobcentre
        self.begin_claim(benefit, env.now - elapsed_days)
        if elapsed_days == 0.0:
            yield from jcp.new_claim(self, network.router)
            network.first_contact(self)
        exits = model.exits[benefit]
        inactive, transfer = exits.inactive_per_week / 7.0, exits.transfer_per_week / 7.0
        interval = jcp.review_days[benefit]
        next_review = env.now + interval * (self.jobcentre_draw.random() if elapsed_days else 1.0)
        intervention = jcp.next_intervention(self, env.now)
        wca = jcp.wca_day(self)
        wp = network.work_programme
        referral = wp.referral_day(self) if wp is not None else None
        closing = model.config.jobcentre.wca.closed_before_per_week / 7.0
        offer_rate = model.market.offer_rate
        introduced = elapsed_days == 0.0
        draw = self.exit_draw
        while True:
            now = env.now
            if now > self.settled:
                self.settle(now)
            rates = (offer_rate(self, now), inactive + (closing if wca is not None else 0.0),
                     transfer)
            contact = next_review if next_review < intervention else intervention
            if wca is not None and wca < contact:
                contact = wca
            if referral is not None and referral < contact:
                contact = referral
            wait = draw.exponential(rates[0] + rates[1] + rates[2])
            if now + wait < contact:
                yield env.timeout(wait)
                destination = (WORK, INACTIVE, BENEFIT)[draw.index(rates)]
                after = exits.transfer_to if destination == BENEFIT else benefit
                return self.end_claim(destination), after
            yield env.timeout(max(0.0, contact - now))
            if wca is not None and contact == wca:
                wca = None
                if jcp.wca(self, self.jobcentre_draw):
                    return self.end_claim(BENEFIT), "JSA"
            elif referral is not None and contact == referral:
                referral, intervention = None, math.inf
                wp.attach(self)
            elif contact == intervention:
                yield from jcp.intervention(self, network.router)
                intervention = jcp.next_intervention(self, contact)
            else:
                next_review += interval
                if jcp.review(self, self.jobcentre_draw) and self.sanctioned():
                    return self.end_claim(INACTIVE), benefit
                if not introduced:
                    introduced = True
                    network.first_contact(self)
                network.at_review(self)

    def sanctioned(self) -> bool:
        """Apply a sanction; True when the person then stops claiming."""
        settings = self.model.config.jobcentre.sanctions
        self.sanctioned_days += settings.weeks * 7.0
        self.model.accrue(-weekly_benefit(self.model.config.costs, self.benefit, self.age)
                          * settings.weeks)
        self.motivation = max(0.0, self.motivation - settings.motivation_penalty)
        return self.jobcentre_draw.random() < settings.exit_probability

    def begin_claim(self, benefit: str, start_day: float) -> None:
        """Open a claim spell that started on ``start_day`` (before 0 for the stock)."""
        self.set_state(CLAIMING, benefit)
        self.claim_start = start_day
        self.sanctioned_days = 0.0
        self.reviews = 0
        self.model.claim_opened(self)
        self.model.log.add(self.pid, self.hid, self.model.env.now, "claim_start", "jobcentre",
                           benefit, self.model.env.now - start_day)

    def end_claim(self, destination: str) -> str:
        """Close the claim spell: log it and what it cost; return the destination."""
        model, now = self.model, self.model.env.now
        weekly = weekly_benefit(model.config.costs, self.benefit, self.age)
        in_run = now - max(self.claim_start, 0.0)
        log = model.log
        log.add(self.pid, self.hid, now, "claim_end", "jobcentre", destination,
                now - self.claim_start)
        log.add(self.pid, self.hid, now, "benefit_paid", "benefit", self.benefit, in_run,
                benefit_paid(weekly, in_run, self.sanctioned_days))
        if self.reviews:
            log.add(self.pid, self.hid, now, "reviews", "jobcentre", str(self.reviews),
                    self.reviews, self.reviews * model.network.jobcentre.review_cost)
        model.claim_closed(self)
        if destination != CENSORED:
            self.set_state(INACTIVE)
        return destination

    def work(self) -> Generator[simpy.Event, None, bool]:
        """A job, until it ends; returns True when the person claims again."""
        model, env, network = self.model, self.model.env, self.model.network
        kind = model.market.job_kind(self, self.work_draw)
        self.jobs += 1
        self.set_state(IN_WORK)
        model.log.add(self.pid, self.hid, env.now, "job_start", "employer", kind)
        self.household.job_started(self, env.now)
        if network.work_programme is not None:
            network.work_programme.job_started(self)
        support = network.post_employment
        days = model.market.job_days(kind, self.work_draw, support)
        if support is not None:
            hours = support.sessions * support.session_hours
            model.log.add(self.pid, self.hid, env.now, "post_employment", "post_employment",
                          kind, hours, hours * model.config.costs.adviser_hour)
        yield env.timeout(days)
        reclaim = self.work_draw.random() < model.config.labour_market.return_probability
        model.log.add(self.pid, self.hid, env.now, "job_end", "employer",
                      "reclaim" if reclaim else "inactive")
        self.settled = env.now
        self.set_state(INACTIVE)
        return reclaim and self.benefit != "NONE"
