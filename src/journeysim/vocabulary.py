"""The package's vocabulary: benefits, barriers, partners, journey states and segments.

Every other module takes these names from here, so a benefit or a barrier is
spelled one way everywhere (configuration, model, measures and outputs).
"""

from __future__ import annotations

from typing import Literal

BENEFITS = ("JSA", "ESA", "IS_LP")
BARRIERS = (
    "health", "mental_health", "childcare", "transport", "skills", "confidence", "debt",
    "housing", "substance", "offending", "language", "caring", "work_history",
)
#: Who bears costs and banks savings: the partners of the cost ledger (docs/costs.md).
PARTNERS = {
    "dwp": "DWP / Jobcentre Plus",
    "treasury": "HM Treasury (tax and NI)",
    "council": "the council",
    "nhs": "the NHS",
    "housing": "housing providers",
    "justice": "police and justice",
    "skills_funding": "the Skills Funding Agency",
    "wp_provider": "the Work Programme provider",
    "employers": "employers",
    "person": "the person",
}
Partner = Literal[
    "dwp", "treasury", "council", "nhs", "housing", "justice", "skills_funding",
    "wp_provider", "employers", "person",
]

#: Journey states of a person.
CLAIMING = "claiming"
IN_WORK = "in_work"
INACTIVE = "inactive"
#: The benefit of a workless person who does not claim.
NO_BENEFIT = "NONE"
#: Segments the Work Programme refers by (a claimant's segment; see :func:`segment_of`).
SEGMENTS = ("jsa_18_24", "jsa_25_49", "jsa_50_plus", "esa", "lone_parent", "ex_offender")
#: The contracted programmes, each a provider paid by fees: the Work Programme, and the two
#: it replaced in 2011 (Flexible New Deal for JSA claimants, Pathways to Work for ESA).
PROGRAMMES = ("work_programme", "flexible_new_deal", "pathways_to_work")
#: Offending-history severity from which a JSA or ESA claimant counts as an ex-offender.
OFFENDER_THRESHOLD = 0.5


def segment_of(benefit: str, age: int, barriers: tuple[float, ...] | list[float],
               state: str) -> str:
    """The person's segment, derived from benefit, age, offending history and state."""
    if state == IN_WORK:
        return "in_work"
    if benefit in ("JSA", "ESA") and barriers[BARRIERS.index("offending")] >= OFFENDER_THRESHOLD:
        return "ex_offender"
    if benefit == "JSA":
        return "jsa_18_24" if age < 25 else "jsa_25_49" if age < 50 else "jsa_50_plus"
    if benefit == "ESA":
        return "esa"
    if benefit == "IS_LP":
        return "lone_parent"
    return "neet" if age < 25 else "workless_adult"
