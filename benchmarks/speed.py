"""Speed and memory of the baseline against a bare SimPy loop, measured in one run.

Run by hand:  python benchmarks/speed.py [--sizes 5000 20000 50000] [--weeks 104]

For each size the full model runs in a fresh process (so peak memory is its
own); then, in another fresh process, a bare SimPy loop with the same number of
agents, each woken once a fortnight, sets the ceiling for this design. The
figure is agent-weeks per second: every person in the model, for every week
they are in it, divided by wall time (setup, run and measures included).
Compare ratios from one run; absolute figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time


def full_model(people: int, weeks: int) -> dict[str, float]:
    from journeysim import config
    from journeysim.runs.results import measure
    from journeysim.sim.model import JourneyModel

    scenario = config.load("fragmented").with_run(people=people, weeks=weeks, seed=1)
    start = time.perf_counter()
    model = JourneyModel(scenario)
    result = model.run()
    run_seconds = time.perf_counter() - start
    measure(result)
    seconds = time.perf_counter() - start
    horizon = weeks * 7.0
    agent_weeks = float(((horizon - result.persons.arrived) / 7.0).sum())
    return {"agents": len(result.persons), "agent_weeks": agent_weeks, "seconds": seconds,
            "run_seconds": run_seconds, "events": len(result.events)}


def bare_loop(agents: int, weeks: int) -> dict[str, float]:
    import simpy

    def person(env: simpy.Environment, offset: float):
        yield env.timeout(offset)
        while True:
            yield env.timeout(14.0)

    start = time.perf_counter()
    env = simpy.Environment()
    for i in range(agents):
        env.process(person(env, 14.0 * i / agents))
    env.run(until=weeks * 7.0)
    seconds = time.perf_counter() - start
    return {"agents": agents, "agent_weeks": float(agents * weeks), "seconds": seconds}


def _child(kind: str, size: int, weeks: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", kind, str(size), str(weeks)]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000, 50000])
    parser.add_argument("--weeks", type=int, default=104)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, size, weeks = args.child[0], int(args.child[1]), int(args.child[2])
        figures = full_model(size, weeks) if kind == "model" else bare_loop(size, weeks)
        figures["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(figures))
        return
    print(f"{'people':>8} {'agents':>8} {'events':>9} {'seconds':>8} {'agent-wk/s':>11} "
          f"{'peak MiB':>9} {'bare agent-wk/s':>16} {'bare MiB':>9} {'of ceiling':>10} "
          f"{'s per 1k people':>15}")
    for size in args.sizes:
        model = _child("model", size, args.weeks)
        bare = _child("bare", int(model["agents"]), args.weeks)
        rate = model["agent_weeks"] / model["seconds"]
        ceiling = bare["agent_weeks"] / bare["seconds"]
        print(f"{size:>8,} {int(model['agents']):>8,} {int(model['events']):>9,} "
              f"{model['seconds']:>8.1f} {rate:>11,.0f} {model['peak_mib']:>9.0f} "
              f"{ceiling:>16,.0f} {bare['peak_mib']:>9.0f} {rate / ceiling:>10.0%} "
              f"{1000 * model['seconds'] / size:>15.2f}")


if __name__ == "__main__":
    main()
