"""Benefit rules: what a claim pays per week, and over a spell."""

from __future__ import annotations

from journeysim.config import CostSettings


def weekly_benefit(costs: CostSettings, benefit: str, age: int) -> float:
    """Benefit paid per week (GBP) to a claimant of this benefit and age."""
    if benefit == "JSA" and age < 25:
        return costs.jsa_18_24_weekly
    return float(getattr(costs.benefit_weekly, benefit))


def benefit_paid(weekly: float, days_claimed: float, days_sanctioned: float) -> float:
    """Benefit paid over a spell (GBP): claimed days less sanctioned days, at the weekly rate."""
    return max(0.0, days_claimed - days_sanctioned) * weekly / 7.0
