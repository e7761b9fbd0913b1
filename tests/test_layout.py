"""The simulation core stays in parts a reader can hold: no class in ``sim/`` over 200 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import journeysim.sim

#: The longest a class in ``sim/`` may be, in lines from ``class`` to its last line.
MOST_LINES = 200


def class_lengths(root: Path) -> dict[str, int]:
    """Lines of every class in the Python files under ``root``, by ``file:Class``."""
    lengths = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                name = f"{path.relative_to(root)}:{node.name}"
                lengths[name] = node.end_lineno - node.lineno + 1
    return lengths


def test_class_lengths_counts_a_class_from_its_first_line_to_its_last(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n\nclass A:\n    y = 2\n\n    def f(self):\n"
                                   "        return 3\n")
    assert class_lengths(tmp_path) == {"a.py:A": 5}


def test_no_class_in_the_simulation_core_is_longer_than_200_lines():
    lengths = class_lengths(Path(journeysim.sim.__file__).parent)
    assert lengths, "found no classes: wrong folder"
    long = {name: n for name, n in lengths.items() if n > MOST_LINES}
    assert not long, f"classes over {MOST_LINES} lines: {long}"
