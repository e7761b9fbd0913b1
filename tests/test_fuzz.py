"""Property-based: mutated copies of the baseline never make ``check`` raise, and what it
accepts runs a tiny simulation without error."""

from __future__ import annotations

import math
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from journeysim import config
from journeysim.cli import main
from journeysim.runs import results

BASE = config.load_raw(config.BASELINE)


def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    """The path of every value in the raw baseline (mappings and lists walked)."""
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(node, list) and node:
        return [path, *[leaf for i, v in enumerate(node) for leaf in _leaves(v, (*path, i))]]
    return [path]


LEAVES = _leaves(BASE)

#: A plausible change: the baseline's number times a factor (most are accepted, so runs).
SCALE = st.floats(min_value=0.0, max_value=3.0).map(lambda factor: ("scale", factor))
HOSTILE = st.one_of(
    SCALE, SCALE,
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 0.5, 1.0000001, 1e30, -1e30, 1e-300, 2**64 + 1, 10**9]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.text(max_size=20),
    st.sampled_from(["../../x", ".hidden", "", "a/b", "JSA", "fixed"]),
    st.none(), st.booleans(), st.just([]), st.just({}),
    st.lists(st.floats(allow_nan=False, min_value=-5, max_value=50), max_size=3),
)


def _set(node: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        node = node[part]
    current = node[path[-1]]
    if isinstance(value, tuple):
        if isinstance(current, bool) or not isinstance(current, int | float):
            return
        value = type(current)(current * value[1])
    node[path[-1]] = value


def _mutated(data: Any) -> dict[str, Any]:
    raw = yaml.safe_load(yaml.safe_dump(BASE))  # a deep copy
    for path, value in data:
        if path:
            try:
                _set(raw, path, value)
            except (KeyError, IndexError, TypeError):
                continue  # an earlier mutation replaced a parent
    raw["name"] = raw.get("name", "fuzz") if isinstance(raw.get("name"), str) else "fuzz"
    return raw


@pytest.mark.slow
@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(LEAVES), HOSTILE), min_size=1, max_size=3))
def test_check_never_raises_and_what_it_accepts_runs(tmp_path, data):
    raw = _mutated(data)
    path = tmp_path / "fuzz.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        repr(result.exception))
    event("refused" if result.exit_code == 2 else "accepted, ran")
    if result.exit_code == 2:
        assert len(result.stderr.splitlines()) == 1, result.stderr
        return
    scenario = config.load(path).with_run(people=60, weeks=6, seed=1)
    summary = results.simulate(scenario).summary
    assert all(not (isinstance(v, float) and math.isinf(v)) for v in summary.values())
