"""Figures from tables: no I/O here, the caller saves them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402


def sensitivity_figure(indices: pd.DataFrame) -> Figure:
    """Bars of each parameter's index, one panel per measure, with confidence whiskers.

    Morris tables show mu* (the mean absolute elementary effect, in the measure's
    own units); Sobol tables show the total-order index ST (share of variance).
    """
    morris = "mu_star" in indices.columns
    value, conf = ("mu_star", "mu_star_conf") if morris else ("ST", "ST_conf")
    measures = list(dict.fromkeys(indices.measure))
    figure, axes = plt.subplots(len(measures), 1, figsize=(7, 1.2 + 1.6 * len(measures)),
                                squeeze=False)
    for axis, measure in zip(axes[:, 0], measures, strict=True):
        rows = indices[indices.measure == measure]
        axis.barh(rows.parameter, rows[value], xerr=rows[conf], color="0.55",
                  edgecolor="black", capsize=3)
        axis.set_title(measure, fontsize=10, loc="left")
        axis.set_xlabel("mu* (units of the measure)" if morris else "total-order Sobol index")
        axis.invert_yaxis()
    figure.tight_layout()
    return figure
