"""The calibrated ensemble: its file, its refusals, and members that meet the targets."""

import numpy as np
import pytest
import yaml

from journeysim import config
from journeysim.config import ConfigError
from journeysim.config.evidence import load_evidence
from journeysim.runs import calibration, ensemble, uncertainty


def test_the_bundled_ensemble_sets_fitted_values_along_the_ridge():
    found = ensemble.load_ensemble()
    assert len(found.members) >= 5
    assert set(found.parameters) <= set(config.FITTED)
    ridge = [m["labour_market.barrier_sensitivity"] for m in found.members]
    assert ridge == sorted(ridge) and ridge[-1] - ridge[0] > 0.1, "spread along the ridge"
    _, targets = calibration.load_targets()
    for scores in found.scores:
        assert {t.id for t in targets} == set(scores)
        assert all(t.low <= scores[t.id] <= t.high for t in targets)


@pytest.mark.parametrize(("change", "message"), [
    ({"version": 2}, "version 1"),
    ({"parameters": ["labour_market.vacancies_per_1000"]}, "fitted parameters only"),
    ({"members": [{"values": {"labour_market.barrier_sensitivity": 0.5}}]}, "finite number"),
    ({"members": []}, "no members"),
])
def test_a_wrong_ensemble_file_is_refused_with_its_reason(tmp_path, change, message):
    good = yaml.safe_load(ensemble.ENSEMBLE_FILE.read_text(encoding="utf-8"))
    path = tmp_path / "ensemble.yaml"
    path.write_text(yaml.safe_dump({**good, **change}), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        ensemble.load_ensemble(path)


def test_implausibility_is_the_distance_from_the_band_in_standard_deviations():
    target = calibration.Target("T", "m", "", 0.55, 0.50, 0.60)
    found = ensemble.implausibility(np.array([0.55, 0.60, 0.60]), np.array([0.0, 0.0, 0.05]),
                                    target)
    sigma = 0.05 / ensemble.BAND_SIGMAS
    assert found == pytest.approx([0.0, 3.0, 0.05 / np.hypot(0.05, sigma)])


@pytest.mark.slow
@pytest.mark.parametrize("end", [0, -1])
def test_a_member_drawn_meets_every_calibration_target(baseline, end):
    """Each end of the ridge, applied as a draw applies it, at the targets' size and seeds."""
    found = ensemble.load_ensemble()
    number = range(len(found.members))[end]
    drawn = uncertainty.drawn(baseline, baseline, uncertainty.Draw(1, {}, number),
                              load_evidence(), found.members[number])
    checks = calibration.evaluate(drawn)
    missed = [f"{c.target.id}: {c.modelled:.3f}" for c in checks if not c.passed]
    assert not missed, f"member {number} misses its targets: {missed}"
