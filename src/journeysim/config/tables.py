"""Tables generated from the schema: parameters and unit costs, as rows or Markdown."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from journeysim.config.schema import (
    BASELINE,
    FITTED,
    Frozen,
    PerBenefit,
    Scenario,
    Triangular,
)
from journeysim.vocabulary import PROGRAMMES

#: The source column of a parameter with a kind: its evidence has a table of its own.
EVIDENCED = "docs/evidence.md: range, grade and source"


def _walk(model: type[BaseModel], value: Any, prefix: str) -> Iterator[dict[str, str]]:
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        sub = getattr(value, name)
        extra = field.json_schema_extra or {}
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, Frozen) and not isinstance(
            sub, PerBenefit | Triangular
        ):
            yield from _walk(annotation, sub, f"{path}.")
        elif isinstance(sub, dict) and sub and all(isinstance(v, Frozen) for v in sub.values()):
            for key, item in sub.items():
                yield from _walk(type(item), item, f"{path}.{key}.")
        else:
            kind = str(extra.get("kind", ""))
            yield {
                "parameter": path,
                "unit": str(extra.get("unit", "")),
                "default": _format(sub),
                "source": EVIDENCED if kind else _source(path, str(extra.get("source", ""))),
                "meaning": field.description or "",
                "kind": kind,
            }


def _source(path: str, declared: str) -> str:
    """The declared source, or what the parameter (or one of its parts) was fitted to."""
    if path in FITTED:
        return FITTED[path]
    parts = [f"{key.rsplit('.', 1)[1]} {text}" for key, text in FITTED.items()
             if key.rsplit(".", 1)[0] == path]
    return "; ".join([*parts, f"others: {declared}"]) if parts else declared


def _format(value: Any) -> str:
    if isinstance(value, PerBenefit | Triangular):
        return ", ".join(f"{k} {v:g}" for k, v in value.model_dump().items())
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_format(v)}" for k, v in value.items()) or "none"
    if isinstance(value, tuple):
        return "(" + ", ".join(_format(v) for v in value) + ")"
    if isinstance(value, list):
        return ", ".join(_format(v) for v in value) or "none"
    return str(value)


def parameter_table(scenario: Scenario) -> list[dict[str, str]]:
    """Every model parameter: path, unit, value in ``scenario``, source, meaning, kind.

    ``kind`` is ``effect``, ``take_up`` or ``capacity`` for a parameter whose
    evidence is in docs/evidence.md, and empty for the others.
    """
    sections = ("population", "jobcentre", "labour_market", "motivation", "costs", "system",
                "services", *PROGRAMMES, "hub", "personal_budget", "family_budget",
                "troubled_families", "post_employment", "outreach", "lone_parents",
                "ib_reassessment", "geography", "cba")
    rows: list[dict[str, str]] = []
    for section in sections:
        value = getattr(scenario, section)
        if isinstance(value, dict):
            for key, item in value.items():
                rows.extend(_walk(type(item), item, f"{section}.{key}."))
        else:
            rows.extend(_walk(type(value), value, f"{section}."))
    return rows


def unit_cost_table(scenario: Scenario) -> list[dict[str, str]]:
    """The unit costs and appraisal values (docs/costs.md), with the price year of each."""
    rows = []
    for row in parameter_table(scenario):
        money = "GBP" in row["unit"]
        if money or row["parameter"].startswith(("costs.", "cba.")) or row[
                "parameter"].endswith(".payer"):
            rows.append({**row, "price_year": scenario.costs.price_year if money else ""})
    return rows


def markdown_table(rows: list[dict[str, str]]) -> str:
    """A parameter table as Markdown (the blocks between the markers in docs/*.md)."""
    year = bool(rows) and "price_year" in rows[0]
    lines = ["| parameter | value | unit |" + (" price year |" if year else "")
             + " source | meaning |", "|---|---|---|---|---|" + ("---|" if year else "")]
    lines += [
        f"| `{r['parameter']}` | {r['default']} | {r['unit']} |"
        + (f" {r['price_year']} |" if year else "") + f" {r['source']} | {r['meaning']} |"
        for r in rows
    ]
    return "\n".join(lines)


def starter_yaml(scenario: Scenario, extends: str, rows: list[dict[str, str]]) -> str:
    """A scenario file that ``extends`` the scenario and repeats the parameters of ``rows``.

    Each parameter is written at its place in the file's nesting with its value in
    ``scenario`` (as JSON, which YAML reads) and a comment giving its unit and
    meaning, so a user keeps the lines they change and deletes the rest.
    """
    values = scenario.model_dump(mode="json")
    lines = [f"# A scenario that extends {extends}: keep the lines you change, delete the rest.",
             "# Units, sources and ranges: journeysim params, docs/model.md, docs/evidence.md.",
             f"extends: {extends}", f"name: {scenario.name}-changed",
             "description: >-", "  What this scenario changes, and why (quote the source)."]
    written: list[str] = []
    for row in rows:
        parts = row["parameter"].split(".")
        common = next((i for i, (a, b) in enumerate(zip(parts[:-1], written, strict=False))
                       if a != b), min(len(parts) - 1, len(written)))
        for depth in range(common, len(parts) - 1):
            lines.append(f"{'  ' * depth}{parts[depth]}:")
        written = parts[:-1]
        value = values
        for part in parts:
            value = value[part]
        lines.append(f"{'  ' * (len(parts) - 1)}{parts[-1]}: {json.dumps(value)}"
                     f"  # {row['unit']}: {row['meaning']}")
    return "\n".join(lines) + "\n"


def head_count_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """:meth:`Scenario.head_counts` as records (``summary.json``'s ``head_counts``)."""
    return [{"service": service, "what": what, "per_1000": rate, "count": count}
            for service, what, rate, count in scenario.head_counts()]


def head_count_text(rows: list[dict[str, Any]], people: int) -> str:
    """Each service's resolved size (advisers, places, budgets) as plain text ('' if none)."""
    if not rows:
        return ""
    width = max(len(row["service"]) for row in rows)
    lines = [f"Services as sized for {people:,} claimants at the start "
             "(rate per 1,000 claimants -> count):"]
    lines += [f"  {row['service']:{width}}  {row['count']:>7,} {row['what']}  "
              f"({row['per_1000']:g} per 1,000)" for row in rows]
    return "\n".join(lines)


#: How far (as a share) a size per claimant may move, when a scenario runs at another
#: number of claimants than its own, before it is pointed out.
ROUNDING_TOLERANCE = 0.1


def rounded_staffing(scenario: Scenario, people: int) -> list[str]:
    """Where running ``scenario`` at ``people`` claimants changes a size per claimant.

    Sizes are rounded to whole staff, places and budgets. A plan written for the
    scenario's own claimants (6 hub advisers for 32,650) keeps its ratio only
    roughly at another number (1 adviser for 2,000 is 2.7 times the staffing per
    claimant). One phrase per size whose count per claimant at ``people`` is more
    than :data:`ROUNDING_TOLERANCE` away from its count per claimant at the
    scenario's own ``run.people``, largest change first, e.g. ``hub 1 advisers
    for 0.37 (2.7x)``.
    """
    own = scenario.run.people
    planned = {(s, what): count / own for s, what, _, count in scenario.head_counts()}
    found = []
    for service, what, _, count in scenario.with_run(people=people).head_counts():
        ratio = planned.get((service, what), 0.0) * people
        if ratio > 0 and abs(count / ratio - 1.0) > ROUNDING_TOLERANCE:
            found.append((abs(math.log(count / ratio)) if count else math.inf,
                          f"{service} {count:,} {what} for {ratio:.2g} ({count / ratio:.2g}x)"))
    return [phrase for _, phrase in sorted(found, key=lambda pair: -pair[0])]


def rounded_staffing_line(found: dict[str, list[str]], people: int) -> str:
    """One line saying where rounding changed staffing per claimant ('' if nowhere).

    ``found`` holds :func:`rounded_staffing`'s phrases by scenario name, the
    baseline first; of each later scenario only the changes the baseline does not
    share are named (its plan's), and of each scenario the three largest.
    """
    shared = next(iter(found.values()), [])
    parts = []
    for index, (name, phrases) in enumerate(found.items()):
        own = [p for p in phrases if index == 0 or p not in shared]
        if own:
            parts.append(f"{name}{' also' if index else ''}: {', '.join(own[:3])}"
                         + (f" and {len(own) - 3} more" if len(own) > 3 else ""))
    if not parts:
        return ""
    return (f"Staffing per claimant changes at {people:,} claimants, as sizes round to whole "
            f"people: {'; '.join(parts)}. Run at the scenario's own --people to keep its "
            "ratios.")


#: What describes the place the baseline was fitted to (Wakefield, 2010-12): who claims,
#: and the labour market they look for work in.
PLACE = ("population.", "labour_market.claimants_per_vacancy",
         "labour_market.vacancy_growth_per_year", "labour_market.outside_searchers_per_claimant",
         "labour_market.search_intensity", *FITTED)


def uncalibrated(scenario: Scenario, baseline: Scenario | None = None) -> list[str]:
    """A warning when ``scenario`` moves the calibrated place without being recalibrated."""
    if scenario.calibrated_to:
        return []
    if baseline is None:
        from journeysim.config.loading import load

        baseline = load(BASELINE)
    before = {row["parameter"]: row["default"] for row in parameter_table(baseline)}
    changed = [row["parameter"] for row in parameter_table(scenario)
               if row["parameter"].startswith(PLACE) and before.get(row["parameter"])
               != row["default"]]
    if not changed:
        return []
    more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
    return [f"{scenario.name} changes the population or labour market the baseline was "
            f"calibrated to ({', '.join(changed[:3])}{more}) without recalibrating: its "
            "fitted parameters are Wakefield's (docs/model.md, section 10); refit them with "
            f"`journeysim calibrate SCENARIO_FILE --targets YOUR_TARGETS.yaml`"]


#: A mapping key written as it is; any other is written quoted (as JSON, which YAML reads).
PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def nested_yaml(node: dict[str, Any], comments: dict[str, str] | None = None,
                prefix: str = "", depth: int = 0) -> list[str]:
    """A nested mapping as YAML lines, each value as JSON (which YAML reads).

    ``comments`` maps a dotted path to the comment written beside its value; a
    mapping with a comment of its own is written on one line.
    """
    comments = comments or {}
    lines = []
    for key, value in node.items():
        path = f"{prefix}{key}"
        pad = "  " * depth
        name = key if PLAIN_KEY.fullmatch(key) else json.dumps(key)
        if isinstance(value, dict) and path not in comments:
            lines.append(f"{pad}{name}:")
            lines += nested_yaml(value, comments, f"{path}.", depth + 1)
        else:
            note = f"  # {' '.join(comments[path].split())}" if path in comments else ""
            lines.append(f"{pad}{name}: {json.dumps(value)}{note}")
    return lines
