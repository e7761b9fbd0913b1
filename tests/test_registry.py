from journeysim.analysis.registry import (
    APPRAISAL,
    COMPARED,
    MEASURES,
    NON_CLAIMANTS,
    STOCK,
    SUMMARY_ROWS,
)
from journeysim.runs.results import simulate

#: What summary.json holds besides measures: the run's identity and its groups.
NOT_MEASURES = {"scenario", "config_hash", "seed", "replication", "version", "people",
                "agents", "weeks", "stock", "by_benefit", "by_segment", "by_service",
                "head_counts", "non_claimants"}


def test_the_registry_covers_every_measure_a_run_writes(baseline):
    summary = simulate(baseline.with_run(people=300, weeks=30, seed=2)).summary
    assert set(summary) - NOT_MEASURES == set(MEASURES)
    for group in (*summary["by_benefit"].values(), *summary["by_segment"].values()):
        assert set(group) <= set(MEASURES)
    assert set(summary["stock"]) == set(STOCK)
    assert set(summary["non_claimants"]) == set(NON_CLAIMANTS)


def test_what_is_compared_is_also_what_a_run_prints():
    assert set(COMPARED) <= {m.name for m in SUMMARY_ROWS}
    assert all(m.name in MEASURES for m in SUMMARY_ROWS)
    assert APPRAISAL, "the report's appraisal table reads its rows from here"
