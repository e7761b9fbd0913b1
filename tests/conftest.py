"""Shared fixtures: the baseline, and small variants of it made through the schema."""

from __future__ import annotations

from typing import Any

import pytest

from journeysim import config


def variant(changes: dict[str, Any], **run: int) -> config.Scenario:
    """The baseline with ``changes`` merged in (validated), and run settings changed."""
    raw = config.deep_merge(config.load_raw(config.BASELINE), changes)
    return config.validate(raw, "test variant").with_run(**run)


@pytest.fixture(scope="session")
def baseline() -> config.Scenario:
    return config.load(config.BASELINE)
