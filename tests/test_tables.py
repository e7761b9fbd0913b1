import math

import pandas as pd

from journeysim.present.tables import cell, format_table


def test_cells_show_each_unit_its_own_way():
    assert cell(0.5374, "share", 1) == "53.7%"
    assert cell(0.031, "share", 1, 0.008, difference=True) == "3.1 pts ± 0.8 pts"
    assert cell(-1234.4, "GBP", 0, 56.0) == "−£1,234 ± 56"
    assert cell(-0.4, "GBP", 0) == "£0"
    assert cell(-0.0004, "share", 1, difference=True) == "0.0 pts", "no sign on a rounded zero"
    assert cell(-0.012, "share", 1, difference=True) == "−1.2 pts"
    assert cell(9556, "count", 0) == "9,556"
    assert cell(13.0, "weeks", 2) == "13.00"
    assert cell(None, "share", 1) == cell(math.nan, "GBP", 0) == "n/a"


def test_the_comparison_table_shows_units_and_only_the_compared_measures():
    table = pd.DataFrame([
        {"scenario": "a", "measure": "off_flow_13w", "mean": 0.5, "half_width": 0.01},
        {"scenario": "b", "measure": "off_flow_13w", "mean": 0.6, "half_width": 0.01,
         "difference": 0.1, "difference_half_width": 0.005},
        {"scenario": "a", "measure": "cost_total", "mean": 2e6, "half_width": 1e4},
        {"scenario": "a", "measure": "referrals_made", "mean": 10.0, "half_width": 1.0},
    ])
    lines = format_table(table).splitlines()
    assert len(lines) == 4
    assert "50.0% ± 1.0%" in lines[1] and lines[1].rstrip().endswith("± 1.0%")
    assert lines[2].rstrip().endswith("10.0 pts ± 0.5 pts")
    assert "£2,000,000 ± 10,000" in lines[3]
