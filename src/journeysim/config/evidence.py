"""The evidence table: where every effect, take-up and capacity parameter comes from.

``data/evidence.yaml`` gives, for each such parameter (the schema marks them with
a ``kind``), its plausible range, the distribution an uncertainty analysis draws
it from, a grade of how strong the evidence is, and the source. The value is the
scenario's own. :func:`evidence_table` joins the two for docs/evidence.md, and
:func:`problems` lists every way the file and the scenarios disagree (a missing
entry, a value outside its range, an unknown path), so a test can fail on any.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from journeysim.config.schema import Scenario
from journeysim.config.tables import parameter_table

#: data/evidence.yaml, which a wheel carries as package data.
EVIDENCE_FILE = Path(str(resources.files("journeysim").joinpath("data", "evidence.yaml")))
GRADES = {
    "A": "a UK randomised or quasi-experimental impact evaluation of this mechanism",
    "B": "a UK impact evaluation of a comparable programme, or a public statistic",
    "C": "a seed figure, or programme monitoring without a counterfactual",
    "D": "an assumption, with its reason and a wide range",
}
DISTRIBUTIONS = ("triangular", "uniform")
#: Entries for one service's parameter fall back on ``services.*.<field>``.
ANY_SERVICE = "services.*."


@dataclass(frozen=True)
class Evidence:
    """What is known about one parameter (or, with ``services.*``, every service's)."""

    path: str
    grade: str
    source: str
    low: float | None = None
    high: float | None = None
    distribution: str = "triangular"
    note: str = ""
    value: list[str] | None = None  # the evidence's own list, for a list parameter (buys)

    def covers(self, value: float) -> bool:
        """Whether ``value`` lies in the range (always, for an entry without one)."""
        return self.low is None or self.high is None or self.low <= value <= self.high


def load_evidence(path: Path = EVIDENCE_FILE) -> dict[str, Evidence]:
    """Every entry of the evidence file, by parameter path.

    Raises:
        ValueError: an entry with a bad grade, distribution or range, or no source.
    """
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = {}
    for key, raw in data.items():
        entry = Evidence(path=key, **{k: v for k, v in raw.items() if k != "candidates"})
        if entry.grade not in GRADES:
            raise ValueError(f"{key}: grade {entry.grade!r} is not one of {', '.join(GRADES)}")
        if entry.distribution not in DISTRIBUTIONS:
            raise ValueError(f"{key}: distribution {entry.distribution!r} is not one of "
                             f"{', '.join(DISTRIBUTIONS)}")
        if not entry.source.strip():
            raise ValueError(f"{key}: no source")
        if entry.grade == "D" and not entry.source.startswith("assumption"):
            raise ValueError(f"{key}: a grade D source must start 'assumption:' and say why")
        if (entry.low is None) != (entry.high is None) or (
                entry.low is not None and entry.low > entry.high):
            raise ValueError(f"{key}: needs low <= high")
        entries[key] = entry
    return entries


def entry_for(parameter: str, evidence: dict[str, Evidence]) -> Evidence | None:
    """The entry for a parameter path: its own, or the one for every service."""
    if parameter in evidence:
        return evidence[parameter]
    if parameter.startswith("services."):
        return evidence.get(ANY_SERVICE + parameter.rsplit(".", 1)[1])
    return None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def evidence_table(scenario: Scenario, evidence: dict[str, Evidence] | None = None,
                   ) -> list[dict[str, str]]:
    """Every parameter with a kind or an entry: its value in ``scenario`` and its evidence."""
    evidence = load_evidence() if evidence is None else evidence
    rows = []
    for row in parameter_table(scenario):
        entry = entry_for(row["parameter"], evidence)
        if entry is None and not row["kind"]:
            continue
        rows.append({
            "parameter": row["parameter"], "kind": row["kind"] or "design",
            "value": row["default"], "unit": row["unit"],
            "low": "" if entry is None or entry.low is None else f"{entry.low:g}",
            "high": "" if entry is None or entry.high is None else f"{entry.high:g}",
            "grade": "" if entry is None else entry.grade,
            "source": "" if entry is None else " ".join(entry.source.split()),
            "note": "" if entry is None else " ".join(entry.note.split()),
        })
    return rows


def problems(baseline: Scenario, others: list[Scenario],
             evidence: dict[str, Evidence] | None = None) -> list[str]:
    """Every disagreement between the evidence file and the scenarios, as sentences.

    Every parameter with a kind needs an entry; every entry must name a parameter;
    every effect and take-up value of every scenario, and every value of the
    baseline, must lie in its range (a design may size its own capacity).
    """
    evidence = load_evidence() if evidence is None else evidence
    found = []
    table = parameter_table(baseline)
    paths = {row["parameter"] for row in table}
    service_fields = {p.rsplit(".", 1)[1] for p in paths if p.startswith("services.")}
    for key in evidence:
        field = key.removeprefix(ANY_SERVICE)
        if key not in paths and not (key.startswith(ANY_SERVICE) and field in service_fields):
            found.append(f"{key}: the evidence file names no parameter of the model")
    for row in table:
        if row["kind"] and entry_for(row["parameter"], evidence) is None:
            found.append(f"{row['parameter']}: a {row['kind']} parameter with no evidence entry")
    for scenario in [baseline, *others]:
        for row in parameter_table(scenario):
            entry = entry_for(row["parameter"], evidence)
            value = _number(row["default"])
            checked = scenario is baseline or row["kind"] in ("effect", "take_up")
            if entry is not None and value is not None and checked and not entry.covers(value):
                found.append(f"{scenario.name}: {row['parameter']} = {value:g} lies outside "
                             f"its evidence range [{entry.low:g}, {entry.high:g}]")
    return found


def markdown(rows: list[dict[str, str]]) -> str:
    """The evidence table as Markdown (the block between the markers in docs/evidence.md)."""
    grades = {g: sum(r["grade"] == g for r in rows) for g in GRADES}
    lines = [f"{len(rows)} parameters; by grade: "
             + ", ".join(f"{g} {n}" for g, n in grades.items()) + ".", "",
             "| parameter | kind | value | unit | range | grade | source |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        span = f"{r['low']} to {r['high']}" if r["low"] else ""
        source = r["source"] + (f" *{r['note']}*" if r["note"] else "")
        lines.append(f"| `{r['parameter']}` | {r['kind']} | {r['value']} | {r['unit']} | "
                     f"{span} | {r['grade']} | {source.replace('|', '/')} |")
    return "\n".join(lines)
