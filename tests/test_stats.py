import math

import numpy as np
import pandas as pd
import pytest

from journeysim.analysis.stats import interval, ratio, t_half_width
from journeysim.present.plots import band

#: Student's t, 97.5th percentile with 3 degrees of freedom, from a printed table.
T_975_3 = 3.182446


def test_interval_is_the_hand_calculation_for_four_values():
    # mean 2.5; sample variance ((1.5² + 0.5²) × 2) / 3 = 5/3
    mean, half = interval(pd.Series([1.0, 2.0, 3.0, 4.0]))
    assert mean == 2.5
    assert half == pytest.approx(T_975_3 * math.sqrt(5 / 3) / math.sqrt(4), rel=1e-6)


def test_interval_leaves_out_missing_values_and_has_no_width_for_one():
    assert interval(pd.Series([1.0, None, 2.0, 3.0, 4.0])) == interval(
        pd.Series([1.0, 2.0, 3.0, 4.0]))
    mean, half = interval(pd.Series([7.0]))
    assert mean == 7.0 and math.isnan(half)
    assert all(math.isnan(v) for v in interval(pd.Series([], dtype=float)))


def test_the_figures_band_is_the_same_interval_column_by_column():
    rows = np.array([[1.0, 10.0], [2.0, 30.0], [3.0, np.nan], [4.0, 20.0]])
    mean, low, high = band(rows)
    for column in range(2):
        centre, half = interval(pd.Series(rows[:, column]))
        assert mean[column] == pytest.approx(centre)
        assert (low[column], high[column]) == pytest.approx((centre - half, centre + half))


def test_t_half_width_is_undefined_below_two_values():
    assert np.isnan(t_half_width([1.0, 1.0], [0, 1])).all()
    assert float(t_half_width(2.0, 4)) == pytest.approx(T_975_3, rel=1e-6)


def test_a_ratio_over_nothing_is_none():
    assert ratio(3, 0) is None
    assert ratio(0, 4) == 0.0
    assert ratio(3, 4) == 0.75
