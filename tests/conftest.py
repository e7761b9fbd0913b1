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


#: How Debian's Chromium is started headless here: no sandbox (CI runs as root), and
#: none of its background connections (the machine has no network beyond localhost).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright; skipped, saying why, without one."""
    import shutil

    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright's Python package is not installed")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("no Chromium on this machine (Debian package 'chromium'; .ci/run "
                    "installs it when it can)")
    with playwright_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable,
                                                  args=CHROMIUM_ARGS)
        except playwright_api.Error as err:
            pytest.skip(f"Chromium at {executable} would not start: {err}")
        yield launched
        launched.close()
