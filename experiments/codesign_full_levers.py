"""Each lever of codesign-full switched off alone: the paired differences, as Markdown.

Run by hand from the checkout's root (a few minutes on two cores):

    python experiments/codesign_full_levers.py [PEOPLE] [REPS]

Prints the table in docs/evidence.md ("Which levers matter in codesign-full"):
for each lever, the mean paired difference (lever off minus codesign-full, common
random numbers, seed 1) of a few headline measures with its 95% half-width, and
how many compared measures moved beyond their interval. The levers and their
"off" settings are those of tests/test_levers.py.
"""

from __future__ import annotations

import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from journeysim import config
from journeysim.analysis.registry import MEASURES
from journeysim.analysis.stats import interval
from journeysim.runs import results

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.test_levers import LEVERS  # noqa: E402

COMPARED = [m.name for m in MEASURES.values() if m.compared]
SHOWN = {"off_flow_13w": ("off-flow by week 13", 100, " pts"),
         "job_entry_rate": ("job entry", 100, " pts"),
         "sustained_job_rate": ("in work 26+ weeks", 100, " pts"),
         "waiting_days_per_person": ("days waiting", 1, ""),
         "cost_total": ("total cost", 1e-3, "k GBP")}


def one(job: tuple[str, int, int]) -> tuple[str, int, dict[str, float | None]]:
    """The compared measures of one run: codesign-full with one lever (or none) off."""
    lever, rep, people = job
    raw = config.load_raw("codesign-full")
    if lever in LEVERS:
        raw = config.deep_merge(raw, LEVERS[lever])
    scenario = config.validate(raw, lever).with_run(people=people, seed=1)
    summary = results.simulate(scenario, replication=rep).summary
    return lever, rep, {name: summary.get(name) for name in COMPARED}


def main(people: int, reps: int) -> None:
    """Run every lever off and codesign-full itself, and print the table."""
    names = ["codesign-full", *LEVERS]
    with ProcessPoolExecutor(2) as pool:
        runs = list(pool.map(one, [(n, r, people) for n in names for r in range(reps)]))
    by = {(name, rep): summary for name, rep, summary in runs}
    print("| lever switched off | " + " | ".join(label for label, _, _ in SHOWN.values())
          + " | measures moved |")
    print("|---|" + "---|" * (len(SHOWN) + 1))
    for lever in LEVERS:
        cells, moved = [], 0
        for name in COMPARED:
            diffs = pd.Series([(by[lever, r][name] or 0.0) - (by["codesign-full", r][name] or 0.0)
                               for r in range(reps)])
            mean, half = interval(diffs)
            moved += abs(mean) > 1e-9 and abs(mean) > (half if half == half else 0.0)
            if name in SHOWN:
                _, scale, unit = SHOWN[name]
                cells.append(f"{mean * scale:+.2f} ± {half * scale:.2f}{unit}")
        print(f"| {lever} | " + " | ".join(cells) + f" | {moved} of {len(COMPARED)} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000,
         int(sys.argv[2]) if len(sys.argv) > 2 else 3)
