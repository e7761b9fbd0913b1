"""Back-tests: a small run against stored outputs, and the calibration targets."""

import json
import os
from pathlib import Path

import pytest

from journeysim.runs import calibration
from journeysim.runs.results import simulate

GOLDEN = Path(__file__).parent / "data" / "golden_small.json"


def _small(baseline):
    summary = dict(simulate(baseline.with_run(people=300, weeks=52, seed=7)).summary)
    summary.pop("version")
    return summary


def test_small_run_matches_stored_outputs(baseline):
    """Any change to the model's behaviour shows here; regenerate only on purpose with
    JOURNEYSIM_UPDATE_GOLDEN=1 and say why in the commit."""
    summary = _small(baseline)
    if os.environ.get("JOURNEYSIM_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        pytest.skip("golden output rewritten")
    stored = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert summary.keys() == stored.keys()
    for key in ("scenario", "config_hash", "seed", "people", "agents", "weeks", "claimants"):
        assert summary[key] == stored[key], key
    _close(summary, stored)


def _close(a, b, path="summary"):
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            _close(a[key], b[key], f"{path}.{key}")
        return True
    if isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9), path
        return True
    assert a == b, path
    return True


@pytest.mark.slow
def test_baseline_meets_the_calibration_targets(baseline):
    checks = calibration.evaluate(baseline)
    failures = [f"{c.target.id} {c.target.measure}: modelled {c.modelled:.3f}, "
                f"band [{c.target.low}, {c.target.high}] ({c.target.observed})"
                for c in checks if not c.passed]
    assert not failures, "baseline off its calibration:\n" + "\n".join(failures)
