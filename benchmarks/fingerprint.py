"""Fingerprint a short run of every bundled scenario, to show a change to the model is exact.

Run by hand:  python benchmarks/fingerprint.py [SCENARIO ...] [--people 800] [--weeks 78]

Each scenario (default: every bundled one) runs once at a small size, and its
event log, people and weekly tables are hashed together. Run it from two
checkouts (the version before a speed change and the version after) and compare
the lines: a change meant to leave the model as it was must leave every line
the same. The golden file (``tests/test_backtest.py``) holds the baseline alone;
this also covers the services, budgets and places that only the designs switch on.
"""

from __future__ import annotations

import argparse
import hashlib


def fingerprint(name: str, people: int, weeks: int, seed: int) -> tuple[int, str]:
    """(events logged, first 16 hex digits of the hash of the run's tables) of one scenario."""
    from journeysim import config
    from journeysim.sim.model import JourneyModel

    scenario = config.load(name).with_run(people=people, weeks=weeks, seed=seed)
    result = JourneyModel(scenario, replication=1).run()
    digest = hashlib.sha256()
    for table in (result.events, result.persons, result.weekly):
        digest.update(table.to_csv(index=False).encode())
    return len(result.events), digest.hexdigest()[:16]


def main() -> None:
    from journeysim.config.loading import bundled_scenarios

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help="scenario names (default: all bundled)")
    parser.add_argument("--people", type=int, default=800)
    parser.add_argument("--weeks", type=int, default=78)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    for name in args.scenarios or sorted(bundled_scenarios()):
        events, digest = fingerprint(name, args.people, args.weeks, args.seed)
        print(f"{name:36s} {events:>8,} {digest}", flush=True)


if __name__ == "__main__":
    main()
