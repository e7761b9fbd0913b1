"""Record a scenario's measures over many replications, to compare two versions' distributions.

Run by hand:  python benchmarks/distribution.py OUT.json [--scenario fragmented] [--reps 24]
              [--people 1500] [--weeks 78]

Each replication of the scenario (the fragmented baseline by default; seed 1)
gives one value of each measure in :data:`MEASURES`: the off-flow curve of new
claims at 13, 26 and 52 weeks and the measures a change to the Jobcentre's
adviser time could move. ``tests/test_distribution.py`` compares a stored file,
made by the version before such a change, with the same replications of this
version.
"""

from __future__ import annotations

import argparse
import json

#: Measures compared: the off-flow curve, work, cycling, sanctions, waits and cost.
MEASURES = ("off_flow_13w", "off_flow_26w", "off_flow_52w", "job_entry_rate",
            "sustained_job_rate", "cycling_rate", "sanctions_per_person",
            "waiting_days_per_person", "mean_spells", "cost_total")


def record(reps: int, people: int, weeks: int,
           scenario_name: str = "fragmented") -> dict[str, object]:
    """The measures of ``reps`` replications of the scenario at this size."""
    from journeysim import config
    from journeysim.runs.results import simulate

    scenario = config.load(scenario_name).with_run(people=people, weeks=weeks, seed=1)
    values: dict[str, list[float]] = {m: [] for m in MEASURES}
    for rep in range(reps):
        summary = simulate(scenario, rep).summary
        for m in MEASURES:
            values[m].append(float(summary[m]))
    return {"scenario": scenario_name, "people": people, "weeks": weeks, "reps": reps,
            "values": values}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--scenario", default="fragmented")
    parser.add_argument("--reps", type=int, default=24)
    parser.add_argument("--people", type=int, default=1500)
    parser.add_argument("--weeks", type=int, default=78)
    args = parser.parse_args()
    with open(args.out, "w") as handle:
        json.dump(record(args.reps, args.people, args.weeks, args.scenario), handle, indent=1)
        handle.write("\n")


if __name__ == "__main__":
    main()
