"""An emulator of the draws: Sobol indices from a few dozen runs, checked on held-out draws.

A Sobol design needs ``N (P + 2)`` runs for P quantities: thousands for the
hundred or so an uncertainty analysis draws. Here a Gaussian process
(scikit-learn) is fitted to the draws a Latin hypercube already made, each
quantity's quantile in [0, 1] an input, and the Sobol indices (first order and
total, Saltelli's estimators through SALib) are taken from the emulator, which
costs nothing to evaluate. The kernel is a constant times a squared-exponential
with one length-scale per input (automatic relevance determination: an input
the differences do not follow gets a long one), plus white noise for the runs'
own Monte Carlo error.

The emulator is only as good as its predictions: each fit is checked by K-fold
cross-validation (each fold of draws predicted by a process fitted to the rest
alone, its hyperparameters too), and the held-out R squared and RMSE are
reported beside the indices. Indices are not given where the held-out R squared
is below :data:`GOOD_ENOUGH`.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.stats import qmc

if TYPE_CHECKING:
    from sklearn.gaussian_process import GaussianProcessRegressor

#: Held-out R squared below which the emulator's indices are not given (assumption: at
#: half the variance unexplained, indices would mostly describe the emulator's guesses).
GOOD_ENOUGH = 0.5
#: Folds of the held-out check.
FOLDS = 5
#: Base sample of the Saltelli design evaluated on the emulator: ``BASE (P + 2)`` points.
BASE = 1024


@dataclass(frozen=True)
class Emulated:
    """Sobol indices from an emulator, and how well it predicted held-out draws.

    ``first_order``, ``total`` and their 95% half-widths (``*_conf``: the Saltelli
    estimators' sampling error on the emulator, not the emulator's own error) are
    per input, NaN where the emulator is not good enough; ``r2`` and ``rmse`` are
    over the held-out predictions, in the outputs' unit.
    """

    first_order: np.ndarray
    first_order_conf: np.ndarray
    total: np.ndarray
    total_conf: np.ndarray
    r2: float
    rmse: float

    @property
    def good(self) -> bool:
        """Whether the held-out predictions are good enough to give the indices."""
        return bool(self.r2 >= GOOD_ENOUGH)


def _process(inputs: int, seed: int) -> GaussianProcessRegressor:
    """A Gaussian process with one length-scale per input and a noise term (unfitted)."""
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

    kernel = (ConstantKernel(1.0, (1e-3, 1e3))
              * RBF(length_scale=np.ones(inputs), length_scale_bounds=(1e-2, 1e3))
              + WhiteKernel(noise_level=0.1, noise_level_bounds=(1e-6, 1e1)))
    return GaussianProcessRegressor(kernel=kernel, normalize_y=True, random_state=seed)


def _fit(x: np.ndarray, y: np.ndarray, seed: int) -> GaussianProcessRegressor:
    """The process fitted to ``x`` (draws by inputs) and ``y``.

    An optimiser that stops at its iteration limit or a bound keeps what it found.
    """
    from sklearn.exceptions import ConvergenceWarning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        return _process(x.shape[1], seed).fit(x, y)


def held_out(x: np.ndarray, y: np.ndarray, seed: int, folds: int = FOLDS) -> np.ndarray:
    """Each draw's value predicted by a process fitted to the other folds only (K-fold).

    The kernel's hyperparameters are fitted again without the fold: one length-scale
    per input, chosen with the held-out draws in view, would pick inputs that
    happen to follow their noise and flatter the check.
    """
    predicted = np.empty_like(y, dtype=float)
    order = np.random.default_rng(seed).permutation(len(y))
    for part in np.array_split(order, min(folds, len(y))):
        rest = np.setdiff1d(order, part)
        predicted[part] = _fit(x[rest], y[rest], seed).predict(x[part])
    return predicted


def emulate(x: np.ndarray, y: np.ndarray, seed: int) -> Emulated:
    """Fit an emulator to draws ``x`` (quantiles in [0, 1]) with values ``y``; its indices.

    The held-out check comes first (K + 1 fits in all); when it is good enough,
    the Sobol indices of the process fitted to every draw.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    predicted = held_out(x, y, seed)
    residual = float(np.sum((y - predicted) ** 2))
    r2 = 1.0 - residual / float(np.sum((y - y.mean()) ** 2))
    rmse = float(np.sqrt(residual / len(y)))
    if r2 < GOOD_ENOUGH:
        missing = np.full(x.shape[1], np.nan)
        return Emulated(missing, missing, missing, missing, r2, rmse)
    found = _sobol(_fit(x, y, seed), seed)
    return Emulated(*found, r2=r2, rmse=rmse)


def _sobol(fitted: GaussianProcessRegressor, seed: int) -> tuple[np.ndarray, ...]:
    """SALib's first-order and total indices, and their half-widths, of the emulator.

    The points are Saltelli's (SALib's layout without second-order terms: for each
    base row, A, then A with each column from B, then B), from a scrambled Sobol
    sequence drawn here in one go: SALib's own sampler is slow at a hundred inputs.
    """
    from SALib.analyze import sobol

    inputs = fitted.n_features_in_
    base = qmc.Sobol(d=2 * inputs, scramble=True, seed=seed).random(BASE)
    a, b = base[:, :inputs], base[:, inputs:]
    points = np.repeat(a[:, None, :], inputs + 2, axis=1)
    points[:, -1, :] = b
    columns = np.arange(inputs)
    points[:, 1 + columns, columns] = b[:, columns]
    values = fitted.predict(points.reshape(-1, inputs))
    problem = {"num_vars": inputs, "names": [f"x{i}" for i in range(inputs)],
               "bounds": [[0.0, 1.0]] * inputs}
    with warnings.catch_warnings():  # an input the emulator finds flat is a finding
        warnings.filterwarnings("ignore", "Constant values", UserWarning)
        found = sobol.analyze(problem, values, calc_second_order=False, seed=seed)
    return tuple(np.asarray(found[key]) for key in ("S1", "S1_conf", "ST", "ST_conf"))
