"""The measures a run reports: one entry each, with its label, unit and format.

``summary.json`` (DESIGN.md section 6), the table ``journeysim run`` prints, the
comparison table, sweeps and the report all read their measures from here, so
a measure is named, labelled and formatted in one place. Registry order is the
order of every table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["share", "weeks", "number", "count", "GBP"]


@dataclass(frozen=True)
class Measure:
    """One reported measure.

    Attributes:
        name: its key in ``summary.json`` or the appraisal (part of the output contract).
        label: how tables and the report name it.
        unit: ``share`` (0 to 1, shown as a percentage), ``weeks``, ``number``,
            ``count`` or ``GBP``.
        digits: decimals shown (of the percentage, for a share).
        summary: a row of the table ``journeysim run`` prints.
        compared: compared between scenarios, replication by replication
            (``compare``, sweeps and sensitivity).
    """

    name: str
    label: str
    unit: Unit
    digits: int
    summary: bool = False
    compared: bool = False


def _registry(*measures: Measure) -> dict[str, Measure]:
    return {m.name: m for m in measures}


#: Every headline measure of ``summary.json``, overall and (all but ``cost_fixed``)
#: under ``by_benefit`` and ``by_segment``.
MEASURES = _registry(
    Measure("off_flow_13w", "Off-flow by week 13 (new claims)", "share", 1, True, True),
    Measure("off_flow_26w", "Off-flow by week 26", "share", 1, True, True),
    Measure("off_flow_52w", "Off-flow by week 52", "share", 1, True, True),
    Measure("off_flow_destinations", "Off-flow by destination (work, benefit, inactive)",
            "share", 1),
    Measure("off_benefit_13w", "Off the claim's benefit by week 13", "share", 1),
    Measure("off_benefit_26w", "Off the claim's benefit by week 26", "share", 1),
    Measure("off_benefit_52w", "Off the claim's benefit by week 52", "share", 1),
    Measure("off_benefit_destinations",
            "Off the claim's benefit by destination (work, benefit, inactive)", "share", 1),
    Measure("median_claim_weeks", "Median claim (new claims), weeks", "weeks", 2, True, True),
    Measure("mean_claim_weeks", "Mean claim to the end of the run (new claims), weeks",
            "weeks", 2),
    Measure("new_claims", "New claims in the run", "count", 0),
    Measure("claimants", "Claimants", "count", 0),
    Measure("job_entry_rate", "Job entry (claimants)", "share", 1, True, True),
    Measure("sustained_job_rate", "In work 26 weeks or more", "share", 1, True, True),
    Measure("sustained_job_rate_52w", "In work 52 weeks or more", "share", 1, True, True),
    Measure("in_work_at_end", "Claimants in work at the end of the run", "share", 1),
    Measure("cycling_rate", "Back on benefit within 26 weeks of a job", "share", 1, True, True),
    Measure("mean_spells", "Claim spells per claimant", "number", 2, True, True),
    Measure("agencies_per_person", "Agencies touched per claimant", "number", 2, True, True),
    Measure("assessments_per_person", "Assessments per claimant", "number", 2, True, True),
    Measure("sanctions_per_person", "Sanctions per claimant", "number", 2),
    Measure("repeat_interventions_per_person", "Standard product again, per claimant",
            "number", 2, True, True),
    Measure("retells_per_person", "Story told again, per claimant", "number", 2,
            True, True),
    Measure("distance_travelled", "Distance travelled (barrier load shed)",
            "number", 3, True, True),
    Measure("motivation_gained", "Motivation gained per claimant", "number",
            3, True, True),
    Measure("waiting_days_per_person", "Days waiting per claimant", "number", 2, True, True),
    Measure("referrals_made", "Referrals made", "count", 0, True),
    Measure("referrals_lost", "Referrals that never arrived", "count", 0),
    Measure("referral_loss_rate", "Referrals lost", "share", 1, True, True),
    Measure("dropped_no_adviser", "Appointments dropped, no adviser free", "count", 0, True,
            True),
    Measure("refused_full", "Offers refused, caseload or cohort full", "count", 0, True, True),
    Measure("gave_up_waiting", "Left a waiting list before being seen", "count", 0, True,
            True),
    Measure("cost_benefit", "Benefit payments", "GBP", 0, True, True),
    Measure("cost_services", "Service costs", "GBP", 0, True, True),
    Measure("cost_fixed", "Costs of no one claimant (hub premises)", "GBP", 0),
    Measure("cost_total", "Total cost", "GBP", 0, True, True),
    Measure("cost_per_person", "Cost per claimant", "GBP", 0, True, True),
    Measure("cost_per_sustained_job", "Cost per sustained job", "GBP", 0, True, True),
    Measure("hires_in_model", "Job starts in the model", "count", 0, True, True),
    Measure("hires_outside", "Hires outside the model (expected)", "number", 0, True, True),
    Measure("hires_total", "Hires in the borough", "number", 0, True, True),
    Measure("hires_under_25", "Job starts in the model, aged under 25", "count", 0, True,
            True),
    Measure("hires_25_49", "Job starts in the model, aged 25-49", "count", 0, True, True),
    Measure("hires_50_plus", "Job starts in the model, aged 50 or more", "count", 0, True,
            True),
    Measure("jsa_18_24_off_flow_26w", "JSA 18-24: off-flow by week 26", "share", 1, True,
            True),
    Measure("jsa_18_24_off_flow_52w", "JSA 18-24: off-flow by week 52", "share", 1, True,
            True),
    Measure("jsa_18_24_job_entry_rate", "JSA 18-24: job entry", "share", 1, True, True),
    Measure("jsa_18_24_sustained_job_rate", "JSA 18-24: in work 26 weeks or more", "share", 1,
            True, True),
    Measure("jsa_25_49_job_entry_rate", "JSA 25-49: job entry", "share", 1, True, True),
    Measure("jsa_25_49_sustained_job_rate", "JSA 25-49: in work 26 weeks or more", "share", 1,
            True, True),
    Measure("jsa_50_plus_job_entry_rate", "JSA 50+: job entry", "share", 1, True, True),
    Measure("jsa_50_plus_sustained_job_rate", "JSA 50+: in work 26 weeks or more", "share",
            1, True, True),
    Measure("children", "Dependent children in the model's households", "count", 0),
    Measure("children_workless_start", "Children in workless households, at arrival", "share",
            1),
    Measure("children_workless_end", "Children in workless households, at the end", "share",
            1, True, True),
    Measure("children_poor_start", "Children below the poverty line, at arrival", "share", 1),
    Measure("children_poor_end", "Children below the poverty line, at the end", "share", 1,
            True, True),
    Measure("household_income_in_work", "Weekly income of households in work, at the end",
            "GBP", 0, True, True),
    Measure("vacancies_start", "Vacancies open to everyone at the start", "number", 0),
    Measure("vacancies_opened", "Vacancies employers opened", "number", 0, True, True),
    Measure("vacancies_filled", "Vacancies filled (expected hires)", "number", 0, True, True),
    Measure("vacancies_lapsed", "Vacancies withdrawn unfilled", "number", 0, True, True),
    Measure("vacancies_end", "Vacancies open to everyone at the end", "number", 0, True,
            True),
    Measure("pledged_opened", "Vacancies pledged to young people, opened", "number", 0,
            True, True),
    Measure("pledged_filled", "Vacancies pledged to young people, filled", "number", 0,
            True, True),
    Measure("pledged_lapsed", "Vacancies pledged to young people, withdrawn unfilled",
            "number", 0),
    Measure("pledged_end", "Vacancies pledged to young people, open at the end", "number", 0),
    Measure("fit_for_work_share", "WCAs finding the claimant fit for work", "share", 1),
    Measure("wca_outcomes", "ESA claims by WCA outcome (closed before it, fit for work, "
            "support group, work-related activity group, in progress)", "share", 1),
    Measure("work_programme_breaks", "Work Programme attachments followed by 13 (26) weeks "
            "off benefit within 36 weeks", "share", 1),
)

#: Measures of a comparison, not of one run (``compare``'s table, per design).
COMPARISON = _registry(
    Measure("displacement", "Share of extra job starts taken from other searchers", "share",
            1),
)

#: The measures of the stock at the end of the run (``summary.json`` under ``stock``).
#: Work among relatives out of work who never claim (``summary.json``'s ``non_claimants``).
NON_CLAIMANTS = _registry(
    Measure("people", "Relatives out of work, never claiming", "count", 0),
    Measure("job_entry_52w", "Relatives out of work starting a job within 52 weeks", "share",
            1),
    Measure("in_work_at_end", "Relatives out of work at arrival in work at the end", "share",
            1),
    Measure("retells_per_person", "Story told again, per relative", "number", 2),
)
#: An impact on the treated (:mod:`journeysim.analysis.impacts`), as validate reads it.
IMPACT = _registry(
    Measure("impact", "Impact on the treated (treated less the same people in the baseline)",
            "share", 1),
    Measure("treated_share", "Share of the treated", "share", 1),
)
STOCK = _registry(
    Measure("claiming_at_end", "Claiming at the end", "count", 0, True),
    Measure("esa_over_2y_share", "ESA claimants on benefit over 2 years", "share", 1, True),
    Measure("jsa_over_1y_share", "JSA claimants on benefit over 1 year", "share", 1),
    Measure("stock_still_claiming", "Starting stock still claiming at the end", "share", 1),
    Measure("jsa_count_change", "Change in the number of JSA claims open, start to end",
            "share", 1),
    Measure("esa_count_change", "Change in the number of ESA claims open, start to end",
            "share", 1),
    Measure("is_count_change", "Change in the number of IS claims open, start to end", "share",
            1),
)

#: The main figures of a cost-benefit appraisal against the baseline (``cba.csv``).
APPRAISAL = _registry(
    Measure("npv_society", "NPV, society, net of displacement", "GBP", 0),
    Measure("npv_society_gross", "NPV, society, gross (no displacement)", "GBP", 0),
    Measure("npv_society_same_horizon",
            "NPV, society, net, benefits stopping with the run (same horizon as costs)",
            "GBP", 0),
    Measure("npv_society_without_wellbeing", "NPV, society, net, without wellbeing", "GBP",
            0),
    Measure("npv_society_without_wellbeing_gross",
            "NPV, society, gross (no displacement), without wellbeing", "GBP", 0),
    Measure("npv_exchequer", "NPV, Exchequer, net of displacement (never includes wellbeing)",
            "GBP", 0),
    Measure("npv_exchequer_gross", "NPV, Exchequer, gross (no displacement)", "GBP", 0),
    Measure("npv_exchequer_same_horizon",
            "NPV, Exchequer, net, benefits stopping with the run (same horizon as costs)",
            "GBP", 0),
    Measure("npv_participant", "NPV, participant", "GBP", 0),
    Measure("bcr_society", "benefit–cost ratio, society, net of displacement", "number", 2),
    Measure("bcr_society_gross", "benefit–cost ratio, society, gross (no displacement)",
            "number", 2),
    Measure("bcr_society_same_horizon",
            "benefit–cost ratio, society, net, benefits stopping with the run", "number", 2),
    Measure("bcr_society_without_wellbeing",
            "benefit–cost ratio, society, net, without wellbeing", "number", 2),
    Measure("bcr_exchequer", "benefit–cost ratio, Exchequer, net of displacement", "number",
            2),
    Measure("bcr_exchequer_gross", "benefit–cost ratio, Exchequer, gross (no displacement)",
            "number", 2),
    Measure("displacement_applied",
            "share of the extra job starts taken from job seekers outside the model, as "
            "applied", "share", 1),
    Measure("wellbeing_share_of_society_benefits", "wellbeing's share of society's benefits",
            "share", 1),
    Measure("npv_fiscal", "NPV, fiscal", "GBP", 0),
    Measure("npv_economic", "NPV, economic", "GBP", 0),
    Measure("npv_social", "NPV, social", "GBP", 0),
    Measure("additional_sustained_jobs", "additional people in sustained work", "number", 0),
    Measure("cost_per_additional_sustained_job", "Exchequer cost per additional sustained job",
            "GBP", 0),
    Measure("payback_years_exchequer", "Exchequer payback (years)", "number", 1),
)

#: The rows of the table ``journeysim run`` prints, in order.
SUMMARY_ROWS = tuple(m for m in MEASURES.values() if m.summary)

#: The names of the measures compared between scenarios, in order.
COMPARED = tuple(m.name for m in MEASURES.values() if m.compared)


#: The differences whose uncertainty is analysed and drawn (``journeysim uncertainty``).
MAIN_DIFFERENCES = ("off_flow_13w", "sustained_job_rate", "cost_total", "npv_society",
                    "npv_exchequer")


def lookup(name: str) -> Measure:
    """The entry of a measure or appraisal figure by name (a plain number if unknown)."""
    return MEASURES.get(name) or APPRAISAL.get(name) or COMPARISON.get(name) or Measure(
        name, name.replace("_", " "), "number", 2)
