"""Find the calibrated ensemble by history matching; write experiments/calibration_ensemble.yaml.

Run by hand (about 25 minutes on 2 cores):
    python experiments/calibrate_ensemble.py [--design 30] [--candidates 16] [--workers 2]
or, after the baseline's other fitted values or its targets change, to run the
members again against today's targets and keep those that still meet them all
(a few minutes):
    python experiments/calibrate_ensemble.py --recheck [--shift DELTA] [--workers 2]

1. Wave 1 runs the fragmented baseline at ``--design`` points of a Latin
   hypercube over the box in ``VARIED`` (at the targets file's size, its first
   seed), and fits a Gaussian-process emulator of each calibration target
   (scikit-learn: a constant times an anisotropic RBF kernel, plus white noise
   for the Monte Carlo noise of a single seed).
2. Inputs are ruled out where any target's implausibility
   (``journeysim.runs.ensemble.implausibility``) exceeds the cut-off of 3; the
   emulator's sd there includes one seed's Monte Carlo noise (the white-noise
   term), which the check in step 3 then removes by running three seeds.
   Wave 2 runs ``--design`` more points drawn from those not ruled out, and the
   emulators are refitted on both waves.
3. ``--candidates`` points not ruled out, at evenly spaced ranks in barrier
   sensitivity (its quantiles among the points left) along the ridge, are run
   for real at the targets file's size and all its seeds; those that meet
   every target are the members, in order of barrier sensitivity.

The other fitted parameters (the fit-for-work probability, the hazard of closing
an ESA claim before its WCA, and the ESA and IS inflows) each answer to a target
of their own that the labour market barely moves; they keep the baseline's
values, and every member is checked against their targets too. Copy nothing by
hand: the script writes the file, and ``tests/test_ensemble.py`` re-checks
members drawn from it.
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import numpy as np
import yaml
from scipy.stats import qmc
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

from journeysim import config
from journeysim.runs import calibration, ensemble, experiment, results

#: The fitted values the ensemble varies, and the box searched (about twice the
#: range over which the grid fit's neighbours still met T1).
VARIED = {
    "labour_market.matching_efficiency": (0.15, 0.45),
    "labour_market.barrier_sensitivity": (0.2, 1.4),
    "population.inflow_per_1000_week.JSA": (2.5, 4.5),
}
ORDER = "labour_market.barrier_sensitivity"
CANDIDATES_LOG2 = 14  # 16,384 candidate inputs, a power of 2 as Sobol points need
OUT = Path(__file__).parent / "calibration_ensemble.yaml"


def scenario_at(values: dict[str, float]) -> config.Scenario:
    """The baseline with ``values`` set."""
    raw = config.load_raw(config.BASELINE)
    for path, value in values.items():
        raw = config.deep_merge(raw, config.override(path, value))
    return config.validate(raw, "ensemble point")


def modelled(values: dict[str, float], seed: int) -> dict[str, float]:
    """Each target's measure at ``values`` for one seed, at the targets file's size."""
    settings, targets = calibration.load_targets()
    summary = results.simulate(scenario_at(values).with_run(
        people=settings["people"], weeks=settings["weeks"], seed=seed)).summary
    return {t.id: calibration.lookup(summary, t.measure) for t in targets}


def run_points(points: np.ndarray, seeds: list[int], pool: experiment.Executor,
               label: str) -> list[dict[str, float]]:
    """The seed-mean of each target at each point, run on ``pool``."""
    futures = [[pool.submit(modelled, as_values(p), s) for s in seeds] for p in points]
    out = []
    started = time.monotonic()
    for done, row in enumerate(futures, start=1):
        scores = [f.result() for f in row]
        out.append({k: float(np.mean([s[k] for s in scores])) for k in scores[0]})
        print(f"  {label}: {done}/{len(points)} points, {time.monotonic() - started:.0f} s",
              flush=True)
    return out


def as_values(point: np.ndarray) -> dict[str, float]:
    """A point of the unit cube as fitted values, rounded as a config would hold them."""
    return {path: round(float(low + u * (high - low)), 4)
            for (path, (low, high)), u in zip(VARIED.items(), point, strict=True)}


def emulators(points: np.ndarray, scores: list[dict[str, float]],
              targets: list[calibration.Target]) -> dict[str, GaussianProcessRegressor]:
    """One Gaussian process per target, over the unit cube."""
    fitted = {}
    # A target that does not depend on an input (T1 on the JSA inflow, say) has its
    # length scale along it at the upper bound: expected, not a failure to fit.
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    for target in targets:
        kernel = (ConstantKernel(1.0, (1e-3, 1e3)) * RBF([0.5] * len(VARIED), (0.05, 20.0))
                  + WhiteKernel(1e-2, (1e-6, 1.0)))
        gp = GaussianProcessRegressor(kernel, normalize_y=True, n_restarts_optimizer=3,
                                      random_state=0)
        fitted[target.id] = gp.fit(points, [s[target.id] for s in scores])
    return fitted


def worst(candidates: np.ndarray, fitted: dict[str, GaussianProcessRegressor],
          targets: list[calibration.Target]) -> np.ndarray:
    """The largest implausibility over the targets at each candidate."""
    worst_seen = np.zeros(len(candidates))
    for target in targets:
        mean, sd = fitted[target.id].predict(candidates, return_std=True)
        worst_seen = np.maximum(worst_seen, ensemble.implausibility(mean, sd, target))
    return worst_seen


def main() -> None:
    """Run the waves, check the candidates, write the ensemble (or re-check its members)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--design", type=int, default=30, help="points per wave")
    parser.add_argument("--candidates", type=int, default=16, help="points checked for real")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--recheck", action="store_true",
                        help="run the file's members again against today's targets")
    parser.add_argument("--shift", type=float, default=0.0,
                        help="with --recheck: move every member's JSA inflow by this much "
                             "first (the baseline's own refit shift)")
    args = parser.parse_args()
    if args.recheck:
        recheck(args.workers, args.shift)
        return
    settings, targets = calibration.load_targets()
    rng = np.random.default_rng(20101)
    cube = qmc.Sobol(len(VARIED), seed=rng).random_base2(CANDIDATES_LOG2)
    with experiment.executor("processes", args.workers) as pool:
        points = qmc.LatinHypercube(len(VARIED), seed=rng).random(args.design)
        scores = run_points(points, settings["seeds"][:1], pool, "wave 1")
        fitted = emulators(points, scores, targets)
        kept = cube[worst(cube, fitted, targets) < ensemble.CUTOFF]
        print(f"wave 1 leaves {len(kept) / len(cube):.1%} of the box", flush=True)
        if len(kept) < max(args.design, args.candidates):
            raise SystemExit("too little of the box is left: widen it or add design points")
        extra = kept[rng.choice(len(kept), args.design, replace=False)]
        points = np.vstack([points, extra])
        scores += run_points(extra, settings["seeds"][:1], pool, "wave 2")
        fitted = emulators(points, scores, targets)
        kept = cube[worst(cube, fitted, targets) < ensemble.CUTOFF]
        share = len(kept) / len(cube)
        print(f"wave 2 leaves {share:.1%} of the box", flush=True)
        if len(kept) < args.candidates:
            raise SystemExit("too little of the box is left after wave 2 for the candidates")
        order = list(VARIED).index(ORDER)
        kept = kept[np.argsort(kept[:, order])]
        chosen = kept[np.linspace(0, len(kept) - 1, args.candidates).round().astype(int)]
        checked = run_points(chosen, settings["seeds"], pool, "check")
    members = meeting(chosen, checked, targets)
    write(members, (f"history matching: 2 waves of {args.design} runs (Latin hypercube, then "
                    f"the inputs not ruled out), a Gaussian-process emulator per target, "
                    f"implausibility cut-off {ensemble.CUTOFF:g} with each band read as "
                    f"±{ensemble.BAND_SIGMAS:g} sd; {share:.1%} of the box not ruled out; "
                    f"{len(members)} of {args.candidates} candidates met every target when "
                    "run"))


def meeting(points: np.ndarray, checked: list[dict[str, float]],
            targets: list[calibration.Target]) -> list[dict]:
    """The points whose scores meet every target, as members of the file."""
    bands = {t.id: t for t in targets}
    members = [{"values": as_values(p), "scores": {k: round(v, 4) for k, v in s.items()}}
               for p, s in zip(points, checked, strict=True)
               if all(bands[k].low <= v <= bands[k].high for k, v in s.items())]
    if len(members) < 2:
        raise SystemExit(f"only {len(members)} points met every target: the file is left as "
                         "it was")
    return members


def recheck(workers: int, shift: float = 0.0) -> None:
    """Run the file's members at the targets' size and seeds; keep those meeting every target.

    ``shift`` moves each member's JSA inflow first: when the model changes how many
    claims come back on their own, the baseline's refit moves its inflow, and each
    member's moves about as much.
    """
    settings, targets = calibration.load_targets()
    old = yaml.safe_load(OUT.read_text(encoding="utf-8"))
    moved = {"population.inflow_per_1000_week.JSA": shift}
    points = np.array([[(m["values"][path] + moved.get(path, 0.0) - low) / (high - low)
                        for path, (low, high) in VARIED.items()] for m in old["members"]])
    with experiment.executor("processes", workers) as pool:
        checked = run_points(points, settings["seeds"], pool, "re-check")
    members = meeting(points, checked, targets)
    method = old["method"].split("; re-checked")[0]
    moved_by = f" with their JSA inflow moved by {shift:+g}" if shift else ""
    write(members, f"{method}; re-checked against today's targets{moved_by}: "
                   f"{len(members)} of {len(points)} members met every target")


def write(members: list[dict], method: str) -> None:
    """Write the ensemble file: its members, the box searched and how they were found."""
    header = (
        "# The calibrated ensemble: sets of the baseline's fitted values that each meet\n"
        "# every calibration target (experiments/calibration_targets.yaml) on the mean of\n"
        "# its seeds. Written by experiments/calibrate_ensemble.py; do not edit by hand.\n"
        "# Each member's scores are the targets' measures it gave when checked.\n")
    document = {
        "version": ensemble.VERSION,
        "method": method,
        "box": {path: list(bounds) for path, bounds in VARIED.items()},
        "parameters": list(VARIED),
        "members": members,
    }
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=88)
    OUT.write_text(header + text, encoding="utf-8")
    print(f"{len(members)} members kept; wrote {OUT}")


if __name__ == "__main__":
    main()
