"""Between two decisions: a claim's exit and the reviews that decide nothing else.

Most routine reviews decide nothing but a JSA claimant's conditionality, so
they do not wake the claimant. At each decision the claim is walked forward in
closed form to the next one:

- Their hazard of leaving benefit is what it would have been at each contact:
  their search weight is worked out at each review's day from the motivation
  they will have then (:meth:`Person.motivation_at`), their leads and boosts
  as they stand; the market's hires per unit of search are those read at the
  decision. One unit exponential is spent against the summed hazard, so the
  exit comes on the day the hazards, piece by piece, would have sent them.
- A review that decides nothing else is held without waking them: its
  conditionality is drawn from that motivation, and it is counted and its
  adviser time booked for its day.

The walk stops at the first of: the exit; a review that sanctions; any other
contact (an intervention, the WCA, a referral, a rule's date, a review at which
the network could offer something, the first review of a claim in the stock);
or the first review :data:`REFRESH_DAYS` or more after the decision, where the
market is read again. Anything that changes the claimant's chances meanwhile (a
relative's job, a service's help) wakes them at once (:meth:`Person.stir`), and
the reviews counted for days after that are taken back.
"""

from __future__ import annotations

from journeysim.sim.jobs import SEARCH_CONTACT_DAYS
from journeysim.sim.market import LabourMarket
from journeysim.sim.network import Network
from journeysim.sim.person import Person
from journeysim.sim.services.jobcentre import ContactPlan

#: Days after a decision within which a review may be held without waking the claimant:
#: the first review after them wakes them, and the market is read again. A quarter,
#: as people searching without a claim read it.
REFRESH_DAYS = SEARCH_CONTACT_DAYS
#: What a walk stopped at.
EXIT, CONTACT, SANCTION = "exit", "contact", "sanction"


def walk(person: Person, plan: ContactPlan, network: Network, market: LabourMarket,
         other: tuple[float, float], budget: float, now: float,
         introduced: bool) -> tuple[float, str, tuple[float, float, float]]:
    """From ``now``, the day and kind of the claim's next decision, and the hazards then.

    Args:
        person: the claimant, their motivation brought up to ``now``.
        plan: the claim's contact plan; the reviews passed are counted on it.
        network: the services (whether a review could lead anywhere).
        market: the labour market, read now (the person's weight is counted among
            the searchers) for its hires per unit of search.
        other: daily hazards of leaving benefit other than for work: (to
            inactivity or a closed claim, to another benefit).
        budget: a unit exponential draw, spent against the summed hazard.
        now: the day of the decision.
        introduced: whether the claim has had its first contact.

    Returns:
        The day, what comes then (:data:`EXIT`, :data:`CONTACT` or :data:`SANCTION`),
        and the hazards (work, inactive, benefit) of the last piece.
    """
    reviews = network.jobcentre.reviews
    refresh = now + REFRESH_DAYS
    weight, rate = market.chances(person, now)
    day = now
    inactive, transfer = other
    plan.ahead.clear()
    while True:
        rates = (weight * rate, inactive, transfer)
        contact = plan.next_day()
        span = contact - day if contact > day else 0.0  # a contact already due is held now
        hazard = (rates[0] + inactive + transfer) * span
        if budget < hazard:
            return day + budget / hazard * span, EXIT, rates
        budget -= hazard
        day += span
        if (day >= refresh or not introduced or not plan.review_on(contact)
                or network.decides_at(person, day)):
            return contact, CONTACT, rates  # the plan's own day: the contact matches it
        motivation = person.motivation_at(day)
        chance = reviews.chance(person, motivation)
        if chance and plan.draw.random() < chance:
            return contact, SANCTION, rates
        reviews.count(day)
        plan.ahead.append(day)
        plan.review += plan.interval
        plan.reviews += 1
        weight = market.weight(person, day, motivation)
